package netstack4j.tcp;

import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.Readiness;
import netstack4j.stack.WaitQueue;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * One TCP endpoint, the transmission control block of RFC 9293 section 3.3.1 (N6): addresses,
 * {@link TcpState}, the {@link TcpSender} and {@link TcpReceiver} halves, {@link TcpTimers}, socket
 * options and the application's view (shut down directions, pending error). A listening endpoint
 * also holds its {@link ListenQueue}.
 *
 * <p>{@link #moveTo} is the one place the state changes; the arrival code ({@link #onSegment}) follows
 * RFC 9293 section 3.10.7 step by step and decides which transition applies, each rule citing its
 * section. Where Linux answers differently from the RFC the comment says "as Linux".
 *
 * <p>Thread-compatible: owned by the stack's thread; applications reach it through
 * {@link netstack4j.socket.TcpSocket}, which enters the stack first.
 */
public final class TcpConnection implements ConnectionTable.Member<TcpConnection> {
    final TcpLayer layer;
    /**
     * The stack's TCP settings as of socket creation, read again when the connection starts
     * (connect), as Linux reads most sysctls at the time of use (tcp_timestamps, tcp_sack,
     * tcp_window_scaling, tcp_ecn when it builds the SYN); the buffer sizes stay those of socket
     * creation (tcp_init_sock).
     */
    TcpSettings settings;
    TcpState state = TcpState.CLOSED;

    int localIp;
    int localPort;
    int remoteIp;
    int remotePort;
    boolean bound;
    boolean explicitlyBound;
    TcpConnection nextInBucket;

    final TcpSender sender;
    final TcpReceiver receiver;
    final TcpTimers timers;
    /** This socket's share of the stack's TCP memory (net.ipv4.tcp_mem). */
    final SocketMemory memory;
    final WaitQueue readers;
    final WaitQueue writers;
    final Readiness readiness = new Readiness(this);

    // Socket options (N5: copied to accepted connections).
    boolean reuseAddress;
    boolean keepAlive;
    boolean noDelay;
    boolean cork;
    int lingerSeconds = -1;
    long keepIdleNs;
    long keepIntervalNs;
    int keepCount;
    int userMss;
    /** ECN state (RFC 3168). */
    final Ecn ecn = new Ecn();
    int synCount;
    int userTimeoutMs;
    int sndBufReported;
    /** TCP_NOTSENT_LOWAT as the application set it (tp->notsent_lowat), 0 when unset. */
    private int notsentLowat;
    /** IP_TOS: the DSCP bits our segments carry (the ECN bits stay TCP's, as Linux's INET_ECN_MASK). */
    private int ipTos;
    /** SO_MARK (sk_mark). */
    private int mark;
    /** TCP_INQ (tp->recvmsg_inq). */
    private boolean recvmsgInq;
    /** IP_MTU_DISCOVER: with DONT no DF and no MSS reduction from ICMP (tcp_v4_err). */
    private netstack4j.ip.PmtuMode pmtuMode = netstack4j.ip.PmtuMode.WANT;
    int rcvBufReported;
    boolean sndBufLocked;

    // Listener side.
    ListenQueue listenQueue;
    TcpConnection parent;
    boolean inSynQueue;
    int synAckRetries;

    // The application's view.
    boolean appClosed;
    boolean shutRd;
    boolean shutWr;
    Errno pendingError;
    /** ECONNRESET was reported once; further writes give EPIPE (as Linux). */
    boolean resetReported;
    boolean ackNow;
    /** Where this connection's TIME-WAIT went on, or null. */
    TimeWaitSocket timeWait;
    /**
     * When the last answer to an out-of-window segment or challenge ACK went out (Linux's
     * last_oow_ack_time, shared by both as in tcp_send_challenge_ack), or Long.MIN_VALUE.
     */
    long lastOowAckNs = Long.MIN_VALUE;
    long lastSegmentInNs;
    int keepaliveProbes;
    long chargedBytes;

    // tcp_info counters.
    long segsIn;
    long segsOut;
    long dataSegsIn;
    long dataSegsOut;
    /** Data bytes acknowledged, the position of SND.UNA in the send stream; see {@link #bytesAckedAsLinux}. */
    long bytesAcked;
    /** Opened by connect() ({@link #openActive}), not accepted from a listener. */
    boolean activeOpen;
    long bytesReceived;
    long totalRetrans;
    /** Of {@link #totalRetrans}, SYN and SYN-ACK retransmissions (they deliver no data). */
    long synRetrans;
    /** Data and FIN segments delivered, as tp->delivered counts them past the SYN (tcp_count_delivered). */
    long deliveredSegs;
    long bytesSent;
    long bytesRetrans;
    long dsackDups;
    final long id;

    final TcpInput input = new TcpInput(this);
    /** RFC 7323 and RFC 2018 as negotiated (Linux's tp->rx_opt). */
    final OptionState opts = new OptionState();
    /** The SACK blocks we report (RFC 2018 section 4). */
    final SackBlocks sacks = new SackBlocks();
    /** Reused for every segment this connection sends. */
    private final SegmentOptions out = new SegmentOptions();
    /** TCP_CONGESTION, or null for net.ipv4.tcp_congestion_control. */
    private String congestion;
    /** SO_RCVBUF was set: the window scale is chosen for that size, not for tcp_rmem[2]. */
    boolean rcvBufLocked;
    /** TCP Fast Open state (RFC 7413), null until the socket uses it ({@link FastOpen}). */
    FastOpenState fastOpen;

    TcpConnection(TcpLayer layer, long id) {
        this.layer = layer;
        this.id = id;
        this.settings = layer.settings();
        this.readers = layer.stack().runtime().newWaitQueue();
        this.writers = layer.stack().runtime().newWaitQueue();
        this.sndBufReported = settings.wmemDefault();
        this.rcvBufReported = settings.rmemDefault();
        this.sender = new TcpSender(this, sendCapacity(sndBufReported));
        this.receiver = new TcpReceiver(this, receiveCapacity(rcvBufReported));
        this.timers = new TcpTimers(this, layer.stack().timers());
        this.memory = new SocketMemory(this);
        this.keepIdleNs = settings.keepaliveIdleNs();
        this.keepIntervalNs = settings.keepaliveIntervalNs();
        this.keepCount = settings.keepaliveProbes();
    }

    /**
     * Bytes of data SendQ can hold for a reported SO_SNDBUF. Windows counts bytes; Linux charges
     * every skb its truesize ({@link WriteQueue}), and the last skb may run past SO_SNDBUF by up
     * to the size goal, so storage allows that much more.
     */
    int sendCapacity(int reported) {
        return settings.windowsBufferRounding() ? reported : reported + TsoSizing.GSO_MAX_SIZE;
    }

    /** Bytes of data RecvQ holds for a reported SO_RCVBUF: half of it, as Linux's tcp_adv_win_scale = 1. */
    int receiveCapacity(int reported) {
        return settings.windowsBufferRounding() ? reported : Math.max(1, reported / 2);
    }

    // ------------------------------------------------------------------ the one state transition method

    /**
     * Changes the state, with each transition's entry actions. The legal moves are RFC 9293
     * section 3.3.2's diagram (plus Linux's TIME_WAIT-less abort to CLOSED from any state).
     */
    void moveTo(TcpState to) {
        TcpState from = state;
        if (from == to) {
            return;
        }
        if (!legal(from, to)) {
            throw new IllegalStateException("illegal TCP transition " + from + " -> " + to);
        }
        state = to;
        trace(TraceEvent.Kind.STATE, from + " -> " + to);
        var counters = layer.counters();
        if (to == TcpState.ESTABLISHED) {
            counters.add(Counter.TcpCurrEstab, 1);
        } else if (from == TcpState.ESTABLISHED || from == TcpState.CLOSE_WAIT) {
            if (to != TcpState.CLOSE_WAIT) {
                counters.add(Counter.TcpCurrEstab, -1);
            }
            if (to == TcpState.CLOSED) {
                counters.increment(Counter.TcpEstabResets); // as Linux's tcp_set_state
            }
        }
        if (to == TcpState.CLOSED && (from == TcpState.SYN_SENT || from == TcpState.SYN_RECEIVED)) {
            counters.increment(Counter.TcpAttemptFails);
        }
        switch (to) {
            case ESTABLISHED -> {
                initSendBuffer();
                sender.mtuProbe.init(); // tcp_init_transfer -> tcp_mtup_init
                receiver.autotune.init(nowNs(), receiver.rcvWnd, receiver.advMss);
                lastSegmentInNs = nowNs();
                if (receiver.lastDataRecvNs == 0) {
                    receiver.lastDataRecvNs = lastSegmentInNs; // icsk_ack.lrcvtime starts at the handshake
                }
                armKeepalive();
            }
            case FIN_WAIT_2 -> {
                if (appClosed) {
                    timers.armTimewait(nowNs() + settings.finTimeoutNs()); // tcp_fin_timeout for orphans
                }
            }
            case TIME_WAIT -> enterTimeWait(from);
            case CLOSED -> {
                timers.cancelAll();
                layer.unhash(this);
                if (appClosed) {
                    // An orphan's end (Linux's inet_csk_destroy_sock): nobody will read what is
                    // left, out-of-order data included, so nothing stays charged.
                    dropBuffers();
                }
                chargeMemory(); // afterEvent does not in CLOSED: SendQ freed by the ACK of our FIN (LAST-ACK)
            }
            default -> {
            }
        }
        wakeAll();
    }

    private static boolean legal(TcpState from, TcpState to) {
        if (to == TcpState.CLOSED) {
            return true;
        }
        return switch (from) {
            case CLOSED -> to == TcpState.LISTEN || to == TcpState.SYN_SENT || to == TcpState.SYN_RECEIVED;
            case LISTEN -> to == TcpState.SYN_SENT;
            case SYN_SENT -> to == TcpState.SYN_RECEIVED || to == TcpState.ESTABLISHED;
            case SYN_RECEIVED -> to == TcpState.ESTABLISHED || to == TcpState.FIN_WAIT_1 || to == TcpState.CLOSE_WAIT;
            case ESTABLISHED -> to == TcpState.FIN_WAIT_1 || to == TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> to == TcpState.FIN_WAIT_2 || to == TcpState.CLOSING || to == TcpState.TIME_WAIT;
            case FIN_WAIT_2, CLOSING -> to == TcpState.TIME_WAIT;
            case CLOSE_WAIT -> to == TcpState.LAST_ACK;
            case LAST_ACK, TIME_WAIT -> false;
        };
    }

    // ------------------------------------------------------------------ opening

    /** Active open (RFC 9293 section 3.10.1): the caller has set the addresses and bound the port. */
    void openActive() {
        activeOpen = true;
        settings = layer.settings();
        int mss = layer.mssFor(remoteIp);
        int iss = layer.isn(localIp, localPort, remoteIp, remotePort);
        sender.init(iss, userMss > 0 ? Math.min(userMss, mss) : mss);
        int adv = layer.advertisedMssFor(remoteIp); // tcp_advertise_mss: the route's advmss metric
        receiver.advMss = userMss > 0 ? Math.min(userMss, adv) : adv;
        offerOptions();
        layer.counters().increment(Counter.TcpActiveOpens);
        moveTo(TcpState.SYN_SENT);
        FastOpen fo = layer.fastOpen();
        if (fo.deferConnect(this)) {
            return; // TCP_FASTOPEN_CONNECT with a cookie: the first write sends the SYN, with data
        }
        if (!fo.sendSynData(this)) {
            sendSyn(false);
        }
        sender.retransStampNs = nowNs();
    }

    /** A child of a listener for a SYN (RFC 9293 section 3.10.7.2, third check). */
    void openPassive(TcpPacket syn) {
        int mss = layer.mssFor(remoteIp);
        int ourMss = userMss > 0 ? Math.min(userMss, mss) : mss;
        int peerMss = syn.mss() > 0 ? syn.mss() : settings.defaultMss();
        offerOptions();
        opts.negotiate(syn, nowNs());
        ecn.onSyn(syn.flags(), layer.inboundEcn, settings.loss().ecn());
        // TCP_MAXSEG clamps what we send too (Linux's mss_clamp: min of the peer's option and user_mss).
        sender.init(layer.isn(localIp, localPort, remoteIp, remotePort), lessTimestamps(Math.min(peerMss, ourMss)));
        sender.mtuProbe.setMssClamp(userMss > 0 ? Math.min(userMss, peerMss) : peerMss);
        int adv = layer.advertisedMssFor(remoteIp); // tcp_openreq_init_rwin / dst_metric_advmss
        receiver.init(syn.sequenceNumber(), userMss > 0 ? Math.min(userMss, adv) : adv);
        receiver.rcvWnd = synWindow();
        sender.sndWnd = syn.window();
        sender.sndWl1 = syn.sequenceNumber();
        sender.sndWl2 = sender.iss;
        sender.maxSndWnd = syn.window();
        moveTo(TcpState.SYN_RECEIVED);
        FastOpen.onPassiveOpen(this, syn); // RFC 7413: data of an accepted SYN-data, acknowledged by the SYN-ACK
        sendSyn(true);
        sender.retransStampNs = nowNs();
    }

    /**
     * A connection rebuilt from a valid SYN cookie in the final ACK (RFC 4987 section 3.6): it is
     * put in SYN-RECEIVED as if our SYN-ACK with ISS {@code iss} had just been sent, so that the
     * ACK is then processed as usual. Nothing was retransmitted for it and nothing will be.
     */
    void openFromCookie(TcpPacket ack, int iss, int peerMss) {
        int mss = layer.mssFor(remoteIp);
        int ourMss = userMss > 0 ? Math.min(userMss, mss) : mss;
        int irs = SeqNum.add(ack.sequenceNumber(), -1);
        sender.init(iss, Math.min(peerMss, ourMss));
        receiver.init(irs, ourMss);
        receiver.rcvWnd = synWindow();
        sender.sndWnd = ack.window();
        sender.sndWl1 = irs;
        sender.sndWl2 = iss;
        sender.maxSndWnd = ack.window();
        sender.sndNxt = SeqNum.add(iss, 1);
        sender.sndMax = sender.sndNxt;
        moveTo(TcpState.SYN_RECEIVED);
    }

    /**
     * The window of our SYN or SYN-ACK, as Linux's tcp_select_initial_window: the receive space,
     * rounded down to whole MSS only when it holds more than one (a buffer smaller than one MSS
     * advertises what it has, never more).
     */
    int synWindow() {
        int mss = receiver.advMss > 0 ? receiver.advMss : 536;
        if (opts.tsOk && opts.tsRecentStampNs != OptionState.NO_STAMP) {
            mss -= OptionState.TIMESTAMPS_BYTES; // tcp_openreq_init_rwin: the peer's segments carry timestamps
        }
        return initialWindow(receiver.buffer.capacity(), mss);
    }

    /**
     * {@link #synWindow()}'s rule for a receive space of {@code capacity} and an advertised MSS:
     * tcp_select_initial_window rounds the space down to whole MSS first and only then clamps it
     * to 65535 (a SYN's window is never scaled), so a large buffer offers 65535, not a multiple
     * of the MSS below it.
     */
    static int initialWindow(int capacity, int mss) {
        int space = capacity > mss ? (capacity / mss) * mss : capacity;
        return Math.min(space, TcpReceiver.MAX_UNSCALED_WINDOW);
    }

    /** SYN or SYN-ACK with the MSS option (RFC 9293 section 3.7.1). */
    void sendSyn(boolean ack) {
        int flags = TcpFlags.SYN | (ack ? TcpFlags.ACK : 0);
        boolean retransmission = sender.sndMax != sender.iss;
        // RFC 3168 section 6.1.1: ECE|CWR in our SYN (tcp_ecn_send_syn), ECE in a SYN-ACK that
        // accepts ECN (tcp_ecn_make_synack).
        flags |= ack ? (ecn.ok ? TcpFlags.ECE : 0) : ecn.synFlags(settings.loss().ecn(), retransmission);
        // tcp_advertise_mss: a path MTU learned since (an ICMP "fragmentation needed" for the SYN
        // data) lowers the MSS a retried SYN advertises, and tp->advmss with it.
        receiver.advMss = Math.min(receiver.advMss, layer.mssFor(remoteIp));
        sendSegment(sender.iss, flags, 0, 0, receiver.advMss);
        sender.sndNxt = SeqNum.add(sender.iss, 1);
        if (SeqNum.lt(sender.sndMax, sender.sndNxt)) {
            sender.sndMax = sender.sndNxt; // a SYN resent after SYN-data leaves SND.MAX past the data
        }
        if (retransmission) {
            layer.counters().increment(Counter.TcpRetransSegs);
            totalRetrans++;
            synRetrans++;
        }
        timers.armRetransmit(nowNs() + sender.rtt.rtoNs());
    }

    // ------------------------------------------------------------------ segment arrival (RFC 9293 section 3.10.7)

    /** A segment for this connection (already checksummed and demultiplexed): see {@link TcpInput}. */
    void onSegment(TcpPacket seg) {
        input.onSegment(seg);
    }








    /** RCV.NXT reached the peer's FIN (RFC 9293 section 3.10.7.4, eighth step). */
    void peerFinArrived() {
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> moveTo(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> moveTo(sender.finSent && SeqNum.gt(sender.sndUna, sender.finSeq)
                    ? TcpState.TIME_WAIT : TcpState.CLOSING);
            case FIN_WAIT_2 -> moveTo(TcpState.TIME_WAIT);
            default -> {
            }
        }
        readers.wakeAll();
        readiness.signal();
    }





    /** The connection is over with {@code error}: queues are flushed (N37), waiters woken. */
    /**
     * Linux's tcp_write_err after retransmissions, probes or keepalives ran out: ETIMEDOUT, no
     * RST, counted as TCPAbortOnTimeout.
     */
    void abortOnTimeout() {
        layer.counters().increment(Counter.TcpExtTCPAbortOnTimeout);
        fail(Errno.ETIMEDOUT);
    }

    void fail(Errno error) {
        if (!appClosed) {
            pendingError = error;
        }
        trace(TraceEvent.Kind.SOCKET, "error " + error);
        if (!settings.resetKeepsReceived()) {
            dropBuffers(); // N37 (Windows): the resources are gone, buffered data too
        } else {
            // Linux tcp_reset/tcp_done purge only the write queue: data already received stays
            // readable, and recv reports the error once it is drained (tcp_recvmsg_locked).
            sender.purge();
            chargeMemory();
        }
        moveTo(TcpState.CLOSED);
    }

    private void dropBuffers() {
        sender.purge();
        receiver.buffer.discard(); // out-of-order data too (reading would leave it charged)
        chargeMemory();
    }

    // ------------------------------------------------------------------ output

    /** After any event: send what may go, flush a due ACK, account memory, signal readiness. */
    void afterEvent() {
        if (state == TcpState.CLOSED || state == TcpState.LISTEN) {
            return;
        }
        long now = nowNs();
        if (canSendData()) {
            sender.output(now);
        }
        if (sender.spaceFreed) {
            sender.spaceFreed = false;
            sendSpaceFreed(); // tcp_data_snd_check: push first, then tcp_check_space
        }
        if (ackNow && receiver.ackPending && state != TcpState.SYN_SENT) {
            sendSegment(acceptableSeq(), TcpFlags.ACK, 0, 0, -1);
        }
        ackNow = false;
        chargeMemory();
    }

    /**
     * SEG.SEQ for a segment that carries no data (ACK, RST), as Linux's tcp_acceptable_seq: the
     * highest sequence number sent (SND.MAX; Linux never rewinds its snd_nxt), or the right edge
     * of the peer's window if that shrank below it. Never the rewound SND.NXT of a
     * retransmission timeout: the peer has already received past it, would find the segment
     * outside its window and drop it unread, and two such peers answer each other's ACKs forever.
     */
    int acceptableSeq() {
        int windowEnd = SeqNum.add(sender.sndUna, sender.sndWnd);
        return SeqNum.le(sender.sndMax, windowEnd) ? sender.sndMax : windowEnd;
    }

    /**
     * Linux's tcp_oow_rate_limited: whether an answer to {@code seg} (out of window, or a
     * challenge) must be withheld because one went out less than tcp_invalid_ratelimit ago.
     * Segments with data and no SYN are always answered: they are not part of an ACK loop.
     * Counts {@code skipped} when withholding.
     */
    boolean oowRateLimited(long now, boolean dataWithoutSyn, Counter skipped) {
        if (dataWithoutSyn) {
            return false;
        }
        if (layer.invalidRatelimited(lastOowAckNs, now, skipped)) {
            return true;
        }
        lastOowAckNs = now;
        return false;
    }

    boolean canSendData() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            case SYN_RECEIVED -> FastOpen.passive(this); // RFC 7413 section 4.2.2: the server may send before the ACK
            default -> false;
        };
    }

    /**
     * tcpi_bytes_acked as Linux counts it: every sequence number tcp_ack moved SND.UNA over
     * (tcp_snd_una_update), so our FIN counts one beside the data, and so does our SYN after an
     * active open. A passive open's child starts with SND.UNA past its SYN-ACK
     * (tcp_create_openreq_child), which therefore never counts.
     */
    long bytesAckedAsLinux() {
        boolean synAcked = activeOpen && (bytesAcked > 0 || sender.sndUna != sender.iss);
        boolean finAcked = sender.finSent && SeqNum.gt(sender.sndUna, sender.finSeq);
        return bytesAcked + (synAcked ? 1 : 0) + (finAcked ? 1 : 0);
    }

    /** Emits one segment; SEG.ACK and SEG.WND come from the receiver when ACK is set. */
    void sendSegment(int seq, int flags, int bufferOffset, int len, int mssOption) {
        sendSegment(seq, flags, bufferOffset, len, mssOption, 0);
    }

    /**
     * As {@link #sendSegment(int, int, int, int, int)}; with {@code gsoSize} above 0 and a longer
     * payload the segment is a super-segment that TSO or GSO cuts into segments of that payload
     * (tcp_transmit_skb of an skb with tcp_skb_pcount above 1).
     */
    void sendSegment(int seq, int flags, int bufferOffset, int len, int mssOption, int gsoSize) {
        int ack = 0;
        int window;
        boolean syn = (flags & TcpFlags.SYN) != 0;
        if ((flags & TcpFlags.ACK) != 0) {
            ack = receiver.rcvNxt;
            // RFC 7323 section 2.2: a SYN's window is never scaled; every other one is.
            window = syn ? synWindow() : receiver.selectWindow() >>> opts.rcvWscale;
        } else {
            window = syn ? synWindow() : 0;
        }
        int tos = 0;
        if (!syn) {
            flags |= ecn.outgoing(len > 0 && !SeqNum.lt(seq, sender.sndMax));
            tos = ecn.lastTos;
        }
        SegmentOptions o = segmentOptions(flags, mssOption);
        int header = TcpEmitter.headerLength(o);
        PacketBuffer b = TcpEmitter.allocate(layer.stack().buffers(), localPort, remotePort, seq, ack, flags, window, o, len);
        if (b == null) {
            // No buffer: the segment is lost before the wire, as when Linux's tcp_transmit_skb
            // fails to allocate; the sender's timers resend data, the next event resends the ACK.
            layer.drop(DropReason.NO_BUFFER);
            return;
        }
        if (len > 0) {
            sender.buffer.copyTo(bufferOffset, b.array(), b.offset() + header, len);
        }
        TcpEmitter.finish(b, localIp, remoteIp);
        if (gsoSize > 0 && len > gsoSize) {
            b.setGso(gsoSize, netstack4j.link.Gso.segments(len, gsoSize));
            segsOut += b.gsoSegments(); // tp->segs_out += tcp_skb_pcount
        } else {
            segsOut++;
        }
        if (len > 0) { // tcpi_bytes_sent and tcpi_bytes_retrans (tcp_transmit_skb, tcp_retransmit_skb)
            bytesSent += len;
            bytesRetrans += SeqNum.lt(seq, sender.sndMax) ? len : 0;
        }
        if ((flags & TcpFlags.ACK) != 0) {
            receiver.onAckSent();
            ackNow = false;
        }
        layer.transmit(b, localIp, remoteIp, ipTos | (tos & 3), pmtuMode);
    }

    /**
     * The options of a segment, as Linux's tcp_syn_options, tcp_synack_options and
     * tcp_established_options choose them: in a SYN what we offer (a SYN-ACK only what the
     * peer offered too), MSS, SACK-permitted, timestamps (TSecr 0 in a SYN) and window scale;
     * afterwards timestamps on every segment and SACK blocks, at most 3 beside timestamps
     * (40 option bytes), else 4.
     */
    private SegmentOptions segmentOptions(int flags, int mss) {
        SegmentOptions o = out.clear();
        long now = nowNs();
        if ((flags & TcpFlags.SYN) != 0) {
            o.mss = mss;
            o.windowScale = opts.wscaleOk ? opts.rcvWscale : -1;
            o.sackPermitted = opts.sackOk;
            if (opts.tsOk) {
                o.timestamps = true;
                o.tsVal = opts.tsVal(now);
                o.tsEcr = (flags & TcpFlags.ACK) != 0 ? opts.tsRecent : 0;
            }
            FastOpen.fillOptions(this, o, flags);
            return o;
        }
        if (opts.tsOk) {
            o.timestamps = true;
            o.tsVal = opts.tsVal(now);
            o.tsEcr = opts.tsRecent;
        }
        if (opts.sackOk && (flags & TcpFlags.ACK) != 0 && (flags & TcpFlags.RST) == 0
                && (sacks.count() > 0 || sacks.hasDsack())) {
            sacks.fill(o, maxSackBlocks());
        }
        return o;
    }

    /** Bytes the SACK option would add to the next segment (Linux's tcp_current_mss counts them). */
    int sackOptionBytes() {
        if (!opts.sackOk) {
            return 0;
        }
        int n = sacks.reportable(maxSackBlocks());
        return n == 0 ? 0 : 4 + 8 * n;
    }

    /** SACK blocks that fit in 40 option bytes: 3 beside timestamps, else 4 (tcp_established_options). */
    private int maxSackBlocks() {
        return opts.tsOk ? 3 : SackBlocks.MAX;
    }

    /**
     * Chooses our window scale and timestamp offset and what we offer (active open, or the
     * listener's side of a SYN), as Linux's tcp_select_initial_window: the shift fits the largest
     * receive space this socket could reach, tcp_rmem[2] and net.core.rmem_max, clamped to a
     * locked SO_RCVBUF.
     */
    private void offerOptions() {
        long space = receiver.buffer.capacity();
        if (!rcvBufLocked) {
            space = Math.max(space, Math.max(settings.rmemMax(), layer.stack().config().rmemMax()));
        }
        opts.offer(settings, OptionState.receiveWscale(space), layer.stack().random().nextInt());
    }

    /** The send MSS once timestamps are known: they take 12 bytes of every segment. */
    private int lessTimestamps(int mss) {
        return opts.tsOk ? mss - OptionState.TIMESTAMPS_BYTES : mss;
    }

    // ------------------------------------------------------------------ timers

    void onRetransmitTimer() {
        long now = nowNs();
        switch (state) {
            case SYN_SENT -> {
                int retries = synCount > 0 ? synCount : settings.synRetries();
                if (now - sender.retransStampNs >= limitNs(retries, settings.initialRtoNs())) {
                    abortOnTimeout();
                    return;
                }
                layer.counters().increment(Counter.TcpExtTCPTimeouts);
                sender.rtt.backoff();
                sender.retransmits++;
                sendSyn(false);
            }
            case SYN_RECEIVED -> {
                if (FastOpen.passive(this)) {
                    FastOpen.synAckTimeout(this); // tcp_fastopen_synack_timer
                    return;
                }
                if (parent != null && ++synAckRetries > settings.synackRetries()) {
                    moveTo(TcpState.CLOSED); // as Linux: the request is dropped silently
                    return;
                }
                layer.counters().increment(Counter.TcpExtTCPTimeouts);
                sender.rtt.backoff();
                sender.retransmits++;
                sender.sndMax = sender.iss;
                sendSyn(true);
            }
            case CLOSED, LISTEN, TIME_WAIT -> {
            }
            default -> {
                if (!sender.hasOutstanding()) {
                    return;
                }
                switch (sender.xmitTimer) {
                    case REORDER -> {
                        sender.recovery.onReorderTimeout(now); // RACK's reordering timer
                        return;
                    }
                    case LOSS_PROBE -> {
                        sender.onLossProbe(now); // the tail loss probe's timer
                        return;
                    }
                    case RTO -> {
                    }
                }
                if (sender.retransStampNs == 0) {
                    // Linux's retrans_stamp: when the head segment was first sent, one RTO ago.
                    sender.retransStampNs = now - sender.rtt.rtoNs();
                }
                // Linux's tcp_write_timeout: tcp_retries2, or tcp_orphan_retries once the
                // application closed the socket (8 while the RTO is below TCP_RTO_MAX: 102.2 s).
                int retries = appClosed ? settings.orphanRetries(sender.rtt.rtoNs() < settings.maxRtoNs()) : settings.retries2();
                if (now - sender.retransStampNs >= limitNs(retries, settings.minRtoNs())) {
                    abortOnTimeout(); // N18: as Linux's tcp_write_err, no RST
                    return;
                }
                sender.onRetransmitTimeout(now);
                if (userTimeoutMs > 0 && timers.retransmit.isArmed()) {
                    // Linux tcp_clamp_rto_to_user_timeout (4.19+): the next timer fires no later
                    // than TCP_USER_TIMEOUT after retrans_stamp, so the error comes on time.
                    long limit = sender.retransStampNs + userTimeoutMs * 1_000_000L;
                    if (timers.retransmit.deadlineNs() - limit > 0) {
                        timers.armRetransmit(Math.max(limit, now + 1));
                    }
                }
            }
        }
    }

    private long limitNs(int retries, long base) {
        if (userTimeoutMs > 0) {
            return userTimeoutMs * 1_000_000L;
        }
        return settings.retransmitLimitNs(retries, base);
    }

    void onPersistTimer() {
        if (canSendData()) {
            sender.onPersistTimeout(nowNs());
        }
    }

    void onDelackTimer() {
        if (!receiver.ackPending || !state.isSynchronized() || state == TcpState.TIME_WAIT) {
            return;
        }
        // As Linux's tcp_delack_timer_handler: inflate the ato, or leave interactive mode.
        if (!receiver.pingpong) {
            receiver.atoNs = Math.min(receiver.atoNs << 1, sender.rtt.rtoNs());
        } else {
            receiver.pingpong = false;
            receiver.atoNs = settings.delackMinNs();
        }
        layer.counters().increment(Counter.TcpExtDelayedACKs);
        ackNow = true;
    }

    void armKeepalive() {
        if (keepAlive && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            timers.armKeepalive(lastSegmentInNs + keepIdleNs);
        } else {
            timers.cancelKeepalive();
        }
    }

    /** Keepalive (RFC 1122 section 4.2.3.6), as Linux's tcp_keepalive_timer. */
    void onKeepaliveTimer() {
        long now = nowNs();
        if (!keepAlive || !state.isSynchronized()) {
            return;
        }
        if (sender.hasOutstanding() || sender.unsentBytes() > 0) {
            // Linux's tcp_keepalive_timer: "It is alive without keepalive": with data in flight
            // or queued the retransmission timer watches the peer; look again after the idle time.
            timers.armKeepalive(now + keepIdleNs);
            return;
        }
        long idle = now - lastSegmentInNs;
        if (idle < keepIdleNs && keepaliveProbes == 0) {
            timers.armKeepalive(lastSegmentInNs + keepIdleNs);
            return;
        }
        if (keepaliveProbes >= keepCount) {
            sendActiveReset();
            abortOnTimeout();
            return;
        }
        keepaliveProbes++;
        sendSegment(SeqNum.add(sender.sndUna, -1), TcpFlags.ACK, 0, 0, -1);
        timers.armKeepalive(now + keepIntervalNs);
    }

    /** The timewait timer of an orphaned FIN-WAIT-2 (tcp_fin_timeout) ran out. */
    void onTimewaitTimer() {
        moveTo(TcpState.CLOSED);
    }

    /**
     * Linux's tcp_time_wait: a {@link TimeWaitSocket} takes the 4-tuple for 2 MSL and this
     * connection lets go of its timers, its place in the tables and the memory it no longer
     * needs (a socket still open keeps what it received and has not read). When the stack has
     * tcp_max_tw_buckets entries already, the connection closes at once.
     */
    private void enterTimeWait(TcpState from) {
        timers.cancelAll();
        timeWait = layer.enterTimeWait(this);
        if (timeWait == null) {
            if (from != TcpState.CLOSING) {
                sendSegment(acceptableSeq(), TcpFlags.ACK, 0, 0, -1); // the peer's FIN is ACKed first (tcp_fin)
            }
            moveTo(TcpState.CLOSED);
            return;
        }
        sender.purge();
        sender.buffer.releaseSpare();
        if (appClosed) {
            dropBuffers();
        }
        receiver.buffer.releaseSpare();
        chargeMemory();
    }

    // ------------------------------------------------------------------ application operations

    /** RFC 9293 section 3.10.4 and N36: close with the personality's rules. Returns when done (linger aside). */
    void close() {
        if (appClosed) {
            return;
        }
        appClosed = true;
        if (listenQueue != null) {
            layer.closeListener(this);
            return;
        }
        switch (state) {
            case CLOSED -> {
                layer.unhash(this);
                dropBuffers(); // as Linux's inet_csk_destroy_sock: an orphan keeps no queue (a reset left some)
            }
            case SYN_SENT -> moveTo(TcpState.CLOSED);
            case TIME_WAIT -> dropBuffers(); // the TimeWaitSocket answers for the 4-tuple; unread data goes
            default -> {
                if (lingerSeconds == 0 || receiver.buffer.readable() > 0) {
                    // N36 / N41: linger 0 resets; RFC 9293 section 3.10.4 and RFC 2525 (as Linux):
                    // closing with unread data resets too.
                    abort(true);
                    return;
                }
                shutdownWrite();
                if (state == TcpState.FIN_WAIT_2) {
                    timers.armTimewait(nowNs() + settings.finTimeoutNs());
                }
            }
        }
    }

    /** Drops everything and (when synchronized) sends RST: SO_LINGER 0, abort on data. */
    void abort(boolean sendRst) {
        if (sendRst && (state.isSynchronized() || state == TcpState.SYN_RECEIVED) && state != TcpState.TIME_WAIT) {
            // RFC 9293 3.10.4 ABORT: "<SEQ=SND.NXT><CTL=RST>"; Linux's tcp_send_active_reset sends
            // RST|ACK acknowledging RCV.NXT, and packetdrill scripts written on Linux expect it.
            sendActiveReset();
        }
        dropBuffers();
        moveTo(TcpState.CLOSED);
    }

    /**
     * tcp_send_active_reset: RST|ACK at SND.MAX (tcp_acceptable_seq) built as the connection's
     * other segments are, so it carries the current timestamps (RFC 7323 section 3.2: TSval on
     * every segment once negotiated), no SACK blocks.
     */
    private void sendActiveReset() {
        layer.counters().increment(Counter.TcpOutRsts);
        sendSegment(acceptableSeq(), TcpFlags.RST | TcpFlags.ACK, 0, 0, -1);
    }

    /** shutdown(SHUT_WR) (N39): FIN after the queued data (RFC 9293 section 3.10.4). */
    void shutdownWrite() {
        if (shutWr) {
            return;
        }
        shutWr = true;
        switch (state) {
            case ESTABLISHED, SYN_RECEIVED -> {
                sender.finQueued = true;
                moveTo(TcpState.FIN_WAIT_1);
            }
            case CLOSE_WAIT -> {
                sender.finQueued = true;
                moveTo(TcpState.LAST_ACK);
            }
            default -> {
            }
        }
        afterEvent();
        wakeAll();
    }

    void shutdownRead() {
        shutRd = true;
        wakeAll();
    }

    boolean shutRd() {
        return shutRd;
    }

    /**
     * Queues up to {@code len} bytes ({@link TcpSendmsg}); returns how many fit (0 when SendQ is
     * full). {@code continuation}: earlier bytes of the same application call were queued.
     */
    int write(byte[] b, int off, int len, int flags, boolean continuation) {
        return TcpSendmsg.write(sender, b, off, len, flags, continuation, nowNs());
    }

    /** Reads (or peeks) up to {@code len} bytes from RecvQ. */
    int read(byte[] b, int off, int len, boolean peek) {
        int n = peek ? receiver.buffer.peek(b, off, len) : receiver.buffer.read(b, off, len);
        if (n > 0 && !peek) {
            long grown = receiver.autotune.onRead(nowNs(), n, receiver.advMss,
                    rcvBufLocked || settings.windowsBufferRounding(), settings.rmemMax(), rcvBufReported);
            if (grown > 0) {
                setReceiveBuffer((int) grown); // tcp_rcv_space_adjust: sk_rcvbuf and the window clamp grow
            }
            receiver.afterRead();
            afterEvent();
            chargeMemory();
        }
        return n;
    }

    /**
     * TCP_QUICKACK 0: Linux's inet_csk_enter_pingpong_mode. The connection counts as
     * interactive, so quick-ACK mode is off and a lone segment's ACK waits for the delayed-ACK
     * timer (N22); "every second full segment" still ACKs at once.
     */
    public void leaveQuickAck() {
        receiver.pingpong = true;
    }

    /** TCP_QUICKACK: leave interactive mode and ACK what is pending now (N22). */
    void quickAck() {
        receiver.enterQuickAck(nowNs());
        if (receiver.ackPending) {
            receiver.ackNow();
            afterEvent();
        }
    }

    /** tcp_init_buffer_space: an unlocked send buffer starts at what ten segments need. */
    private void initSendBuffer() {
        if (!sndBufLocked && !settings.windowsBufferRounding()) {
            expandSendBuffer();
        }
    }

    /**
     * Send-buffer autotuning (N3), Linux's tcp_sndbuf_expand: room for twice the congestion window
     * (at least the initial ten segments, and the reordering degree), each segment charged its
     * truesize rounded as the allocator does, up to tcp_wmem[2].
     */
    private void expandSendBuffer() {
        // per_mss: MSS + MAX_TCP_HEADER + skb_shared_info, rounded up to a power of two, + sk_buff.
        int perMss = (Integer.highestOneBit(sender.mss + 320 + 320 - 1) << 1) + 256;
        int segs = Math.max(10, sender.cc.cwndBytes() / Math.max(1, sender.mss)); // TCP_INIT_CWND
        segs = Math.max(segs, sender.recovery.reordering() + 1);
        long want = Math.min(2L * segs * perMss, settings.wmemMax());
        if (want > sndBufReported) {
            sndBufReported = (int) want;
            sender.buffer.setCapacity(sendCapacity(sndBufReported));
        }
    }

    /**
     * After an ACK freed SendQ bytes (tcp_check_space): when a writer found no room, the buffer
     * may grow (tcp_new_space, while cwnd is not filled and it is not locked), and once a third
     * of it is free again the writer and pollers are woken (sk_stream_write_space) and the
     * send-buffer-limited time ends.
     */
    void sendSpaceFreed() {
        if (!sender.skbs.noSpace) {
            return;
        }
        if (!sndBufLocked && !settings.windowsBufferRounding() && sender.pipe() < sender.cc.cwndBytes()
                && memory.sndbufMayGrow()) {
            expandSendBuffer(); // tcp_new_space when tcp_should_expand_sndbuf
        }
        writeSpace();
    }

    /** sk_stream_write_space: when a writer may go on, SOCK_NOSPACE ends and writers and pollers wake. */
    private void writeSpace() {
        if (TcpSendmsg.writeable(sender)) {
            sender.skbs.noSpace = false;
            sender.chrono.stop(TcpChrono.SNDBUF_LIMITED, nowNs(), sender.buffer.size() == 0 && !sender.hasOutstanding());
            writers.wakeAll();
            readiness.signal();
        }
    }

    /** Applies SO_SNDBUF (reported value already adjusted by the personality). */
    void setSendBuffer(int reported) {
        sndBufReported = reported;
        sndBufLocked = true;
        sender.buffer.setCapacity(sendCapacity(reported));
        sender.skbs.noSpace = true; // a larger buffer may let a waiting writer on
        sendSpaceFreed();
    }

    /** SO_RCVBUF from the application: the buffer is locked, as Linux's SOCK_RCVBUF_LOCK. */
    void lockReceiveBuffer(int reported) {
        rcvBufLocked = true;
        setReceiveBuffer(reported);
    }

    void setReceiveBuffer(int reported) {
        rcvBufReported = reported;
        receiver.buffer.setCapacity(receiveCapacity(reported));
    }

    /** Copies the options a listener's children inherit (N5). */
    void inheritFrom(TcpConnection l) {
        reuseAddress = l.reuseAddress;
        ZeroCopy.inherit(this, l);
        keepAlive = l.keepAlive;
        noDelay = l.noDelay;
        cork = l.cork;
        lingerSeconds = l.lingerSeconds;
        keepIdleNs = l.keepIdleNs;
        keepIntervalNs = l.keepIntervalNs;
        keepCount = l.keepCount;
        userMss = l.userMss;
        userTimeoutMs = l.userTimeoutMs;
        notsentLowat = l.notsentLowat;
        ipTos = l.ipTos;
        mark = l.mark;
        recvmsgInq = l.recvmsgInq;
        pmtuMode = l.pmtuMode;
        congestion = l.congestion;
        if (l.sndBufLocked) {
            setSendBuffer(l.sndBufReported);
        }
        setReceiveBuffer(l.rcvBufReported);
        rcvBufLocked = l.rcvBufLocked;
    }

    /**
     * Socket memory charged now (N2): RecvQ and SendQ chunks; the difference goes to the stack
     * total. The socket's share of tcp_mem follows its queues ({@link SocketMemory#sync}) and ends
     * when the socket is gone (tcp_v4_destroy_sock): CLOSED or in TIME-WAIT (whose
     * {@link TimeWaitSocket} holds no buffers), holding nothing, and closed by the application or
     * never accepted.
     */
    void chargeMemory() {
        memory.sync(nowNs());
        if ((state == TcpState.CLOSED || state == TcpState.TIME_WAIT) && (appClosed || parent != null)
                && listenQueue == null && !memory.closed() && memory.rmemAlloc() + memory.wmemQueued() == 0) {
            memory.close(nowNs());
        }
        long now = receiver.buffer.allocatedBytes() + sender.buffer.allocatedBytes();
        if (now != chargedBytes) {
            layer.charge(now - chargedBytes);
            chargedBytes = now;
            if (TcpSendmsg.writeable(sender)) {
                writers.wakeAll();
            }
        }
    }

    void wakeAll() {
        readers.wakeAll();
        writers.wakeAll();
        readiness.signal();
    }

    // ------------------------------------------------------------------ the socket layer's view

    /** Waiters for data, EOF, a connection to accept, or an error. */
    public WaitQueue readers() {
        return readers;
    }

    /** Waiters for send space or the end of a connect. */
    public WaitQueue writers() {
        return writers;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Unread in-order bytes (SIOCINQ, Recv-Q). */
    public int readableBytes() {
        return receiver.buffer.readable();
    }

    /** SIOCOUTQ / Send-Q: written and not yet acknowledged. */
    public int sendQueueBytes() {
        return sender.buffer.size();
    }

    /** SIOCOUTQNSD: written and not yet sent. */
    public int unsentBytes() {
        return sender.unsentBytes();
    }

    /**
     * Whether a write would find room now (tcp_poll's POLLOUT: __sk_stream_is_writeable). When
     * not, the socket is marked SOCK_NOSPACE, as tcp_poll does, so freed space wakes the poller.
     */
    public boolean writable() {
        boolean w = TcpSendmsg.writeable(sender);
        if (!w) {
            sender.skbs.noSpace = true;
        }
        return w;
    }

    /** The peer's FIN was received (end of stream once RecvQ is drained). */
    public boolean peerClosed() {
        return receiver.finReceived;
    }

    public boolean readShutdown() {
        return shutRd;
    }

    public boolean writeShutdown() {
        return shutWr;
    }

    public Errno pendingError() {
        return pendingError;
    }

    /** SO_ERROR: returns and clears the pending error. */
    public Errno takeError() {
        Errno e = pendingError;
        pendingError = null;
        if (e == Errno.ECONNRESET) {
            resetReported = true;
        }
        return e;
    }

    /** A reset was seen and reported once: later writes fail with EPIPE (as Linux). */
    public boolean resetReported() {
        return resetReported;
    }

    /** Queued connections waiting for accept. */
    public int acceptQueueLength() {
        return listenQueue == null ? 0 : listenQueue.acceptQueue.size();
    }

    /** Application calls, entered through the socket layer. */
    /**
     * An application write of {@code b[off..off+len)}: {@code flags} MSG_MORE and MSG_EOR;
     * {@code continuation} when earlier bytes of the same call were taken before it waited.
     */
    public int appWrite(byte[] b, int off, int len, int flags, boolean continuation) {
        return write(b, off, len, flags, continuation);
    }

    public int appRead(byte[] b, int off, int len, boolean peek) {
        return read(b, off, len, peek);
    }

    public void appClose() {
        close();
    }

    public void appAbort() {
        appClosed = true;
        abort(true);
    }

    public void appShutdown(boolean read, boolean write) {
        if (read) {
            shutdownRead();
        }
        if (write) {
            shutdownWrite();
        }
    }

    public void appQuickAck() {
        quickAck();
    }

    /** All data sent and acknowledged, FIN included (SO_LINGER's wait is over). */
    public boolean allAcknowledged() {
        return sender.buffer.isEmpty() && (!sender.finQueued || sender.finSent && SeqNum.gt(sender.sndUna, sender.finSeq));
    }

    // Options, as setsockopt/getsockopt see them.
    public void setReuseAddress(boolean on) { reuseAddress = on; }
    public boolean reuseAddress() { return reuseAddress; }
    public void setKeepAlive(boolean on) { keepAlive = on; armKeepalive(); }
    public boolean keepAlive() { return keepAlive; }
    /** TCP_NODELAY on pushes what waits, partial segments too (tcp_push_pending_frames with TCP_NAGLE_PUSH). */
    public void setNoDelay(boolean on) { noDelay = on; if (on && canSendData()) { sender.push(nowNs(), TcpSendmsg.Push.PUSH); } }
    public boolean noDelay() { return noDelay; }
    /** TCP_CORK off pushes what waits (with TCP_NODELAY partial segments too, as __tcp_sock_set_cork). */
    /** TCP_NOTSENT_LOWAT (0: net.ipv4.tcp_notsent_lowat); a writer that may now go on is woken. */
    public void setNotsentLowat(int bytes) {
        notsentLowat = bytes;
        writeSpace();
    }

    /** TCP_NOTSENT_LOWAT as set (0 when not set), as getsockopt reports it. */
    public int notsentLowat() {
        return notsentLowat;
    }

    public void setIpTos(int tos) {
        ipTos = tos & ~3;
    }

    public int ipTos() {
        return ipTos;
    }

    public void setMark(int m) { mark = m; }
    public int mark() { return mark; }
    public void setRecvmsgInq(boolean on) { recvmsgInq = on; }
    public boolean recvmsgInq() { return recvmsgInq; }

    public void setPmtuMode(netstack4j.ip.PmtuMode mode) {
        pmtuMode = java.util.Objects.requireNonNull(mode);
    }

    public netstack4j.ip.PmtuMode pmtuMode() {
        return pmtuMode;
    }

    /** tcp_notsent_lowat: the socket's value, else the sysctl's. */
    long effectiveNotsentLowat() {
        return notsentLowat != 0 ? notsentLowat & 0xFFFFFFFFL : settings.loss().notsentLowat();
    }

    public void setCork(boolean on) {
        cork = on;
        if (!on && canSendData()) {
            sender.push(nowNs(), noDelay ? TcpSendmsg.Push.PUSH : TcpSendmsg.Push.NORMAL);
        }
    }
    public boolean cork() { return cork; }
    public void setLingerSeconds(int s) { lingerSeconds = s; }
    public int lingerSeconds() { return lingerSeconds; }
    public void setKeepIdleSeconds(int s) { keepIdleNs = s * 1_000_000_000L; armKeepalive(); }
    public int keepIdleSeconds() { return (int) (keepIdleNs / 1_000_000_000L); }
    public void setKeepIntervalSeconds(int s) { keepIntervalNs = s * 1_000_000_000L; }
    public int keepIntervalSeconds() { return (int) (keepIntervalNs / 1_000_000_000L); }
    public void setKeepCount(int n) { keepCount = n; }
    public int keepCount() { return keepCount; }
    public void setUserMss(int mss) { userMss = mss; }
    /** TCP_MAXSEG read back: the send MSS once connected, else the value set (or 536, TCP_MSS_DEFAULT). */
    public int maxSegment() { return state.isSynchronized() ? sender.mss : userMss > 0 ? userMss : settings.defaultMss(); }
    public void setSynCount(int n) { synCount = n; }

    /** The congestion control algorithm's name (TCP_CONGESTION). */
    public String congestionName() {
        return congestion != null ? congestion : settings.congestionControl();
    }

    /**
     * TCP_CONGESTION, as Linux's tcp_set_congestion_control: a new instance takes over with the
     * current window; false when there is no algorithm of that name (ENOENT).
     */
    public boolean setCongestion(String name) {
        if (sender.cc == null) {
            // Before the handshake (as Linux allows): only the name is kept; the algorithm starts
            // with the connection's MSS (TcpSender.setMss).
            if (CongestionControls.create(name, settings.defaultMss(), settings.initialCwndSegments()) == null) {
                return false;
            }
            congestion = name;
            return true;
        }
        CongestionControl next = CongestionControls.create(name, sender.mss, layer.initialCwndFor(remoteIp));
        if (next == null) {
            return false;
        }
        congestion = name;
        sender.cc = next;
        return true;
    }
    public int synCount() { return synCount > 0 ? synCount : settings.synRetries(); }
    public void setUserTimeoutMs(int ms) { userTimeoutMs = ms; }
    public int userTimeoutMs() { return userTimeoutMs; }
    public void setSendBufferReported(int reported) { setSendBuffer(reported); }
    public int sendBufferReported() { return sndBufReported; }
    public void setReceiveBufferReported(int reported) { lockReceiveBuffer(reported); receiver.afterRead(); afterEvent(); }
    public int receiveBufferReported() { return rcvBufReported; }

    /** The snapshot {@code ss -tinm} and TCP_INFO show. */
    public netstack4j.socket.SocketInfo info() {
        long now = nowNs();
        if (state == TcpState.TIME_WAIT && timeWait != null && !timeWait.isGone()) {
            return timeWait.info(now); // what is left of the connection
        }
        var shown = timers.shown();
        String timerName = TcpTimers.ssName(shown);
        int mss = Math.max(1, sender.mss);
        int unacked = (sender.flightSize() + mss - 1) / mss;
        var local = bound || localPort != 0 ? new netstack4j.socket.Ipv4SocketAddress(localAddress(), localPort) : null;
        var remote = remotePort != 0 ? new netstack4j.socket.Ipv4SocketAddress(remoteAddress(), remotePort) : null;
        int recvQ = isListening() ? listenQueue.acceptQueue.size() : receiver.buffer.readable();
        int sendQ = isListening() ? listenQueue.backlog : sender.buffer.size();
        var skmem = new netstack4j.socket.SocketInfo.Skmem(receiver.buffer.allocatedBytes(), rcvBufReported,
                sender.buffer.allocatedBytes(), sndBufReported,
                sender.skbs.queuedMemory(!settings.windowsBufferRounding()), 0, memory.forwardAlloc());
        int timerCount = shown == timers.persist ? sender.persistBackoff : sender.retransmits;
        int backoff = shown == timers.persist ? sender.persistBackoff : sender.rtt.backoffCount();
        return new netstack4j.socket.SocketInfo(state(), recvQ, sendQ, local, remote, timerName,
                shown == null ? 0 : Math.max(0, shown.deadlineNs() - now), timerCount,
                sender.rtt.rtoNs(), sender.rtt.srttNs(), sender.rtt.rttvarNs(), receiver.atoNs, sender.mss,
                receiver.rcvMss, sender.cc == null ? settings.initialCwndSegments() : sender.cc.cwndBytes() / mss,
                sender.cc == null || sender.cc.ssthreshBytes() == CongestionControl.INFINITE_SSTHRESH ? Integer.MAX_VALUE
                        : sender.cc.ssthreshBytes() / mss,
                bytesAckedAsLinux(), bytesReceived, segsOut, segsIn, dataSegsOut, dataSegsIn,
                backoff, sender.probesOut, totalRetrans, unacked,
                sender.recovery.queue.countFlag(RetransmitQueue.LOST), sender.recovery.queue.countFlag(RetransmitQueue.SACKED),
                sender.sndWnd, receiver.rcvWnd, (int) receiver.autotune.space(),
                sender.lastDataSentNs, sender.lastAckRecvNs,
                sender.cc == null ? CongestionControlState.OPEN : sender.cc.state(),
                sender.cc == null ? congestionName() : sender.cc.name(), skmem, optionsText(), extraInfo(now, mss));
    }

    private netstack4j.socket.SocketInfo.Extra extraInfo(long now, int mss) {
        long minRtt = sender.rtt.minRttNs();
        long pacing = sender.cc == null ? 0 : sender.pacingRate();
        return new netstack4j.socket.SocketInfo.Extra(sender.recovery.queue.countFlag(RetransmitQueue.RETRANS),
                sender.recovery.reordering(), minRtt == Long.MAX_VALUE ? 0 : minRtt, pacing == Long.MAX_VALUE ? -1 : pacing,
                since(now, sender.lastDataSentNs), since(now, receiver.lastDataRecvNs), since(now, sender.lastAckRecvNs),
                // tcpi_advmss: less the timestamp option once negotiated (tp->advmss -= TCPOLEN_TSTAMP_ALIGNED
                // in tcp_rcv_synsent_state_process), as ss shows advmss:1448 on a 1500-byte path.
                receiver.advMss - (opts.tsOk ? 12 : 0), layer.mssFor(remoteIp) + 40, opts.sndWscale, opts.rcvWscale,
                sender.recovery.reorderingSeen, sender.chrono.busyNs(now), sender.chrono.ns(TcpChrono.RWND_LIMITED, now),
                sender.chrono.ns(TcpChrono.SNDBUF_LIMITED, now), delivered(), bytesSent, bytesRetrans, dsackDups);
    }

    /**
     * tcpi_delivered: segments delivered, as Linux's tp->delivered counts them: our SYN (or
     * SYN-ACK) once acknowledged, then each segment cumulatively acknowledged or SACKed
     * (tcp_clean_rtx_queue, tcp_sacktag_one) or, without SACK, stood for by a duplicate ACK
     * (tcp_add_reno_sack); SYN-data acknowledged by the SYN-ACK counts once with its SYN
     * (tcp_rcv_fastopen_synack).
     */
    private long delivered() {
        boolean synAcked = sender.sndUna != sender.iss && state != TcpState.SYN_SENT;
        return (synAcked ? 1 : 0) + deliveredSegs;
    }

    private static long since(long now, long thenNs) {
        return thenNs == 0 ? now : Math.max(0, now - thenNs);
    }

    /** What ss prints of the negotiated options: {@code ts sack wscale:SND,RCV}. */
    private String optionsText() {
        StringBuilder b = new StringBuilder();
        if (opts.tsOk) {
            b.append("ts");
        }
        if (opts.sackOk) {
            b.append(b.isEmpty() ? "" : " ").append("sack");
        }
        if (opts.wscaleOk) {
            b.append(b.isEmpty() ? "" : " ").append("wscale:").append(opts.sndWscale).append(',').append(opts.rcvWscale);
        }
        if (ecn.ok) {
            b.append(b.isEmpty() ? "" : " ").append("ecn"); // ss: "ecn", then "ecnseen" (tcp_show_info)
        }
        if (ecn.seen) {
            b.append(b.isEmpty() ? "" : " ").append("ecnseen");
        }
        if (FastOpen.synDataAcked(this)) {
            b.append(b.isEmpty() ? "" : " ").append("fastopen"); // TCPI_OPT_SYN_DATA
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ accessors

    /** The personality values this connection follows. */
    public TcpSettings settings() {
        return settings;
    }

    /**
     * The state as the socket's owner sees it. A connection that entered TIME_WAIT hands its
     * 4-tuple to a small {@link TimeWaitSocket} (as Linux's tcp_time_wait) and keeps showing
     * TIME_WAIT until that entry ends.
     */
    public TcpState state() {
        return state == TcpState.TIME_WAIT && timeWait != null && timeWait.isGone() ? TcpState.CLOSED : state;
    }

    @Override
    public int localIp() {
        return localIp;
    }

    @Override
    public int remoteIp() {
        return remoteIp;
    }

    @Override
    public TcpConnection nextInBucket() {
        return nextInBucket;
    }

    @Override
    public void nextInBucket(TcpConnection next) {
        nextInBucket = next;
    }

    public Ipv4Address localAddress() {
        return new Ipv4Address(localIp);
    }

    @Override
    public int localPort() {
        return localPort;
    }

    public Ipv4Address remoteAddress() {
        return new Ipv4Address(remoteIp);
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    public boolean isListening() {
        return listenQueue != null;
    }

    long nowNs() {
        return layer.stack().nowNs();
    }

    boolean tracing() {
        return layer.stack().trace().enabled();
    }

    void trace(TraceEvent.Kind kind, String detail) {
        if (tracing()) {
            layer.stack().trace(kind, "tcp", this + ": " + detail);
        }
    }

    void traceCwnd() {
        if (tracing()) {
            trace(TraceEvent.Kind.CWND, sender.cc.toString());
        }
    }

    @Override
    public String toString() {
        return new Ipv4Address(localIp) + ":" + localPort + "-" + new Ipv4Address(remoteIp) + ":" + remotePort;
    }
}
