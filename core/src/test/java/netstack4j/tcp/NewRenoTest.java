package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A sender's conversation with NewReno; SMSS is 1000 bytes so windows read as segment counts. */
class NewRenoTest {
    private static final int MSS = 1000;

    /** Acknowledges one round trip's worth of full segments, one ACK per segment; returns the new SND.UNA. */
    private static int ackOneWindow(CongestionControl cc, int una) {
        int segments = cc.cwndBytes() / MSS;
        for (int i = 0; i < segments; i++) {
            una += MSS;
            assertFalse(cc.onAck(0, una, MSS, cc.cwndBytes(), true));
        }
        return una;
    }

    @Test
    void aNewMssKeepsTheWindowInSegments() {
        // Linux's snd_cwnd counts segments: the peer's smaller MSS after tcp_init_cwnd leaves ten.
        NewReno cc = NewReno.linux(1460);
        cc.setSmss(1000);
        assertEquals(10 * 1000, cc.cwndBytes());
        assertEquals(CongestionControl.INFINITE_SSTHRESH, cc.ssthreshBytes());
    }

    @Test
    void startsWithTenSegmentsAndInfiniteSsthresh() {
        NewReno cc = NewReno.linux(MSS);
        assertEquals("reno", cc.name());
        assertEquals(10 * MSS, cc.cwndBytes());
        assertEquals(CongestionControl.INFINITE_SSTHRESH, cc.ssthreshBytes());
        assertTrue(cc.inSlowStart());
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertEquals("reno cwnd:10 ca_state:open", cc.toString());
    }

    @Test
    void slowStartDoublesPerRoundTrip() {
        NewReno cc = NewReno.linux(MSS);
        int una = 1;
        una = ackOneWindow(cc, una);
        assertEquals(20 * MSS, cc.cwndBytes());
        una = ackOneWindow(cc, una);
        assertEquals(40 * MSS, cc.cwndBytes());
        ackOneWindow(cc, una);
        assertEquals(80 * MSS, cc.cwndBytes());
    }

    @Test
    void slowStartStopsAtSsthreshAndTheRestFeedsAvoidance() {
        NewReno cc = NewReno.linux(MSS);
        cc.enterRecovery(0, 50_001, 24 * MSS); // ssthresh 12
        cc.exitRecovery(0, 24 * MSS);          // cwnd = min(12, 25) = 12
        cc.onRetransmissionTimeout(0, 60_001, 24 * MSS); // ssthresh max(24/2, 2) = 12, cwnd 1
        assertEquals(12 * MSS, cc.ssthreshBytes());
        assertEquals(MSS, cc.cwndBytes());
        // One stretch ACK of 20 segments: 11 to reach ssthresh, 9 carried into avoidance (< cwnd).
        cc.onAck(0, 20_001, 20 * MSS, 0, true);
        assertEquals(12 * MSS, cc.cwndBytes());
        assertFalse(cc.inSlowStart());
        // 3 more segments complete a cwnd's worth (9 + 3 = 12): one SMSS more.
        cc.onAck(0, 23_001, 3 * MSS, 0, true);
        assertEquals(13 * MSS, cc.cwndBytes());
    }

    @Test
    void congestionAvoidanceGrowsOneSegmentPerRoundTrip() {
        NewReno cc = NewReno.linux(MSS);
        int una = 1;
        // Loss with 20 segments in flight: ssthresh 10; a full ACK with 20 in flight gives cwnd 10.
        assertTrue(sendThreeDupAcks(cc, una, una + 20 * MSS, 20 * MSS));
        una += 20 * MSS;
        cc.onAck(0, una, 20 * MSS, 20 * MSS, true);
        assertEquals(10 * MSS, cc.cwndBytes());
        assertEquals(10 * MSS, cc.ssthreshBytes());
        assertFalse(cc.inSlowStart());
        una = ackOneWindow(cc, una);
        assertEquals(11 * MSS, cc.cwndBytes());
        una = ackOneWindow(cc, una);
        assertEquals(12 * MSS, cc.cwndBytes());
        ackOneWindow(cc, una);
        assertEquals(13 * MSS, cc.cwndBytes());
    }

