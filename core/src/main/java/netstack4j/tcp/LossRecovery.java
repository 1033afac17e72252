package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.trace.TraceEvent;

/**
 * Loss recovery on SACK connections as Linux does it by default (tcp_recovery=1): RACK marks
 * segments lost ({@link Rack}, RFC 8985), fast recovery starts when something is lost
 * (tcp_fastretrans_alert / tcp_enter_recovery), the sending rate during recovery follows
 * Proportional Rate Reduction (RFC 6937, tcp_cwnd_reduction), lost segments are resent in order
 * before new data (tcp_xmit_retransmit_queue), and the amount in flight is RFC 6675's pipe,
 * {@code outstanding - SACKed - lost + retransmitted} (tcp_packets_in_flight), so every SACKed
 * segment lets a new one go: limited transmit (RFC 3042) without a rule of its own.
 *
 * <p>Connections without SACK keep NewReno's duplicate-ACK recovery in
 * {@link AbstractCongestionControl}. Thread-compatible: owned by the stack's thread.
 */
final class LossRecovery {
    private final TcpSender s;
    final RetransmitQueue queue = new RetransmitQueue();
    final Rack rack = new Rack();
    /** SND.MAX when recovery began (Linux's high_seq): recovery ends when SND.UNA passes it. */
    private int highSeq;
    /** PRR's RecoverFS (prior_cwnd), and its counters of bytes delivered and sent during recovery. */
    private long priorCwnd;
    private long prrDelivered;
    private long prrOut;
    private final long[] lostScratch = new long[1];
    /** Undo of reductions that were not needed (DSACK, Eifel, F-RTO). */
    final LossUndo undo = new LossUndo();
    /** F-RTO step 2.b: this ACK sends new data instead of retransmissions (REXMIT_NEW). */
    boolean sendNewData;

    LossRecovery(TcpSender s) {
        this.s = s;
    }

    boolean inRecovery() {
        return s.cc.state() == CongestionControlState.RECOVERY;
    }

    /** Recovery or CWR: PRR sets cwnd (Linux's tcp_in_cwnd_reduction). */
    boolean inReduction() {
        CongestionControlState st = s.cc.state();
        return st == CongestionControlState.RECOVERY || st == CongestionControlState.CWR;
    }

    /** Bytes in flight: RFC 6675 section 4's pipe, Linux's tcp_packets_in_flight in bytes. */
    long pipe() {
        long outstanding = queue.highEnd(0) - (queue.size() == 0 ? 0 : queue.start(0));
        return Math.max(0, outstanding - queue.sackedBytes() - queue.lostBytes() + queue.retransBytes());
    }

    /** [from, to) (stream positions) was just sent. */
    void onSent(long from, long to, long nowNs) {
        queue.sent(from, to, nowNs);
        if (inReduction()) {
            prrOut += to - from;
        }
    }

