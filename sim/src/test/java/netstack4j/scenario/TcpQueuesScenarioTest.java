package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.SocketInfo;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import org.junit.jupiter.api.Test;

/** The socket queues of NOTES N7, N2 and N9, as a user of the API sees them. */
class TcpQueuesScenarioTest {
    static final long MS = 1_000_000L;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 7000);

    /**
     * N7: send only appends to SendQ; how the receiver's reads split the stream depends on timing
     * and read sizes, never on the send boundaries (1000 + 2000 + 5000 bytes read as 3000 + 3000 + 2000).
     */
    @Test
    void readsSplitTheStreamByReadSizeNotBySendBoundaries() {
        List<Integer> reads = new ArrayList<>();
        try (Simulator sim = new Simulator(7)) {
            var t = Topologies.hostPair(sim, LinkParams.of(100_000_000L, MS), Topologies.DeviceDecorator.NONE);
            sim.spawn(t.b(), "reader", ctx -> {
                try (TcpListener l = t.b().sockets().listen(SERVER, 4)) {
                    TcpSocket s = l.accept();
                    ctx.sleep(100 * MS); // busy: all three sends have arrived by now
                    byte[] buf = new byte[3000];
                    int n;
                    while ((n = s.read(buf, 0, buf.length)) > 0) {
                        reads.add(n);
                    }
                }
            });
            sim.spawn(t.a(), "writer", ctx -> {
                TcpSocket c = t.a().sockets().tcp();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(SERVER);
                for (int size : new int[] {1000, 2000, 5000}) {
                    c.write(new byte[size], 0, size);
                }
                c.close();
            });
            sim.run();
        }
        assertEquals(List.of(3000, 3000, 2000), reads);
    }

    /**
     * N2: receive memory is not reserved up front; it grows while data arrives and is not read,
     * and is given back when the application reads (Recv-Q and skmem r in ss).
     */
    @Test
    void receiveMemoryGrowsWhileUnreadAndIsReleasedByReading() {
        List<SocketInfo> views = new ArrayList<>();
        long[] stackMemory = new long[3];
        try (Simulator sim = new Simulator(8)) {
            var t = Topologies.hostPair(sim, LinkParams.of(100_000_000L, MS), Topologies.DeviceDecorator.NONE);
            sim.spawn(t.b(), "reader", ctx -> {
                try (TcpListener l = t.b().sockets().listen(SERVER, 4)) {
                    TcpSocket s = l.accept();
                    views.add(s.info());
                    stackMemory[0] = t.b().tcp().memoryBytes();
                    ctx.sleep(200 * MS); // 40 000 bytes arrive and wait
                    views.add(s.info());
                    stackMemory[1] = t.b().tcp().memoryBytes();
                    byte[] buf = new byte[65536];
                    int total = 0;
                    while (total < 40_000) {
                        total += s.read(buf, 0, buf.length);
                    }
                    views.add(s.info());
                    stackMemory[2] = t.b().tcp().memoryBytes();
                    s.close();
                }
            });
            sim.spawn(t.a(), "writer", ctx -> {
                TcpSocket c = t.a().sockets().tcp();
                c.connect(SERVER);
                c.write(new byte[40_000], 0, 40_000);
                ctx.sleep(1000 * MS);
                c.close();
            });
            sim.run();
        }
        assertEquals(0, views.get(0).recvQ());
        assertEquals(0, views.get(0).skmem().rmemAlloc(), "nothing is reserved up front");
        assertEquals(40_000, views.get(1).recvQ());
        assertTrue(views.get(1).skmem().rmemAlloc() >= 40_000, "memory follows the queued bytes: " + views.get(1).skmem());
        assertTrue(stackMemory[1] >= 40_000, "the stack total is charged too: " + stackMemory[1]);
        assertEquals(0, views.get(2).recvQ());
        assertEquals(0, views.get(2).skmem().rmemAlloc(), "reading gives the memory back");
        assertTrue(stackMemory[2] < stackMemory[1]);
    }

    /**
     * N9: with nothing else limiting it, a larger receive buffer (hence window) gives higher
     * throughput: 4 KiB of window per 20 ms round trip versus 64 KiB.
     */
    @Test
    void largerBuffersGiveHigherThroughputWhenNothingElseLimits() {
        long small = transferTimeNs(2048);
        long large = transferTimeNs(131072);
        assertTrue(small > 5 * large, "small buffer " + small / MS + " ms vs large " + large / MS + " ms");
    }

    private static long transferTimeNs(int rcvbuf) {
        long[] doneAt = {-1};
        try (Simulator sim = new Simulator(9)) {
            var t = Topologies.hostPair(sim, LinkParams.of(1_000_000_000L, 10 * MS), Topologies.DeviceDecorator.NONE);
            sim.spawn(t.b(), "reader", ctx -> {
                try (TcpListener l = t.b().sockets().listen(SERVER, 4)) {
                    l.socket().setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
                    TcpSocket s = l.accept();
                    byte[] buf = new byte[65536];
                    while (s.read(buf, 0, buf.length) > 0) {
                        // drain
                    }
                    doneAt[0] = ctx.nowNs();
                }
            });
            sim.spawn(t.a(), "writer", ctx -> {
                TcpSocket c = t.a().sockets().tcp();
                c.connect(SERVER);
                c.write(new byte[500_000], 0, 500_000);
                c.close();
            });
            sim.run();
        }
        return doneAt[0];
    }
}
