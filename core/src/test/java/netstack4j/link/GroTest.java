package netstack4j.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** tcp_gro_receive's rules: what merges into a held packet of the batch, what flushes it. */
class GroTest {
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    /** An IPv4 packet (no Ethernet header) of one TCP segment, with timestamps. */
    private static byte[] seg(int seq, int len, int flags) {
        byte[] p = GsoTest.superSegment(new byte[len], seq, 7, flags);
        return Arrays.copyOfRange(p, 14, p.length);
    }

    private static int decide(byte[] held, int heldPayload, byte[] b) {
        return Gro.decide(held, 0, held.length, heldPayload, 1000, b, 0, b.length);
    }

    @Test
    void contiguousFullSegmentsMerge_aShortOrPshOneMergesAndFlushes() {
        byte[] first = seg(1, 1000, ACK);
        assertEquals(Gro.MERGE, decide(first, 1000, seg(1001, 1000, ACK)));
        assertEquals(Gro.MERGE, decide(first, 2000, seg(2001, 1000, ACK)));
        assertEquals(Gro.MERGE_AND_FLUSH, decide(first, 2000, seg(2001, 400, ACK)), "short: the end of a burst");
        assertEquals(Gro.MERGE_AND_FLUSH, decide(first, 2000, seg(2001, 1000, ACK | PSH)), "PSH ends the packet");
        assertEquals(Gro.MERGE_AND_FLUSH, decide(first, 1000, seg(1001, 1000, ACK | 0x01)), "FIN ends it");
    }

    @Test
    void aGapAnotherAckWindowOrOptionsOrCwrFlushesTheHeldPacket() {
        byte[] first = seg(1, 1000, ACK);
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, seg(2001, 1000, ACK)), "not contiguous");
        byte[] ack = seg(1001, 1000, ACK);
        ack[20 + 11]++;
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, ack), "another ACK number");
        byte[] win = seg(1001, 1000, ACK);
        win[20 + 15]++;
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, win), "another window");
        byte[] ts = seg(1001, 1000, ACK);
        ts[20 + 27]++;
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, ts), "another TSval: options differ");
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, seg(1001, 1000, ACK | 0x80)), "CWR is never merged");
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, seg(1001, 1200, ACK)), "larger than the gso size");
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, seg(1001, 0, ACK)), "a pure ACK");
        byte[] port = seg(1001, 1000, ACK);
        port[20 + 1]++;
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, port), "another flow");
        byte[] ttl = seg(1001, 1000, ACK);
        ttl[8]--;
        assertEquals(Gro.FLUSH_HELD, decide(first, 1000, ttl), "another TTL");
        assertEquals(Gro.MERGE, decide(first, 64_000, seg(64_001, 1000, ACK)), "65052 bytes of IP still fit");
        assertEquals(Gro.FLUSH_HELD, decide(first, 64_500, seg(64_501, 1000, ACK)), "past 65535 bytes of IP");
    }

    @Test
    void alonePureAcksAndPushedSegmentsGoUpAtOnce() {
        byte[] ack = seg(1, 0, ACK);
        assertTrue(Gro.flushesAlone(ack, 0, ack.length));
        byte[] psh = seg(1, 100, ACK | PSH);
        assertTrue(Gro.flushesAlone(psh, 0, psh.length));
        byte[] data = seg(1, 1000, ACK);
        assertFalse(Gro.flushesAlone(data, 0, data.length));
        assertTrue(Gro.flushesAlone(data, 0, 30), "truncated: not TCP as GRO takes it");
    }
}
