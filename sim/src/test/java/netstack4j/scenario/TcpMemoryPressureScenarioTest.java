package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpMemory;
import netstack4j.tcp.TcpSettings;
import org.junit.jupiter.api.Test;

/**
 * NOTES N4: past the stack's TCP memory limit (net.ipv4.tcp_mem) new allocations are refused and
 * buffers shrink. Eight connections into one host whose readers stop for two seconds: the
 * receiver enters memory pressure and stays within tcp_mem[2] while its windows close; once the
 * readers drain, the pressure ends, its duration is counted, and every byte arrives intact.
 */
class TcpMemoryPressureScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 7000);
    static final int CONNECTIONS = 8;
    static final int BYTES = 100_000;

    static byte pattern(int conn, int i) {
        return (byte) (i * 31 + conn * 7 + (i >> 8));
    }

    /** What one run saw. */
    record Outcome(long maxPages, boolean pressureDuringStall, int maxWindowDuringStall, long pressures,
                   long chronoMs, boolean pressureAfter, long pagesAfter, long rcvQDrops, int socketsAfter, boolean[] intact) {
    }

    static Outcome run(TcpSettings.MemLimits limits) {
        return run(limits, LinkParams.of(100_000_000L, MS), 11);
    }

    static Outcome run(TcpSettings.MemLimits limits, LinkParams link, long seed) {
        boolean[] intact = new boolean[CONNECTIONS];
        long[] maxPages = {0};
        boolean[] pressure = {false};
        int[] maxWindow = {0};
        TcpSocket[] accepted = new TcpSocket[CONNECTIONS];
        boolean[] done = {false};
        try (Simulator sim = new Simulator(seed)) {
            var t = Topologies.hostPair(sim, link, Topologies.DeviceDecorator.NONE);
            NetStack b = t.b();
            if (limits != null) {
                b.tcp().setSettings(b.tcp().settings().withTcpMem(limits));
            }
            sim.spawn(b, "readers", ctx -> {
                try (TcpListener l = b.sockets().listen(SERVER, 16)) {
                    for (int i = 0; i < CONNECTIONS; i++) {
                        accepted[i] = l.accept();
                    }
                    ctx.sleep(2 * S); // the readers stop
                    byte[] buf = new byte[16384];
                    for (int i = 0; i < CONNECTIONS; i++) {
                        int at = 0;
                        boolean same = true;
                        int n;
                        while ((n = accepted[i].read(buf, 0, buf.length)) > 0) {
                            for (int k = 0; k < n; k++) {
                                same &= buf[k] == pattern(accepted[i].remoteAddress().port() % CONNECTIONS, at + k);
                            }
                            at += n;
                        }
                        intact[i] = same && at == BYTES;
                        accepted[i].close();
                    }
                }
                done[0] = true;
            });
            for (int c = 0; c < CONNECTIONS; c++) {
                sim.spawn(t.a(), "writer" + c, ctx -> {
                    TcpSocket s = t.a().sockets().tcp();
                    s.connect(SERVER);
                    int conn = s.localAddress().port() % CONNECTIONS;
                    byte[] data = new byte[BYTES];
                    for (int i = 0; i < BYTES; i++) {
                        data[i] = pattern(conn, i);
                    }
                    s.write(data, 0, data.length);
                    s.close();
                });
            }
            TcpMemory mem = b.tcp().memory();
            for (long at = 500 * MS; at < 2 * S; at += 10 * MS) {
                long when = at;
                sim.schedule(at, () -> {
                    maxPages[0] = Math.max(maxPages[0], mem.allocatedPages());
                    pressure[0] |= mem.underPressure();
                    for (TcpSocket s : accepted) {
                        if (s != null && when >= 1 * S) {
                            maxWindow[0] = Math.max(maxWindow[0], s.info().rcvWnd());
                        }
                    }
                });
            }
            // Segments refused under pressure come back after backed-off timers (and, with loss,
            // a lost window update waits for the next one): the run lasts until the readers are done.
            sim.runUntil(() -> done[0], 600 * S);
            sim.runFor(1 * S);
            var counters = b.counters();
            return new Outcome(maxPages[0], pressure[0], maxWindow[0], counters.get(Counter.TcpExtTCPMemoryPressures),
                    counters.get(Counter.TcpExtTCPMemoryPressuresChrono), mem.underPressure(), mem.allocatedPages(),
                    counters.get(Counter.TcpExtTCPRcvQDrop), mem.sockets(), intact);
        }
    }

    @Test
    void readersThatStopPushTheStackIntoPressureAndDrainingEndsIt() {
        Outcome o = run(new TcpSettings.MemLimits(32, 48, 64));
        boolean[] all = new boolean[CONNECTIONS];
        java.util.Arrays.fill(all, true);
        assertArrayEquals(all, o.intact(), "every connection delivers its bytes intact");
        assertTrue(o.pressureDuringStall(), "pressure entered while nobody reads: " + o);
        assertEquals(1, o.pressures(), o.toString());
        assertTrue(o.maxPages() > 48 && o.maxPages() <= 64 + CONNECTIONS, "pages held " + o.maxPages());
        assertTrue(o.rcvQDrops() > 0, "in-order data refused for want of memory: " + o);
        // tcp_adjust_rcv_ssthresh: the windows offered stay within four segments (rounded up to
        // the window scale's 128-byte unit) while the readers do not read.
        assertTrue(o.maxWindowDuringStall() > 0 && o.maxWindowDuringStall() <= 4 * 1460 + 127, o.toString());
        assertFalse(o.pressureAfter());
        assertEquals(0, o.pagesAfter());
        assertEquals(0, o.socketsAfter(), "every socket's accounting ended with it (tcp_sockets_allocated)");
        assertTrue(o.chronoMs() >= 1000, "TCPMemoryPressuresChrono counts the episode: " + o);
    }

    /** With loss and reordering on the cable too, pressure costs time, never bytes. */
    @Test
    void underLossAndReorderingEveryByteStillArrives() {
        boolean[] all = new boolean[CONNECTIONS];
        java.util.Arrays.fill(all, true);
        for (long seed = 1; seed <= 4; seed++) {
            Outcome o = run(new TcpSettings.MemLimits(32, 48, 64),
                    LinkParams.of(100_000_000L, MS).withLoss(0.05).withReorder(0.05), seed);
            assertArrayEquals(all, o.intact(), "seed " + seed + ": " + o);
            assertTrue(o.pressures() >= 1, o.toString());
            assertEquals(0, o.pagesAfter(), o.toString());
        }
    }

    @Test
    void withLinuxDefaultLimitsNothingIsUnderPressure() {
        Outcome o = run(null);
        boolean[] all = new boolean[CONNECTIONS];
        java.util.Arrays.fill(all, true);
        assertArrayEquals(all, o.intact());
        assertFalse(o.pressureDuringStall());
        assertEquals(0, o.pressures());
        assertTrue(o.maxPages() > 64, "without a limit the stalled readers hold " + o.maxPages() + " pages");
        assertEquals(0, o.rcvQDrops());
    }

    /** {SO_SNDBUF after connect, SO_SNDBUF at EAGAIN, bytes queued until EAGAIN, pressures on a}. */
    static long[] writeUntilEagain(TcpSettings.MemLimits limits) {
        long[] r = new long[4];
        try (Simulator sim = new Simulator(12)) {
            var t = Topologies.hostPair(sim, LinkParams.of(100_000_000L, MS), Topologies.DeviceDecorator.NONE);
            if (limits != null) {
                t.a().tcp().setSettings(t.a().tcp().settings().withTcpMem(limits));
            }
            sim.spawn(t.b(), "idle reader", ctx -> {
                try (TcpListener l = t.b().sockets().listen(SERVER, 4)) {
                    TcpSocket s = l.accept();
                    ctx.sleep(10 * S);
                    s.close();
                }
            });
            sim.spawn(t.a(), "writer", ctx -> {
                TcpSocket s = t.a().sockets().tcp();
                s.connect(SERVER);
                ctx.sleep(10 * MS);
                r[0] = s.getOption(java.net.StandardSocketOptions.SO_SNDBUF);
                s.setNonBlocking(true);
                byte[] chunk = new byte[10_000];
                while (true) {
                    try {
                        r[2] += s.write(chunk, 0, chunk.length);
                    } catch (netstack4j.socket.ErrnoException e) {
                        assertEquals(netstack4j.socket.Errno.EAGAIN, e.errno());
                        if (ctx.nowNs() > 1 * S) {
                            break;
                        }
                        ctx.sleep(50 * MS); // ACKs may make room; keep writing for a second
                    }
                }
                r[1] = s.getOption(java.net.StandardSocketOptions.SO_SNDBUF);
                s.close();
            });
            sim.runFor(3 * S);
            r[3] = t.a().counters().get(Counter.TcpExtTCPMemoryPressures);
        }
        return r;
    }

    /**
     * The sending side: refused send memory shrinks an autotuned SO_SNDBUF to half of what is
     * queued (sk_stream_moderate_sndbuf), growth stops (tcp_should_expand_sndbuf) and a
     * non-blocking writer gets EAGAIN with less queued than the default limits allow.
     */
    @Test
    void refusedSendMemoryShrinksTheSendBufferAndTheWriterGetsEagain() {
        long[] tiny = writeUntilEagain(new TcpSettings.MemLimits(2, 4, 8));
        long[] normal = writeUntilEagain(null);
        assertEquals(normal[0], tiny[0], "the same autotuned SO_SNDBUF after the handshake");
        assertTrue(tiny[1] < tiny[0], "SO_SNDBUF shrank under pressure: " + java.util.Arrays.toString(tiny));
        assertTrue(normal[1] >= normal[0], "without pressure it never shrinks: " + java.util.Arrays.toString(normal));
        assertTrue(tiny[2] < normal[2], "less was queued: " + tiny[2] + " < " + normal[2]);
        assertTrue(tiny[3] >= 1);
        assertEquals(0, normal[3]);
    }
}
