package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.Personality;
import netstack4j.tcp.TcpState;
import netstack4j.wire.TcpFlags;

/** Experiments on closing: N34–N42 and N44. */
final class CloseExperiments {
    private CloseExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                new Experiment("N34", "four-way-close", "FIN, ACK, FIN, ACK: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT on the closing side, CLOSE_WAIT, LAST_ACK on the other; a lost ACK holds FIN_WAIT_1, a peer that never closes holds FIN_WAIT_2",
                        "", CloseExperiments::fourWayClose),
                new Experiment("N35", "close-wait-read", "in CLOSE_WAIT the data already received can still be read; then recv returns 0", "", CloseExperiments::closeWaitRead),
                new Experiment("N36", "close-linger", "close: by default returns at once and sends the rest then FIN; SO_LINGER 0 sends RST (no TIME_WAIT); SO_LINGER > 0 blocks until acknowledged or resets when the time runs out",
                        "windows", CloseExperiments::closeLinger),
                new Experiment("N37", "rst-loses-buffer", "a peer that receives RST gets an error from recv even with data still in its receive buffer", "windows", CloseExperiments::rstLosesBuffer),
                new Experiment("N38", "send-then-rst", "send then RST loses data: only an application-level reply proves delivery", "", CloseExperiments::sendThenRst),
                new Experiment("N39", "half-close", "shutdown(SHUT_WR) sends FIN but keeps receiving", "", CloseExperiments::halfClose),
                new Experiment("N40", "time-wait", "the side that closes first holds TIME_WAIT (2 MSL), tying up the port; a retransmitted FIN restarts the timer",
                        "", CloseExperiments::timeWait),
                new Experiment("N41", "rst-no-time-wait", "a server closing with RST leaves no TIME_WAIT; once in FIN_WAIT it can no longer send RST (shutdown and linger 0 do not combine)",
                        "", CloseExperiments::rstNoTimeWait),
                new Experiment("N42", "rst-for-strangers", "a segment that matches no connection is answered with RST; UDP accepts datagrams from anyone",
                        "", CloseExperiments::rstForStrangers),
                new Experiment("N44", "client-ports", "clients that close first pile up TIME_WAIT and run out of local ports; closing with RST avoids it",
                        "", CloseExperiments::clientPorts));
    }

    private static Verdict fourWayClose(Run run) {
        run.setup("1) a sends a request, b answers, a closes first, then b. 2) as 1, but b vanishes as a closes (every frame from b lost): a's FIN is never ACKed."
                + " 3) a closes, b ACKs but never closes.");
        Bench bench = run.bench();
        Apps.server(bench, 80, (ctx, s) -> {
            Apps.drain(s, 100);
            s.close();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 10);
            s.close();
        });
        bench.runFor(1 * S);
        bench.show(s -> s.isTcp() && (s.has(TcpFlags.FIN) || s.length() == 0) && !s.has(TcpFlags.SYN), 8);
        List<String> a = bench.transitions(bench.a());
        List<String> b = bench.transitions(bench.b());
        run.say("a: " + a);
        run.say("b: " + b);
        boolean normal = a.containsAll(List.of("ESTABLISHED -> FIN_WAIT_1", "FIN_WAIT_1 -> FIN_WAIT_2", "FIN_WAIT_2 -> TIME_WAIT"))
                && b.containsAll(List.of("ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK", "LAST_ACK -> CLOSED"));

        Bench lost = run.bench();
        Apps.server(lost, 80, (ctx, s) -> ctx.sleep(1000 * S));
        Apps.client(lost, 80, (ctx, s) -> {
            ctx.sleep(100 * MS);
            lost.log().dropOutgoing("b", x -> true);
            s.close();
        });
        long fw1 = timeIn(lost, lost.a(), "FIN_WAIT_1", 600 * S);
        run.say("2) a stayed in FIN_WAIT_1 for " + (fw1 < 0 ? "more than 600 s" : String.format("%.1f s", fw1 / 1e9))
                + ", retransmitting its FIN " + lost.tcpSentBy(lost.a()).stream().filter(x -> x.has(TcpFlags.FIN)).count()
                + " times (tcp_orphan_retries), then gave up.");

        Bench never = run.bench();
        Apps.server(never, 80, (ctx, s) -> ctx.sleep(1000 * S));
        Apps.client(never, 80, (ctx, s) -> {
            ctx.sleep(100 * MS);
            s.close();
        });
        long fw2 = timeIn(never, never.a(), "FIN_WAIT_2", 600 * S);
        run.say("3) a stayed in FIN_WAIT_2 for " + (fw2 < 0 ? "more than 600 s" : String.format("%.1f s", fw2 / 1e9))
                + " (an orphan waits net.ipv4.tcp_fin_timeout, 60 s); b is still in " + never.b().tcp().connections().getFirst().state());
        boolean holds = normal && fw1 > 10 * S && fw2 >= 59 * S;
        return Verdict.of(holds, "normal close " + normal + ", FIN_WAIT_1 " + fw1 / S + " s, FIN_WAIT_2 " + fw2 / S + " s");
    }

    /** Runs {@code bench} for {@code limitNs} and returns how long {@code host}'s connection was in {@code state} (-1: never left it). */
    private static long timeIn(Bench bench, netstack4j.stack.NetStack host, String state, long limitNs) {
        bench.runFor(limitNs);
        long enter = -1;
        long leave = -1;
        for (var e : bench.states()) {
            if (!e.host().equals(host.name())) {
                continue;
            }
            if (e.detail().endsWith("-> " + state)) {
                enter = e.timeNs();
            } else if (e.detail().contains(": " + state + " ->")) {
                leave = e.timeNs();
            }
        }
        return enter < 0 || leave < 0 ? -1 : leave - enter;
    }

    private static Verdict closeWaitRead(Run run) {
        Bench bench = run.bench();
        run.setup("a sends 3000 bytes and closes at once; b reads only 200 ms later.");
        List<String> got = new ArrayList<>();
        Apps.server(bench, 80, (ctx, s) -> {
            ctx.sleep(200 * MS);
            got.add(s.state().name());
            byte[] buf = new byte[10000];
            got.add(String.valueOf(s.read(buf, 0, buf.length)));
            got.add(String.valueOf(s.read(buf, 0, buf.length)));
            s.close();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 3000);
            s.close();
        });
        bench.runFor(1 * S);
        run.say("b's socket was in " + got.get(0) + "; recv returned " + got.get(1) + " bytes, then " + got.get(2));
        return Verdict.of(got.equals(List.of("CLOSE_WAIT", "3000", "0")), "b saw " + got);
    }

    /** Runs close with SO_LINGER {@code linger} (null: off) after writing 200 kB; b reads after {@code readAfterNs}. Returns {close time, RST sent, FIN sent, a's state 1 s after close}. */
    private static Object[] lingerRun(Bench bench, Integer linger, long readAfterNs) {
        Object[] r = new Object[4];
        boolean stuck = readAfterNs > 0;
        Apps.server(bench, 80, (ctx, l) -> {
            if (stuck) {
                l.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            }
        }, (ctx, s) -> {
            ctx.sleep(readAfterNs);
            try {
                Apps.drain(s, 65536);
            } catch (ErrnoException e) {
                // reset: what the experiment shows
            }
        });
        TcpSocket[] sock = new TcpSocket[1];
        Apps.client(bench, 80, (ctx, s) -> {
            sock[0] = s;
            if (linger != null) {
                s.setOption(StandardSocketOptions.SO_LINGER, linger);
            }
            s.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20); // the whole write fits: close is reached
            Apps.write(s, 200_000);
            long t0 = ctx.nowNs();
            s.close();
            r[0] = ctx.nowNs() - t0;
            ctx.sleep(1 * S);
            r[3] = s.connection().state();
        });
        bench.runFor(30 * S);
        r[1] = bench.tcpSentBy(bench.a()).stream().anyMatch(x -> x.has(TcpFlags.RST));
        r[2] = bench.tcpSentBy(bench.a()).stream().anyMatch(x -> x.has(TcpFlags.FIN));
        return r;
    }

    private static Verdict closeLinger(Run run) {
        run.setup("a writes 200 kB and closes, on a 100 Mbit/s cable (10 ms round trip): 1) default; 2) SO_LINGER 0; 3) SO_LINGER 5 s, b reading at once;"
                + " 4) SO_LINGER 2 s while b (SO_RCVBUF 8192) does not read for 10 s, on Linux and on Windows. a's SO_SNDBUF is 1 MB, so its write returns.");
        Object[] def = lingerRun(run.bench(Personality.LINUX, Bench.CABLE), null, 0);
        Object[] zero = lingerRun(run.bench(Personality.LINUX, Bench.CABLE), 0, 0);
        Object[] wait = lingerRun(run.bench(Personality.LINUX, Bench.CABLE), 5, 0);
        Object[] outL = lingerRun(run.bench(Personality.LINUX, Bench.CABLE), 2, 10 * S);
        Object[] outW = lingerRun(run.bench(Personality.WINDOWS, Bench.CABLE), 2, 10 * S);
        String f = "%-32s %12s %5s %5s %s";
        run.say(String.format(f, "", "close took", "RST", "FIN", "a's socket 1 s later"));
        run.say(String.format(f, "1) default", Bench.ms((long) def[0]), def[1], def[2], def[3]));
        run.say(String.format(f, "2) SO_LINGER 0", Bench.ms((long) zero[0]), zero[1], zero[2], zero[3]));
        run.say(String.format(f, "3) SO_LINGER 5 s", Bench.ms((long) wait[0]), wait[1], wait[2], wait[3]));
        run.say(String.format(f, "4) SO_LINGER 2 s, stuck, Linux", Bench.ms((long) outL[0]), outL[1], outL[2], outL[3]));
        run.say(String.format(f, "4) SO_LINGER 2 s, stuck, Windows", Bench.ms((long) outW[0]), outW[1], outW[2], outW[3]));
        boolean one = (long) def[0] == 0 && !(boolean) def[1] && (boolean) def[2];
        boolean two = (long) zero[0] == 0 && (boolean) zero[1] && !(boolean) zero[2] && zero[3] == TcpState.CLOSED;
        boolean three = (long) wait[0] > 10 * MS && !(boolean) wait[1] && (boolean) wait[2];
        boolean fourWindows = (boolean) outW[1] && Math.abs((long) outW[0] - 2 * S) < 10 * MS;
        boolean fourLinux = (boolean) outL[1];
        if (!(one && two && three && fourWindows)) {
            return Verdict.differs("behaviours 1-3 and Windows' 4: " + one + " " + two + " " + three + " " + fourWindows);
        }
        return Verdict.of(fourLinux, "when the linger time runs out Linux's close returns 0 and the orphan keeps sending, no RST"
                + " (tcp_close, sk_stream_wait_close); Windows resets as the notes say");
    }

    /** {bytes read before the error, errno} after the peer's RST with 1000 bytes unread. */
    private static Object[] rstRun(Bench bench) {
        Object[] r = {0, null};
        Apps.server(bench, 80, (ctx, s) -> {
            ctx.sleep(300 * MS);
            int total = 0;
            try {
                total += s.read(new byte[5000], 0, 5000);
                total += s.read(new byte[5000], 0, 5000);
            } catch (ErrnoException e) {
                r[1] = e.errno();
            }
            r[0] = total;
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 1000);
            ctx.sleep(100 * MS);
            s.setOption(StandardSocketOptions.SO_LINGER, 0);
            s.close();
        });
        bench.runFor(1 * S);
        return r;
    }

    private static Verdict rstLosesBuffer(Run run) {
        run.setup("a sends 1000 bytes, then closes with SO_LINGER 0 (RST) before b reads; b then calls recv twice. On Linux and on Windows.");
        Object[] lin = rstRun(run.bench(Personality.LINUX, Bench.CABLE));
        Object[] win = rstRun(run.bench(Personality.WINDOWS, Bench.CABLE));
        run.say("Linux:   recv returned " + lin[0] + " bytes, then " + lin[1]);
        run.say("Windows: recv returned " + win[0] + " bytes, then " + win[1]);
        if (!(win[1] == Errno.ECONNRESET && (int) win[0] == 0)) {
            return Verdict.differs("Windows read " + win[0] + " bytes before " + win[1]);
        }
        return Verdict.of((int) lin[0] == 0 && lin[1] == Errno.ECONNRESET,
                "tcp_reset purges only the write queue: the 1000 bytes received before the RST are read first, then ECONNRESET (tcp_recvmsg); Windows fails at once as the notes say");
    }

    private static Verdict sendThenRst(Run run) {
        run.setup("On a 10 Mbit/s cable a writes 300 kB (write returns once the stack took it), then closes with SO_LINGER 0."
                + " Again, but a waits for b's 2-byte \"ok\" reply before closing.");
        long[] got = new long[2];
        int[] written = new int[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean reply = mode == 1;
            int m = mode;
            Bench bench = run.bench(netstack4j.sim.LinkParams.of(10_000_000L, 5 * MS));
            Apps.server(bench, 80, (ctx, s) -> {
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while (got[m] < 300_000 && (n = s.read(buf, 0, buf.length)) > 0) {
                        got[m] += n;
                    }
                    if (reply) {
                        s.write(new byte[2], 0, 2);
                    }
                } catch (ErrnoException e) {
                    // the reset: got[m] is what arrived
                }
            });
            Apps.client(bench, 80, (ctx, s) -> {
                s.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                written[m] = Apps.write(s, 300_000);
                if (reply) {
                    s.read(new byte[2], 0, 2);
                }
                s.setOption(StandardSocketOptions.SO_LINGER, 0);
                s.close();
            });
            bench.runFor(5 * S);
            run.say((reply ? "with a reply:    " : "send then RST:   ") + "write returned " + written[m] + ", b's application read " + got[m] + " bytes");
        }
        return Verdict.of(written[0] == 300_000 && got[0] < 300_000 && got[1] == 300_000, "read " + got[0] + " and " + got[1]);
    }

    private static Verdict halfClose(Run run) {
        Bench bench = run.bench();
        run.setup("a sends a 100-byte request and calls shutdown(SHUT_WR); b reads to end of stream, then, 100 ms later, sends a 5000-byte answer and closes.");
        long[] got = {0};
        String[] state = new String[1];
        Apps.server(bench, 80, (ctx, s) -> {
            Apps.drain(s, 1000);
            ctx.sleep(100 * MS);
            Apps.write(s, 5000);
            s.close();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 100);
            s.shutdown(Shutdown.WRITE);
            ctx.sleep(20 * MS);
            state[0] = s.state().name();
            got[0] = Apps.drain(s, 10000);
        });
        bench.runFor(1 * S);
        Segment fin = bench.tcpSentBy(bench.a()).stream().filter(x -> x.has(TcpFlags.FIN)).findFirst().orElse(null);
        run.say("a's FIN left at " + (fin == null ? "never" : Bench.ms(fin.timeNs())) + ", right after the request; a was in "
                + state[0] + " and still read " + got[0] + " bytes of the answer");
        return Verdict.of(fin != null && got[0] == 5000 && state[0].equals("FIN_WAIT_2"), "a read " + got[0] + " after shutdown");
    }

    private static Verdict timeWait(Run run) {
        Bench bench = run.bench();
        run.setup("a connects from port 50000 (bind), closes first; b's last FIN is sent twice (its first copy of a's ACK is lost); then a tries to bind port 50000 again.");
        int[] acks = {0};
        long[] finAt = {0};
        Apps.server(bench, 80, (ctx, s) -> {
            Apps.drain(s, 100);
            s.close();
        });
        List<Object> got = new ArrayList<>();
        bench.spawn(bench.a(), "client", ctx -> {
            TcpSocket s = ctx.host().sockets().tcp();
            s.bind(Ipv4SocketAddress.of("10.0.0.1", 50000));
            s.connect(Bench.B80);
            bench.log().dropOutgoing("a", x -> x.isTcp() && x.flags() == TcpFlags.ACK && finAt[0] > 0 && acks[0]++ == 0);
            s.close();
            ctx.sleep(2 * S);
            got.add(s.connection().state());
            got.add(s.info().timer() + " " + s.info().timerExpiresNs() / MS + " ms");
            TcpSocket again = ctx.host().sockets().tcp();
            try {
                again.bind(Ipv4SocketAddress.of("10.0.0.1", 50000));
                got.add("bound");
            } catch (ErrnoException e) {
                got.add(e.errno());
            }
        });
        bench.log().dropOutgoing("b", x -> {
            if (x.isTcp() && x.has(TcpFlags.FIN) && finAt[0] == 0) {
                finAt[0] = x.timeNs();
            }
            return false;
        });
        bench.runFor(5 * S);
        List<Segment> fins = bench.tcpSentBy(bench.b()).stream().filter(x -> x.has(TcpFlags.FIN)).toList();
        bench.show(x -> x.isTcp() && x.timeNs() >= finAt[0] && !x.has(TcpFlags.SYN), 6);
        run.say("2 s after closing, a's socket is " + got.get(0) + " with timer " + got.get(1) + "; bind of port 50000: " + got.get(2));
        long restart = fins.size() >= 2 ? fins.get(1).timeNs() + 5 * MS : 0;
        run.say("b sent its FIN " + fins.size() + " times; the timer runs 60 s from the last one (" + Bench.ms(restart) + "), not from the first.");
        long expectLeft = restart + 60 * S - (finAt[0] + 2 * S); // the timer was read about 2 s after the close
        long left = s(got.get(1));
        boolean restarted = fins.size() == 2 && Math.abs(left - expectLeft / MS) < 50;
        boolean holds = got.get(0) == TcpState.TIME_WAIT && got.get(2) == Errno.EADDRINUSE && restarted;
        return Verdict.of(holds, "state " + got.get(0) + ", bind " + got.get(2) + ", timer restarted " + restarted);
    }

    private static long s(Object timer) {
        String t = timer.toString();
        return Long.parseLong(t.substring(t.indexOf(' ') + 1, t.indexOf(" ms")));
    }

    private static Verdict rstNoTimeWait(Run run) {
        run.setup("1) b's server closes a connection first with SO_LINGER 0. 2) b calls shutdown(SHUT_WR) first (FIN_WAIT_2), then sets SO_LINGER 0 and closes.");
        Object[][] r = new Object[2][];
        for (int mode = 0; mode < 2; mode++) {
            boolean shutdownFirst = mode == 1;
            Bench bench = run.bench();
            Object[] out = new Object[3];
            Apps.server(bench, 80, (ctx, s) -> {
                if (shutdownFirst) {
                    s.shutdown(Shutdown.WRITE);
                    ctx.sleep(100 * MS);
                    out[2] = s.state();
                }
                s.setOption(StandardSocketOptions.SO_LINGER, 0);
                s.close();
                ctx.sleep(100 * MS);
                out[0] = s.connection().state();
            });
            Apps.client(bench, 80, (ctx, s) -> ctx.sleep(2 * S));
            bench.runFor(1 * S);
            out[1] = bench.tcpSentBy(bench.b()).stream().anyMatch(x -> x.has(TcpFlags.RST));
            r[mode] = out;
            run.say((shutdownFirst ? "2) from " + out[2] + ": " : "1) ") + "RST sent " + out[1] + ", b's socket then " + out[0]
                    + ", TIME-WAIT entries on b: " + bench.b().tcp().timeWaitSockets().size());
        }
        boolean noTw = (boolean) r[0][1] && r[0][0] == TcpState.CLOSED;
        if (!noTw) {
            return Verdict.differs("linger 0 left b in " + r[0][0]);
        }
        return Verdict.of(!(boolean) r[1][1], "from FIN_WAIT_2 a linger-0 close still sends RST: tcp_close calls tcp_disconnect, and tcp_need_reset"
                + " includes FIN_WAIT1 and FIN_WAIT2" + (run.personality() == Personality.LINUX ? "" : " (the Windows personality follows Linux here)"));
    }

    private static Verdict rstForStrangers(Run run) {
        Bench bench = run.bench();
        run.setup("a connects to b:81 where nothing listens; then a sends UDP datagrams to b:9000 from two different sockets.");
        List<Object> got = new ArrayList<>();
        bench.spawn(bench.a(), "client", ctx -> {
            try {
                ctx.host().sockets().tcp().connect(Ipv4SocketAddress.of("10.0.0.2", 81));
                got.add("connected");
            } catch (ErrnoException e) {
                got.add(e.errno());
            }
            for (int i = 0; i < 2; i++) {
                ctx.host().sockets().udp().sendTo(new byte[10], DatagramExperiments.B9000);
            }
        });
        bench.spawn(bench.b(), "udp", ctx -> {
            try (UdpSocket u = ctx.host().sockets().udp()) {
                u.bind(9000);
                for (int i = 0; i < 2; i++) {
                    got.add(u.receive(new byte[100]).source().port() != 0 ? "from " + "a" : "?");
                }
            }
        });
        bench.runFor(1 * S);
        bench.show(x -> x.isTcp(), 2);
        List<Segment> rst = bench.tcpSentBy(bench.b()).stream().filter(x -> x.has(TcpFlags.RST)).toList();
        List<Segment> udpIn = bench.segments().stream().filter(x -> !x.out() && x.host().equals("b") && x.proto().equals("UDP")).toList();
        run.say("connect failed with " + got.get(0) + "; b's unconnected UDP socket took both datagrams, from ports "
                + udpIn.stream().map(Segment::srcPort).toList() + " (TcpOutRsts on b " + bench.grew(bench.b(), Counter.TcpOutRsts) + ")");
        boolean holds = rst.size() == 1 && got.get(0) == Errno.ECONNREFUSED && got.size() == 3 && udpIn.size() == 2
                && udpIn.get(0).srcPort() != udpIn.get(1).srcPort();
        return Verdict.of(holds, "RSTs " + rst.size() + ", " + got);
    }

    private static Verdict clientPorts(Run run) {
        run.setup("a's local port range is 40000-40003 (4 ports). a makes 6 connections to b:80 one after another, closing first each time; then again closing each with SO_LINGER 0 (RST).");
        List<List<Object>> results = new ArrayList<>();
        int[] tw = new int[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean rst = mode == 1;
            Bench bench = run.bench(run.personality(), Bench.CABLE, Map.of(), c -> c.withEphemeralPorts(40000, 40003));
            List<Object> got = new ArrayList<>();
            bench.spawn(bench.b(), "server", ctx -> {
                var l = ctx.host().sockets().listen(Bench.B80, 16);
                while (true) {
                    TcpSocket s = l.accept();
                    ctx.spawn("conn", c -> {
                        try {
                            Apps.drain(s, 100);
                        } catch (ErrnoException e) {
                            // the client's RST
                        }
                        s.close();
                    });
                }
            });
            bench.spawn(bench.a(), "client", ctx -> {
                for (int i = 0; i < 6; i++) {
                    TcpSocket s = ctx.host().sockets().tcp();
                    try {
                        s.connect(Bench.B80);
                        got.add(s.localAddress().port());
                        if (rst) {
                            s.setOption(StandardSocketOptions.SO_LINGER, 0);
                        }
                        s.close();
                    } catch (ErrnoException e) {
                        got.add(e.errno());
                    }
                    ctx.sleep(50 * MS);
                }
            });
            bench.runFor(1 * S);
            tw[mode] = bench.a().tcp().timeWaitSockets().size();
            results.add(got);
            run.say((rst ? "closing with RST: " : "closing with FIN: ") + got + "; TIME-WAIT entries on a: " + tw[mode]);
        }
        boolean small = results.get(0).subList(4, 6).equals(List.of(Errno.EADDRNOTAVAIL, Errno.EADDRNOTAVAIL)) && tw[0] == 4
                && results.get(1).stream().allMatch(x -> x instanceof Integer) && tw[1] == 0;
        LoadRuns.Pair load = LoadRuns.clientsCloseFirst(run, run.seed());
        boolean holds = small && load.fin().clientTimeWait == LoadRuns.PORTS && load.fin().connectFailures.getOrDefault("EADDRNOTAVAIL", 0L) > 0
                && load.rst().maxClientTimeWait == 0 && load.rst().connectFailures.isEmpty() && load.rst().completed > LoadRuns.PORTS;
        return Verdict.of(holds, "FIN " + results.get(0) + ", RST " + results.get(1) + "; loadgen FIN " + load.fin().line() + ", RST " + load.rst().line());
    }
}
