package netstack4j.tcp;

/**
 * NewReno: RFC 5681 slow start and congestion avoidance with RFC 6582 fast recovery (the recovery
 * itself lives in {@link AbstractCongestionControl}). Linux's "reno" module.
 *
 * <ul>
 *   <li>Initial window: a parameter in segments; RFC 6928 and Linux (TCP_INIT_CWND) use 10.</li>
 *   <li>Slow start (RFC 5681 section 3.1, equation 2) counts bytes (RFC 3465): cwnd grows by the
 *       bytes acknowledged, up to ssthresh, and what is left over feeds congestion avoidance. RFC
 *       3465 section 2.2 caps one ACK's growth at L = 2 SMSS; Linux's {@code tcp_slow_start} has no
 *       such cap since 3.x, and neither does this class (as Linux does).</li>
 *   <li>Congestion avoidance (RFC 5681 section 3.1, RFC 3465 section 2.1): acknowledged bytes are
 *       accumulated and cwnd grows by one SMSS each time a full cwnd's worth has been acknowledged,
 *       as Linux's {@code tcp_cong_avoid_ai} counts acknowledged packets.</li>
 *   <li>On loss ssthresh = max(FlightSize / 2, 2 SMSS) (RFC 5681 section 3.1, equation 4). Linux's
 *       {@code tcp_reno_ssthresh} halves cwnd instead of FlightSize; the RFC's rule is kept here.</li>
 * </ul>
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class NewReno extends AbstractCongestionControl {
    /** RFC 6928 initial window, Linux's TCP_INIT_CWND. */
    public static final int LINUX_INITIAL_WINDOW_SEGMENTS = 10;

    /** Bytes acknowledged in congestion avoidance and not yet turned into window (RFC 3465 bytes_acked). */
    private int bytesAckedInAvoidance;

    /**
     * @param smssBytes                the sender's maximum segment size
     * @param initialWindowSegments    the initial window in segments (RFC 6928; Linux: 10)
     */
    public NewReno(int smssBytes, int initialWindowSegments) {
        super(smssBytes, checkedInitialWindow(smssBytes, initialWindowSegments));
    }

    private static int checkedInitialWindow(int smssBytes, int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("initial window must be >= 1 segment: " + segments);
        }
        return (int) Math.min(MAX_CWND_BYTES, (long) smssBytes * segments);
    }

    /** Linux's defaults: an initial window of 10 segments. */
    public static NewReno linux(int smssBytes) {
        return new NewReno(smssBytes, LINUX_INITIAL_WINDOW_SEGMENTS);
    }

    @Override
    public String name() {
        return "reno";
    }

    @Override
    protected void increaseWindow(long nowNs, int bytesAcked) {
        int cwnd = cwndBytes();
        int left = bytesAcked;
        if (cwnd < ssthreshBytes()) {
            // RFC 5681 section 3.1 slow start, byte counted, capped at ssthresh (as Linux's tcp_slow_start).
            int grow = (int) Math.min(left, (long) ssthreshBytes() - cwnd);
            cwnd += grow;
            left -= grow;
            setCwnd(cwnd);
            cwnd = cwndBytes();
            if (left == 0) {
                return;
            }
        }
        // RFC 5681 section 3.1 congestion avoidance with RFC 3465 section 2.1 byte counting:
        // one SMSS per cwnd's worth of acknowledged bytes.
        long acc = (long) bytesAckedInAvoidance + left;
        if (acc >= cwnd) {
            long steps = acc / cwnd;
            acc -= steps * cwnd;
            setCwnd((int) Math.min(MAX_CWND_BYTES, cwnd + steps * smssBytes()));
        }
        bytesAckedInAvoidance = (int) acc;
    }

    @Override
    protected int ssthreshAfterLoss(long nowNs, int flightSizeBytes, boolean timeout) {
        // RFC 5681 section 3.1, equation (4).
        return Math.max(flightSizeBytes / 2, 2 * smssBytes());
    }

    @Override
    protected void onWindowReduced(long nowNs) {
        bytesAckedInAvoidance = 0;
    }
}
