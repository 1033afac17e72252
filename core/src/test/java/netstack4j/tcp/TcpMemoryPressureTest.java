package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.stack.Counter;
import netstack4j.stack.StackConfig;
import netstack4j.wire.TcpFlags;
import org.junit.jupiter.api.Test;

/**
 * The stack-wide TCP memory limit (net.ipv4.tcp_mem) as a connection sees it, segment by
 * segment: pages charged as data lands, pressure entered above tcp_mem[1], out-of-order data
 * refused and then pruned to make room for in-order data (tcp_try_rmem_schedule,
 * tcp_prune_ofo_queue), the window clamped (tcp_adjust_rcv_ssthresh), and the pages given back
 * by reading, which ends the pressure (tcp_leave_memory_pressure).
 */
class TcpMemoryPressureTest {
    private static final int PAGE = TcpMemory.PAGE_SIZE;

    /** Established with tcp_mem "1 2 5" (pages): the listener and the child are the stack's two sockets. */
    private static TcpTestPeer establishedWithTcpMem(long min, long pressure, long max) {
        TcpSettings s = TcpSettings.linux().withTcpMem(new TcpSettings.MemLimits(min, pressure, max));
        TcpTestPeer p = new TcpTestPeer(TcpTestPeer.LOCAL_ISS, TcpTestPeer.REMOTE_ISS, StackConfig.linuxDefaults(), s);
        p.listen();
        p.send(p.syn());
        p.next(); // SYN-ACK
        p.send(p.seg());
        p.accept();
        assertEquals(TcpState.ESTABLISHED, p.state());
        return p;
    }

    private static byte[] bytes(int from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static TcpTestPeer.Seg data(TcpTestPeer p, int offset, int len) {
        return p.seg().seq(p.r(offset)).flags(TcpFlags.ACK | TcpFlags.PSH).data(bytes(offset, len));
    }

    private long counter(TcpTestPeer p, Counter c) {
        return p.stack.counters().get(c);
    }

    @Test
    void outOfOrderDataIsPrunedToMakeRoomAndReadingEndsThePressure() {
        TcpTestPeer p = establishedWithTcpMem(1, 2, 5);
        TcpMemory mem = p.tcp.memory();
        assertArrayEquals(new long[] {1, 2, 5}, mem.limits());
        // 4000 bytes in order fill most of the first page: the first is forced (empty RecvQ).
        for (int off = 0; off < 4000; off += 1000) {
            p.send(data(p, off, 1000));
        }
        p.drain();
        assertEquals(1, mem.allocatedPages());
        // Out of order in the third page: 2 pages, not above tcp_mem[1].
        p.send(data(p, 8292, 1000));
        assertEquals(TcpTestPeer.Seg.class, p.next().getClass()); // the duplicate ACK
        assertEquals(2, mem.allocatedPages());
        assertFalse(mem.underPressure());
        // Out of order in the fourth page: 3 pages > tcp_mem[1] enters pressure; this socket holds
        // 3 pages and 2 sockets x 3 > tcp_mem[2] = 5, so the allocation is refused, and there is no
        // out-of-order data beyond this segment to prune: it is dropped (TCPOFODrop).
        p.advanceMs(0);
        p.send(data(p, 12388, 1000));
        TcpTestPeer.Seg ack = p.next();
        assertEquals(p.r(4000), ack.ack());
        assertTrue(mem.underPressure());
        assertEquals(1, counter(p, Counter.TcpExtTCPMemoryPressures));
        assertEquals(1, counter(p, Counter.TcpExtTCPOFODrop));
        assertEquals(1, counter(p, Counter.TcpExtPruneCalled));
        assertEquals(0, counter(p, Counter.TcpExtOfoPruned));
        assertEquals(2, mem.allocatedPages());
        // In-order data needing the second page: refused at first, so the out-of-order data (the
        // third page) is pruned and the in-order segment is queued in its place.
        p.send(data(p, 4000, 1000));
        ack = p.next();
        assertEquals(p.r(5000), ack.ack(), "in-order data is accepted after pruning");
        assertEquals(1, counter(p, Counter.TcpExtOfoPruned));
        assertEquals(2, counter(p, Counter.TcpExtPruneCalled));
        assertEquals(0, counter(p, Counter.TcpExtTCPRcvQDrop));
        assertEquals(0, p.child().receiver.buffer.outOfOrderBytes());
        assertEquals(2, mem.allocatedPages());
        // tcp_prune_queue under pressure: the window offered is clamped to four segments.
        assertEquals(4 * 1460, p.child().receiver.rcvSsthresh);
        p.advanceMs(30);
        // The reader drains: every page goes back, below tcp_mem[0] the pressure ends and its
        // 30 ms are counted.
        byte[] got = new byte[8000];
        int n = 0;
        try {
            n = p.socket.read(got, 0, got.length);
        } catch (netstack4j.socket.ErrnoException e) {
            throw new AssertionError(e);
        }
        assertEquals(5000, n);
        assertArrayEquals(bytes(0, 5000), java.util.Arrays.copyOf(got, n), "byte-exact delivery");
        assertEquals(0, mem.allocatedPages());
        assertFalse(mem.underPressure());
        assertEquals(30, counter(p, Counter.TcpExtTCPMemoryPressuresChrono));
        // ss -m: what is left of the forward allocation is less than a page (sk_mem_reclaim).
        var skmem = p.socket.info().skmem();
        assertTrue(skmem.forwardAlloc() >= 0 && skmem.forwardAlloc() < PAGE, skmem.toString());
        assertTrue(netstack4j.socket.SsFormat.skmem(p.socket.info()).contains(",f" + skmem.forwardAlloc() + ",w"));
    }

    @Test
    void inOrderDataRefusedWithNothingToPruneIsDroppedWithAZeroWindow() {
        TcpTestPeer p = establishedWithTcpMem(1, 1, 2);
        TcpMemory mem = p.tcp.memory();
        p.send(data(p, 0, 4096)); // forced: RecvQ was empty
        p.drain();
        p.send(data(p, 4096, 1000)); // 2 pages: above tcp_mem[1], within tcp_mem[2]; 2 x 2 > 2: refused
        TcpTestPeer.Seg ack = p.next();
        assertEquals(p.r(4096), ack.ack());
        assertEquals(0, ack.window(), "ICSK_ACK_NOMEM: the ACK offers a zero window");
        assertEquals(1, counter(p, Counter.TcpExtTCPRcvQDrop));
        assertEquals(1, counter(p, Counter.TcpExtRcvPruned));
        assertTrue(mem.underPressure());
        assertEquals(1, mem.allocatedPages());
        assertEquals(4096, p.child().receiver.buffer.readable(), "data already acknowledged stays");
    }

    @Test
    void tcpMemSettingAppliesToARunningStack() {
        TcpTestPeer p = establishedWithTcpMem(10, 20, 30);
        p.tcp.setSettings(p.tcp.settings().withTcpMem(new TcpSettings.MemLimits(1, 2, 3)));
        assertArrayEquals(new long[] {1, 2, 3}, p.tcp.memory().limits());
        assertEquals("49152 65536 98304", TcpSettings.linux().tcpMem().toString());
    }
}
