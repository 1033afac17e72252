package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * The sending half of a connection: SendQ ({@link SendBuffer}), SND.UNA/SND.NXT, the peer's
 * window, segmentation, Nagle, cork, silly window avoidance, retransmission and congestion control.
 *
 * <pre>
 *   iss   SND.UNA      SND.NXT     SND.MAX        bufSeq + size
 *   |SYN| acked | in flight |(resend)| not yet sent |
 * </pre>
 * SND.MAX is the highest sequence number sent plus one; SND.NXT is where the next transmission
 * starts, below SND.MAX only after a retransmission timeout rewound it (go-back-N from SND.UNA,
 * which is what Linux without SACK effectively does once it marks everything lost).
 *
 * <p>Rules: segments of at most the send MSS (N17, RFC 9293 section 3.7.1); Nagle (RFC 9293
 * section 3.7.4, RFC 896) unless TCP_NODELAY; TCP_CORK and MSG_MORE hold partial segments (N23);
 * PSH on the segment that empties SendQ (N24, as Linux's {@code tcp_mark_push}); sender silly
 * window avoidance (RFC 9293 section 3.8.6.2.1); the RTO from {@link RttEstimator} with Karn's
 * rule (RFC 6298 section 3) and backoff (section 5.5); fast retransmit and NewReno through
 * {@link CongestionControl} (RFC 5681 section 3.2, RFC 6582); zero-window probes (RFC 9293
 * section 3.8.6.1) sent as Linux does, a bare ACK with SEQ = SND.UNA - 1.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TcpSender {
    final TcpConnection c;
    final SendBuffer buffer;
    /** SendQ's skbs: boundaries, PSH and EOR marks, memory (Linux's write and retransmit queues). */
    final WriteQueue skbs = new WriteQueue();
    final RttEstimator rtt;
    /** What the peer has SACKed (RFC 6675 section 3). */
    final SackScoreboard scoreboard = new SackScoreboard();
    /** Busy, receive-window-limited and send-buffer-limited time (tcp_chrono). */
    final TcpChrono chrono = new TcpChrono();
    /** Segment records, RACK, PRR: recovery on SACK connections. */
    final LossRecovery recovery = new LossRecovery(this);
    /** Departure times under fq pacing. */
    final Pacing pacing = new Pacing();
    CongestionControl cc;
    /** Path MTU probing and the MSS kept in step with the route (tcp_mtu_probe, tcp_sync_mss). */
    final MtuProbe mtuProbe = new MtuProbe(this);
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int maxSndWnd;
    /** Sequence number of SendQ's first byte. */
    int bufSeq;
    /** The send MSS: the peer's MSS option, bounded by our path MTU. */
    int mss;
    /** The application shut down writing: a FIN follows the queued data. */
    boolean finQueued;
    boolean finSent;
    /** The FIN first went out in a segment of its own (after all data was sent). */
    boolean finAlone;
    int finSeq;
    /** An ACK came: after the push that follows, tcp_check_space may wake a writer. */
    boolean spaceFreed;
    /** How the next {@link #output} treats partial segments (the nonagle of Linux's push). */
    TcpSendmsg.Push pushMode = TcpSendmsg.Push.NORMAL;

    /** When the first transmission of the oldest unacknowledged data was retransmitted (Linux's retrans_stamp). */
    long retransStampNs;
    int retransmits;
    /** Unanswered zero-window probes (tcpi_probes); reset by any ACK, as Linux. */
    int probesOut;
    /** End of the last segment sent shorter than the MSS (Linux's snd_sml, for Minshall's Nagle). */
    int sndSml;
    /** Persist timer backoff (Linux's icsk_backoff while probing); reset when the window opens. */
    int persistBackoff;
    /** When the persist timer first fired in this zero-window episode (Linux's icsk_probes_tstamp), or NO_STAMP. */
    long probesStampNs = NO_STAMP;
    static final long NO_STAMP = Long.MIN_VALUE;
    long lastDataSentNs;
    long lastAckRecvNs;
    /** What the retransmission timer is set for (Linux's icsk_pending). */
    enum XmitTimer {
        /** The retransmission timeout (ICSK_TIME_RETRANS). */
        RTO,
        /** A tail loss probe (ICSK_TIME_LOSS_PROBE). */
        LOSS_PROBE,
        /** RACK's reordering timer (ICSK_TIME_REO_TIMEOUT). */
        REORDER
    }

    XmitTimer xmitTimer = XmitTimer.RTO;
    /** SND.NXT when the last loss probe was sent, while that probe is unresolved (tp->tlp_high_seq). */
    int tlpHighSeq;
    boolean tlpOutstanding;
    /** The loss probe resent data rather than sending new (tp->tlp_retrans). */
    boolean tlpRetrans;
    /** The ACK being processed carries a DSACK. */
    private boolean dsackOnAck;
    /** The ACK being processed carries ECE on an ECN connection (set by TcpInput before onAck). */
    boolean eceOnAck;
    /** Without SACK: SND.MAX when an ECN echo started CWR; CWR ends once the ACK passes it. */
    int cwrHighSeq;
    /** Our TSval when we last retransmitted: older echoes give no RTT sample. */
    int lastRetransmitTsVal;

    TcpSender(TcpConnection c, int capacityBytes) {
        this.c = c;
        this.buffer = new SendBuffer(capacityBytes);
        TcpSettings s = c.settings;
        this.rtt = new RttEstimator(s.rtoFormula(), s.initialRtoNs(), s.minRtoNs(), s.maxRtoNs(), 1_000_000L);
    }

    void init(int iss, int mss) {
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.sndSml = iss;
        this.bufSeq = iss + 1;
        setMss(mss);
    }

    void setMss(int newMss) {
        this.mss = Math.max(48, newMss);
        if (cc == null) {
            cc = CongestionControls.create(c.congestionName(), mss, c.layer.initialCwndFor(c.remoteIp)); // tcp_init_cwnd
        } else {
            cc.setSmss(mss);
        }
    }

    /** The sequence number at stream position {@code pos} (the inverse of {@link #position}). */
    int seqAt(long pos) {
        return SeqNum.add(bufSeq, (int) (pos - c.bytesAcked));
    }

    /** SACK was negotiated: loss recovery by {@link LossRecovery} (RACK, PRR, pipe). */
    boolean sacking() {
        return c.opts.sackOk;
    }

    /** Bytes the windows count as in flight: the pipe with SACK, else SND.NXT - SND.UNA. */
    long pipe() {
        if (sacking()) {
            return recovery.pipe();
        }
        // RFC 3042 limited transmit the way Linux does it for Reno: each duplicate ACK below the
        // threshold counts as a segment that left the network (tcp_add_reno_sack's sacked_out).
        int dups = cc.state() == CongestionControlState.DISORDER ? cc.dupAcks() : 0;
        return Math.max(0, inFlight() - (long) dups * mss);
    }

    /** The stream position of {@code seq}: data bytes acknowledged so far plus its offset in SendQ. */
    long position(int seq) {
        return c.bytesAcked + SeqNum.diff(seq, bufSeq);
    }

    /** The SACK blocks of an arriving ACK go to the scoreboard (RFC 6675 section 4, Linux's tcp_sacktag_write_queue). */
    void onSack(TcpPacket seg) {
        dsackOnAck = false;
        if (!c.opts.sackOk || seg.sackBlockCount() == 0) {
            return;
        }
        if (scoreboard.update(seg, sndUna, sndMax, position(sndUna))) {
            recovery.undo.onDsack(); // tcp_check_dsack: one retransmission was not needed
            dsackOnAck = true;
            c.layer.counters().increment(Counter.TcpExtTCPDSACKRecv);
            c.dsackDups++; // tcpi_dsack_dups (tcp_dsack_seen)
        }
    }

    /**
     * Bytes a retransmission starting at SND.NXT may send before the next SACKed range, after
     * stepping SND.NXT over a SACKed range it stands in (returns -1 then, to look again).
     */
    private int sackLimit() {
        if (scoreboard.ranges() == 0 || !SeqNum.lt(sndNxt, sndMax)) {
            return Integer.MAX_VALUE;
        }
        long p = position(sndNxt);
        long q = scoreboard.skipSacked(p);
        if (q > p) {
            sndNxt = SeqNum.add(sndNxt, (int) (q - p));
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, scoreboard.nextSacked(p) - p);
    }

    private int pathMtuGeneration = -1;

    /**
     * The send MSS the path allows now (Linux's tcp_mtu_to_mss, header options included): the
     * path MTU less 40, less the 12 bytes of timestamps when they are on, never above the
     * peer's MSS.
     */
    int mssForPath() {
        int m = c.layer.mssFor(c.remoteIp);
        return c.opts.tsOk ? m - OptionState.TIMESTAMPS_BYTES : m;
    }

    /**
     * Before sending: when the IP layer learned a path MTU since the last look, a smaller one
     * toward our peer lowers the MSS, as Linux's tcp_current_mss resyncs with dst_mtu. So a
     * connection that did not get the ICMP itself does not send segments the path drops.
     */
    void syncPathMtu() {
        if (c.pmtuMode() == netstack4j.ip.PmtuMode.DONT) {
            return; // IP_PMTUDISC_DONT: no path MTU discovery, the route's MTU stays
        }
        int g = c.layer.stack().ip().pathMtuGeneration();
        if (g != pathMtuGeneration) {
            pathMtuGeneration = g;
            int m = mssForPath();
            if (m < mss) {
                mtuProbe.pathMtuReduced(c.layer.pathMtuFor(c.remoteIp), m);
            }
        }
    }

    /** The payload of the next segment at most: the MSS less SACK blocks riding on it (tcp_current_mss). */
    int segmentMss() {
        return Math.max(1, mss - c.sackOptionBytes());
    }

    /** Bytes in flight by SND.NXT (what may still be on the wire), excluding SYN and FIN. */
    int inFlight() {
        return SeqNum.diff(sndNxt, sndUna);
    }

    /** RFC 5681's FlightSize: sent and not yet cumulatively acknowledged. */
    int flightSize() {
        return SeqNum.diff(sndMax, sndUna);
    }

    int unsentBytes() {
        int sentData = Math.max(0, SeqNum.diff(SeqNum.min(sndMax, SeqNum.add(bufSeq, buffer.size())), bufSeq));
        return buffer.size() - sentData;
    }

    boolean hasOutstanding() {
        return sndMax != sndUna;
    }

    /** The stream position after the last data byte ever sent (SND.MAX without SYN and FIN). */
    long sentHighPosition() {
        int dataEnd = SeqNum.add(bufSeq, buffer.size());
        return position(SeqNum.min(sndMax, dataEnd));
    }

    /** The first skb not yet sent (tcp_send_head), -1 when every queued byte went out. */
    int sendHeadIndex() {
        long p = Math.max(sentHighPosition(), skbs.start());
        return p < skbs.endPos() ? skbs.indexOf(p) : -1;
    }

    /** tcp_push / __tcp_push_pending_frames: send now, partial segments treated as {@code mode} says. */
    void push(long nowNs, TcpSendmsg.Push mode) {
        pushMode = mode;
        c.afterEvent();
        pushMode = TcpSendmsg.Push.NORMAL;
    }

    /** Everything in SendQ is dropped (reset, abort, TIME-WAIT). */
    void purge() {
        buffer.acknowledge(buffer.size());
        skbs.purge(c.bytesAcked);
    }

    /**
     * Sends what the windows, Nagle and cork allow, from SND.NXT (RFC 9293 section 3.7, RFC 5681
     * section 3.1 for cwnd). Returns the number of segments sent.
     */
    int output(long nowNs) {
        syncPathMtu();
        mtuProbe.currentMss();
        TcpSendmsg.Push mode = pushMode;
        int sent = 0;
        // tcp_write_xmit: a path MTU probe goes first; "wait" sends nothing this round.
        int probed = mtuProbe.probe(nowNs);
        if (probed == MtuProbe.WAIT) {
            return 0;
        }
        if (probed == MtuProbe.SENT) {
            sent = 1;
        }
        // The transmission unit being sent (Linux's skb in tcp_write_xmit, cut by tso_fragment to
        // the cwnd quota and tcp_tso_segs): its end, and whether it holds more than one segment.
        int unitEnd = sndNxt;
        boolean unitMulti = false;
        int units = 0;
        long splitAt = -1; // where the unit ends inside its skb, split once it is sent (tso_fragment)
        boolean cwndBlocked = false;
        int gsoMax = c.layer.stack().ip().gsoMaxSize(c.remoteIp); // sk_can_gso: 0 without
        boolean gsoUnit = false;
        while (true) {
            int offset = SeqNum.diff(sndNxt, bufSeq);
            if (offset < 0 || (finSent && SeqNum.gt(sndNxt, finSeq))) {
                break;
            }
            int avail = buffer.size() - offset;
            if (avail < 0) {
                break;
            }
            int sackLimit = sackLimit();
            if (sackLimit < 0) {
                continue; // stepped over data the peer has (SACKed): not sent again
            }
            // A segment never spans two skbs: what is left of the one holding SND.NXT.
            long pos = position(sndNxt);
            int skb = avail > 0 ? skbs.indexOf(pos) : -1;
            int skbLeft = skb < 0 ? 0 : (int) (skbs.end(skb) - pos);
            boolean lastSkb = skb == skbs.count() - 1;
            // cwnd bounds the pipe (RFC 6675 section 5); the peer's window bounds the sequence
            // space: nothing beyond SND.UNA + SND.WND (RFC 9293 section 3.8.6, tcp_snd_wnd_test),
            // whatever the pipe says.
            long cwndRoom = cc.cwndBytes() - pipe();
            long rwndRoom = (long) sndWnd - inFlight();
            int usable = (int) Math.max(0, Math.min(cwndRoom, rwndRoom));
            if (cwndRoom <= 0 && avail > 0) {
                cwndBlocked = true; // tcp_write_xmit: no cwnd quota left for data waiting
            }
            int segMss = segmentMss();
            int room = Math.min(Math.min(sackLimit, skbLeft), usable);
            if (!SeqNum.lt(sndNxt, unitEnd)) {
                if (mode == TcpSendmsg.Push.ONE && units > 0) {
                    break; // tcp_push_one: one skb
                }
                if (room > 0 && c.layer.fqPacing() && pacing.departureNs() > nowNs) {
                    c.timers.armPacing(pacing.departureNs()); // fq holds it until its departure time
                    break;
                }
                if (room > 0 && mode != TcpSendmsg.Push.ONE && skbLeft > segMss && pos >= sentHighPosition()
                        && tsoShouldDefer(nowNs, skbLeft, lastSkb, segMss, cwndRoom, rwndRoom)) {
                    cwndBlocked |= cwndRoom < rwndRoom; // deferred for want of cwnd: cwnd-limited
                    break;
                }
                int unit = unitBytes(room, skbLeft, segMss, lastSkb, mode);
                unitEnd = SeqNum.add(sndNxt, unit);
                unitMulti = unit > segMss;
                gsoUnit = unitMulti && gsoMax > 0;
                units++;
                splitAt = unit > 0 && unit < skbLeft && pos >= sentHighPosition() ? pos + unit : -1;
            }
            int len = Math.min(Math.min(gsoUnit ? gsoBytes(gsoMax, segMss) : segMss, room), SeqNum.diff(unitEnd, sndNxt));
            if (gsoUnit && SeqNum.lt(sndNxt, sndMax)) {
                len = Math.min(len, SeqNum.diff(sndMax, sndNxt)); // a super-segment is all resent or all new
            }
            boolean fin = finQueued && len == avail && (!finSent || sndNxt == finSeq);
            if (len == 0 && !fin) {
                break;
            }
            // Nagle, cork and SWS avoidance hold back new data only: data already sent once is
            // resent as soon as the windows allow (Linux's tcp_xmit_retransmit_queue ignores them).
            // Inside a unit of several segments they were applied to the unit (tcp_mss_split_point).
            boolean resend = SeqNum.le(SeqNum.add(sndNxt, len), sndMax);
            if (len < segMss && len > 0 && !fin && !resend && !unitMulti
                    && !mayTransmitPartial(len, skbLeft, lastSkb, mode)) {
                break;
            }
            if (splitAt >= 0) {
                skbs.split(skb, splitAt); // the rest of the skb stays queued, unsent, with its marks
                skbLeft = (int) (splitAt - pos);
                splitAt = -1;
            }
            int flags = TcpFlags.ACK;
            boolean unitLast = SeqNum.add(sndNxt, len) == unitEnd;
            if (len > 0 && (len == skbLeft && skbs.marked(skb, WriteQueue.PSH) || unitMulti && unitLast)) {
                // N24: the end of an skb tcp_mark_push marked (the tail of a write), and the
                // last segment of every multi-segment unit (__tcp_transmit_skb).
                flags |= TcpFlags.PSH;
            }
            if (fin) {
                flags |= TcpFlags.FIN;
            }
            if (len > segMss) {
                sent += transmitGso(nowNs, sndNxt, offset, len, flags, segMss);
            } else {
                transmit(nowNs, sndNxt, offset, len, flags);
                sent++;
            }
            if (fin) {
                break;
            }
        }
        if (sent > 0) {
            scheduleLossProbe(nowNs, false); // tcp_write_xmit: one loss probe per tail loss episode
        }
        boolean limited = cwndBlocked || pipe() >= cc.cwndBytes();
        if (sent > 0 || limited) {
            validateCwnd(limited, nowNs);
        }
        // tcp_write_xmit: the next segment does not fit the peer's window (tcp_snd_wnd_test).
        int unsent = unsentBytes();
        if (unsent > 0 && (long) sndWnd - inFlight() < Math.min(segmentMss(), unsent)) {
            chrono.start(TcpChrono.RWND_LIMITED, nowNs);
        } else {
            chrono.stop(TcpChrono.RWND_LIMITED, nowNs, unsent == 0 && !hasOutstanding());
        }
        armPersistIfStalled(nowNs);
        return sent;
    }

    /** Whether the window was fully used in the current window of data (tp->is_cwnd_limited). */
    private boolean isCwndLimited;
    /** The most segments out in the current window of data (tp->max_packets_out). */
    private int maxPacketsOut;
    /** SND.NXT when that window began (tp->cwnd_usage_seq). */
    private int cwndUsageSeq;

    /**
     * tcp_cwnd_validate (RFC 7661's idea as Linux does it): remember, per window of data, whether
     * cwnd limited the sending, else the most segments that were out.
     */
    private void validateCwnd(boolean limited, long nowNs) {
        int packetsOut = (flightSize() + mss - 1) / mss;
        if (!SeqNum.lt(sndUna, cwndUsageSeq) || limited || (!isCwndLimited && packetsOut > maxPacketsOut)) {
            isCwndLimited = limited;
            maxPacketsOut = packetsOut;
            cwndUsageSeq = sndNxt;
        }
        // Starved by the send buffer: just sent, not cwnd-limited, nothing left to send, and a
        // writer found no room (SOCK_NOSPACE).
        if (!cwndLimitedForGrowth() && unsentBytes() == 0 && skbs.noSpace
                && (c.state() == TcpState.ESTABLISHED || c.state() == TcpState.CLOSE_WAIT)) {
            chrono.start(TcpChrono.SNDBUF_LIMITED, nowNs);
        }
    }

    /**
     * tcp_is_cwnd_limited: the window may grow when it limited the sending in this window of data,
     * or, in slow start, while it is below twice the most segments that were out.
     */
    boolean cwndLimitedForGrowth() {
        if (isCwndLimited) {
            return true;
        }
        return cc.inSlowStart() && cc.cwndBytes() < 2L * maxPacketsOut * mss;
    }

    /**
     * tcp_schedule_loss_probe (RFC 8985 section 7.2): on a SACK connection in the Open state with
     * data in flight, the retransmission timer becomes a probe timer: PTO = 2 SRTT, plus TCP_RTO_MIN
     * when one segment is out (a delayed ACK may hold it) or 2 ms otherwise, never later than the
     * RTO would fire. {@code advancingRto}: the RTO restarts now (an ACK advanced SND.UNA).
     */
    boolean scheduleLossProbe(long nowNs, boolean advancingRto) {
        if (!sacking() || !c.settings.loss().lossProbes() || !hasOutstanding() || tlpOutstanding
                || cc.state() != CongestionControlState.OPEN && cc.state() != CongestionControlState.DISORDER) {
            return false;
        }
        if (cc.state() == CongestionControlState.DISORDER) {
            return false; // Linux probes only in Open (and CWR)
        }
        long pto;
        if (rtt.hasSample()) {
            pto = 2 * rtt.srttNs() + (flightSize() <= mss ? c.settings.minRtoNs() : 2_000_000L);
        } else {
            pto = c.settings.initialRtoNs();
        }
        long rtoLeft = advancingRto || !c.timers.retransmit.isArmed() || xmitTimer == XmitTimer.LOSS_PROBE
                ? rtt.rtoNs() : c.timers.retransmit.deadlineNs() - nowNs;
        if (rtoLeft > 0) {
            pto = Math.min(pto, rtoLeft);
        }
        c.timers.armRetransmit(nowNs + Math.max(1, pto));
        xmitTimer = XmitTimer.LOSS_PROBE;
        return true;
    }

    /**
     * tcp_send_loss_probe: one segment to get an ACK that reveals a lost tail, new data if the
     * window allows, else the last segment sent again; then the RTO from now (tcp_rearm_rto).
     */
    void onLossProbe(long nowNs) {
        xmitTimer = XmitTimer.RTO;
        syncPathMtu();
        if (!tlpOutstanding && cc.state() == CongestionControlState.OPEN) {
            boolean sent = false;
            tlpRetrans = false;
            int offset = SeqNum.diff(sndNxt, bufSeq);
            int avail = buffer.size() - offset;
            long pos = position(sndNxt);
            int left = avail > 0 ? skbLeft(pos) : 0;
            int len = Math.min(Math.min(segmentMss(), left), Math.max(0, sndWnd - inFlight()));
            if (len > 0) {
                if (len < left) {
                    skbs.split(skbs.indexOf(pos), pos + len);
                }
                transmit(nowNs, sndNxt, offset, len, TcpFlags.ACK | (endsMarkedSkb(pos + len) ? TcpFlags.PSH : 0));
                sent = true;
            } else {
                sent = recovery.retransmitLast(nowNs);
                tlpRetrans = sent;
            }
            if (sent) {
                tlpHighSeq = sndMax;
                tlpOutstanding = true;
                c.layer.counters().increment(Counter.TcpExtTCPLossProbes);
            }
        }
        c.timers.armRetransmit(nowNs + rtt.rtoNs());
    }

    /**
     * The bytes of the next transmission unit, from {@code room} (what SACK, the skb and the
     * windows allow): at most tcp_tso_segs segments and half the congestion window (tcp_cwnd_test:
     * "at least 2 GSO packets in flight"); a short tail that Nagle would hold is left for later,
     * as tcp_mss_split_point splits the unit at the last full segment then.
     */
    private int unitBytes(int room, int skbLeft, int segMss, boolean lastSkb, TcpSendmsg.Push mode) {
        int halfCwnd = Math.max(1, cc.cwndBytes() / mss / 2);
        int unit = Math.min(room, Math.min(tsoSegments(), halfCwnd) * segMss);
        int partial = unit % segMss;
        if (unit > segMss && partial != 0 && !mayTransmitPartial(partial, skbLeft - (unit - partial), lastSkb, mode)) {
            unit -= partial;
        }
        return unit;
    }

    /** net.ipv4.tcp_tso_win_divisor: a third of the window is worth sending at once. */
    static final int TSO_WIN_DIVISOR = 3;

    /**
     * tcp_tso_should_defer: whether to wait for more ACKs before sending a part of a
     * multi-segment skb, so that a larger unit goes later instead of a small one now. Sent now
     * in recovery, after more than 1 ms without transmission, when a full unit or a third of the
     * window fits, when the oldest unacknowledged segment left less than half an SRTT ago (the
     * next ACK is not coming soon), and for an skb that gets no more data (EOR, FIN) unless the
     * windows cannot take it whole.
     */
    private boolean tsoShouldDefer(long nowNs, int skbLen, boolean lastSkb, int segMss, long cwndRoom, long rwndRoom) {
        CongestionControlState st = cc.state();
        if (st == CongestionControlState.RECOVERY || st == CongestionControlState.LOSS) {
            return false;
        }
        if (nowNs - Math.max(lastDataSentNs, pacing.departureNs()) >= 1_000_000L) {
            // "Allow defer only if the last write was recent (1 ms)." Linux tests more than 1 ms;
            // its clock always runs a little past a script's times, so an ACK scripted 1 ms
            // after a transmission finds it older than that. Here times tie exactly, and a tie
            // sends now.
            return false;
        }
        long limit = Math.min(rwndRoom, cwndRoom);
        if (limit >= (long) tsoSegments() * segMss || !lastSkb && limit >= skbLen) {
            return false;
        }
        if (limit >= Math.min((long) sndWnd, cc.cwndBytes()) / TSO_WIN_DIVISOR) {
            return false;
        }
        if (recovery.queue.size() == 0 || nowNs - recovery.queue.sentNs(0) <= rtt.srttNs() / 2) {
            return false; // the next ACK comes too late to wait for (at a tie too, as above)
        }
        if (cwndRoom < rwndRoom ? cwndRoom <= skbLen : rwndRoom <= skbLen) {
            return true;
        }
        boolean noMoreData = lastSkb && (finQueued || skbs.marked(skbs.count() - 1, WriteQueue.EOR));
        return !noMoreData;
    }

    /** tcp_tso_segs: segments per unit from the pacing rate and minimum RTT ({@link TsoSizing}). */
    int tsoSegments() {
        return TsoSizing.segments(pacingRate(), rtt.minRttNs(), mss, c.settings.loss().minTsoSegs());
    }

    /** sk_pacing_rate (tcp_update_pacing_rate), bytes per second. */
    long pacingRate() {
        int cwndSegs = Math.max(1, cc.cwndBytes() / mss);
        int ssthreshSegs = cc.ssthreshBytes() / mss;
        int packetsOut = (flightSize() + mss - 1) / mss;
        return TsoSizing.pacingRate(mss, cwndSegs, ssthreshSegs, packetsOut, rtt.srttNs(), c.settings.loss());
    }

    /**
     * tcp_slow_start_after_idle (RFC 2861 section 3): a write that queues a new skb after more
     * than an RTO with nothing in flight restarts from a smaller window (Linux's
     * tcp_slow_start_after_idle_check, called from tcp_skb_entail).
     */
    void restartIfIdle(long nowNs) {
        if (!c.settings.loss().slowStartAfterIdle() || hasOutstanding() || lastDataSentNs == 0
                || nowNs - lastDataSentNs <= rtt.rtoNs()) {
            return;
        }
        int before = cc.cwndBytes();
        cc.restartAfterIdle(nowNs, c.layer.initialCwndFor(c.remoteIp) * mss, nowNs - lastDataSentNs, rtt.rtoNs());
        lastDataSentNs = nowNs; // once per idle period
        if (cc.cwndBytes() != before) {
            c.traceCwnd();
        }
    }

    /**
     * Nagle, cork and sender SWS avoidance for a segment of {@code len} shorter than the MSS,
     * {@code skbLeft} bytes being left in its skb (tcp_nagle_test in tcp_write_xmit).
     */
    private boolean mayTransmitPartial(int len, int skbLeft, boolean lastSkb, TcpSendmsg.Push mode) {
        boolean corked = c.cork || mode == TcpSendmsg.Push.CORK;
        if (len < skbLeft) {
            // Window-limited: RFC 9293 section 3.8.6.2.1 sends only at least half the largest window seen.
            return maxSndWnd > 0 && len >= maxSndWnd / 2 && !corked && (c.noDelay || inFlight() == 0);
        }
        if (mode == TcpSendmsg.Push.PUSH || mode == TcpSendmsg.Push.ONE || !lastSkb) {
            return true; // TCP_NAGLE_PUSH, which tcp_write_xmit passes for every skb but the last
        }
        if (corked) {
            return false; // N23: TCP_CORK / MSG_MORE hold partial segments
        }
        // Nagle (RFC 9293 section 3.7.4) in Minshall's form, as Linux's tcp_nagle_check and
        // tcp_minshall_check: a partial segment waits only while an earlier partial segment is
        // unacknowledged, so the short tail of a write after full segments goes out at once.
        return c.noDelay || inFlight() == 0 || !(SeqNum.gt(sndSml, sndUna) && SeqNum.le(sndSml, sndNxt));
    }

    /**
     * The most payload of one super-segment: the device's gso_max_size less room for the IP and
     * TCP headers (sk_setup_caps takes MAX_TCP_HEADER + 1 off), in whole segments.
     */
    private static int gsoBytes(int gsoMaxSize, int segMss) {
        return Math.max(1, (Math.min(gsoMaxSize, 65535) - 1 - 20 - 60) / segMss) * segMss;
    }

    /**
     * Builds one super-segment [seq, seq+len) for TSO or GSO to cut into {@code segMss}-sized
     * segments, and accounts for each of those as if sent alone (tcp_skb_pcount of them, PSH and
     * FIN on the last). Returns the number of segments.
     */
    private int transmitGso(long nowNs, int seq, int offset, int len, int flags, int segMss) {
        c.sendSegment(seq, flags, offset, len, -1, segMss);
        int n = 0;
        for (int done = 0; done < len; done += segMss, n++) {
            int part = Math.min(segMss, len - done);
            int partFlags = done + part < len ? flags & ~(TcpFlags.PSH | TcpFlags.FIN) : flags;
            account(nowNs, SeqNum.add(seq, done), part, partFlags);
        }
        return n;
    }

    /** Builds and sends one segment [seq, seq+len) (+FIN) from SendQ offset {@code offset}. */
    void transmit(long nowNs, int seq, int offset, int len, int flags) {
        c.sendSegment(seq, flags, offset, len, -1);
        account(nowNs, seq, len, flags);
    }

    /** What sending segment [seq, seq+len) (+FIN) changes: queues, timestamps, counters, SND.NXT, timers. */
    private void account(long nowNs, int seq, int len, int flags) {
        boolean retransmission = SeqNum.lt(seq, sndMax);
        mtuProbe.afterTransmit();
        if (len > 0) {
            long from = position(seq);
            recovery.onSent(from, from + len, nowNs);
            if (skbs.stamps != null) {
                skbs.stamps.sent(from, from + len, nowNs); // SCHED and SND timestamps
            }
        }
        int end = SeqNum.add(seq, len + ((flags & TcpFlags.FIN) != 0 ? 1 : 0));
        if ((flags & TcpFlags.FIN) != 0) {
            if (!finSent) {
                finAlone = len == 0; // Linux's FIN skb: on its own, or appended to the last data
            }
            finSent = true;
            finSeq = SeqNum.add(seq, len);
        }
        if (retransmission) {
            lastRetransmitTsVal = c.opts.tsVal(nowNs);
            recovery.undo.onRetransmit(c.opts.tsOk ? lastRetransmitTsVal & 0xFFFFFFFFL : -1);
            c.layer.counters().increment(Counter.TcpRetransSegs);
            c.totalRetrans++;
            c.trace(TraceEvent.Kind.SOCKET, "retransmit " + SeqNum.toString(seq) + ":" + SeqNum.toString(end));
        }
        if (len > 0 && len < mss && !retransmission) {
            sndSml = SeqNum.add(seq, len); // tcp_minshall_update: tcp_write_xmit's new data only
        }
        if (len > 0) {
            chrono.start(TcpChrono.BUSY, nowNs);
            c.dataSegsOut++;
            if (c.layer.fqPacing()) {
                pacing.onSent(nowNs, len, pacingRate(), c.dataSegsOut);
            }
            lastDataSentNs = nowNs;
            c.receiver.onDataSent(nowNs);
        }
        if (SeqNum.gt(end, sndNxt)) {
            sndNxt = end;
        }
        if (SeqNum.gt(end, sndMax)) {
            sndMax = end;
        }
        if (!c.timers.retransmit.isArmed()) {
            // RFC 6298 section 5.1: start the timer when data is sent and it is not running.
            c.timers.armRetransmit(nowNs + rtt.rtoNs());
        }
        c.timers.cancelPersist();
    }

    /**
     * tcp_rcv_fastopen_synack: the {@code bytes} of SYN data (sent at {@code sentNs}) the SYN-ACK
     * did not acknowledge stay outstanding, are marked lost (tcp_mark_skb_lost) and resent at once
     * (tcp_non_congestion_loss_retransmit), counted as retransmissions.
     */
    void retransmitSynData(long nowNs, long sentNs, int bytes) {
        sndNxt = SeqNum.add(sndUna, bytes);
        sndMax = sndNxt;
        long from = position(sndUna);
        recovery.queue.sent(from, from + bytes, sentNs);
        recovery.nonCongestionLoss();
        recovery.retransmitLost(nowNs);
    }

    /** Resends the first unacknowledged segment (fast retransmit, partial ACK, RTO, PMTU drop). */
    void retransmitHead(long nowNs) {
        if (!hasOutstanding()) {
            return;
        }
        syncPathMtu();
        int offset = SeqNum.diff(sndUna, bufSeq);
        if (offset < 0) {
            return; // the SYN is outstanding: handled by the handshake code
        }
        int dataLeft = Math.max(0, SeqNum.diff(sndMax, sndUna) - (finSent ? 1 : 0));
        long una = position(sndUna);
        int len = (int) Math.min(Math.min(Math.min(segmentMss(), skbLeft(una)), Math.min(dataLeft, buffer.size() - offset)),
                scoreboard.nextSacked(una) - una);
        if (len > 0 || finSent && sndUna == finSeq) {
            resend(nowNs, sndUna, len);
        }
    }

    /**
     * Sends [seq, seq+len) again from SendQ: FIN when it ends where the FIN was, PSH when it
     * ends SendQ (the tail of the last write), as the first transmission marked them.
     */
    void resend(long nowNs, int seq, int len) {
        int offset = SeqNum.diff(seq, bufSeq);
        int flags = TcpFlags.ACK;
        if (finSent && SeqNum.add(seq, len) == finSeq) {
            flags |= TcpFlags.FIN;
        }
        if (len > 0 && endsMarkedSkb(position(seq) + len)) {
            flags |= TcpFlags.PSH;
        }
        transmit(nowNs, seq, offset, len, flags);
    }

    /** Whether stream position {@code end} is the end of an skb marked PSH. */
    private boolean endsMarkedSkb(long end) {
        if (end <= skbs.start() || end > skbs.endPos()) {
            return false;
        }
        int i = skbs.indexOf(end - 1);
        return skbs.end(i) == end && skbs.marked(i, WriteQueue.PSH);
    }

    /** Bytes from stream position {@code pos} to the end of its skb (0 when nothing is queued there). */
    int skbLeft(long pos) {
        if (pos < skbs.start() || pos >= skbs.endPos()) {
            return 0;
        }
        return (int) (skbs.end(skbs.indexOf(pos)) - pos);
    }

    /**
     * Processes SEG.ACK and SEG.WND (RFC 9293 section 3.10.7.4, fifth step, ESTABLISHED rules).
     *
     * @return false when the ACK acknowledges something not yet sent (the segment is dropped)
     */
    boolean onAck(long nowNs, int seq, int ack, int window, boolean isPureAck) {
        spaceFreed = true; // tcp_data_snd_check runs tcp_check_space after every ACK
        if (SeqNum.gt(ack, sndMax)) {
            return false; // RFC 9293: ACK of unsent data; Linux drops it (tcp_ack "invalid_ack")
        }
        int oldUna = sndUna;
        boolean windowChanged = false;
        // RFC 9293 section 3.10.7.4: update the send window when the segment is newer (SND.WL1/WL2).
        // As Linux's tcp_may_update_window, an ACK that advances SND.UNA updates it too: otherwise one
        // forged in-window segment with a high SEQ and window 0 would freeze SND.WND until the peer's
        // sequence numbers pass it.
        if (SeqNum.gt(ack, sndUna) || SeqNum.lt(sndWl1, seq) || (sndWl1 == seq && SeqNum.le(sndWl2, ack))) {
            windowChanged = window != sndWnd;
            sndWnd = window;
            sndWl1 = seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, window);
            if (windowChanged && unsentBytes() > 0) {
                restartIfIdle(nowNs); // tcp_ack_update_window: a new window after idle restarts too
            }
        }
        if (SeqNum.gt(ack, sndUna)) {
            newAck(nowNs, ack);
            if (probesOut > 0) {
                probesOut = 0;
            }
        } else if (ack == oldUna && isPureAck && !windowChanged && hasOutstanding()) {
            // RFC 5681 section 2: a duplicate ACK.
            probesOut = 0;
            if (!sacking() && cc.dupAcks() < recovery.queue.size()) {
                c.deliveredSegs++; // tcp_add_reno_sack, within packets_out (tcp_limit_reno_sacked)
            }
            if (!sacking() && cc.onDupAck(nowNs, ack, sndMax, flightSize())) {
                c.trace(TraceEvent.Kind.CWND, "fast retransmit, " + cc);
                retransmitHead(nowNs);
            }
        } else if (ack == oldUna) {
            probesOut = 0;
        }
        if (sndWnd > 0) {
            c.timers.cancelPersist();
            persistBackoff = 0;
            probesStampNs = NO_STAMP; // Linux's tcp_ack_probe
        }
        if (!sacking()) {
            renoEcnResponse(nowNs);
        }
        if (sacking() && hasOutstanding() || sacking() && SeqNum.gt(ack, oldUna)) {
            // tcp_fastretrans_alert then tcp_xmit_recovery: lost segments go before new data.
            recovery.onAck(nowNs, position(sndUna), scoreboard, SeqNum.gt(ack, oldUna));
            if (!recovery.sendNewData) {
                recovery.retransmitLost(nowNs);
            }
        }
        dsackOnAck = false;
        return true;
    }

    /**
     * RFC 3168 section 6.1.2 without SACK: an ECN echo halves the window at once (ssthresh as on a
     * loss, cwnd = ssthresh), at most once per window of data, and CWR goes out with new data.
     */
    private void renoEcnResponse(long nowNs) {
        CongestionControlState st = cc.state();
        if (st == CongestionControlState.CWR && SeqNum.gt(sndUna, cwrHighSeq)) {
            cc.endSackRecovery(nowNs);
        } else if (eceOnAck && (st == CongestionControlState.OPEN || st == CongestionControlState.DISORDER)) {
            cc.enterCwr(nowNs, flightSize());
            cc.setReducedCwnd(cc.ssthreshBytes());
            cwrHighSeq = sndMax;
            c.ecn.queueCwr = true;
            c.traceCwnd();
        }
    }

    /**
     * tp->delivered for a cumulative ACK: the segments it acknowledges that no SACK counted
     * (tcp_clean_rtx_queue), a FIN sent alone being one; without SACK, one for the hole it fills
     * and the rest already counted by duplicate ACKs (tcp_remove_reno_sacks).
     */
    private void countDelivered(int ack) {
        int segs = recovery.queue.unsackedSegmentsBelow(position(ack));
        if (finSent && finAlone && SeqNum.gt(ack, finSeq) && SeqNum.le(sndUna, finSeq)) {
            segs++;
        }
        if (segs > 0) {
            c.deliveredSegs += sacking() ? segs : Math.max(segs - cc.dupAcks(), 1);
        }
    }

    private void newAck(long nowNs, int ack) {
        int acked = SeqNum.diff(ack, sndUna);
        // tcp_clean_rtx_queue: every ACK of new data is an RTT sample, from the send times of the
        // segments it acknowledges (Karn, RFC 6298 section 3: none when one was retransmitted).
        boolean timed = recovery.queue.sampleAcked(position(ack));
        countDelivered(ack);
        // What this ACK delivered (Linux's tp->delivered delta): data SACKed before was counted
        // then, so the window grows only for what is new (tcp_cong_control's acked_sacked).
        int delivered;
        if (sacking()) {
            delivered = (int) Math.max(0, acked - recovery.queue.sackedBytesBelow(position(ack)));
        } else {
            // Without SACK each duplicate ACK stood for one delivered segment (tcp_add_reno_sack);
            // the cumulative ACK fills one hole and eats the rest (tcp_remove_reno_sacks).
            int segs = (acked + mss - 1) / mss;
            int dups = cc.state() == CongestionControlState.DISORDER ? cc.dupAcks() : 0;
            delivered = Math.max(Math.min(acked, mss), acked - Math.min(dups, segs - 1) * mss);
        }
        int dataEnd = SeqNum.add(bufSeq, buffer.size());
        int dataAcked = SeqNum.diff(SeqNum.min(ack, dataEnd), bufSeq);
        if (dataAcked > 0) {
            buffer.acknowledge(dataAcked);
            bufSeq = SeqNum.add(bufSeq, dataAcked);
            c.bytesAcked += dataAcked;
            skbs.acknowledged(c.bytesAcked);
        }
        sndUna = ack;
        if (SeqNum.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        mtuProbe.onAcked(); // tcp_clean_rtx_queue: a path MTU probe acknowledged
        scoreboard.acknowledged(position(sndUna));
        if (!sacking()) {
            recovery.queue.acknowledged(position(sndUna)); // with SACK, LossRecovery.onAck does it
        }
        // Forward progress proves the path works: confirm the neighbour (Linux's sk_dst_confirm).
        c.layer.confirmNeighbour(c.remoteIp);
        lastAckRecvNs = nowNs;
        if (timed) {
            // seq_rtt from the oldest segment acknowledged feeds SRTT; ca_rtt from the newest, the
            // congestion control (HyStart's delay samples).
            rtt.onSample(nowNs - recovery.queue.sampleFirstNs(), sndUna, sndMax);
            cc.onRttSample(nowNs, nowNs - recovery.queue.sampleLastNs());
        } else if ((retransmits > 0 || rtt.backoffCount() > 0) && c.opts.sawTimestamp && c.opts.rcvTsEcr != 0
                && c.opts.rcvTsEcr - lastRetransmitTsVal >= 0) {
            // Linux's tcp_ack_update_rtt (RFC 7323 section 4): after a retransmission Karn's rule
            // leaves no timed segment, but the echoed TSval still measures the round trip. Unlike
            // Linux, an echo older than the latest retransmission is not used: it comes from a
            // duplicate answered with an old TS.Recent and measures the backoff, not the path
            // (under heavy loss such samples drove the RTO to TCP_RTO_MAX and kept it there).
            long ms = c.opts.msSince(c.opts.rcvTsEcr, nowNs);
            if (ms < Integer.MAX_VALUE / 1000) {
                long sample = Math.max(1, ms) * 1_000_000L;
                rtt.onSample(sample, sndUna, sndMax);
                cc.onRttSample(nowNs, sample);
            }
        }
        rtt.resetBackoff();
        retransmits = 0;
        retransStampNs = 0;
        int cwndBefore = cc.cwndBytes();
        boolean cwndLimited = cwndLimitedForGrowth();
        // In SACK recovery PRR sets cwnd (LossRecovery); otherwise the algorithm grows it.
        boolean partial = !(sacking() && recovery.inReduction())
                && cc.onAck(nowNs, ack, delivered, flightSize(), cwndLimited) && !sacking();
        if (cc.cwndBytes() != cwndBefore) {
            c.traceCwnd();
        }
        if (partial) {
            retransmitHead(nowNs); // RFC 6582 section 3.2 step 3: partial ACK
        }
        if (tlpOutstanding && !SeqNum.lt(ack, tlpHighSeq)) {
            processTlpAck(nowNs, ack); // the probe's episode is over
        }
        // RFC 6298 section 5.2 and 5.3: stop the timer when all is acknowledged, else restart it
        // (tcp_set_xmit_timer: as a loss probe when one may be sent).
        if (hasOutstanding()) {
            if (!scheduleLossProbe(nowNs, true)) {
                xmitTimer = XmitTimer.RTO;
                c.timers.armRetransmit(nowNs + rtt.rtoNs());
            }
        } else {
            xmitTimer = XmitTimer.RTO;
            if (unsentBytes() == 0) {
                chrono.stop(TcpChrono.BUSY, nowNs, true); // tcp_clean_rtx_queue: all acknowledged
            }
            c.timers.cancelRetransmit();
        }
    }

    /**
     * tcp_process_tlp_ack: an ACK past a probe that resent data, without a DSACK for it, shows
     * the tail was really lost and the probe repaired it: the window is reduced once, as in a
     * CWR episode that ends at once (TCPLossProbeRecovery). A DSACK shows nothing was lost.
     */
    private void processTlpAck(long nowNs, int ack) {
        tlpOutstanding = false;
        if (tlpRetrans && !dsackOnAck && SeqNum.gt(ack, tlpHighSeq) && sacking()
                && (cc.state() == CongestionControlState.OPEN || cc.state() == CongestionControlState.DISORDER)) {
            cc.enterCwr(nowNs, flightSize());
            cc.setReducedCwnd(cc.ssthreshBytes());
            cc.endSackRecovery(nowNs);
            c.layer.counters().increment(Counter.TcpExtTCPLossProbeRecovery);
            c.traceCwnd();
        }
        tlpRetrans = false;
    }

    /** The retransmission timer expired with data (or a FIN) outstanding. */
    void onRetransmitTimeout(long nowNs) {
        xmitTimer = XmitTimer.RTO;
        tlpOutstanding = false;
        c.layer.counters().increment(Counter.TcpExtTCPTimeouts);
        if (retransmits == 0) {
            countFirstTimeout(); // tcp_retransmit_timer: what the first timeout of an episode interrupted
        }
        if (sacking()) {
            recovery.enterLoss(retransmits); // tcp_enter_loss's tcp_init_undo and F-RTO, before the window falls
        }
        cc.onRetransmissionTimeout(nowNs, sndMax, flightSize());
        c.traceCwnd();
        rtt.backoff();
        retransmits++;
        if (sacking()) {
            // tcp_enter_loss: all not SACKed is lost and resent oldest first as cwnd allows.
            recovery.onTimeout();
            if (recovery.retransmitLost(nowNs) == 0) {
                retransmitHead(nowNs); // only a FIN is outstanding
            }
        } else {
            sndNxt = sndUna; // go back: resend from SND.UNA as cwnd allows
            retransmitHead(nowNs);
        }
        c.timers.armRetransmit(nowNs + rtt.rtoNs());
    }

    private void countFirstTimeout() {
        CongestionControlState st = cc.state();
        Counter k = null;
        if (st == CongestionControlState.RECOVERY) {
            k = sacking() ? Counter.TcpExtTCPSackRecoveryFail : Counter.TcpExtTCPRenoRecoveryFail;
        } else if (st == CongestionControlState.LOSS) {
            k = Counter.TcpExtTCPLossFailures;
        } else if (st == CongestionControlState.DISORDER || sacking() && recovery.queue.sackedBytes() > 0) {
            k = sacking() ? Counter.TcpExtTCPSackFailures : Counter.TcpExtTCPRenoFailures;
        }
        if (k != null) {
            c.layer.counters().increment(k);
        }
    }

    /**
     * The path MTU fell below what was sent (RFC 1191 section 6.3, RFC 1122 section 4.2.3.9):
     * everything in flight was too big and is resent at once, cut to the new MSS, as Linux's
     * tcp_simple_retransmit does. The congestion window is left alone (the loss was not
     * congestion) and no RTT sample is taken from the resent data (Karn).
     */
    void onPathMtuReduced(long nowNs) {
        if (c.pmtuMode() == netstack4j.ip.PmtuMode.DONT) {
            return; // tcp_v4_err: ICMP_FRAG_NEEDED is ignored under IP_PMTUDISC_DONT
        }
        if (c.state == TcpState.SYN_SENT) {
            if (FastOpen.synDataSent(c)) {
                // tcp_simple_retransmit with SYN data (Linux commit c31b70c9968f): the SYN-data was
                // too big, so the SYN is resent at once, without data, advertising the lower MSS.
                c.sendSyn(false);
            }
            return;
        }
        if (!hasOutstanding() || SeqNum.diff(sndUna, bufSeq) < 0) {
            return;
        }
        if (sacking()) {
            recovery.onTimeout(); // tcp_simple_retransmit marks everything lost
            recovery.retransmitLost(nowNs);
        } else {
            sndNxt = sndUna;
        }
        c.timers.armRetransmit(nowNs + rtt.rtoNs());
    }

    /** RFC 9293 section 3.8.6.1: a zero window with data waiting and nothing in flight needs the persist timer. */
    void armPersistIfStalled(long nowNs) {
        boolean dataWaiting = unsentBytes() > 0 || (finQueued && !finSent);
        if (dataWaiting && !hasOutstanding() && !c.timers.retransmit.isArmed() && !c.timers.persist.isArmed()) {
            c.timers.armPersist(nowNs + persistTimeoutNs());
        }
    }

    long persistTimeoutNs() {
        long base = rtt.baseRtoNs();
        long t = base << Math.min(persistBackoff, 30);
        return Math.min(Math.max(t, c.settings.minRtoNs()), c.settings.maxRtoNs());
    }

    /** The persist timer fired: probe the window (Linux's {@code tcp_probe_timer}). */
    void onPersistTimeout(long nowNs) {
        if (sndWnd > 0) {
            // The window opened but is smaller than what Nagle/SWS would send: send what fits.
            // Linux's tcp_write_wakeup marks such a cut-to-fit segment PSH, as it does the last
            // piece of a write.
            int offset = SeqNum.diff(sndNxt, bufSeq);
            long pos = position(sndNxt);
            int left = offset >= 0 && offset < buffer.size() ? skbLeft(pos) : 0;
            int len = Math.min(Math.min(mss, sndWnd), left);
            if (len > 0) {
                if (len < left && pos >= sentHighPosition()) {
                    skbs.split(skbs.indexOf(pos), pos + len); // tcp_write_wakeup's tcp_fragment
                }
                transmit(nowNs, sndNxt, offset, len, TcpFlags.ACK | TcpFlags.PSH);
                return;
            }
        }
        if (probesExhausted(nowNs)) {
            c.abortOnTimeout();
            return;
        }
        probesOut++;
        persistBackoff = Math.min(persistBackoff + 1, c.settings.retries2()); // tcp_send_probe0
        c.layer.counters().increment(Counter.TcpExtTCPWinProbe);
        c.sendSegment(SeqNum.add(sndUna, -1), TcpFlags.ACK, 0, 0, -1);
        long timeout = persistTimeoutNs();
        if (c.userTimeoutMs > 0) {
            // Linux's tcp_clamp_probe0_to_user_timeout: the next probe no later than the user timeout.
            long left = probesStampNs + c.userTimeoutMs * 1_000_000L - nowNs;
            timeout = Math.min(timeout, Math.max(left, 1));
        }
        c.timers.armPersist(nowNs + timeout);
    }

    /**
     * Linux's tcp_probe_timer: RFC 1122 section 4.2.2.17 keeps probing a zero window as long as
     * the receiver answers (any ACK resets {@link #probesOut}), but unanswered probes end the
     * connection: after tcp_retries2 of them, after TCP_USER_TIMEOUT since the first, or for an
     * orphaned socket after tcp_orphan_retries.
     */
    private boolean probesExhausted(long nowNs) {
        if (probesStampNs == NO_STAMP) {
            probesStampNs = nowNs;
        } else if (c.userTimeoutMs > 0 && nowNs - probesStampNs >= c.userTimeoutMs * 1_000_000L) {
            return true;
        }
        int maxProbes = c.settings.retries2();
        if (c.appClosed) {
            // SOCK_DEAD: inet_csk_rto_backoff(icsk, TCP_RTO_MAX) < TCP_RTO_MAX means "alive".
            boolean alive = (rtt.baseRtoNs() << Math.min(persistBackoff, 30)) < c.settings.maxRtoNs();
            maxProbes = c.settings.orphanRetries(alive);
            if (!alive && persistBackoff >= maxProbes) {
                return true;
            }
        }
        return probesOut >= maxProbes;
    }
}