    /**
     * After an ACK: the scoreboard holds its SACK blocks and SND.UNA is at {@code unaPos}. Tags
     * newly SACKed and acknowledged segments (feeding RACK), detects losses, and moves the
     * recovery state; returns true when segments should be retransmitted.
     */
    void onAck(long nowNs, long unaPos, SackScoreboard board, boolean unaAdvanced) {
        long minRtt = s.rtt.minRttNs();
        long delivered = 0;
        long newlySacked = 0;
        boolean origDelivered = false; // FLAG_ORIG_SACK_ACKED: data sent only once got through
        long highPos = s.position(highSeq); // ... at or below high_seq
        sendNewData = false;
        retransDelivered = false;
        long priorFack = highestSackedEnd();
        long reord = Long.MAX_VALUE; // the lowest never-resent segment delivered below priorFack
        // tcp_sacktag_write_queue: a segment is SACKed when a block covers all of it (records
        // are single segments, which tcp_match_skb_to_sack never splits).
        for (int i = 0; i < queue.size(); i++) {
            if (!queue.has(i, RetransmitQueue.SACKED) && queue.start(i) >= unaPos
                    && board.covers(queue.start(i), queue.end(i))) {
                delivered += queue.end(i) - queue.start(i);
                newlySacked += queue.end(i) - queue.start(i);
                s.c.deliveredSegs++; // tcp_sacktag_one: tcp_count_delivered
                retransDelivered |= queue.has(i, RetransmitQueue.EVER_RETRANS);
                origDelivered |= !queue.has(i, RetransmitQueue.EVER_RETRANS) && queue.end(i) <= highPos;
                if (!queue.has(i, RetransmitQueue.EVER_RETRANS)) {
                    reord = Math.min(reord, queue.start(i)); // tcp_sacktag_one: a hole filled late
                }
                rack.delivered(queue.sentNs(i), queue.order(i), queue.has(i, RetransmitQueue.EVER_RETRANS), nowNs, minRtt);
                queue.markSacked(i);
            }
        }
        // tcp_clean_rtx_queue: cumulatively acknowledged segments.
        for (int i = 0; i < queue.size() && queue.start(i) < unaPos; i++) {
            if (!queue.has(i, RetransmitQueue.SACKED)) {
                delivered += Math.min(unaPos, queue.end(i)) - queue.start(i);
                retransDelivered |= queue.has(i, RetransmitQueue.EVER_RETRANS);
                origDelivered |= !queue.has(i, RetransmitQueue.EVER_RETRANS) && queue.end(i) <= highPos;
                if (!queue.has(i, RetransmitQueue.EVER_RETRANS)) {
                    reord = Math.min(reord, queue.start(i)); // tcp_clean_rtx_queue
                }
                if (queue.end(i) <= unaPos) {
                    rack.delivered(queue.sentNs(i), queue.order(i), queue.has(i, RetransmitQueue.EVER_RETRANS), nowNs, minRtt);
                }
            }
        }
        queue.acknowledged(unaPos);
        if (priorFack >= 0 && reord < priorFack) {
            checkReordering(priorFack - reord);
        }
        long tsEcr = s.c.opts.sawTimestamp ? s.c.opts.rcvTsEcr & 0xFFFFFFFFL : -1;
        CongestionControl cc = s.cc;
        if (cc.state() == CongestionControlState.LOSS
                && processLoss(unaAdvanced, origDelivered, newlySacked > 0 || !unaAdvanced, tsEcr)) {
            return;
        }
        if (inRecovery() && undoRecovery(unaAdvanced, tsEcr)) {
            return;
        }
        long newlyLost = detectLoss(nowNs);
        armReorderTimer(nowNs);
        if (inRecovery()) {
            if (SeqNum.ge(s.sndUna, highSeq)) {
                undo.clear();
                cc.endSackRecovery(nowNs); // tcp_end_cwnd_reduction
                s.c.trace(TraceEvent.Kind.CWND, "recovery over, " + cc);
                s.c.traceCwnd();
            } else {
                reduceCwnd(delivered, newlyLost);
                return;
            }
        }
        if (cc.state() == CongestionControlState.CWR) {
            // CWR ends once something above high_seq is acknowledged, so the CWR bit reached the
            // receiver (tcp_fastretrans_alert); a loss meanwhile turns it into recovery.
            if (SeqNum.gt(s.sndUna, highSeq)) {
                cc.endSackRecovery(nowNs);
                s.c.traceCwnd();
            } else if (queue.lostBytes() == 0) {
                reduceCwnd(delivered, newlyLost);
                return;
            }
        }
        if (cc.state() == CongestionControlState.LOSS) {
            return; // after a timeout: AbstractCongestionControl leaves LOSS past its recover point
        }
        if (queue.lostBytes() > 0) {
            if (s.mtuProbe.failedAt(nowNs)) {
                return; // tcp_fastretrans_alert: a lost path MTU probe is no congestion
            }
            enterRecovery(nowNs);
            reduceCwnd(delivered, newlyLost);
        } else if (s.eceOnAck) {
            enterCwr(nowNs);
            reduceCwnd(delivered, newlyLost);
        } else {
            cc.setDisorder(queue.sackedBytes() > 0);
        }
    }

    /** The connection's reordering degree in segments (tp->reordering; tcpi_reordering). */
    int reordering = -1;
    /** Reordering events seen (tp->reord_seen; tcpi_reord_seen). */
    int reorderingSeen;

