package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimProcess;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Poller;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Personality;

/** Experiments on sockets, buffers and readiness: N1, N2, N5–N10, N12. */
final class SocketExperiments {
    private SocketExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                new Experiment("N1", "buffer-hints", "SO_SNDBUF/SO_RCVBUF are hints: Linux doubles them, Windows rounds to MSS multiples (8000 -> 16760); Windows defaults to 64 KiB",
                        "windows", SocketExperiments::bufferHints),
                new Experiment("N2", "memory-grows", "socket memory is not reserved up front: it grows while received data is not read, and is freed when read",
                        "windows", SocketExperiments::memoryGrows),
                new Experiment("N3", "autotuning", "Linux autotunes TCP buffer sizes to the transfer; explicit sizes turn that off",
                        "", SocketExperiments::autotuning),
                new Experiment("N5", "listener-options", "options set on a listening socket before listen are copied to every accepted socket",
                        "", SocketExperiments::listenerOptions),
                new Experiment("N6", "socket-structure", "a socket is a kernel structure (addresses, ports, state, Send-Q, Recv-Q); the application holds only a handle",
                        "", SocketExperiments::socketStructure),
                new Experiment("N7", "three-queues", "SendQ, RecvQ, Delivered: recv splits depend on timing and buffer sizes, never on send boundaries (1000+2000+5000)",
                        "", SocketExperiments::threeQueues),
                new Experiment("N8", "send-deadlock", "send of more than SQS+RQS blocks until the peer reads; two peers doing it at once deadlock",
                        "", SocketExperiments::sendDeadlock),
                new Experiment("N9", "bigger-buffers", "larger buffers give higher throughput when nothing else limits it",
                        "", SocketExperiments::biggerBuffers),
                new Experiment("N10", "readiness", "a readiness model (poll/select) tells a server which of many sockets will not block",
                        "", SocketExperiments::readiness),
                new Experiment("N12", "recv-returns-early", "recv returns as soon as any data is present; it blocks only while RecvQ is empty",
                        "", SocketExperiments::recvReturnsEarly));
    }

    /** {default SO_SNDBUF, default SO_RCVBUF, SO_SNDBUF after 8000, SO_RCVBUF after 8000}. */
    private static int[] readBack(Bench bench) {
        int[] v = new int[4];
        bench.spawn(bench.a(), "app", ctx -> {
            TcpSocket s = ctx.host().sockets().tcp();
            v[0] = s.getOption(StandardSocketOptions.SO_SNDBUF);
            v[1] = s.getOption(StandardSocketOptions.SO_RCVBUF);
            s.setOption(StandardSocketOptions.SO_SNDBUF, 8000);
            s.setOption(StandardSocketOptions.SO_RCVBUF, 8000);
            v[2] = s.getOption(StandardSocketOptions.SO_SNDBUF);
            v[3] = s.getOption(StandardSocketOptions.SO_RCVBUF);
            s.close();
        });
        bench.runFor(1 * MS);
        return v;
    }

    private static Verdict bufferHints(Run run) {
        run.setup("A fresh TCP socket on Linux and one on Windows read SO_SNDBUF and SO_RCVBUF, set both to 8000, and read them back.");
        int[] lin = readBack(run.bench(Personality.LINUX, Bench.CABLE));
        int[] win = readBack(run.bench(Personality.WINDOWS, Bench.CABLE));
        run.say(String.format("%-26s %8s %8s", "getsockopt", "Linux", "Windows"));
        String[] rows = {"SO_SNDBUF (default)", "SO_RCVBUF (default)", "SO_SNDBUF after 8000", "SO_RCVBUF after 8000"};
        for (int i = 0; i < 4; i++) {
            run.say(String.format("%-26s %8d %8d", rows[i], lin[i], win[i]));
        }
        run.say("Linux defaults come from tcp_wmem[1] and tcp_rmem[1]; the value set is doubled for bookkeeping (sock_setsockopt).");
        boolean linuxDoubles = lin[2] == 16000 && lin[3] == 16000;
        boolean windowsRounds = win[2] == 8000 + 1460 * 6;
        boolean windowsDefault = win[0] == 65536 && win[1] == 65536;
        run.say("Linux doubled: " + linuxDoubles + "; Windows rounded 8000 to " + win[2] + "; Windows default 64 KiB: " + windowsDefault);
        return Verdict.of(linuxDoubles && windowsRounds && windowsDefault,
                "read back " + lin[2] + "/" + lin[3] + " on Linux, " + win[2] + " on Windows (socket(7) SO_SNDBUF)");
    }

    private static Verdict memoryGrows(Run run) {
        run.setup("a sends 200000 bytes to b; b accepts but does not call recv for 2 s, then reads everything. b's receive memory (skmem r) is sampled every 20 ms, on Linux and on Windows.");
        long[] results = new long[4];
        int i = 0;
        for (Personality p : new Personality[] {Personality.LINUX, Personality.WINDOWS}) {
            Bench bench = run.bench(p, Bench.CABLE);
            TcpSocket[] server = new TcpSocket[1];
            long[] maxAndAfter = {0, -1};
            long[] first = {-1};
            Apps.server(bench, 80, (ctx, s) -> {
                server[0] = s;
                first[0] = s.info().skmem().rmemAlloc();
                ctx.sleep(2 * S);
                Apps.drain(s, 65536);
                maxAndAfter[1] = s.info().skmem().rmemAlloc();
            });
            Apps.client(bench, 80, (ctx, s) -> {
                Apps.write(s, 200_000);
                s.close();
            });
            String tag = p == Personality.LINUX ? "Linux" : "Windows";
            bench.every(20 * MS, 3 * S, () -> {
                if (server[0] != null) {
                    long r = server[0].info().skmem().rmemAlloc();
                    maxAndAfter[0] = Math.max(maxAndAfter[0], r);
                    run.point("socket memory (bytes)", "b rmem " + tag, bench.sim().nowNs(), r);
                }
            });
            bench.runFor(4 * S);
            run.say(tag + ": receive memory at accept " + first[0] + " bytes, at most " + maxAndAfter[0]
                    + " while b did not read, " + maxAndAfter[1] + " after b read everything.");
            results[i++] = first[0];
            results[i++] = maxAndAfter[0];
            if (maxAndAfter[1] != 0) {
                results[0] = -1;
            }
        }
        boolean grows = results[0] == 0 && results[1] > 0 && results[2] == 0 && results[3] > 0;
        return Verdict.of(grows, "receive memory did not grow from 0 and return to 0 (sk_rmem_alloc)");
    }

    private static Verdict autotuning(Run run) {
        run.setup("a sends 4 MB to b over 100 Mbit/s with 20 ms one-way delay: once with default buffers, once with SO_SNDBUF 16384 and SO_RCVBUF 32768 set by the applications."
                + " SO_SNDBUF (a) and SO_RCVBUF (b) are read back every 50 ms.");
        long[][] seen = new long[2][4];
        for (int mode = 0; mode < 2; mode++) {
            boolean explicit = mode == 1;
            // A claim about Linux: Linux hosts whatever --personality says (Windows tunes its own way).
            Bench bench = run.bench(Personality.LINUX, LinkParams.of(100_000_000L, 20 * MS));
            TcpSocket[] socks = new TcpSocket[2];
            Apps.server(bench, 80, (ctx, l) -> {
                if (explicit) {
                    l.setOption(StandardSocketOptions.SO_RCVBUF, 32768);
                }
            }, (ctx, s) -> {
                socks[1] = s;
                Apps.drain(s, 65536);
            });
            Apps.client(bench, 80, (ctx, s) -> {
                if (explicit) {
                    s.setOption(StandardSocketOptions.SO_SNDBUF, 16384);
                }
            }, (ctx, s) -> {
                socks[0] = s;
                Apps.write(s, 4_000_000);
                s.close();
            });
            long[] v = seen[mode];
            v[0] = v[2] = Long.MAX_VALUE;
            String tag = explicit ? "set" : "default";
            bench.every(50 * MS, 3 * S, () -> {
                long t = bench.sim().nowNs();
                if (socks[0] != null && socks[0].state() == netstack4j.tcp.TcpState.ESTABLISHED) {
                    long snd = socks[0].info().skmem().sndbuf();
                    v[0] = Math.min(v[0], snd);
                    v[1] = Math.max(v[1], snd);
                    run.point("buffer sizes (bytes)", "a SO_SNDBUF, " + tag, t, snd);
                }
                if (socks[1] != null && socks[1].state() == netstack4j.tcp.TcpState.ESTABLISHED) {
                    long rcv = socks[1].info().skmem().rcvbuf();
                    v[2] = Math.min(v[2], rcv);
                    v[3] = Math.max(v[3], rcv);
                    run.point("buffer sizes (bytes)", "b SO_RCVBUF, " + tag, t, rcv);
                }
            });
            bench.runFor(5 * S);
            run.say((explicit ? "set explicitly: " : "default:        ") + "a's SO_SNDBUF went from " + v[0] + " to " + v[1]
                    + ", b's SO_RCVBUF from " + v[2] + " to " + v[3]);
        }
        boolean sendTunes = seen[0][1] > seen[0][0] && seen[1][1] == seen[1][0];
        boolean receiveTunes = seen[0][3] > seen[0][2] && seen[1][3] == seen[1][2];
        if (!sendTunes) {
            return Verdict.differs("the send buffer did not grow with the transfer (tcp_sndbuf_expand)");
        }
        if (!receiveTunes) {
            run.say("The send buffer grows with the congestion window (tcp_sndbuf_expand) and stays put when set; the receive buffer stays at tcp_rmem[1].");
            return Verdict.waiting("receive-buffer autotuning (tcp_rcv_space_adjust); send-buffer autotuning is shown and holds");
        }
        return Verdict.confirmed();
    }

    private static Verdict listenerOptions(Run run) {
        Bench bench = run.bench();
        run.setup("b's listening socket sets SO_RCVBUF 32768, SO_KEEPALIVE on and TCP_NODELAY on before listen; a connects; b reads the options of the accepted socket.");
        List<Object> got = new ArrayList<>();
        List<Object> listener = new ArrayList<>();
        Apps.server(bench, 80, (ctx, l) -> {
            l.setOption(StandardSocketOptions.SO_RCVBUF, 32768);
            l.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            l.setOption(StandardSocketOptions.TCP_NODELAY, true);
            listener.add(l.getOption(StandardSocketOptions.SO_RCVBUF));
            listener.add(l.getOption(StandardSocketOptions.SO_KEEPALIVE));
            listener.add(l.getOption(StandardSocketOptions.TCP_NODELAY));
        }, (ctx, s) -> {
            got.add(s.getOption(StandardSocketOptions.SO_RCVBUF));
            got.add(s.getOption(StandardSocketOptions.SO_KEEPALIVE));
            got.add(s.getOption(StandardSocketOptions.TCP_NODELAY));
        });
        Apps.client(bench, 80, Apps.NOTHING);
        bench.runFor(1 * S);
        run.say("listener reads back: SO_RCVBUF " + listener.get(0) + ", SO_KEEPALIVE " + listener.get(1) + ", TCP_NODELAY " + listener.get(2));
        run.say("accepted socket:     SO_RCVBUF " + got.get(0) + ", SO_KEEPALIVE " + got.get(1) + ", TCP_NODELAY " + got.get(2));
        boolean copied = got.equals(listener) && got.get(1).equals(true) && got.get(2).equals(true);
        return Verdict.of(copied, "accepted socket has " + got + " (inet_csk_clone_lock copies the listener's options)");
    }

    private static Verdict socketStructure(Run run) {
        Bench bench = run.bench();
        run.setup("a connects to b:80 and sends 3000 bytes that b does not read yet; ss shows both structures; then a closes its handle.");
        Apps.server(bench, 80, (ctx, s) -> {
            ctx.sleep(1 * S);
            Apps.drain(s, 8192);
            s.close();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 3000);
            ctx.sleep(500 * MS);
            s.close();
        });
        bench.runFor(200 * MS);
        run.say("While connected (b has not read):");
        bench.ss(bench.a());
        bench.ss(bench.b());
        String bView = bench.ssText(bench.b());
        bench.runFor(2 * S);
        run.say("After a closed its handle, its structure is still there, now in TIME-WAIT:");
        bench.ss(bench.a());
        String aAfter = bench.ssText(bench.a());
        boolean structure = bView.contains("ESTAB") && bView.contains("3000 ") && aAfter.contains("TIME-WAIT");
        return Verdict.of(structure, "ss did not show the queues, or no structure outlived the handle");
    }

    private static Verdict threeQueues(Run run) {
        Bench bench = run.bench(LinkParams.of(1_000_000L, 5 * MS));
        run.setup("On a 1 Mbit/s cable a sends 1000, 2000 and 5000 bytes in three send calls; b calls recv with a 3000-byte buffer every 15 ms.");
        List<Integer> reads = new ArrayList<>();
        long[] delivered = {0};
        TcpSocket[] socks = new TcpSocket[2];
        Apps.server(bench, 80, (ctx, s) -> {
            socks[1] = s;
            byte[] buf = new byte[3000];
            while (delivered[0] < 8000) {
                ctx.sleep(15 * MS);
                int n = s.read(buf, 0, buf.length);
                if (n <= 0) {
                    break;
                }
                reads.add(n);
                delivered[0] += n;
            }
        });
        Apps.client(bench, 80, (ctx, s) -> {
            socks[0] = s;
            for (int n : new int[] {1000, 2000, 5000}) {
                Apps.write(s, n);
            }
            ctx.sleep(1 * S);
        });
        bench.every(1 * MS, 300 * MS, () -> {
            long t = bench.sim().nowNs();
            if (socks[0] != null) {
                run.point("queues (bytes)", "SendQ (a)", t, socks[0].sendQueueBytes());
            }
            if (socks[1] != null) {
                run.point("queues (bytes)", "RecvQ (b)", t, socks[1].availableBytes());
                run.point("queues (bytes)", "Delivered (b)", t, delivered[0]);
            }
        });
        bench.runFor(2 * S);
        run.say("send calls: [1000, 2000, 5000]; recv returned: " + reads);
        run.say("segments on the wire: " + bench.dataSentBy(bench.a()).stream().map(Segment::length).toList());
        int total = reads.stream().mapToInt(Integer::intValue).sum();
        boolean holds = total == 8000 && !reads.equals(List.of(1000, 2000, 5000));
        return Verdict.of(holds, "recv returned the send boundaries " + reads);
    }

    private static Verdict sendDeadlock(Run run) {
        Bench bench = run.bench();
        run.setup("Both a and b set SO_SNDBUF and SO_RCVBUF to 4096 (no autotuning), then each sends 100000 bytes before reading anything.");
        SimProcess[] p = new SimProcess[2];
        TcpSocket[] socks = new TcpSocket[2];
        Apps.SocketBody small = (ctx, s) -> {
            s.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            s.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        };
        p[1] = Apps.server(bench, 80, small, (ctx, s) -> {
            socks[1] = s;
            Apps.write(s, 100_000);
            Apps.drain(s, 65536);
        });
        p[0] = Apps.client(bench, 80, small, (ctx, s) -> {
            socks[0] = s;
            Apps.write(s, 100_000);
            Apps.drain(s, 65536);
        });
        bench.every(100 * MS, 10 * S, () -> {
            for (int i = 0; i < 2; i++) {
                if (socks[i] != null) {
                    run.point("queues (bytes)", (i == 0 ? "a" : "b") + " SendQ", bench.sim().nowNs(), socks[i].sendQueueBytes());
                    run.point("queues (bytes)", (i == 0 ? "a" : "b") + " RecvQ", bench.sim().nowNs(), socks[i].availableBytes());
                }
            }
        });
        bench.runFor(60 * S);
        run.say("After 60 s both send calls are still blocked: a done " + p[0].isDone() + ", b done " + p[1].isDone() + ".");
        bench.ss(bench.a());
        bench.ss(bench.b());
        boolean deadlock = !p[0].isDone() && !p[1].isDone();
        return Verdict.of(deadlock, "a send returned although neither side read");
    }

    private static Verdict biggerBuffers(Run run) {
        run.setup("a sends 4 MB to b over 100 Mbit/s with 20 ms one-way delay, once with SO_RCVBUF 16384 at b, once with 262144.");
        long[] times = new long[2];
        int[] sizes = {16384, 262144};
        for (int i = 0; i < 2; i++) {
            int rcvbuf = sizes[i];
            Bench bench = run.bench(LinkParams.of(100_000_000L, 20 * MS));
            long[] done = {0};
            TcpSocket[] receiver = new TcpSocket[1];
            Apps.server(bench, 80, (ctx, l) -> l.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf), (ctx, s) -> {
                receiver[0] = s;
                Apps.drain(s, 65536);
                done[0] = ctx.nowNs();
            });
            bench.every(50 * MS, 12 * S, () -> {
                if (receiver[0] != null) {
                    run.point("delivered to b (bytes)", "SO_RCVBUF " + rcvbuf, bench.sim().nowNs(), receiver[0].info().bytesReceived());
                }
            });
            Apps.client(bench, 80, (ctx, s) -> {
                Apps.write(s, 4_000_000);
                s.close();
            });
            bench.runFor(120 * S);
            times[i] = done[0];
            run.say(String.format("SO_RCVBUF %6d: 4 MB in %.3f s, %.2f Mbit/s", rcvbuf, done[0] / 1e9,
                    done[0] == 0 ? 0 : 4_000_000 * 8 / (done[0] / 1e9) / 1e6));
        }
        return Verdict.of(times[0] > 0 && times[1] > 0 && times[1] < times[0], "the larger buffer was not faster");
    }

    private static Verdict readiness(Run run) {
        Bench bench = run.bench();
        run.setup("b accepts five connections and registers them all with one poller (epoll); only the third client sends.");
        List<String> ready = new ArrayList<>();
        int[] examined = {0};
        bench.spawn(bench.b(), "server", ctx -> {
            TcpListener l = ctx.host().sockets().listen(Ipv4SocketAddress.of("10.0.0.2", 80), 8);
            Poller poller = ctx.host().sockets().poller();
            for (int i = 1; i <= 5; i++) {
                TcpSocket s = l.accept();
                poller.register(s, PollEvents.IN, "connection " + i);
            }
            List<Poller.Ready> out = new ArrayList<>();
            poller.poll(out, 16, java.time.Duration.ofSeconds(5));
            for (Poller.Ready r : out) {
                ready.add(r.attachment() + " " + PollEvents.toString(r.events()));
            }
            examined[0] = out.size();
        });
        for (int i = 1; i <= 5; i++) {
            int me = i;
            bench.spawn(bench.a(), "client" + i, ctx -> {
                ctx.sleep(me * 10 * MS);
                TcpSocket s = ctx.host().sockets().tcp();
                s.connect(Bench.B80);
                if (me == 3) {
                    ctx.sleep(200 * MS);
                    Apps.write(s, 100);
                }
                ctx.sleep(5 * S);
            });
        }
        bench.runFor(2 * S);
        run.say("poll returned: " + ready);
        boolean holds = ready.size() == 1 && ready.getFirst().startsWith("connection 3");
        return Verdict.of(holds, "poll reported " + ready);
    }

    private static Verdict recvReturnsEarly(Run run) {
        Bench bench = run.bench();
        run.setup("b calls recv with a 65536-byte buffer; a sends 10 bytes after 100 ms, then 20 more after 300 ms.");
        List<String> got = new ArrayList<>();
        Apps.server(bench, 80, (ctx, s) -> {
            byte[] buf = new byte[65536];
            for (int i = 0; i < 2; i++) {
                int n = s.read(buf, 0, buf.length);
                got.add(n + "@" + ctx.nowNs() / MS);
            }
        });
        Apps.client(bench, 80, (ctx, s) -> {
            ctx.sleep(100 * MS);
            Apps.write(s, 10);
            ctx.sleep(300 * MS);
            Apps.write(s, 20);
            ctx.sleep(1 * S);
        });
        bench.runFor(2 * S);
        List<Segment> data = bench.dataSentBy(bench.a());
        run.say("recv returned (bytes@ms): " + got + "; data arrived at " + data.stream().map(s -> Bench.ms(s.timeNs() + 5 * MS)).toList());
        boolean holds = got.size() == 2 && got.get(0).startsWith("10@") && got.get(1).startsWith("20@")
                && data.size() == 2 && Long.parseLong(got.get(0).substring(3)) == (data.get(0).timeNs() + 5 * MS) / MS;
        return Verdict.of(holds, "recv returned " + got);
    }

    static boolean isErrno(Exception e, Errno errno) {
        return e instanceof ErrnoException x && x.errno() == errno;
    }
}
