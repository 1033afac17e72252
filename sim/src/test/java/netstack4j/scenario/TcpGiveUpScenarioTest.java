package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.tcp.TcpState;
import org.junit.jupiter.api.Test;

/**
 * Connections that must end on their own: zero-window probes nobody answers (Linux's
 * tcp_probe_timer), and listen() called again on a listening socket (inet_listen).
 */
class TcpGiveUpScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 80);

    /** The client fills the server's window (the server never reads), then the cable is cut. */
    private record ZeroWindow(Simulator sim, Topologies.HostPair t, AtomicReference<TcpSocket> client) {
    }

    private static ZeroWindow zeroWindow(long seed, boolean closeClient) {
        Simulator sim = new Simulator(seed);
        var t = Topologies.hostPair(sim, LinkParams.of(0, 1 * MS), Topologies.DeviceDecorator.NONE);
        AtomicReference<TcpSocket> client = new AtomicReference<>();
        sim.spawn(t.b(), "server", ctx -> {
            TcpSocket l = ctx.host().sockets().tcp();
            l.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // inherited by the accepted socket
            l.bind(SERVER);
            l.listen(4);
            l.accept();
            ctx.sleep(10_000 * S); // never reads
        });
        sim.spawn(t.a(), "client", ctx -> {
            TcpSocket c = ctx.host().sockets().tcp();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            c.connect(SERVER);
            client.set(c);
            c.setNonBlocking(true);
            byte[] b = new byte[4096];
            try {
                while (true) {
                    c.write(b, 0, b.length);
                }
            } catch (ErrnoException e) {
                assertEquals(Errno.EAGAIN, e.errno());
            }
            if (closeClient) {
                c.close();
            }
            ctx.sleep(10_000 * S); // the process lives on: exiting would close its sockets
        });
        sim.runFor(5 * S); // window closed, persist timer probing; answered so far
        return new ZeroWindow(sim, t, client);
    }

    @Test
    void unansweredZeroWindowProbesTimeOutAfterTcpRetries2() {
        ZeroWindow z = zeroWindow(1, false);
        try (Simulator sim = z.sim()) {
            TcpSocket c = z.client().get();
            assertEquals(TcpState.ESTABLISHED, c.state());
            assertEquals(0, c.info().sndWnd(), "the server's window is closed");
            long probesBefore = z.t().a().counters().get(Counter.TcpExtTCPWinProbe);
            assertTrue(probesBefore > 0, "probing before the cut");
            z.t().link().down();
            long cutNs = sim.nowNs();
            AtomicLong failedAt = new AtomicLong();
            sim.runUntil(() -> {
                if (c.state() == TcpState.CLOSED && failedAt.get() == 0) {
                    failedAt.set(sim.nowNs());
                }
                return failedAt.get() != 0;
            }, 4000 * S);
            assertTrue(failedAt.get() != 0, "still " + c.state() + " after 4000 s of unanswered probes");
            // tcp_retries2 = 15 unanswered probes, then ETIMEDOUT without RST (tcp_write_err).
            assertEquals(15, z.t().a().counters().get(Counter.TcpExtTCPWinProbe) - probesBefore);
            assertEquals(1, z.t().a().counters().get(Counter.TcpExtTCPAbortOnTimeout));
            assertEquals(Errno.ETIMEDOUT, c.takeError());
            // Linux counts probes, not time: the backoff reached while the probes were answered
            // carries on, each interval capped at TCP_RTO_MAX, so 16 intervals take at most 1,920 s.
            long tookNs = failedAt.get() - cutNs;
            assertTrue(tookNs > 15 * 200 * MS && tookNs <= 16 * 120 * S, "gave up after " + tookNs / S + " s");
        }
    }

    @Test
    void orphanedSocketProbesTcpOrphanRetriesTimes() {
        ZeroWindow z = zeroWindow(2, true);
        try (Simulator sim = z.sim()) {
            TcpSocket c = z.client().get();
            assertEquals(TcpState.FIN_WAIT_1, c.connection().state(), "closed with data queued: the FIN waits");
            long probesBefore = z.t().a().counters().get(Counter.TcpExtTCPWinProbe);
            z.t().link().down();
            sim.runFor(4000 * S);
            assertEquals(TcpState.CLOSED, c.connection().state());
            // tcp_orphan_retries = 0 means 8 probes while the backed-off RTO is below TCP_RTO_MAX.
            long probes = z.t().a().counters().get(Counter.TcpExtTCPWinProbe) - probesBefore;
            assertTrue(probes <= 8, probes + " probes from an orphan");
            assertEquals(1, z.t().a().counters().get(Counter.TcpExtTCPAbortOnTimeout));
        }
    }

    @Test
    void answeredProbesKeepTheConnectionOpen() {
        // RFC 1122 section 4.2.2.17: a receiver that answers keeps the sender probing indefinitely.
        ZeroWindow z = zeroWindow(3, false);
        try (Simulator sim = z.sim()) {
            sim.runFor(4000 * S);
            assertEquals(TcpState.ESTABLISHED, z.client().get().state());
            assertTrue(z.t().a().counters().get(Counter.TcpExtTCPWinProbe) > 15);
            assertEquals(0, z.t().a().counters().get(Counter.TcpExtTCPAbortOnTimeout));
        }
    }

    @Test
    void aClosedConnectionInTimeWaitIsNotKeptByTheStack() {
        // Linux's tcp_time_wait: only a small timewait entry stays; the connection itself is freed.
        try (Simulator sim = new Simulator(5)) {
            var t = Topologies.hostPair(sim, LinkParams.of(0, 1 * MS), Topologies.DeviceDecorator.NONE);
            List<java.lang.ref.WeakReference<Object>> refs = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                TcpListener l = ctx.host().sockets().listen(SERVER, 4);
                for (int i = 0; i < 3; i++) {
                    TcpSocket s = l.accept();
                    refs.add(new java.lang.ref.WeakReference<>(s.connection()));
                    s.write(new byte[3000], 0, 3000);
                    s.close(); // the server closes first
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                for (int i = 0; i < 3; i++) {
                    try (TcpSocket c = ctx.host().sockets().tcp()) {
                        c.connect(SERVER);
                        byte[] b = new byte[4096];
                        while (c.read(b, 0, b.length) > 0) {
                            // until EOF
                        }
                    }
                }
            });
            sim.runFor(1 * S);
            assertEquals(3, t.b().tcp().timeWaitCount());
            assertEquals(0, t.b().tcp().memoryBytes());
            for (int i = 0; i < 10 && refs.stream().anyMatch(r -> r.get() != null); i++) {
                System.gc(); // a full collection clears weak references to what nothing else holds
            }
            assertEquals(3, refs.size());
            assertTrue(refs.stream().allMatch(r -> r.get() == null), "a TIME-WAIT connection is still reachable");
            sim.runFor(60 * S);
            assertEquals(0, t.b().tcp().timeWaitCount(), "2 MSL later the entries are gone");
            assertEquals(3, t.b().counters().get(Counter.TcpExtTW));
        }
    }

    @Test
    void listenAgainKeepsTheAcceptQueue() {
        // Linux's inet_listen on a listening socket only updates the backlog (capped at somaxconn).
        try (Simulator sim = new Simulator(4)) {
            var t = Topologies.hostPair(sim, LinkParams.of(0, 1 * MS), Topologies.DeviceDecorator.NONE);
            List<TcpSocket> accepted = new ArrayList<>();
            AtomicReference<TcpListener> listener = new AtomicReference<>();
            sim.spawn(t.b(), "server", ctx -> listener.set(ctx.host().sockets().listen(SERVER, 4)));
            for (int i = 0; i < 3; i++) {
                sim.spawn(t.a(), "client" + i, ctx -> {
                    TcpSocket c = ctx.host().sockets().tcp();
                    c.connect(SERVER);
                    c.write(new byte[] {1, 2, 3}, 0, 3);
                });
            }
            sim.runFor(1 * S);
            sim.spawn(t.b(), "accepter", ctx -> {
                TcpListener l = listener.get();
                l.socket().listen(8);
                l.socket().setNonBlocking(true);
                for (int i = 0; i < 3; i++) {
                    accepted.add(l.accept());
                }
                assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, l::accept).errno());
            });
            sim.runFor(1 * S);
            assertEquals(3, accepted.size());
            for (TcpSocket s : accepted) {
                assertEquals(3, s.availableBytes());
            }
        }
    }
}