    int reordering() {
        return reordering > 0 ? reordering : s.c.settings.loss().reordering();
    }

    /** The end of the highest SACKed segment (Linux's fack), or -1 when none is SACKed. */
    private long highestSackedEnd() {
        for (int i = queue.size() - 1; i >= 0; i--) {
            if (queue.has(i, RetransmitQueue.SACKED)) {
                return queue.end(i);
            }
        }
        return -1;
    }

    /**
     * tcp_check_sack_reordering: a segment sent once was delivered {@code metric} bytes below the
     * highest SACKed one, so the path reorders; the degree grows to cover it (at most
     * tcp_max_reordering, 300) and RACK keeps a reordering window from now on.
     */
    private void checkReordering(long metric) {
        int mss = Math.max(1, s.mss);
        int current = reordering();
        if (metric > (long) current * mss) {
            reordering = (int) Math.min((metric + mss - 1) / mss, 300);
        }
        reorderingSeen++;
        rack.reorderingSeen = true;
        s.c.layer.counters().increment(Counter.TcpExtTCPSACKReorder);
    }

    /** Time until RACK's next segment would count as lost, from the last detection (0: none waits). */
    private long reorderWaitNs;

    private long detectLoss(long nowNs) {
        TcpSettings.LossSettings ls = s.c.settings.loss();
        lostScratch[0] = 0;
        if (!ls.rack()) {
            reorderWaitNs = 0;
            return markByDupThreshold(reordering());
        }
        long sackedSegs = queue.countFlag(RetransmitQueue.SACKED);
        long reoWnd = rack.reorderWindowNs(inRecovery(), sackedSegs, reordering(), s.rtt.minRttNs(), s.rtt.srttNs());
        reorderWaitNs = rack.detectLoss(queue, nowNs, reoWnd, lostScratch);
        return lostScratch[0];
    }

    /**
     * Without RACK (tcp_recovery=0): RFC 6675 section 4's IsLost, a segment not SACKed with at
     * least tcp_reordering SACKed segments above it is lost (Linux's tcp_update_scoreboard).
     */
    private long markByDupThreshold(int reordering) {
        long lost = 0;
        int sackedAbove = 0;
        for (int i = queue.size() - 1; i >= 0; i--) {
            if (queue.has(i, RetransmitQueue.SACKED)) {
                sackedAbove++;
            } else if (sackedAbove >= reordering && !queue.has(i, RetransmitQueue.RETRANS)) {
                long len = queue.end(i) - queue.start(i);
                if (queue.markLost(i)) {
                    lost += len;
                }
            }
        }
        return lost;
    }

    /**
     * tcp_rack_mark_lost: a segment that is not yet old enough to count as lost gets the
     * reordering timer (ICSK_TIME_REO_TIMEOUT), which takes the retransmission timer's place;
     * TCP_TIMEOUT_MIN (2 ms) later than RACK's deadline, and never later than the RTO.
     */
    private void armReorderTimer(long nowNs) {
        if (reorderWaitNs <= 0) {
            return;
        }
        long wait = Math.min(reorderWaitNs + 2_000_000L, s.rtt.rtoNs());
        s.xmitTimer = TcpSender.XmitTimer.REORDER;
        s.c.timers.armRetransmit(nowNs + wait);
    }

    /**
     * tcp_rack_reo_timeout: look for losses again; when some were found, enter recovery (PRR as
     * if one segment was delivered) and resend them; then the RTO as it was (tcp_rearm_rto).
     */
    void onReorderTimeout(long nowNs) {
        s.xmitTimer = TcpSender.XmitTimer.RTO;
        long lost = detectLoss(nowNs);
        if (lost > 0) {
            if (!inRecovery() && s.cc.state() != CongestionControlState.LOSS) {
                enterRecovery(nowNs);
                reduceCwnd(s.mss, 0);
            }
            retransmitLost(nowNs);
        }
        if (s.xmitTimer != TcpSender.XmitTimer.RTO) {
            return; // re-armed as a probe or reordering timer meanwhile
        }
        long rto = s.rtt.rtoNs();
        if (queue.size() > 0) {
            rto = Math.max(1, rto - (nowNs - queue.sentNs(0)));
        }
        s.c.timers.armRetransmit(nowNs + rto);
        armReorderTimer(nowNs);
    }

