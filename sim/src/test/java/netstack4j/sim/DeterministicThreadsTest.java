package netstack4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;
import netstack4j.trace.MemoryTraceSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeterministicThreads} without the agent (this module's tests open {@code java.lang}):
 * plain virtual threads, started the ordinary way, use stacks through blocking sockets; the
 * scheduler runs them one at a time and the simulation's clock moves only when all wait.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeterministicThreadsTest {
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 7000);

    record Run(String traceHash, long endNs, byte[] echoed) {
    }

    /** A client thread and a server thread, each started by the body, echo 200 kB over a lossy link. */
    static Run echo(long seed) throws Exception {
        byte[] data = new byte[200_000];
        new SplittableRandom(1).nextBytes(data);
        MemoryTraceSink trace = new MemoryTraceSink(0);
        try (Simulator sim = new Simulator(seed)) {
            DeterministicThreads threads = new DeterministicThreads(sim);
            sim.setTrace(trace);
            var t = Topologies.hostPair(sim, LinkParams.of(100_000_000L, 5_000_000L).withLoss(0.02),
                    Topologies.DeviceDecorator.NONE);
            byte[] echoed = threads.run(() -> {
                TcpSocket listener = t.b().sockets().tcp();
                listener.bind(SERVER);
                listener.listen(8);
                Thread server = Thread.ofVirtual().start(() -> {
                    try (TcpSocket conn = listener.accept()) {
                        byte[] b = new byte[8192];
                        int n;
                        while ((n = conn.read(b, 0, b.length)) > 0) {
                            conn.write(b, 0, n);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try (TcpSocket c = t.a().sockets().tcp()) {
                    c.connect(SERVER);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            c.write(data, 0, data.length);
                            c.shutdown(netstack4j.socket.Shutdown.WRITE);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    byte[] b = new byte[8192];
                    int n;
                    while ((n = c.read(b, 0, b.length)) > 0) {
                        got.write(b, 0, n);
                    }
                    writer.join();
                }
                server.join();
                return got.toByteArray();
            });
            return new Run(trace.hash(), sim.nowNs(), echoed);
        }
    }

    @Test
    void threadsStartedTheOrdinaryWayRunInVirtualTimeAndRepeatWithTheSeed() throws Exception {
        Run first = echo(3);
        Run again = echo(3);
        assertArrayEquals(first.echoed(), again.echoed());
        assertEquals(200_000, first.echoed().length);
        assertTrue(first.endNs() > 20_000_000L, "the echo took virtual time (RTTs over 5 ms links): " + first.endNs());
        assertEquals(first, new Run(again.traceHash(), again.endNs(), first.echoed()), "same seed, same trace");
        assertNotEquals(first.traceHash(), echo(4).traceHash());
    }

    @Test
    void aProgramWhoseThreadsAllWaitForNothingIsADeadlock() throws Exception {
        try (Simulator sim = new Simulator(1)) {
            DeterministicThreads threads = new DeterministicThreads(sim);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> threads.run(() -> {
                Thread.ofVirtual().name("stuck").start(LockSupport::park).join();
                return null;
            }));
            assertTrue(e.getMessage().contains("no event is pending") && e.getMessage().contains("main-sim"), e.getMessage());
        }
    }

    @Test
    void runsOnlyFromAPlatformThread() throws Exception {
        try (Simulator sim = new Simulator(1)) {
            DeterministicThreads threads = new DeterministicThreads(sim);
            Thread v = Thread.ofVirtual().start(() -> assertThrows(IllegalStateException.class, () -> threads.run(() -> null)));
            v.join();
            assertEquals("done", threads.run(() -> "done"));
        }
    }
}
