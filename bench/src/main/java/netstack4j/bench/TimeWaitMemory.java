package netstack4j.bench;

import java.net.StandardSocketOptions;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * Heap per TIME-WAIT entry: a server closes {@code N} connections first (default 100,000), so it
 * holds N TIME-WAIT entries; the heap in use after a full GC, less the heap before, divided by N.
 * Goal: at most 256 bytes per entry (Linux's tcp_timewait_sock is about 200).
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench -am
 * java -cp bench/target/benchmarks.jar netstack4j.bench.TimeWaitMemory [N]
 * </pre>
 */
public final class TimeWaitMemory {
    private TimeWaitMemory() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int ports = (n + 49_999) / 50_000;
        try (Simulator sim = new Simulator(1)) {
            var t = Topologies.hostPair(sim, LinkParams.of(0, 10_000), Topologies.DeviceDecorator.NONE);
            NetStack server = t.b();
            for (int p = 0; p < ports; p++) {
                Ipv4SocketAddress at = new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 8000 + p);
                sim.spawn(server, "server" + p, ctx -> {
                    TcpListener l = ctx.host().sockets().listen(at, 128);
                    while (true) {
                        l.accept().close(); // the server closes first: it holds TIME-WAIT
                    }
                });
            }
            sim.spawn(t.a(), "clients", ctx -> {
                byte[] b = new byte[1];
                for (int i = 0; i < n; i++) {
                    TcpSocket c = ctx.host().sockets().tcp();
                    c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    c.bind(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.1"), 10_000 + i % 50_000));
                    c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 8000 + i / 50_000));
                    c.read(b, 0, 1); // EOF
                    c.close();
                }
            });
            sim.runFor(1_000_000_000L); // the first second: set-up, listeners, ARP
            long before = usedAfterGc();
            sim.runUntil(() -> server.tcp().timeWaitCount() >= n, 50_000_000_000L);
            sim.runFor(1_000_000_000L); // the last clients' sockets close
            long after = usedAfterGc();
            int tw = server.tcp().timeWaitCount();
            System.out.printf("%d TIME-WAIT entries (%d connections open on the server), %.1f bytes of heap each%n",
                    tw, server.tcp().connections().size(), (after - before) / (double) tw);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }
}