    /** tcp_enter_recovery with PRR's initialisation (tcp_init_cwnd_reduction). */
    private void enterRecovery(long nowNs) {
        CongestionControl cc = s.cc;
        // tcp_enter_recovery: tcp_init_undo; the window is given back on undo only when this
        // recovery reduced it (not an ECN echo, no CWR reduction already under way).
        undo.start(cc.cwndBytes(), cc.ssthreshBytes(), cc.state() != CongestionControlState.CWR && !s.eceOnAck,
                queue.countFlag(RetransmitQueue.RETRANS));
        if (cc.state() != CongestionControlState.CWR) {
            initReduction(); // in CWR the reduction under way goes on (tcp_enter_recovery)
        }
        highSeq = s.sndMax;
        cc.enterSackRecovery(nowNs, s.flightSize());
        s.c.layer.counters().increment(Counter.TcpExtTCPSackRecovery);
        s.c.trace(TraceEvent.Kind.CWND, "fast recovery (RACK), " + cc);
    }

    /**
     * tcp_enter_loss, before the window falls: a timeout that starts an episode (or repeats one
     * on the same SND.UNA) remembers the window for undo, and F-RTO watches it (tcp_frto=2) unless
     * it interrupts a fast recovery.
     */
    void enterLoss(int retransmits) {
        CongestionControlState st = s.cc.state();
        boolean newRecovery = st != CongestionControlState.RECOVERY && st != CongestionControlState.LOSS;
        if (newRecovery || st == CongestionControlState.LOSS && retransmits == 0 || !SeqNum.gt(highSeq, s.sndUna)) {
            undo.start(s.cc.cwndBytes(), s.cc.ssthreshBytes(), true, queue.countFlag(RetransmitQueue.RETRANS));
        }
        undo.frto = newRecovery || retransmits > 0;
        highSeq = s.sndMax;
    }

    /**
     * tcp_process_loss on an ACK after a timeout: undone when the ACK shows the timeout was
     * spurious (Eifel timestamps or DSACKs, tcp_try_undo_loss; F-RTO's step 3.b when data never
     * retransmitted was acknowledged), or, F-RTO's step 2.b, new data goes out instead of more
     * retransmissions on the first ACK that advances SND.UNA. Returns true when done with it.
     */
    private boolean processLoss(boolean unaAdvanced, boolean origDelivered, boolean sackedOrDup, long tsEcr) {
        boolean recovered = !SeqNum.lt(s.sndUna, highSeq);
        if (unaAdvanced && undo.mayUndo(tsEcr)) {
            undoReduction(Counter.TcpExtTCPLossUndo, false);
            return true;
        }
        if (undo.frto) {
            if (origDelivered && undo.marked()) {
                undoReduction(Counter.TcpExtTCPLossUndo, true);
                return true;
            }
            if (SeqNum.gt(s.sndMax, highSeq)) {
                if (sackedOrDup) {
                    undo.frto = false; // step 3.a: the loss was real
                }
            } else if (unaAdvanced && !recovered) {
                highSeq = s.sndMax;
                if (s.unsentBytes() > 0 && SeqNum.gt(SeqNum.add(s.sndUna, s.sndWnd), s.sndMax)) {
                    sendNewData = true; // step 2.b: two new segments, then see what the ACKs say
                    return true;
                }
                undo.frto = false;
            }
        }
        return false;
    }

    /**
     * In fast recovery: undone when every retransmission came back as a DSACK
     * (tcp_try_undo_dsack), when an ACK of the whole episode or, with nothing retransmitted in
     * flight, a partial ACK echoes a timestamp older than the first retransmission
     * (tcp_try_undo_recovery, tcp_try_undo_partial).
     */
    private boolean undoRecovery(boolean unaAdvanced, long tsEcr) {
        if (!undo.marked()) {
            return false;
        }
        if (SeqNum.ge(s.sndUna, highSeq) && undo.mayUndo(tsEcr)) {
            undoReduction(Counter.TcpExtTCPFullUndo, false);
            return true;
        }
        if (unaAdvanced && undo.packetDelayed(tsEcr) && queue.retransBytes() == 0) {
            undoReduction(Counter.TcpExtTCPPartialUndo, false);
            return true;
        }
        if (undo.allDsacked()) {
            undoReduction(Counter.TcpExtTCPDSACKUndo, false);
            return true;
        }
        return false;
    }

