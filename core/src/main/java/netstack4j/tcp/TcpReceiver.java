package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;

/**
 * The receiving half of a connection: RCV.NXT, RecvQ with out-of-order data ({@link ReceiveBuffer}),
 * the window we advertise and when to acknowledge (Linux's delayed-ACK engine).
 *
 * <ul>
 *   <li>Window (RFC 9293 section 3.8.6.2.2, receiver silly window avoidance, as Linux's
 *       {@code __tcp_select_window}): the free receive space, rounded down to a multiple of the
 *       peer's segment size; 0 when less than one segment and less than half the buffer is free.
 *       The right edge once advertised is never moved left (RFC 9293 section 3.8.6.2.2, as Linux's
 *       {@code tcp_select_window}). With window scaling (RFC 7323 section 2) the window may reach
 *       65535 << shift and is rounded up to a multiple of 1 << shift instead, so scaling never
 *       hides the last bytes (Linux's ALIGN in {@code __tcp_select_window}).</li>
 *   <li>SACK (RFC 2018 section 4) and D-SACK (RFC 2883): out-of-order and duplicate data are
 *       recorded in the connection's {@link SackBlocks} for the next ACK.</li>
 *   <li>Delayed ACK (RFC 9293 section 3.8.6.3, RFC 1122 section 4.2.3.2), as Linux: "quick-ACK"
 *       mode for the first segments of a connection (up to TCP_MAX_QUICKACKS), then an ACK is sent
 *       at once when more than one full-sized segment is unacknowledged (so every second one) and
 *       otherwise after the ato, which adapts to the arrival gaps between TCP_ATO_MIN (40 ms) and
 *       the RTO and is capped at TCP_DELACK_MAX (200 ms) or the RTT. Out-of-order data, a
 *       duplicate and a segment that fills a hole are acknowledged at once.</li>
 *   <li>Interactive ("pingpong") mode: entered when we send data soon after receiving (Linux's
 *       {@code tcp_event_data_sent}); left when a delayed ACK timer fires. In this mode ACKs wait
 *       to ride on the reply, which with Nagle on the other side makes the N22 stall.</li>
 * </ul>
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TcpReceiver {
    /** The largest window a 16-bit field holds unscaled (SYNs, RFC 7323 section 2.2). */
    static final int MAX_UNSCALED_WINDOW = 0xffff;

    private final TcpConnection c;
    final ReceiveBuffer buffer;
    int irs;
    int rcvNxt;
    /** RCV.NXT when the last ACK left (Linux's rcv_wup): the left edge of the advertised window. */
    int rcvWup;
    /** The last window advertised (Linux's rcv_wnd). */
    int rcvWnd;
    /** The peer's segment size as estimated from what arrives (Linux's icsk_ack.rcv_mss). */
    int rcvMss;
    /** Our advertised MSS: the most the peer should send in one segment. */
    int advMss;
    /**
     * Linux's rcv_ssthresh, the most window offered: unlimited (the whole free space, as if
     * tcp_grow_window had grown it to the window clamp) until memory pressure clamps it
     * ({@link #clampRcvSsthresh}); it grows back by two segments per segment received once the
     * pressure is over (tcp_grow_window).
     */
    int rcvSsthresh = Integer.MAX_VALUE;
    /** ICSK_ACK_NOMEM: data was dropped for want of memory; the next ACK offers a zero window. */
    boolean noMem;

    boolean ackPending;
    int quickAcks;
    boolean pingpong;
    long atoNs;
    long lastRecvNs;
    /** When data last arrived (Linux's icsk_ack.lrcvtime for tcpi_last_data_recv); 0 before any. */
    long lastDataRecvNs;
    boolean finReceived;
    /** Receive-buffer autotuning (tcp_rcv_space_adjust) and the receiver's RTT estimate. */
    final RcvAutotune autotune = new RcvAutotune();
    boolean finPending;
    int finSeq;

    TcpReceiver(TcpConnection c, int capacityBytes) {
        this.c = c;
        this.buffer = new ReceiveBuffer(capacityBytes);
    }

    void init(int irs, int advMss) {
        this.irs = irs;
        this.rcvNxt = irs + 1;
        this.rcvWup = rcvNxt;
        this.advMss = advMss;
        // As Linux's tcp_initialize_rcv_mss: at most TCP_MSS_DEFAULT until bigger segments arrive.
        this.rcvMss = Math.max(88, Math.min(advMss, c.settings.defaultMss()));
    }

    /** RCV.WND as the peer last learned it: from RCV.NXT to the advertised right edge. */
    int receiveWindow() {
        int w = SeqNum.diff(SeqNum.add(rcvWup, rcvWnd), rcvNxt);
        return Math.max(0, w);
    }

    /** The window to put in an outgoing segment; records it as advertised. */
    int selectWindow() {
        if (noMem) {
            // tcp_select_window: "make the window 0 if we failed to queue the data because we
            // are out of memory", the one case where Linux moves the right edge left.
            rcvWnd = 0;
            rcvWup = rcvNxt;
            return 0;
        }
        int w = computeWindow();
        int cur = receiveWindow();
        if (w < cur) {
            w = cur; // RFC 9293 section 3.8.6.2.2: never shrink the window
        }
        rcvWnd = w;
        rcvWup = rcvNxt;
        return w;
    }

    /** Linux's {@code __tcp_select_window}. */
    int computeWindow() {
        int mss = Math.max(1, rcvMss);
        int shift = c.opts.rcvWscale;
        int max = MAX_UNSCALED_WINDOW << shift;
        int full = Math.min(buffer.capacity(), max);
        int free = Math.min(buffer.window(), max);
        if (c.shutRd() && c.state() == TcpState.CLOSED) {
            return 0;
        }
        if (free < (full >> 1)) {
            quickAcks = 0;
            if (c.memory.underPressure()) {
                clampRcvSsthresh(4 * advMss); // __tcp_select_window: tcp_adjust_rcv_ssthresh
            }
            if (free < mss) {
                return 0;
            }
        }
        free = Math.min(free, rcvSsthresh); // __tcp_select_window: never more than rcv_ssthresh
        if (shift > 0) {
            int unit = 1 << shift;
            return Math.min(max, (free + unit - 1) & -unit);
        }
        int window = rcvWnd;
        if (window <= free - mss || window > free) {
            window = (free / mss) * mss;
        } else if (mss == full && free > window + (full >> 1)) {
            window = free;
        }
        return window;
    }

    /** tcp_adjust_rcv_ssthresh / tcp_clamp_window: the window offered falls to at most {@code limit}. */
    void clampRcvSsthresh(int limit) {
        rcvSsthresh = Math.min(rcvSsthresh, Math.max(limit, advMss));
    }

    /**
     * tcp_grow_window, for an in-order segment of at least 128 bytes: not under memory pressure,
     * a clamped rcv_ssthresh grows by two segments, and is unlimited again once it covers the
     * buffer.
     */
    private void growWindow(int length) {
        if (rcvSsthresh == Integer.MAX_VALUE || length < 128 || c.memory.underPressure()) {
            return;
        }
        long grown = (long) rcvSsthresh + 2L * advMss;
        rcvSsthresh = grown >= buffer.capacity() ? Integer.MAX_VALUE : (int) grown;
    }

    boolean inQuickAckMode() {
        return quickAcks > 0 && !pingpong;
    }

    /**
     * Places a segment's payload. RFC 9293 section 3.10.7.4, seventh step: data in order is
     * delivered to RecvQ; data beyond a gap is held; what lies outside the window is trimmed.
     *
     * @return false when it could not be stored (out-of-order interval limit)
     */
    boolean onData(long nowNs, int seq, byte[] array, int offset, int length, boolean push) {
        int rel = SeqNum.diff(seq, rcvNxt);
        boolean hadHoles = buffer.intervalCount() > 0;
        int endSeq = SeqNum.add(seq, length);
        noteDuplicate(seq, length);
        if (!c.memory.receive(rel, length, nowNs)) {
            // tcp_data_queue (TCPRcvQDrop, ICSK_ACK_NOMEM) or tcp_data_queue_ofo (TCPOFODrop):
            // no memory for the segment even after pruning; it is dropped and ACKed at once.
            c.layer.counters().increment(rel > 0 ? Counter.TcpExtTCPOFODrop : Counter.TcpExtTCPRcvQDrop);
            c.layer.drop(DropReason.TCP_PROTO_MEM);
            noMem |= rel <= 0;
            ackNow();
            return false;
        }
        int advanced = buffer.insert(rel, array, offset, length);
        if (advanced == ReceiveBuffer.REFUSED) {
            ackNow();
            return false;
        }
        // tcp_measure_rcv_mss: a GRO aggregate is measured by the segments it was merged from.
        int gsoSize = c.layer.inboundGsoSize;
        int segLength = gsoSize > 0 ? Math.min(gsoSize, length) : length;
        if (segLength > rcvMss) {
            rcvMss = Math.min(segLength, advMss); // as Linux's tcp_measure_rcv_mss
        }
        c.dataSegsIn += c.layer.inboundGsoSegments; // data_segs_in of the skb (gso_segs)
        lastDataRecvNs = nowNs;
        if (advanced == 0) {
            // Out of order or duplicate: RFC 9293 section 3.10.7.4 (and RFC 5681 section 4.2) ACK at once.
            int windowEnd = SeqNum.add(rcvNxt, buffer.window());
            if (c.opts.sackOk && rel > 0 && SeqNum.lt(seq, windowEnd)) {
                c.sacks.onOutOfOrder(seq, SeqNum.min(endSeq, windowEnd));
            }
            enterQuickAck(nowNs);
            ackNow();
            return true;
        }
        rcvNxt = SeqNum.add(rcvNxt, advanced);
        c.sacks.onRcvNxt(rcvNxt);
        growWindow(length); // tcp_event_data_recv
        autotune.onData(nowNs, rcvNxt, rcvWnd); // tcp_rcv_rtt_measure
        if (c.opts.sawTimestamp && length >= rcvMss) {
            autotune.onTimestamp(c.opts.rcvTsEcr, c.opts.msSince(c.opts.rcvTsEcr, nowNs)); // tcp_rcv_rtt_measure_ts
        }
        c.bytesReceived += advanced;
        updateAto(nowNs);
        checkFin();
        if (hadHoles || buffer.intervalCount() > 0) {
            ackNow(); // filled (part of) a hole: RFC 5681 section 4.2
        } else {
            scheduleAck(nowNs);
        }
        return true;
    }

    /**
     * Linux's tcp_dsack_set (RFC 2883 section 4) when tcp_dsack is on: data entirely before
     * RCV.NXT, the part of a segment before RCV.NXT, or out-of-order data already held, is
     * reported as a duplicate.
     */
    void noteDuplicate(int seq, int length) {
        if (!c.opts.sackOk || !c.settings.dsack() || length == 0) {
            return;
        }
        int rel = SeqNum.diff(seq, rcvNxt);
        int endSeq = SeqNum.add(seq, length);
        if (rel + length <= 0) {
            c.sacks.onDuplicate(seq, endSeq);
        } else if (rel < 0) {
            c.sacks.onDuplicate(seq, rcvNxt);
        } else if (rel > 0 && buffer.holds(rel, length)) {
            c.sacks.onDuplicate(seq, endSeq);
        }
    }

    /** A FIN at {@code seq} (after the segment's data): processed when RCV.NXT reaches it. */
    void onFin(int seq) {
        if (!finReceived && !finPending) {
            finPending = true;
            finSeq = seq;
        }
        checkFin();
        ackNow();
    }

    private void checkFin() {
        if (finPending && rcvNxt == finSeq) {
            finPending = false;
            finReceived = true;
            rcvNxt = SeqNum.add(rcvNxt, 1);
            c.peerFinArrived();
        }
    }

    /** Linux's {@code tcp_event_data_recv}: adapt the ato to the gaps between arrivals. */
    private void updateAto(long nowNs) {
        long atoMin = c.settings.delackMinNs();
        if (atoNs == 0) {
            quickAcks = c.settings.maxQuickAcks();
            atoNs = atoMin;
        } else {
            long m = nowNs - lastRecvNs;
            long rto = c.sender.rtt.rtoNs();
            if (m <= atoMin / 2) {
                atoNs = atoNs / 2 + atoMin / 2;
            } else if (m < atoNs) {
                atoNs = Math.min(atoNs / 2 + m, rto);
            } else if (m > rto) {
                enterQuickAck(nowNs);
            }
        }
        lastRecvNs = nowNs;
    }

    void enterQuickAck(long nowNs) {
        int q = Math.max(2, Math.min(c.settings.maxQuickAcks(), rcvWnd / Math.max(1, 2 * rcvMss)));
        quickAcks = Math.max(quickAcks, q);
        pingpong = false;
        if (atoNs == 0) {
            atoNs = c.settings.delackMinNs();
        }
    }

    /** Linux's {@code __tcp_ack_snd_check} after in-order data. */
    private void scheduleAck(long nowNs) {
        boolean moreThanOneSegment = SeqNum.diff(rcvNxt, rcvWup) > rcvMss && computeWindow() >= rcvWnd;
        if (moreThanOneSegment || inQuickAckMode()) {
            ackNow();
            return;
        }
        ackPending = true;
        if (!c.timers.delack.isArmed()) {
            c.timers.armDelack(nowNs + delackTimeoutNs());
        }
    }

    /** Linux's {@code tcp_send_delayed_ack}: the ato, capped by 200 ms (interactive) or 500 ms, and by the RTT. */
    long delackTimeoutNs() {
        long ato = atoNs == 0 ? c.settings.delackMinNs() : atoNs;
        if (ato > c.settings.delackMinNs()) {
            long maxAto = pingpong ? c.settings.delackMaxNs() : 500_000_000L;
            long srtt = c.sender.rtt.srttNs();
            if (srtt > 0) {
                maxAto = Math.min(maxAto, Math.max(srtt, c.settings.delackMinNs()));
            }
            ato = Math.min(ato, maxAto);
        }
        return ato;
    }

    /** Flags that an ACK must go out now (sent by the connection's output step). */
    void ackNow() {
        ackPending = true;
        c.ackNow = true;
    }

    /** We sent data: a reply within the ato of the last arrival makes the connection interactive (Linux's {@code tcp_event_data_sent}). */
    void onDataSent(long nowNs) {
        if (atoNs != 0 && nowNs - lastRecvNs < atoNs) {
            pingpong = true;
        }
    }

    /** An ACK (pure or on data) just left. */
    void onAckSent() {
        ackPending = false;
        noMem = false; // inet_csk_clear_xmit_timer(ICSK_TIME_DACK) clears icsk_ack.pending
        if (quickAcks > 0) {
            quickAcks--;
        }
        c.timers.cancelDelack();
    }

    /**
     * The application read: RFC 9293 section 3.8.6.2.2 and Linux's {@code tcp_cleanup_rbuf}: send a
     * window update when the window we could offer now is at least twice the one the peer has.
     */
    void afterRead() {
        if (!c.state().isSynchronized() || finReceived) {
            return;
        }
        if (ackPending && SeqNum.diff(rcvNxt, rcvWup) > rcvMss) {
            // tcp_cleanup_rbuf: "once-per-two-segments ACK was not sent by tcp_input.c" (the
            // window had not moved then); the read moved it, so the ACK goes now.
            ackNow();
            return;
        }
        int now = receiveWindow();
        int next = computeWindow();
        if (next > 0 && next >= 2 * now) {
            ackNow();
        }
    }
}
