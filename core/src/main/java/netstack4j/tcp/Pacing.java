package netstack4j.tcp;

/**
 * Pacing as Linux does it with the fq queueing discipline (Earliest Departure Time): every
 * transmission gets a departure time, {@code tcp_wstamp_ns}, which then advances by the
 * transmission's length at the pacing rate ({@code tcp_update_skb_after_send}); fq releases each
 * packet at its departure time. Here the sender holds a unit until its departure time instead of
 * handing it to a queue, which is what Linux's TCP small queues amount to at pacing rates (at
 * most about a millisecond of data waits in fq).
 *
 * <p>Rules kept from Linux: the first ten data segments are not paced (sch_fq does not pace the
 * initial window); the time a connection stood idle past its departure time is a credit that
 * shortens the next gap by up to half; an unknown rate (before the first RTT sample) does not
 * pace. The rate is {@link TsoSizing#pacingRate} (tcp_update_pacing_rate).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class Pacing {
    /** Data segments sent before pacing starts (the initial window sch_fq leaves unpaced). */
    static final int UNPACED_SEGMENTS = 10;
    /** tp->tcp_wstamp_ns: when the next transmission may leave. */
    private long wstampNs;

    /** When the next transmission may leave; at or before {@code nowNs} when it may go now. */
    long departureNs() {
        return wstampNs;
    }

    /**
     * A transmission of {@code bytes} left at {@code nowNs} (tcp_update_skb_after_send): the next
     * departure moves by its length at {@code rateBytesPerSec}.
     */
    void onSent(long nowNs, int bytes, long rateBytesPerSec, long dataSegsOut) {
        long prior = wstampNs;
        wstampNs = Math.max(wstampNs, nowNs);
        if (rateBytesPerSec <= 0 || rateBytesPerSec == Long.MAX_VALUE || dataSegsOut < UNPACED_SEGMENTS) {
            return;
        }
        long lenNs = bytes * 1_000_000_000L / rateBytesPerSec;
        long credit = wstampNs - prior;
        lenNs -= Math.min(lenNs / 2, credit); // "take into account OS jitter"
        wstampNs += lenNs;
    }
}
