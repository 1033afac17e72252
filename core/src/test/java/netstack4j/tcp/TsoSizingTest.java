package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * tcp_update_pacing_rate and tcp_tso_autosize, worked by hand from Linux's formulas: the
 * pacing rate is ratio% of mss * max(cwnd, packets_out) / srtt; a unit is 1 ms of it (rate >>
 * sk_pacing_shift 10) plus GSO_LEGACY_MAX_SIZE >> (min_rtt_us >> tcp_tso_rtt_log 9), at most
 * 64 KiB, in whole segments, at least tcp_min_tso_segs (2).
 */
class TsoSizingTest {
    static final TcpSettings.LossSettings LINUX = TcpSettings.LossSettings.LINUX;
    static final int MSS = 1448;
    static final long MS = 1_000_000L;

    @Test
    void pacingRateIsTwiceCwndPerSrttInSlowStartAndOneFifthMoreAfter() {
        // 1448 * 10 / 10 ms = 1,448,000 B/s; 200 % in slow start (cwnd below ssthresh / 2).
        assertEquals(2_896_000L, TsoSizing.pacingRate(MSS, 10, Integer.MAX_VALUE, 0, 10 * MS, LINUX));
        // 120 % once cwnd has reached half of ssthresh.
        assertEquals(1_737_600L, TsoSizing.pacingRate(MSS, 10, 20, 0, 10 * MS, LINUX));
        // packets_out above cwnd counts instead (max(snd_cwnd, packets_out)).
        assertEquals(5_792_000L, TsoSizing.pacingRate(MSS, 10, Integer.MAX_VALUE, 20, 10 * MS, LINUX));
        assertEquals(Long.MAX_VALUE, TsoSizing.pacingRate(MSS, 10, Integer.MAX_VALUE, 0, 0, LINUX), "no RTT sample yet");
    }

    @Test
    void aSlowLongPathGetsTheMinimumOfTwoSegments() {
        // 2,896,000 >> 10 = 2828 bytes; min_rtt 10 ms: 10000 >> 9 = 19, 65536 >> 19 = 0.
        assertEquals(2, TsoSizing.segments(2_896_000L, 10 * MS, MSS, 2), "1 segment's worth, raised to tcp_min_tso_segs");
        assertEquals(4, TsoSizing.segments(2_896_000L, 10 * MS, MSS, 4), "tcp_min_tso_segs=4");
        // 20 ms of rate at 1 ms per unit: 30 MB/s >> 10 = 29296 bytes = 20 segments.
        assertEquals(20, TsoSizing.segments(30_000_000L, 10 * MS, MSS, 2));
    }

    @Test
    void aShortRttAddsUpTo64KiB() {
        // min_rtt 1 ms: 1000 >> 9 = 1, 65536 >> 1 = 32768; + 2828 = 35596 bytes = 24 segments.
        assertEquals(24, TsoSizing.segments(2_896_000L, 1 * MS, MSS, 2));
        // min_rtt 100 us: 100 >> 9 = 0, the full 65536: capped at 64 KiB = 45 segments of 1448.
        assertEquals(45, TsoSizing.segments(2_896_000L, 100_000L, MSS, 2));
        // Without an RTT sample nothing is added, but the rate is unlimited: 64 KiB.
        assertEquals(45, TsoSizing.segments(Long.MAX_VALUE, Long.MAX_VALUE, MSS, 2));
    }

    @Test
    void aFastPathIsCappedAt64KiB() {
        assertEquals(45, TsoSizing.segments(1_000_000_000L, 10 * MS, MSS, 2));
        assertEquals(65, TsoSizing.segments(1_000_000_000L, 10 * MS, 1000, 2), "65536 / 1000");
    }
}
