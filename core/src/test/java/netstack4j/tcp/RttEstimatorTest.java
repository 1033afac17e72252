package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void beforeAnySampleTheRtoIsTheInitialOne() {
        RttEstimator e = RttEstimator.linux();
        assertFalse(e.hasSample());
        assertEquals(1000 * MS, e.rtoNs());
        assertEquals(0, e.srttNs());
        assertEquals(0, e.rttvarNs());
        assertEquals("rto:1000", e.toString());
    }

    @Test
    void linuxFirstSampleGivesSrttPlusMaxOfTwiceRttAndRtoMin() {
        RttEstimator e = RttEstimator.linux();
        e.onSample(100 * MS, 1, 1000);
        assertTrue(e.hasSample());
        assertEquals(100 * MS, e.srttNs());
        assertEquals(50 * MS, e.rttvarNs());
        assertEquals(300 * MS, e.rtoNs()); // 100 + max(200, 200)

        RttEstimator lan = RttEstimator.linux();
        lan.onSample(1 * MS, 1, 1000);
        assertEquals(201 * MS, lan.rtoNs()); // 1 + max(2, 200): the familiar rto:201 on a LAN
        assertEquals("rto:201 rtt:1/0.5", lan.toString());

        RttEstimator longPath = RttEstimator.linux();
        longPath.onSample(400 * MS, 1, 1000);
        assertEquals(1200 * MS, longPath.rtoNs()); // 3 RTT
    }

    @Test
    void linuxSequenceComputedByHand() {
        RttEstimator e = RttEstimator.linux();
        e.onSample(100 * MS, 1, 1000);          // srtt 100, mdev 200 (x4), rttvar 200, rtt_seq 1000
        e.onSample(120 * MS, 1001, 2000);       // err +20: srtt 102.5; mdev 200 + (20 - 50) = 170
        assertEquals(102_500_000, e.srttNs());
        assertEquals(42_500_000, e.rttvarNs());
        assertEquals(303 * MS, e.rtoNs());      // 102.5 + 200 = 302.5, rounded up to the jiffy

        e.onSample(400 * MS, 1500, 2500);       // same round trip: err 297.5, srtt 139.6875
        assertEquals(139_687_500, e.srttNs());  // mdev 170 + (297.5 - 42.5) = 425 -> rttvar 425
        assertEquals(106_250_000, e.rttvarNs());
        assertEquals(565 * MS, e.rtoNs());      // 139.6875 + 425 = 564.6875 -> 565

        e.onSample(100 * MS, 2001, 3000);       // err -39.6875: |err| - mdev/4 < 0, gain stays 1/4
        assertEquals(134_726_562, e.srttNs());  // 1077.8125 / 8, truncated to the ns
        assertEquals(89_609_375, e.rttvarNs()); // mdev 425 - 66.5625 = 358.4375
        assertEquals(560 * MS, e.rtoNs());      // rttvar stays 425 (max of the round): 559.73 -> 560

        e.onSample(100 * MS, 3001, 4000);       // next round: rttvar decays 1/4 towards mdev_max
        assertEquals(130_385_742, e.srttNs());
        assertEquals(75_888_671, e.rttvarNs()); // mdev 303.554687
        assertEquals(526 * MS, e.rtoNs());      // 130.385742 + 394.638672 = 525.02 -> 526
    }

    @Test
    void linuxFallingRttMovesMdevWithGainOneThirtySecond() {
        RttEstimator e = RttEstimator.linux();
        e.onSample(800 * MS, 1, 100);           // srtt 800, mdev(x4) 1600
        e.onSample(0, 1, 100);                  // err -800 (sample 0 counts as 1 ns)
        // |err| - mdev/4 = 800 - 400 = 400 (minus the 1 ns), shifted right by 3: mdev grows by ~50, not 400
        long mdev4 = 4 * e.rttvarNs();
        assertTrue(mdev4 > 1_649 * MS && mdev4 < 1_651 * MS, "mdev x4 = " + mdev4);
    }

    @Test
    void rfc6298FormulaComputedByHand() {
        RttEstimator e = new RttEstimator(RttEstimator.Formula.RFC6298, 1000 * MS, 200 * MS, 60_000 * MS, MS);
        e.onSample(100 * MS, 0, 0);             // section 2.2: SRTT 100, RTTVAR 50
        assertEquals(100 * MS, e.srttNs());
        assertEquals(50 * MS, e.rttvarNs());
        assertEquals(300 * MS, e.rtoNs());      // 100 + 4 * 50
        e.onSample(200 * MS, 0, 0);             // section 2.3: RTTVAR 3/4*50 + 1/4*100, SRTT 7/8*100 + 1/8*200
        assertEquals(62_500_000, e.rttvarNs());
        assertEquals(112_500_000, e.srttNs());
        assertEquals(362_500_000, e.rtoNs());
    }

    @Test
    void rfc6298RoundsUpToOneSecond() {
        RttEstimator e = RttEstimator.rfc6298();
        e.onSample(10 * MS, 0, 0);
        assertEquals(1000 * MS, e.rtoNs()); // section 2.4
    }

    @Test
    void granularityTermDominatesATinyVariance() {
        RttEstimator e = new RttEstimator(RttEstimator.Formula.RFC6298, 1000 * MS, 1, 60_000 * MS, 10 * MS);
        e.onSample(1000, 0, 0); // 1 us
        assertEquals(1000 + 10 * MS, e.rtoNs()); // SRTT + max(G, 4 RTTVAR)
    }

    @Test
    void backoffDoublesUpToTheMaximumAndResets() {
        RttEstimator e = RttEstimator.linux();
        e.backoff();
        assertEquals(2000 * MS, e.rtoNs());
        e.backoff();
        assertEquals(4000 * MS, e.rtoNs());
        for (int i = 0; i < 40; i++) {
            e.backoff();
        }
        assertEquals(120_000 * MS, e.rtoNs());
        assertEquals(31, e.backoffCount());
        e.resetBackoff();
        assertEquals(1000 * MS, e.rtoNs());
        assertEquals(0, e.backoffCount());
    }

    @Test
    void aNewSampleClearsTheBackoff() {
        RttEstimator e = RttEstimator.linux();
        e.backoff();
        e.backoff();
        assertEquals(4000 * MS, e.rtoNs());
        e.onSample(100 * MS, 1, 2);
        assertEquals(0, e.backoffCount());
        assertEquals(300 * MS, e.rtoNs());
        e.backoff();
        assertEquals(600 * MS, e.rtoNs());
        assertEquals("rto:600 backoff:1 rtt:100/50", e.toString());
    }

    @Test
    void largeSamplesAreBoundedByTheMaximum() {
        RttEstimator e = RttEstimator.linux();
        e.onSample(100_000 * MS, 1, 2);
        assertEquals(120_000 * MS, e.rtoNs());
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new RttEstimator(RttEstimator.Formula.LINUX, 100 * MS, 200 * MS, 1000 * MS, MS));
        assertThrows(IllegalArgumentException.class,
                () -> new RttEstimator(RttEstimator.Formula.LINUX, 1000 * MS, 200 * MS, 1000 * MS, 0));
        assertThrows(IllegalArgumentException.class, () -> RttEstimator.linux().onSample(-1, 0, 0));
    }
}
