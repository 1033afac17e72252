package netstack4j.bench;

import java.net.StandardSocketOptions;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimLink;
import netstack4j.sim.Simulator;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;

/**
 * P5: the dumbbell of {@code bench/ns3/dumbbell.cc} in netstack4j's simulator. Senders l0, l1 —
 * router L ═ (100 Mbit/s, 10 ms, a drop-tail queue of 100 full frames) ═ router R — receivers r0,
 * r1; leaf links 1 Gbit/s, 1 ms. Bulk TCP (Linux defaults: CUBIC, SACK, timestamps; buffers set
 * explicitly, SO_SNDBUF 4 MiB and SO_RCVBUF 6 MiB, as the ns-3 program's fixed sizes: receive
 * autotuning, which would grow a default buffer, is not in the stack yet) from l<i>i</i> to r<i>i</i>, 128 KiB writes, for SECONDS of simulated time. The figures are
 * the wall time the simulation took and the goodput both receivers got together.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar netstack4j.bench.DumbbellSim [SECONDS]}; prints
 * {@code RESULT <wall seconds> <CPU seconds of the process> <goodput Mbit/s> <simulated seconds>}.
 */
public final class DumbbellSim {
    private DumbbellSim() {
    }

    public static void main(String[] args) {
        Bench.main("DumbbellSim", args, a -> {
            double seconds = Bench.doubleArg(a, 0, 30);
            LinkParams leaf = LinkParams.of(1_000_000_000L, 1_000_000L);
            LinkParams bottleneck = LinkParams.of(100_000_000L, 10_000_000L).withQueueLimit(Integer.getInteger("bench.queue", 100 * 1514));
            long[] received = {0};
            try (Simulator sim = new Simulator(5)) {
                NetStack left = sim.newRouter("L");
                NetStack right = sim.newRouter("R");
                SimLink core = sim.connect(left, right, bottleneck);
                left.addInterface(core.a(), Ipv4Address.parse("10.3.1.1"), 24);
                right.addInterface(core.b(), Ipv4Address.parse("10.3.1.2"), 24);
                left.addRoute(Ipv4Prefix.parse("10.2.0.0/16"), Ipv4Address.parse("10.3.1.2"));
                right.addRoute(Ipv4Prefix.parse("10.1.0.0/16"), Ipv4Address.parse("10.3.1.1"));
                TcpSocket[] sockets = new TcpSocket[2];
                for (int i = 0; i < 2; i++) {
                    int idx = i;
                    NetStack sender = leafHost(sim, "l" + i, left, leaf, 1, i);
                    NetStack receiver = leafHost(sim, "r" + i, right, leaf, 2, i);
                    Ipv4SocketAddress to = new Ipv4SocketAddress(Ipv4Address.of(10, 2, i, 1), 5201);
                    sim.spawn(receiver, "sink", ctx -> {
                        try (TcpSocket l = receiver.sockets().tcp()) {
                            l.setOption(StandardSocketOptions.SO_RCVBUF, 6 << 20);
                            l.bind(to);
                            l.listen(4);
                            TcpSocket s = l.accept();
                            byte[] buf = new byte[128 * 1024];
                            int n;
                            while ((n = s.read(buf, 0, buf.length)) > 0) {
                                received[0] += n;
                            }
                        }
                    });
                    sim.spawn(sender, "bulk", ctx -> {
                        ctx.sleep(100_000_000L); // starts at 0.1 s, as the ns-3 program's senders
                        TcpSocket c = sender.sockets().tcp();
                        c.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                        c.connect(to);
                        byte[] chunk = new byte[128 * 1024];
                        sockets[idx] = c;
                        while (true) {
                            c.write(chunk, 0, chunk.length);
                        }
                    });
                }
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                sim.runFor((long) (seconds * 1e9));
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                double wall = (System.nanoTime() - t0) / 1e9;
                if (Boolean.getBoolean("bench.info")) {
                    for (TcpSocket c : sockets) {
                        System.err.println(c.info());
                    }
                }
                return String.format("%.3f %.3f %.2f %.1f", wall, cpu, received[0] * 8 / (seconds - 0.1) / 1e6, seconds);
            }
        });
    }

    /** Host {@code name} at 10.{@code side}.{@code i}.1/24, router's side 10.{@code side}.{@code i}.2. */
    private static NetStack leafHost(Simulator sim, String name, NetStack router, LinkParams p, int side, int i) {
        NetStack h = sim.newHost(name);
        SimLink l = sim.connect(h, router, p);
        h.addInterface(l.a(), Ipv4Address.of(10, side, i, 1), 24);
        router.addInterface(l.b(), Ipv4Address.of(10, side, i, 2), 24);
        h.setDefaultGateway(Ipv4Address.of(10, side, i, 2));
        return h;
    }
}
