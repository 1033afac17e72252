package netstack4j.tcp;

/**
 * How many MSS-sized segments Linux puts in one transmission unit (one skb handed to the device,
 * cut to MSS by TSO/GSO): {@code tcp_tso_autosize} in tcp_output.c, fed by the pacing rate of
 * {@code tcp_update_pacing_rate} (tcp_input.c). The sender groups its segments into such units;
 * the last segment of a unit of more than one carries PSH, as {@code __tcp_transmit_skb} forces
 * PSH on every GSO packet "to expedite GRO flush at receiver".
 *
 * <p>Stateless; the inputs are the connection's current MSS, cwnd, ssthresh, packets out and
 * RTT estimates.
 */
final class TsoSizing {
    /** sk_gso_max_size of a device without a larger GSO limit (GSO_LEGACY_MAX_SIZE). */
    static final int GSO_MAX_SIZE = 65536;
    /** net.ipv4.tcp_tso_rtt_log: a unit may grow by GSO_MAX_SIZE >> (min_rtt_us >> 9). */
    static final int TSO_RTT_LOG = 9;
    /** sk_pacing_shift: a unit is about 1 ms (2^-10 s) of the pacing rate. */
    static final int PACING_SHIFT = 10;

    private TsoSizing() {
    }

    /**
     * tcp_update_pacing_rate: 200 % of cwnd * mss / srtt in slow start (cwnd below half of
     * ssthresh), 120 % after; unlimited before the first RTT sample, as sk_pacing_rate starts at ~0.
     *
     * @return bytes per second
     */
    static long pacingRate(int mss, int cwndSegs, int ssthreshSegs, int packetsOut, long srttNs,
                           TcpSettings.LossSettings ls) {
        long srttUs = srttNs / 1000;
        if (srttUs <= 0) {
            return Long.MAX_VALUE;
        }
        long ratio = cwndSegs < ssthreshSegs / 2 ? ls.pacingSsRatio() : ls.pacingCaRatio();
        long rate = (long) mss * Math.max(cwndSegs, packetsOut) * ratio * 10_000L;
        return rate / srttUs;
    }

    /**
     * tcp_tso_autosize: segments per unit, at least {@code minTsoSegs} (net.ipv4.tcp_min_tso_segs).
     *
     * @param minRttNs the connection's minimum RTT, {@link Long#MAX_VALUE} before any sample
     */
    static int segments(long pacingRate, long minRttNs, int mss, int minTsoSegs) {
        long bytes = pacingRate >> PACING_SHIFT;
        if (minRttNs != Long.MAX_VALUE) {
            long r = (minRttNs / 1000) >> TSO_RTT_LOG;
            if (r < Integer.SIZE) {
                bytes += GSO_MAX_SIZE >> r;
            }
        }
        bytes = Math.min(bytes, GSO_MAX_SIZE);
        return (int) Math.max(bytes / Math.max(1, mss), minTsoSegs);
    }
}