    private static boolean sendThreeDupAcks(CongestionControl cc, int una, int sndNxt, int flight) {
        assertFalse(cc.onDupAck(0, una, sndNxt, flight));
        assertEquals(CongestionControlState.DISORDER, cc.state());
        assertFalse(cc.onDupAck(0, una, sndNxt, flight));
        return cc.onDupAck(0, una, sndNxt, flight);
    }

    @Test
    void fastRecoveryWithPartialAndFullAcks() {
        NewReno cc = NewReno.linux(MSS);
        int una = 1_001;
        int sndNxt = 11_001; // ten segments in flight, the first one lost
        assertTrue(sendThreeDupAcks(cc, una, sndNxt, 10 * MSS), "third duplicate ACK: fast retransmit");
        assertEquals(CongestionControlState.RECOVERY, cc.state());
        assertEquals(5 * MSS, cc.ssthreshBytes());            // max(FlightSize/2, 2 SMSS)
        assertEquals(8 * MSS, cc.cwndBytes());                // ssthresh + 3 SMSS
        assertFalse(cc.onDupAck(0, una, sndNxt, 10 * MSS));
        assertEquals(9 * MSS, cc.cwndBytes());                // inflated by one SMSS per duplicate
        assertEquals(4, cc.dupAcks());

        // Partial ACK of two segments (the third was lost too): deflate by 2, add back 1, retransmit.
        assertTrue(cc.onAck(0, 3_001, 2 * MSS, 8 * MSS, true));
        assertEquals(8 * MSS, cc.cwndBytes());
        assertEquals(CongestionControlState.RECOVERY, cc.state());
        assertEquals(0, cc.dupAcks());

        // Partial ACK of less than one SMSS: deflate without adding back.
        assertTrue(cc.onAck(0, 3_501, 500, 7_500, true));
        assertEquals(7_500, cc.cwndBytes());

        // Full ACK: everything up to "recover" acknowledged; cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
        assertFalse(cc.onAck(0, sndNxt, 7_500, 3 * MSS, true));
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertEquals(4 * MSS, cc.cwndBytes());
        assertEquals(5 * MSS, cc.ssthreshBytes());
    }

    @Test
    void fullAckWithALargeFlightDeflatesToSsthresh() {
        NewReno cc = NewReno.linux(MSS);
        assertTrue(sendThreeDupAcks(cc, 1, 10_001, 10 * MSS));
        assertFalse(cc.onAck(0, 10_001, 10 * MSS, 9 * MSS, true));
        assertEquals(5 * MSS, cc.cwndBytes());
    }

    @Test
    void duplicatesAtTheOldRecoveryPointDoNotStartASecondRecovery() {
        NewReno cc = NewReno.linux(MSS);
        assertTrue(sendThreeDupAcks(cc, 1, 10_001, 10 * MSS));
        assertFalse(cc.onAck(0, 10_001, 10 * MSS, 4 * MSS, true));
        int ssthresh = cc.ssthreshBytes();
        // RFC 6582 section 3.2 step 2: the ACK does not cover more than recover: no fast retransmit.
        assertFalse(sendThreeDupAcks(cc, 10_001, 14_001, 4 * MSS));
        assertEquals(CongestionControlState.DISORDER, cc.state());
        assertEquals(ssthresh, cc.ssthreshBytes());
        // Once an ACK goes beyond recover, three duplicates are a new loss again.
        cc.onAck(0, 11_001, MSS, 3 * MSS, true);
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertTrue(sendThreeDupAcks(cc, 11_001, 14_001, 3 * MSS));
        assertEquals(CongestionControlState.RECOVERY, cc.state());
        assertEquals(2 * MSS, cc.ssthreshBytes()); // max(1500, 2000)
    }

