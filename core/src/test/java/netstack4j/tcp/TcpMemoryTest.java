package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stack-wide accounting of {@link TcpMemory}: quanta, limits, pressure hysteresis, counters. */
class TcpMemoryTest {
    private static final long MS = 1_000_000L;

    @Test
    void initMemFollowsTcpInitMem() {
        // 1 GiB = 262144 pages: limit 16384, min 12288, max 24576 (tcp_init_mem).
        assertArrayEquals(new long[] {12288, 16384, 24576}, TcpMemory.initMem(1L << 30));
        // A tiny host still gets the floor of 128 pages.
        assertArrayEquals(new long[] {96, 128, 192}, TcpMemory.initMem(4096));
    }

    @Test
    void raisesAndReducesInWholePages() {
        TcpMemory mem = new TcpMemory(new long[] {100, 200, 300}, 4096, 4096);
        TcpMemory.Socket s = mem.newSocket();
        assertTrue(s.schedule(1, TcpMemory.Kind.RECV, 0, 0, 0));
        assertEquals(1, mem.allocatedPages());
        assertEquals(4096, s.forwardAlloc());
        s.charge(1);
        // Room left in the page: no new page.
        assertTrue(s.schedule(4095, TcpMemory.Kind.RECV, 0, 1, 0));
        assertEquals(1, mem.allocatedPages());
        s.charge(4095);
        assertEquals(0, s.forwardAlloc());
        assertTrue(s.schedule(10000, TcpMemory.Kind.SEND, 0, 4096, 0));
        assertEquals(1 + 3, mem.allocatedPages()); // sk_mem_pages(10000) = 3
        s.charge(10000);
        s.uncharge(100, 0); // less than a page free: kept
        assertEquals(4, mem.allocatedPages());
        assertEquals(2388, s.forwardAlloc());
        s.uncharge(14096 - 100, 0); // everything freed: all whole pages go back
        assertEquals(0, mem.allocatedPages());
        assertEquals(0, s.forwardAlloc());
        s.close(0);
        assertEquals(0, mem.sockets());
    }

    @Test
    void pressureIsEnteredAbovePressureAndLeftBelowMin() {
        TcpMemory mem = new TcpMemory(new long[] {4, 8, 1000}, 0, 0);
        TcpMemory.Socket s = mem.newSocket();
        assertTrue(s.schedule(8 * 4096, TcpMemory.Kind.RECV, 0, 0, 0));
        s.charge(8 * 4096);
        assertFalse(mem.underPressure()); // 8 pages: not above pressure
        assertTrue(s.schedule(1, TcpMemory.Kind.RECV, 0, 8 * 4096, 10 * MS));
        s.charge(1);
        assertTrue(mem.underPressure());
        assertEquals(1, mem.pressures());
        // Back to 6 pages: still above min, still under pressure (hysteresis).
        s.uncharge(2 * 4096 + 1, 20 * MS);
        assertEquals(6, mem.allocatedPages());
        assertTrue(mem.underPressure());
        // Re-crossing pressure during the same episode counts nothing.
        assertTrue(s.schedule(3 * 4096, TcpMemory.Kind.RECV, 0, 6 * 4096, 30 * MS));
        s.charge(3 * 4096);
        assertEquals(1, mem.pressures());
        // Below min: pressure is left and its 40 ms are counted.
        s.uncharge(6 * 4096, 50 * MS);
        assertEquals(3, mem.allocatedPages());
        assertFalse(mem.underPressure());
        assertEquals(40, mem.pressuresChronoMs(60 * MS));
        // A second episode counts again.
        assertTrue(s.schedule(6 * 4096, TcpMemory.Kind.RECV, 0, 3 * 4096, 70 * MS));
        assertEquals(2, mem.pressures());
        assertEquals(45, mem.pressuresChronoMs(75 * MS));
    }

    @Test
    void hardLimitRefusesAndChangesNothing() {
        TcpMemory mem = new TcpMemory(new long[] {2, 3, 4}, 4096, 4096);
        TcpMemory.Socket s = mem.newSocket();
        assertTrue(s.schedule(4 * 4096, TcpMemory.Kind.SEND, 0, 0, 0));
        s.charge(4 * 4096);
        assertFalse(s.schedule(1, TcpMemory.Kind.SEND, 4 * 4096, 0, 0));
        assertEquals(4, mem.allocatedPages());
        assertEquals(0, s.forwardAlloc());
        assertEquals(1, mem.refused());
    }

    @Test
    void underPressureASocketBelowItsMinimumOrItsFairShareIsGranted() {
        TcpMemory mem = new TcpMemory(new long[] {1, 2, 20}, 8192, 8192);
        TcpMemory.Socket big = mem.newSocket();
        TcpMemory.Socket small = mem.newSocket();
        assertTrue(big.schedule(10 * 4096, TcpMemory.Kind.RECV, 0, 0, 0));
        big.charge(10 * 4096);
        assertTrue(mem.underPressure());
        // big holds 10 pages; 2 sockets x 11 pages > 20: refused.
        assertFalse(big.schedule(4096, TcpMemory.Kind.RECV, 0, 10 * 4096, 0));
        // small holds less than tcp_rmem[0]: granted.
        assertTrue(small.schedule(4096, TcpMemory.Kind.RECV, 0, 0, 0));
        small.charge(4096);
        // small holds 1 page: 2 x 2 pages < 20, its fair share: granted.
        assertTrue(small.schedule(4096, TcpMemory.Kind.SEND, 8192, 4096, 0));
    }

    @Test
    void limitsMustBeOrdered() {
        TcpMemory mem = new TcpMemory(TcpMemory.initMem(1L << 30), 4096, 4096);
        assertThrows(IllegalArgumentException.class, () -> mem.setLimits(new long[] {3, 2, 1}));
        assertThrows(IllegalArgumentException.class, () -> mem.setLimits(new long[] {1, 2}));
        mem.setLimits(new long[] {1, 2, 3});
        assertArrayEquals(new long[] {1, 2, 3}, mem.limits());
    }

    @Test
    void sockstatLineReadsAsLinux() {
        TcpMemory mem = new TcpMemory(new long[] {1, 2, 3}, 0, 0);
        TcpMemory.Socket s = mem.newSocket();
        s.schedule(5000, TcpMemory.Kind.RECV, 0, 0, 0);
        assertEquals("TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 2", mem.sockstatLine(1, 0, 0));
    }
}
