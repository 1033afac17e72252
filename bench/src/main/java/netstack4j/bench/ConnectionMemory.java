package netstack4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * P4: heap per idle established connection. Host a (10.0.0.1) opens connections to host b
 * (10.0.0.2) in one JVM, 50,000 per server port, and both sides keep every socket; after each
 * doubling of the count (N, 2N, …, up to the target) the heap in use after full GCs is read from
 * the {@link MemoryMXBean}. The figure is the growth between the last two checkpoints divided by
 * the connections added: the heap one more idle connection costs, both its endpoints (and the
 * two references the programs keep) included. Stops early, with the largest count reached, when
 * the heap in use passes 80 % of the maximum.
 *
 * <p>With {@code -Dbench.histogram=true} it also prints the top of the class histogram.
 *
 * <p>{@code java -Xmx12g -cp bench/target/benchmarks.jar netstack4j.bench.ConnectionMemory [TARGET]}
 * (default 1,000,000)
 */
public final class ConnectionMemory {
    private static final int PER_PORT = 50_000;

    private ConnectionMemory() {
    }

    public static void main(String[] args) {
        Bench.main("ConnectionMemory", args, a -> {
            int target = Bench.intArg(a, 0, 1_000_000);
            int ports = (target + PER_PORT - 1) / PER_PORT;
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            long max = mem.getHeapMemoryUsage().getMax();
            try (Simulator sim = new Simulator(4)) {
                var t = Topologies.hostPair(sim, LinkParams.of(0, 1_000), Topologies.DeviceDecorator.NONE);
                NetStack server = t.b();
                List<TcpSocket> accepted = new ArrayList<>();
                List<TcpSocket> opened = new ArrayList<>();
                for (int p = 0; p < ports; p++) {
                    Ipv4SocketAddress at = new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 8000 + p);
                    sim.spawn(server, "server" + p, ctx -> {
                        TcpListener l = server.sockets().listen(at, 4096);
                        while (true) {
                            accepted.add(l.accept());
                        }
                    });
                }
                int[] goal = {0};
                sim.spawn(t.a(), "clients", ctx -> {
                    for (int i = 0; i < target; i++) {
                        while (i >= goal[0]) {
                            ctx.sleep(1_000_000L); // until the main thread asks for more
                        }
                        TcpSocket c = ctx.host().sockets().tcp();
                        c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                        c.bind(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.1"), 10_000 + i % PER_PORT));
                        c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 8000 + i / PER_PORT));
                        opened.add(c);
                    }
                });
                sim.runFor(100_000_000L); // listeners up, ARP resolved
                long base = usedAfterGc(mem);
                long prevN = 0;
                long prevUsed = base;
                long lastN = 0;
                long lastUsed = base;
                long t0 = System.nanoTime();
                for (long n = Math.min(target, 62_500); ; n = Math.min(target, n * 2)) {
                    goal[0] = (int) n;
                    final long want = n;
                    Runtime rt = Runtime.getRuntime();
                    int[] events = {0};
                    boolean full = false;
                    while (!(accepted.size() >= want && opened.size() >= want) && !full) {
                        // Stops every 4,096 events when the heap (garbage included) looks nearly
                        // full, and gives up only if it still is after a full GC.
                        sim.runUntil(() -> accepted.size() >= want && opened.size() >= want
                                || (++events[0] & 4095) == 0 && rt.totalMemory() - rt.freeMemory() > max * 0.9,
                                sim.nowNs() + 3_600_000_000_000L);
                        full = accepted.size() < want && usedAfterGc(mem) > max * 0.85;
                    }
                    if (full && lastN == 0) {
                        throw new IllegalStateException("the heap (" + (max >> 20) + " MiB) is full before "
                                + want + " connections; give the JVM more (-Xmx)");
                    }
                    if (full) {
                        break; // report the last two checkpoints
                    }
                    sim.runFor(1_000_000_000L); // the last ACKs land; delayed ACK timers expire
                    if (accepted.size() < n) {
                        throw new IllegalStateException("only " + accepted.size() + " of " + n + " connections were accepted");
                    }
                    prevN = lastN;
                    prevUsed = lastUsed;
                    lastN = n;
                    lastUsed = usedAfterGc(mem);
                    System.err.printf("ConnectionMemory: %,d connections, %,d MiB of heap in use, %.0f s%n",
                            n, lastUsed >> 20, (System.nanoTime() - t0) / 1e9);
                    if (n >= target || lastUsed > max * 0.8 || lastUsed * 2.1 > max) {
                        break;
                    }
                }
                if (Boolean.getBoolean("bench.histogram")) { // the classes that hold the heap, as jmap -histo shows them
                    String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                            new Object[] {null}, new String[] {String[].class.getName()});
                    h.lines().limit(25).forEach(System.err::println);
                }
                double perConn = (lastUsed - prevUsed) / (double) (lastN - prevN);
                return String.format("%.0f bytes of heap per idle connection, both ends (%.0f per socket), "
                                + "%,d connections held in %,d MiB (heap max %,d MiB); from %,d to %,d connections",
                        perConn, perConn / 2, lastN, (lastUsed - base) >> 20, max >> 20, prevN, lastN);
            }
        });
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            mem.gc();
            Thread.sleep(20);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
