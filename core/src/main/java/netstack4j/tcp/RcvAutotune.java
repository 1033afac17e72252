package netstack4j.tcp;

/**
 * Receive-buffer autotuning (N3), Linux's dynamic right-sizing: the receiver estimates the round
 * trip from its own side ({@code tcp_rcv_rtt_measure}: the time for a window of data to arrive;
 * {@code tcp_rcv_rtt_measure_ts}: the echoed timestamp) and, once per such round trip, compares
 * what the application read in it with the previous round ({@code tcp_rcv_space_adjust}). A
 * reader that keeps up with a growing sender gets a buffer, and so a window, of about twice what
 * it reads per round trip (more while the rate still grows), up to tcp_rmem[2]. An explicit
 * SO_RCVBUF turns this off (SOCK_RCVBUF_LOCK).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class RcvAutotune {
    /** The receiver's RTT estimate in microseconds times 8 (rcv_rtt_est.rtt_us); 0 before a sample. */
    private long rttUs8;
    /** rcv_nxt at which the window-based measurement ends (rcv_rtt_est.seq). */
    private int rttSeq;
    private long rttTimeNs;
    /** The last TSecr sampled (rcv_rtt_last_tsecr). */
    private int lastTsEcr;
    /** Bytes read in the last measured round trip (rcvq_space.space, tcpi_rcv_space). */
    private long space;
    /** Bytes read in all (copied_seq) and when the measured round began (rcvq_space.seq/time). */
    private long copied;
    private long spaceCopied;
    private long spaceTimeNs;

    /** tcp_init_buffer_space: the first round expects ten segments, at most the window. */
    void init(long nowNs, int rcvWnd, int advMss) {
        space = Math.min(rcvWnd, 10L * advMss);
        spaceCopied = copied;
        spaceTimeNs = nowNs;
    }

    long space() {
        return space;
    }

    /** tcp_rcv_rtt_update: the smallest window-based sample, or a smoothed timestamp sample. */
    private void update(long sampleUs, boolean windowBased) {
        long m = Math.max(1, sampleUs);
        if (rttUs8 == 0) {
            rttUs8 = m << 3;
        } else if (windowBased) {
            rttUs8 = Math.min(rttUs8, m << 3);
        } else {
            rttUs8 += m - (rttUs8 >> 3);
        }
    }

    /** tcp_rcv_rtt_measure: in-order data arrived; a window's worth takes about one round trip. */
    void onData(long nowNs, int rcvNxt, int rcvWnd) {
        if (rttTimeNs != 0) {
            if (SeqNum.lt(rcvNxt, rttSeq)) {
                return;
            }
            update((nowNs - rttTimeNs) / 1000, true);
        }
        rttSeq = SeqNum.add(rcvNxt, rcvWnd);
        rttTimeNs = nowNs;
    }

    /** tcp_rcv_rtt_measure_ts: a full segment echoing a new TSecr, {@code ageMs} old. */
    void onTimestamp(int tsEcr, long ageMs) {
        if (tsEcr == lastTsEcr || ageMs < 0 || ageMs >= Integer.MAX_VALUE / 1000) {
            return;
        }
        lastTsEcr = tsEcr;
        update(ageMs * 1000, false);
    }

    /**
     * tcp_rcv_space_adjust after the application read {@code n} bytes: once a round trip has
     * passed, the buffer the reading rate needs ({@code rcvwin}, doubled as tcp_space_from_win
     * does with tcp_adv_win_scale 1), or -1 when it need not grow.
     */
    long onRead(long nowNs, int n, int advMss, boolean locked, long rmemMax, long currentRcvbuf) {
        copied += n;
        if (rttUs8 == 0 || (nowNs - spaceTimeNs) / 1000 < (rttUs8 >> 3)) {
            return -1;
        }
        long read = copied - spaceCopied;
        long grown = -1;
        if (read > space) {
            if (!locked) {
                long rcvwin = (read << 1) + 16L * advMss;
                long grow = space > 0 ? rcvwin * (read - space) / space : 0;
                rcvwin += grow << 1;
                long rcvbuf = Math.min(rcvwin * 2, rmemMax);
                if (rcvbuf > currentRcvbuf) {
                    grown = rcvbuf;
                }
            }
            space = read;
        }
        spaceCopied = copied;
        spaceTimeNs = nowNs;
        return grown;
    }
}
