package netstack4j.bench;

import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A steady bulk TCP transfer between two simulated hosts on a 10 Gbit/s cable with 50 us delay:
 * each operation runs one millisecond of simulated time. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} divided by the {@code segments} counter is the allocation per
 * data segment on the whole path (application write, TCP, IP, link, simulator, TCP receive,
 * application read).
 *
 * <p>{@code java -jar bench/target/benchmarks.jar TcpBulkBench -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=1")
public class TcpBulkBench {
    private Simulator sim;
    private NetStack sender;

    /** Segments the sender put on the wire during the measured operations. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Segments {
        public long segments;
    }

    @Setup(Level.Trial)
    public void setup() {
        sim = new Simulator(1);
        var t = Topologies.hostPair(sim, LinkParams.of(10_000_000_000L, 50_000), Topologies.DeviceDecorator.NONE);
        sender = t.a();
        NetStack receiver = t.b();
        sim.spawn(receiver, "reader", ctx -> {
            try (TcpListener l = receiver.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, 5201), 4)) {
                TcpSocket s = l.accept();
                byte[] buf = new byte[256 * 1024];
                while (s.read(buf, 0, buf.length) > 0) {
                    // discard
                }
            }
        });
        sim.spawn(sender, "writer", ctx -> {
            TcpSocket c = sender.sockets().tcp();
            c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 5201));
            byte[] chunk = new byte[256 * 1024];
            while (true) {
                c.write(chunk, 0, chunk.length);
            }
        });
        sim.runFor(50_000_000L);
    }

    @Benchmark
    public void oneMillisecondOfTransfer(Segments counter) {
        long before = sender.counters().get(Counter.TcpOutSegs);
        sim.runFor(1_000_000L);
        counter.segments += sender.counters().get(Counter.TcpOutSegs) - before;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sim.close();
    }
}