    /** tcp_undo_cwnd_reduction: the window as before the episode, lost marks forgotten, state Open. */
    private void undoReduction(netstack4j.stack.Counter counter, boolean spuriousRto) {
        s.cc.undo(undo.priorCwnd(), undo.priorSsthresh());
        queue.clearLost();
        undo.clear();
        s.c.layer.counters().increment(counter);
        if (spuriousRto) {
            s.c.layer.counters().increment(Counter.TcpExtTCPSpuriousRTOs);
        }
        s.c.trace(TraceEvent.Kind.CWND, "undo (" + counter.name().substring(9) + "), " + s.cc);
        s.c.traceCwnd();
    }

    /** tcp_init_cwnd_reduction: PRR starts from the current window; CWR goes out with new data. */
    private void initReduction() {
        priorCwnd = s.cc.cwndBytes();
        prrDelivered = 0;
        prrOut = 0;
        s.c.ecn.queueCwr = s.c.ecn.ok;
    }

    /** tcp_enter_cwr: an ECN echo reduces the window (RFC 3168 section 6.1.2) once per window of data. */
    private void enterCwr(long nowNs) {
        initReduction();
        highSeq = s.sndMax;
        s.cc.enterCwr(nowNs, s.flightSize());
        s.c.trace(TraceEvent.Kind.CWND, "ECN echo: cwnd reduction, " + s.cc);
    }

    /** The ACK being processed delivered a retransmitted segment (FLAG_RETRANS_DATA_ACKED). */
    private boolean retransDelivered;

    /**
     * PRR (RFC 6937 section 3, Linux's tcp_cwnd_reduction): while the pipe is above ssthresh,
     * send in proportion to what is delivered (ssthresh / RecoverFS of it); below, catch up
     * towards ssthresh, by slow start (PRR-SSRB) when a retransmission was delivered and none lost
     * again, else by no more than was delivered (PRR-CRB); a fast retransmit is always allowed on entry.
     */
    private void reduceCwnd(long newlyDelivered, long newlyLost) {
        if (newlyDelivered <= 0 && prrOut > 0) {
            return;
        }
        int mss = s.mss;
        prrDelivered += newlyDelivered;
        long ssthresh = s.cc.ssthreshBytes();
        long pipe = pipe();
        long delta = ssthresh - pipe;
        long sndcnt;
        if (delta < 0) {
            long prior = Math.max(1, priorCwnd);
            sndcnt = (ssthresh * prrDelivered + prior - 1) / prior - prrOut;
        } else {
            // PRR-SSRB (slow start reduction bound) when the ACK delivered a retransmission and
            // none was lost again, else PRR-CRB (conservative: no more than was delivered), as
            // tcp_cwnd_reduction with FLAG_RETRANS_DATA_ACKED / FLAG_LOST_RETRANS.
            if (retransDelivered && newlyLost == 0) {
                sndcnt = Math.min(delta, Math.max(prrDelivered - prrOut, newlyDelivered) + mss);
            } else {
                sndcnt = Math.min(delta, newlyDelivered);
            }
        }
        if (prrOut == 0) {
            sndcnt = Math.max(sndcnt, mss);
        }
        s.cc.setReducedCwnd((int) Math.min(Integer.MAX_VALUE / 2, pipe + Math.max(0, sndcnt)));
    }

    /**
     * tcp_non_congestion_loss_retransmit: everything outstanding is lost for a reason other than
     * congestion; LOSS until SND.UNA passes SND.MAX, with nothing to undo and no F-RTO.
     */
    void nonCongestionLoss() {
        enterNonCongestionLoss();
        onTimeout();
    }

    /** LOSS without a window reduction, nothing to undo, no F-RTO, until SND.UNA passes SND.MAX. */
    private void enterNonCongestionLoss() {
        if (s.cc.state() != CongestionControlState.LOSS) {
            highSeq = s.sndMax;
            undo.clear();
            undo.frto = false;
            s.cc.enterNonCongestionLoss(s.sndMax);
        }
    }

