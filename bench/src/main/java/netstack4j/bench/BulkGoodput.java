package netstack4j.bench;

import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * P1: bulk TCP goodput per wall-clock second between two stacks in one JVM on one simulated cable
 * with no bandwidth limit and no delay, MTU 65536 as Linux's loopback. The writer sends 128 KiB
 * chunks (iperf3's default length on TCP), the reader discards; the figure counts bytes the reader
 * got during the measured wall time, after a warm-up. Everything runs on the simulator's thread.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar netstack4j.bench.BulkGoodput [SECONDS]}; prints
 * {@code RESULT <Gbit/s> <detail>}.
 */
public final class BulkGoodput {
    static final int CHUNK = 128 * 1024;

    private BulkGoodput() {
    }

    public static void main(String[] args) {
        Bench.main("BulkGoodput", args, a -> {
            double seconds = Bench.doubleArg(a, 0, 5);
            long[] received = {0};
            try (Simulator sim = new Simulator(1)) {
                var t = Topologies.hostPair(sim, LinkParams.DEFAULT.withMtu(65536).withDelay(Long.getLong("bench.delayNs", 0)), Topologies.DeviceDecorator.NONE);
                NetStack receiver = t.b();
                sim.spawn(receiver, "reader", ctx -> {
                    try (TcpListener l = receiver.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, 5201), 4)) {
                        TcpSocket s = l.accept();
                        byte[] buf = new byte[CHUNK];
                        int n;
                        while ((n = s.read(buf, 0, buf.length)) > 0) {
                            received[0] += n;
                        }
                    }
                });
                sim.spawn(t.a(), "writer", ctx -> {
                    TcpSocket c = ctx.host().sockets().tcp();
                    c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 5201));
                    byte[] chunk = new byte[CHUNK];
                    while (true) {
                        c.write(chunk, 0, chunk.length);
                    }
                });
                Bench.runWall(sim, 1.5); // warm-up: JIT, window growth
                long bytes0 = received[0];
                long sim0 = sim.nowNs();
                double wall = Bench.runWall(sim, seconds);
                double gbits = (received[0] - bytes0) * 8 / wall / 1e9;
                return String.format("%.2f %.2f Gbit/s of simulated time per wall second (%.0f ms simulated in %.1f s)",
                        gbits, (received[0] - bytes0) * 8 / ((sim.nowNs() - sim0) / 1e9) / 1e9,
                        (sim.nowNs() - sim0) / 1e6, wall);
            }
        });
    }
}