    @Test
    void aNewAckEndsDisorder() {
        NewReno cc = NewReno.linux(MSS);
        assertFalse(cc.onDupAck(0, 1, 5_001, 5 * MSS));
        assertEquals(CongestionControlState.DISORDER, cc.state());
        cc.onAck(0, 1_001, MSS, 4 * MSS, true);
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertEquals(0, cc.dupAcks());
    }

    @Test
    void retransmissionTimeoutCollapsesToOneSegment() {
        NewReno cc = NewReno.linux(MSS);
        cc.onRetransmissionTimeout(0, 10_001, 10 * MSS);
        assertEquals(CongestionControlState.LOSS, cc.state());
        assertEquals(MSS, cc.cwndBytes());                 // RFC 5681 section 3.1: LW = 1 SMSS
        assertEquals(5 * MSS, cc.ssthreshBytes());
        // A second timeout of the same episode keeps ssthresh (the flight is what we resent).
        cc.onRetransmissionTimeout(0, 10_001, MSS);
        assertEquals(5 * MSS, cc.ssthreshBytes());
        assertEquals(MSS, cc.cwndBytes());
        // Duplicates during loss recovery do not trigger fast retransmit.
        assertFalse(sendThreeDupAcksInLoss(cc));
        // Slow start from one segment; the episode ends when SND.NXT at the timeout is acknowledged.
        assertFalse(cc.onAck(0, 2_001, MSS, 8 * MSS, true));
        assertEquals(2 * MSS, cc.cwndBytes());
        assertEquals(CongestionControlState.LOSS, cc.state());
        cc.onAck(0, 4_001, 2 * MSS, 6 * MSS, true);
        assertEquals(4 * MSS, cc.cwndBytes());
        cc.onAck(0, 10_001, 6 * MSS, 0, true);
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertEquals(6 * MSS, cc.cwndBytes()); // 4 -> 5 reaches ssthresh; the 5 left over fill one cwnd: 6
        assertEquals("reno cwnd:6 ssthresh:5 ca_state:open", cc.toString());
    }

    private static boolean sendThreeDupAcksInLoss(CongestionControl cc) {
        boolean any = false;
        for (int i = 0; i < 3; i++) {
            any |= cc.onDupAck(0, 1_001, 10_001, MSS);
            assertEquals(CongestionControlState.LOSS, cc.state());
        }
        return any;
    }

    @Test
    void ssthreshNeverFallsBelowTwoSegments() {
        NewReno cc = NewReno.linux(MSS);
        cc.onRetransmissionTimeout(0, 1_001, MSS);
        assertEquals(2 * MSS, cc.ssthreshBytes());
    }

    @Test
    void noGrowthWhenNotCwndLimited() {
        NewReno cc = NewReno.linux(MSS);
        cc.onAck(0, 1_001, MSS, 0, false);
        assertEquals(10 * MSS, cc.cwndBytes());
    }

    @Test
    void smssChangesKeepAtLeastOneSegment() {
        NewReno cc = new NewReno(MSS, 1);
        cc.setSmss(1460);
        assertEquals(1460, cc.cwndBytes());
        assertEquals(1460, cc.smssBytes());
        assertThrows(IllegalArgumentException.class, () -> cc.setSmss(0));
        assertThrows(IllegalArgumentException.class, () -> new NewReno(MSS, 0));
    }

    @Test
    void enterRecoveryFromOutsideForSackDrivenLossDetection() {
        NewReno cc = NewReno.linux(MSS);
        cc.enterRecovery(0, 8_001, 8 * MSS);
        assertEquals(CongestionControlState.RECOVERY, cc.state());
        assertEquals(4 * MSS, cc.ssthreshBytes());
        cc.exitRecovery(0, 0);
        assertEquals(CongestionControlState.OPEN, cc.state());
        assertEquals(2 * MSS, cc.cwndBytes()); // min(4, max(0, 1) + 1)
        cc.exitRecovery(0, 0); // not in recovery: nothing happens
        assertEquals(2 * MSS, cc.cwndBytes());
    }
}