    /**
     * tcp_simple_retransmit: the segments longer than {@code mss} (sent for a larger path MTU, or
     * as an MTU probe) count as lost and are resent, cut to the MSS, with no congestion response.
     */
    void simpleRetransmit(long nowNs, int mss) {
        enterNonCongestionLoss();
        for (int i = 0; i < queue.size(); i++) {
            if (queue.end(i) - queue.start(i) > mss) {
                queue.markLost(i);
            }
        }
        retransmitLost(nowNs);
    }

    /** After a retransmission timeout every segment not SACKed counts as lost (tcp_enter_loss). */
    void onTimeout() {
        if (queue.size() > 0 && queue.has(0, RetransmitQueue.SACKED)) {
            // tcp_timeout_mark_lost: a SACKed skb at SND.UNA means the receiver reneged (dropped
            // data it had SACKed, as tcp_prune_ofo_queue does under memory pressure): every SACK
            // mark is forgotten, so what it covered is lost and resent too.
            s.c.layer.counters().increment(Counter.TcpExtTCPSACKReneging);
            queue.clearSacked();
            s.scoreboard.clear();
        }
        for (int i = 0; i < queue.size(); i++) {
            queue.markLost(i);
        }
    }

    /**
     * tcp_xmit_retransmit_queue: resends segments marked lost, oldest first, while the pipe is
     * below cwnd. Returns the number of segments sent.
     */
    int retransmitLost(long nowNs) {
        s.syncPathMtu();
        int sent = 0;
        int mss = s.segmentMss();
        for (int i = 0; i < queue.size(); i++) {
            if (pipe() >= s.cc.cwndBytes()) {
                break;
            }
            if (!queue.has(i, RetransmitQueue.LOST) || queue.has(i, RetransmitQueue.RETRANS)
                    || queue.has(i, RetransmitQueue.SACKED)) {
                continue;
            }
            long from = queue.start(i);
            if (queue.end(i) - from > mss) {
                queue.split(from + mss);
            }
            int len = (int) (queue.end(i) - from);
            int seq = s.seqAt(from);
            int offset = SeqNum.diff(seq, s.bufSeq);
            if (offset < 0 || offset + len > s.buffer.size()) {
                break;
            }
            s.resend(nowNs, seq, len);
            s.c.layer.counters().increment(s.cc.state() == CongestionControlState.LOSS
                    ? Counter.TcpExtTCPSlowStartRetrans : Counter.TcpExtTCPFastRetrans);
            sent++;
        }
        if (sent > 0 && s.xmitTimer == TcpSender.XmitTimer.LOSS_PROBE) {
            // tcp_xmit_retransmit_queue rearms the RTO after resending: no loss probe in recovery.
            s.xmitTimer = TcpSender.XmitTimer.RTO;
            s.c.timers.armRetransmit(nowNs + s.rtt.rtoNs());
        }
        return sent;
    }

    /** The tail loss probe's fallback: the last segment sent, again (tcp_send_loss_probe). */
    boolean retransmitLast(long nowNs) {
        s.syncPathMtu();
        int n = queue.size();
        if (s.finSent && s.finAlone && SeqNum.lt(s.sndUna, SeqNum.add(s.finSeq, 1))) {
            // The last skb Linux has is the FIN sent on its own after the data: that is the probe.
            s.resend(nowNs, s.finSeq, 0);
            return true;
        }
        if (n == 0) {
            return false;
        }
        int mss = s.segmentMss();
        if (queue.end(n - 1) - queue.start(n - 1) > mss) {
            queue.split(queue.end(n - 1) - mss); // the last MSS only, as tcp_send_loss_probe fragments
            n = queue.size();
        }
        long from = queue.start(n - 1);
        int len = (int) (queue.end(n - 1) - from);
        int seq = s.seqAt(from);
        int offset = SeqNum.diff(seq, s.bufSeq);
        if (offset < 0 || offset + len > s.buffer.size()) {
            return false;
        }
        s.resend(nowNs, seq, len);
        return true;
    }
}
