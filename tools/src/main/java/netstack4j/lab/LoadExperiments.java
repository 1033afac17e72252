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
                "", LoadExperiments::floodProbe),
                new Experiment("N45", "close-cheaters", "servers close misbehaving clients (cheaters) first", "", LoadExperiments::closeCheaters),
                new Experiment("N46", "fabric-drops", "shared switch fabrics drop connections now and then while reporting no fault",
                        "", LoadExperiments::fabricDrops));
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
        bench.focusLadder(950 * MS); // the picture starts just before the flood
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
        // The network's fault shows in the probe either way: it fails, or its round trips grow a
        // hundredfold while the switch drops (Windows' 300 ms RTO floor rides the flood out).
        boolean holds = drops > 0 && retrans > 0 && (failure[0] != null || during > 100 * Math.max(1, before));
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

    /** Three clients; the second cheats and the server closes it first, with FIN or with RST. */
    private static Verdict closeCheaters(Run run) {
        run.setup("b's game server serves three clients from a; each sends a 20-byte move every 100 ms for 2 s and reads the"
                + " server's answer. Client 2 cheats at 500 ms; the server closes it at once: with close (FIN), then, in a second run, with SO_LINGER 0 (RST).");
        List<String> results = new ArrayList<>();
        int[] timeWaits = new int[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean rst = mode == 1;
            Bench bench = run.bench();
            List<String> got = new ArrayList<>();
            bench.spawn(bench.b(), "server", ctx -> {
                var l = ctx.host().sockets().listen(Bench.B80, 8);
                while (true) {
                    TcpSocket s = l.accept();
                    ctx.spawn("player", p -> {
                        byte[] move = new byte[20];
                        try {
                            while (s.read(move, 0, 20) > 0) {
                                if (move[0] == 'C') { // the cheat: close this client first
                                    if (rst) {
                                        s.setOption(StandardSocketOptions.SO_LINGER, 0);
                                    }
                                    s.close();
                                    return;
                                }
                                s.write(move, 0, 20);
                            }
                            s.close();
                        } catch (ErrnoException e) {
                            s.close();
                        }
                    });
                }
            });
            for (int i = 1; i <= 3; i++) {
                int me = i;
                bench.spawn(bench.a(), "client" + i, ctx -> {
                    ctx.sleep(me * MS);
                    TcpSocket s = ctx.host().sockets().tcp();
                    s.connect(Bench.B80);
                    int answers = 0;
                    String end = "played to the end";
                    try {
                        for (int k = 0; k < 20; k++) {
                            byte[] move = new byte[20];
                            move[0] = (byte) (me == 2 && k == 5 ? 'C' : 'M');
                            s.write(move, 0, 20);
                            int n = s.read(move, 0, 20);
                            if (n <= 0) {
                                end = "end of stream";
                                break;
                            }
                            answers++;
                            ctx.sleep(100 * MS);
                        }
                    } catch (ErrnoException e) {
                        end = e.errno().name();
                    }
                    got.add("client " + me + ": " + answers + " answers, " + end);
                    s.close();
                });
            }
            bench.runFor(3 * S);
            timeWaits[mode] = bench.b().tcp().timeWaitSockets().size();
            java.util.Collections.sort(got);
            results.add(String.join("; ", got));
            run.say((rst ? "closing the cheater with RST: " : "closing the cheater with FIN: ") + got);
            run.say("  TIME-WAIT entries on the server after 3 s: " + timeWaits[mode]);
        }
        boolean honest = results.stream().allMatch(r -> r.contains("client 1: 20 answers, played to the end")
                && r.contains("client 3: 20 answers, played to the end"));
        boolean cheaterOut = results.get(0).contains("client 2: 5 answers, end of stream") && results.get(1).contains("client 2: 5 answers, ECONNRESET");
        LoadRuns.Pair load = LoadRuns.serverClosesFirst(run, run.seed());
        boolean holds = honest && cheaterOut && timeWaits[0] == 1 && timeWaits[1] == 0
                && load.fin().maxServerTimeWait == load.fin().completed && load.fin().maxClientTimeWait == 0
                && load.rst().maxServerTimeWait == 0 && load.rst().completed == load.fin().completed;
        return Verdict.of(holds, results + ", TIME-WAITs " + timeWaits[0] + "/" + timeWaits[1] + "; loadgen FIN " + load.fin().line()
                + ", RST " + load.rst().line());
    }

    /** Two connections through a fabric that silently black-holes one of them for 10 s. */
    private static Verdict fabricDrops(Run run) {
        Bench bench = run.bench();
        run.setup("Two game connections from a to b:7 (heartbeat every 200 ms, TCP_USER_TIMEOUT 5 s). From 1 s to 11 s the fabric"
                + " silently drops every frame of the first connection (as an ECMP path or a flow table gone bad); the other connection and ping go through.");
        int[] victim = {-1};
        long[] window = {1 * S, 11 * S};
        java.util.function.Predicate<Segment> blackhole = x -> x.isTcp() && victim[0] > 0
                && (x.srcPort() == victim[0] || x.dstPort() == victim[0]) && x.timeNs() >= window[0] && x.timeNs() < window[1];
        bench.log().dropOutgoing("a", blackhole);
        bench.log().dropOutgoing("b", blackhole);
        bench.spawn(bench.b(), "server", ctx -> {
            var l = ctx.host().sockets().listen(Ipv4SocketAddress.of("10.0.0.2", 7), 8);
            while (true) {
                TcpSocket s = l.accept();
                ctx.spawn("echo", p -> {
                    byte[] buf = new byte[50];
                    try {
                        int n;
                        while ((n = s.read(buf, 0, 50)) > 0) {
                            s.write(buf, 0, n);
                        }
                    } catch (ErrnoException e) {
                        // the connection died
                    }
                    s.close();
                });
            }
        });
        String[] ends = new String[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            bench.spawn(bench.a(), "game" + i, ctx -> {
                ctx.sleep(me * MS);
                TcpSocket s = ctx.host().sockets().tcp();
                s.setOption(NetSocketOptions.TCP_USER_TIMEOUT, 5000);
                s.connect(Ipv4SocketAddress.of("10.0.0.2", 7));
                if (me == 0) {
                    victim[0] = s.localAddress().port();
                }
                byte[] beat = new byte[50];
                int beats = 0;
                try {
                    while (ctx.nowNs() < 15 * S) {
                        s.write(beat, 0, 50);
                        s.read(beat, 0, 50);
                        beats++;
                        ctx.sleep(200 * MS);
                    }
                    ends[me] = beats + " heartbeats, still connected";
                } catch (ErrnoException e) {
                    ends[me] = beats + " heartbeats, then " + e.errno() + " at " + Bench.ms(ctx.nowNs());
                }
                s.close();
            });
        }
        String[] ping = {null};
        bench.spawn(bench.a(), "ping", ctx -> {
            ctx.sleep(5 * S);
            try (var p = ctx.host().sockets().ping()) {
                p.send(netstack4j.wire.Ipv4Address.parse("10.0.0.2"), 1, new byte[56]);
                ping[0] = p.receive() instanceof netstack4j.socket.PingSocket.Reply ? "answered" : "failed";
            }
        });
        bench.runFor(16 * S);
        var ab = bench.link().stats(netstack4j.sim.SimLink.Direction.A_TO_B);
        var ba = bench.link().stats(netstack4j.sim.SimLink.Direction.B_TO_A);
        long linkDrops = ab.dropped() + ba.dropped();
        run.say("connection 1: " + ends[0]);
        run.say("connection 2: " + ends[1]);
        run.say("a ping at 5 s, in the middle of it: " + ping[0] + "; the cable is up and counted " + linkDrops
                + " drops; IP and interface error counters on both hosts: " + (bench.grew(bench.a(), Counter.IpInHdrErrors)
                + bench.grew(bench.b(), Counter.IpInHdrErrors) + bench.grew(bench.a(), Counter.TcpInErrs) + bench.grew(bench.b(), Counter.TcpInErrs)));
        run.say("Nothing reports a fault: only the application sees its connection time out.");
        boolean holds = ends[0] != null && ends[0].contains("ETIMEDOUT") && ends[1] != null && ends[1].endsWith("still connected")
                && "answered".equals(ping[0]) && linkDrops == 0;
        return Verdict.of(holds, "connection 1 " + ends[0] + ", connection 2 " + ends[1] + ", ping " + ping[0]);
    }
}
