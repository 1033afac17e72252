package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EphemeralPortsTest {
    private static final int A = 0x0A000001;
    private static final int B = 0x0A000002;
    private static final int C = 0x0A000003;

    @Test
    void portsAreInTheRangeAndDeterministicForAKey() {
        EphemeralPorts p1 = new EphemeralPorts(32768, 60999, new SplittableRandom(7));
        EphemeralPorts p2 = new EphemeralPorts(32768, 60999, new SplittableRandom(7));
        for (int i = 0; i < 100; i++) {
            int port = p1.select(A, B, 80, (l, lp, r, rp) -> false);
            assertTrue(port >= 32768 && port <= 60999, "port " + port);
            assertEquals(port, p2.select(A, B, 80, (l, lp, r, rp) -> false));
        }
    }

    @Test
    void successiveConnectionsToOneDestinationGetSuccessivePorts() {
        EphemeralPorts p = new EphemeralPorts(32768, 60999, new SplittableRandom(7));
        int first = p.select(A, B, 80, (l, lp, r, rp) -> false);
        int second = p.select(A, B, 80, (l, lp, r, rp) -> false);
        assertEquals(first == 60999 ? 32768 : first + 1, second);
    }

    @Test
    void differentDestinationsStartAtIndependentOffsets() {
        EphemeralPorts p = new EphemeralPorts(32768, 60999, 1, 2, 3, 4, 256);
        Set<Integer> firsts = new HashSet<>();
        firsts.add(p.select(A, B, 80, (l, lp, r, rp) -> false));
        firsts.add(p.select(A, C, 80, (l, lp, r, rp) -> false));
        firsts.add(p.select(A, B, 443, (l, lp, r, rp) -> false));
        assertEquals(3, firsts.size());
    }

    @Test
    void portsInUseAreSkippedAndExhaustionIsReported() {
        EphemeralPorts p = new EphemeralPorts(1000, 1009, 1, 2, 3, 4, 16);
        BitSet used = new BitSet();
        EphemeralPorts.InUse inUse = (l, lp, r, rp) -> used.get(lp);
        for (int i = 0; i < 10; i++) {
            int port = p.select(A, B, 80, inUse);
            assertTrue(port >= 1000 && port <= 1009);
            assertTrue(!used.get(port), "a port in use was returned");
            used.set(port);
        }
        assertEquals(10, used.cardinality());
        assertEquals(EphemeralPorts.EXHAUSTED, p.select(A, B, 80, inUse)); // EADDRNOTAVAIL
        used.clear(1004);
        assertEquals(1004, p.select(A, B, 80, inUse));
    }

    @Test
    void theSameLocalPortServesDifferentDestinations() {
        EphemeralPorts p = new EphemeralPorts(5000, 5000, 1, 2, 3, 4, 16);
        assertEquals(5000, p.select(A, B, 80, (l, lp, r, rp) -> r == C));
        assertEquals(EphemeralPorts.EXHAUSTED, p.select(A, C, 80, (l, lp, r, rp) -> r == C));
    }

    @Test
    void allocationFreeAndValidated() {
        EphemeralPorts p = new EphemeralPorts(32768, 60999, 1, 2, 3, 4, 256);
        EphemeralPorts.InUse none = (l, lp, r, rp) -> false;
        Runnable many = () -> {
            for (int i = 0; i < 10_000; i++) {
                p.select(A, B + (i & 63), 80, none);
            }
        };
        many.run();
        assertTrue(Allocations.during(many) < 1024);
        assertThrows(IllegalArgumentException.class, () -> new EphemeralPorts(0, 10, 1, 2, 3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new EphemeralPorts(20, 10, 1, 2, 3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new EphemeralPorts(10, 20, 1, 2, 3, 4, 0));
        assertNotEquals(0, p.low());
        assertEquals(60999, p.high());
    }
}
