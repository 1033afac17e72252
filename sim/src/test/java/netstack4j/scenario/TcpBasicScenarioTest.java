package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.tcp.TcpState;
import org.junit.jupiter.api.Test;

/** Handshake, request/response, four-way close (N15, N34, N35, N39) over the simulator. */
class TcpBasicScenarioTest {
    static final long MS = 1_000_000L;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.2.2", 80);

    @Test
    void handshakeRequestResponseAndFourWayClose() {
        try (Simulator sim = new Simulator(1)) {
            var trace = new netstack4j.trace.MemoryTraceSink(100000);
            sim.setTrace(trace);
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 5 * MS));
            List<String> log = new ArrayList<>();
            AtomicReference<TcpSocket> serverSide = new AtomicReference<>();
            AtomicReference<TcpSocket> clientSide = new AtomicReference<>();
            sim.spawn(t.server(), "server", ctx -> {
                TcpListener l = ctx.host().sockets().listen(new Ipv4SocketAddress(netstack4j.wire.Ipv4Address.ANY, 80), 16);
                TcpSocket s = l.accept();
                serverSide.set(s);
                byte[] buf = new byte[100];
                int n = s.read(buf, 0, buf.length);
                log.add("server got " + new String(buf, 0, n));
                s.write("pong".getBytes(), 0, 4);
                assertEquals(0, s.read(buf, 0, buf.length), "EOF after the client's FIN");
                assertEquals(TcpState.CLOSE_WAIT, s.state());
                s.close();
                l.close();
            });
            sim.spawn(t.client(), "client", ctx -> {
                ctx.sleep(1 * MS);
                TcpSocket c = ctx.host().sockets().tcp();
                clientSide.set(c);
                c.connect(SERVER);
                assertEquals(TcpState.ESTABLISHED, c.state());
                c.write("ping".getBytes(), 0, 4);
                byte[] buf = new byte[100];
                int n = c.read(buf, 0, buf.length);
                log.add("client got " + new String(buf, 0, n));
                c.shutdown(Shutdown.WRITE);
                assertEquals(0, c.read(buf, 0, buf.length));
                c.close();
            });
            sim.runFor(10_000 * MS);
            assertEquals(List.of("server got ping", "client got pong"), log);
            assertEquals(TcpState.TIME_WAIT, clientSide.get().connection().state(), "the side that closed first");
            assertEquals(TcpState.CLOSED, serverSide.get().connection().state());
            assertEquals(1, t.client().counters().get(Counter.TcpActiveOpens));
            assertEquals(1, t.server().counters().get(Counter.TcpPassiveOpens));
            assertEquals(0, t.client().counters().get(Counter.TcpCurrEstab));
            sim.runFor(60_000 * MS);
            assertEquals(TcpState.CLOSED, clientSide.get().connection().state(), "2 MSL = 60 s as Linux");
            assertEquals(1, t.client().counters().get(Counter.TcpExtTW));
        }
    }

    @Test
    void connectToClosedPortIsRefusedByRst() {
        try (Simulator sim = new Simulator(2)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 1 * MS));
            AtomicReference<Errno> err = new AtomicReference<>();
            sim.spawn(t.client(), "client", ctx -> {
                TcpSocket c = ctx.host().sockets().tcp();
                ErrnoException e = assertThrows(ErrnoException.class, () -> c.connect(SERVER));
                err.set(e.errno());
            });
            sim.runFor(5_000 * MS);
            assertEquals(Errno.ECONNREFUSED, err.get());
            assertEquals(1, t.server().counters().get(Counter.TcpOutRsts), "N42: RST for a SYN to no socket");
            assertEquals(1, t.client().counters().get(Counter.TcpAttemptFails));
        }
    }

    @Test
    void bulkTransferIsByteExact() {
        try (Simulator sim = new Simulator(3)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(100_000_000L, 1 * MS));
            byte[] data = new byte[300_000];
            new java.util.Random(5).nextBytes(data);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            sim.spawn(t.server(), "server", ctx -> {
                TcpListener l = ctx.host().sockets().listen(SERVER, 4);
                TcpSocket s = l.accept();
                byte[] buf = new byte[8192];
                int n;
                while ((n = s.read(buf, 0, buf.length)) > 0) {
                    got.write(buf, 0, n);
                }
                s.close();
            });
            sim.spawn(t.client(), "client", ctx -> {
                TcpSocket c = ctx.host().sockets().tcp();
                c.connect(SERVER);
                c.write(data, 0, data.length);
                c.close();
            });
            assertTrue(sim.runUntil(() -> got.size() == data.length && sim.processes().stream().allMatch(p -> p.isDone()),
                    60_000 * MS));
            assertArrayEquals(data, got.toByteArray());
        }
    }
}
