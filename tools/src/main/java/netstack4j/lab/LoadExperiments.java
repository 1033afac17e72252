package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;

/** Experiments on load and diagnosis: N43. */
final class LoadExperiments {
    private LoadExperiments() {
    }

    static List<Experiment> all() {
        return List.of(new Experiment("N43", "flood-probe",
                "flooding a LAN causes loss and disconnects; a simple blocking probe tells network faults from application faults",
                "", LoadExperiments::floodProbe));
    }

    private static Verdict floodProbe(Run run) {
        Bench bench = run.benchOnSwitch(LinkParams.of(10_000_000L, 1 * MS), 30 * 1042); // room for exactly 30 flood frames
        run.setup("a, b and c on one switch, 10 Mbit/s ports with queues of 30 full frames (c's port is 100 Mbit/s). A probe on a (blocking socket, TCP_NODELAY,"
                + " TCP_USER_TIMEOUT 3 s) sends 100 bytes to b's echo server every 50 ms and reads the echo; from 1 s to 3.5 s"
                + " c floods b with 1000-byte UDP datagrams, one every 0.1 ms (80 Mbit/s, eight times what b's port carries).");
        List<long[]> rtts = new ArrayList<>();
        String[] failure = {null};
        Apps.server(bench, 7, (ctx, s) -> {
            byte[] buf = new byte[100];
            int n;
            try {
                while ((n = s.read(buf, 0, 100)) > 0) {
                    s.write(buf, 0, n);
                }
            } catch (ErrnoException e) {
                // the probe gave up and reset the connection
            }
        });
        bench.spawn(bench.b(), "sink", ctx -> {
            UdpSocket u = ctx.host().sockets().udp();
            u.bind(9);
            ctx.sleep(10 * S);
        });
        Apps.client(bench, 7, (ctx, s) -> {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            s.setOption(NetSocketOptions.TCP_USER_TIMEOUT, 3000);
        }, (ctx, s) -> probe(ctx, s, rtts, failure));
        bench.spawn(bench.c(), "flood", ctx -> {
            UdpSocket u = ctx.host().sockets().udp();
            ctx.sleepUntil(1 * S);
            byte[] payload = new byte[1000];
            Ipv4SocketAddress to = Ipv4SocketAddress.of("10.0.0.2", 9);
            while (ctx.nowNs() < 3500 * MS) {
                try {
                    u.sendTo(payload, to);
                } catch (ErrnoException e) {
                    // the host's own queue is full: the flood is as fast as it can be
                }
                ctx.sleep(100_000);
            }
        });
        bench.every(50 * MS, 6 * S, () -> run.point("switch port to b: frames dropped", "queue drops", bench.sim().nowNs(),
                bench.sw().queueDrops(1)));
        bench.runFor(6 * S);
        for (long[] r : rtts) {
            run.point("probe round trip (microseconds)", "a <-> b echo", r[0], r[1] / 1000);
        }
        long before = median(rtts, 0, 1 * S);
        long during = max(rtts, 1 * S, 3500 * MS);
        long after = median(rtts, 4 * S, 6 * S);
        long drops = bench.sw().queueDrops(1);
        long retrans = bench.grew(bench.a(), Counter.TcpRetransSegs) + bench.grew(bench.b(), Counter.TcpRetransSegs);
        run.say("probe round trip: median " + Bench.ms(before) + " before the flood, "
                + (during == 0 ? "none completed during it" : "up to " + Bench.ms(during) + " during it")
                + (failure[0] == null ? ", median " + Bench.ms(after) + " after" : ""));
        run.say("the switch dropped " + drops + " frames on b's port; the probe's segments were retransmitted " + retrans + " times"
                + (failure[0] == null ? "; the probe's connection survived" : "; the probe failed: " + failure[0]));
        run.say("The probe is too simple to be wrong: its slow or lost round trips point at the network, not at the application.");
        boolean holds = drops > 0 && retrans > 0 && failure[0] != null;
        return Verdict.of(holds, "drops " + drops + ", retransmissions " + retrans + ", round trips " + before / 1000 + "/" + during / 1000 + " us");
    }

    private static void probe(netstack4j.sim.ProcessContext ctx, TcpSocket s, List<long[]> rtts, String[] failure) throws InterruptedException {
        byte[] buf = new byte[100];
        try {
            while (ctx.nowNs() < 6 * S) {
                long t0 = ctx.nowNs();
                s.write(buf, 0, 100);
                int got = 0;
                while (got < 100) {
                    int n = s.read(buf, got, 100 - got);
                    if (n <= 0) {
                        failure[0] = "end of stream";
                        return;
                    }
                    got += n;
                }
                rtts.add(new long[] {t0, ctx.nowNs() - t0});
                ctx.sleepUntil(t0 + 50 * MS);
            }
        } catch (ErrnoException e) {
            failure[0] = e.errno() + " at " + Bench.ms(ctx.nowNs());
        }
    }

    private static long median(List<long[]> rtts, long from, long to) {
        List<Long> v = new ArrayList<>();
        for (long[] r : rtts) {
            if (r[0] >= from && r[0] < to) {
                v.add(r[1]);
            }
        }
        if (v.isEmpty()) {
            return 0;
        }
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    private static long max(List<long[]> rtts, long from, long to) {
        long m = 0;
        for (long[] r : rtts) {
            if (r[0] >= from && r[0] < to) {
                m = Math.max(m, r[1]);
            }
        }
        return m;
    }
}
