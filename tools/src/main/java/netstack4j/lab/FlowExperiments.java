package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.wire.TcpFlags;

/** Experiments on moving data: N11, N20–N24, N26, N27. */
final class FlowExperiments {
    private FlowExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                new Experiment("N11", "frame-batching", "a server that gathers a frame's output and sends it once per frame sends far fewer segments than one send per message",
                        "", FlowExperiments::frameBatching),
                new Experiment("N20", "sliding-window", "the sender keeps up to a window in flight without waiting; a slow reader shrinks the window to zero, which stops the sender",
                        "", FlowExperiments::slidingWindow),
                new Experiment("N21", "nagle", "Nagle holds small writes while data is unacknowledged; TCP_NODELAY sends each at once (more packets)",
                        "", FlowExperiments::nagle),
                new Experiment("N22", "delayed-ack", "the receiver delays its ACK (200 ms in practice); with Nagle this stalls a write-write-read exchange by 200 ms",
                        "", FlowExperiments::delayedAck),
                new Experiment("N23", "cork", "TCP_CORK holds small pieces until a full segment is ready", "", FlowExperiments::cork),
                new Experiment("N24", "psh", "the last segment of a send carries PSH, and so does every segment shorter than MSS", "", FlowExperiments::psh),
                new Experiment("N26", "sack-resends-one", "with SACK (negotiated in the SYNs) the sender resends only the lost segment 4 of 1..5, not everything after it",
                        "", FlowExperiments::sack),
                new Experiment("N27", "bigger-buffers-postpone", "a slow recv that shrinks the window (to zero) is not cured by larger buffers: they only postpone the stall",
                        "", FlowExperiments::biggerBuffersPostpone));
    }

    private static Verdict frameBatching(Run run) {
        run.setup("A game server on a sends 10 updates of 40 bytes per 50 ms frame for 10 frames: once gathered into one send per frame, once as one send per update (TCP_NODELAY, as a send thread would).");
        int[] segs = new int[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean batched = mode == 0;
            Bench bench = run.bench();
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
            Apps.client(bench, 80, (ctx, s) -> s.setOption(StandardSocketOptions.TCP_NODELAY, true), (ctx, s) -> {
                byte[] update = new byte[40];
                for (int frame = 0; frame < 10; frame++) {
                    if (batched) {
                        s.write(new byte[400], 0, 400);
                    } else {
                        for (int u = 0; u < 10; u++) {
                            s.write(update, 0, 40);
                        }
                    }
                    ctx.sleep(50 * MS);
                }
                s.close();
            });
            bench.runFor(2 * S);
            segs[mode] = bench.dataSentBy(bench.a()).size();
            run.say((batched ? "one send per frame:  " : "one send per update: ") + segs[mode] + " data segments, "
                    + bench.tcpSentBy(bench.a()).size() + " segments in all");
        }
        return Verdict.of(segs[0] == 10 && segs[1] > segs[0], "batched " + segs[0] + ", unbatched " + segs[1] + " segments");
    }

    private static Verdict slidingWindow(Run run) {
        Bench bench = run.bench();
        run.setup("b sets SO_RCVBUF 16384 and does not read for 1 s, then reads everything; a sends 100000 bytes at once.");
        TcpSocket[] socks = new TcpSocket[2];
        long[] delivered = {0};
        Apps.server(bench, 80, (ctx, l) -> l.setOption(StandardSocketOptions.SO_RCVBUF, 16384), (ctx, s) -> {
            socks[1] = s;
            ctx.sleep(1 * S);
            byte[] buf = new byte[65536];
            int n;
            while ((n = s.read(buf, 0, buf.length)) > 0) {
                delivered[0] += n;
            }
        });
        Apps.client(bench, 80, (ctx, s) -> {
            socks[0] = s;
            Apps.write(s, 100_000);
            s.close();
        });
        bench.every(5 * MS, 1500 * MS, () -> {
            long t = bench.sim().nowNs();
            if (socks[0] != null) {
                run.point("queues (bytes)", "SendQ (a)", t, socks[0].sendQueueBytes());
                var i = socks[0].info();
                run.point("window (bytes)", "a snd_wnd", t, i.sndWnd());
                run.point("window (segments)", "a cwnd", t, i.cwnd());
            }
            if (socks[1] != null) {
                run.point("queues (bytes)", "RecvQ (b)", t, socks[1].availableBytes());
                run.point("queues (bytes)", "Delivered (b)", t, delivered[0]);
            }
        });
        bench.runFor(3 * S);
        List<Segment> data = bench.dataSentBy(bench.a());
        long firstAckAt = bench.segments().stream().filter(s -> !s.out() && s.host().equals("a") && s.isTcp()
                && data.size() > 0 && s.ack() > data.getFirst().seq()).mapToLong(Segment::timeNs).findFirst().orElse(Long.MAX_VALUE);
        long inFlight = data.stream().filter(s -> s.timeNs() < firstAckAt).count();
        Segment zero = bench.tcpSentBy(bench.b()).stream().filter(s -> s.window() == 0 && s.has(TcpFlags.ACK)).findFirst().orElse(null);
        run.say("a sent " + inFlight + " segments before the first ACK came back (a window's worth, not one at a time).");
        if (zero != null) {
            run.say("b advertised a zero window at " + Bench.ms(zero.timeNs()) + ":");
            run.say("  " + zero.line());
            long sentWhileZero = data.stream().filter(s -> s.timeNs() > zero.timeNs() + 10 * MS && s.timeNs() < 1000 * MS && s.length() > 1).count();
            run.say("a then sent " + sentWhileZero + " data segments until b read at 1 s (only zero-window probes), and "
                    + delivered[0] + " bytes were delivered in the end.");
            boolean holds = inFlight > 1 && sentWhileZero == 0 && delivered[0] == 100_000;
            return Verdict.of(holds, "in flight " + inFlight + ", sent during the zero window " + sentWhileZero);
        }
        return Verdict.differs("the window never reached zero");
    }

    private static Verdict nagle(Run run) {
        run.setup("a writes 10 bytes 20 times, 1 ms apart, over a 10 ms round trip: with Nagle (default), then with TCP_NODELAY.");
        int[] segs = new int[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean nodelay = mode == 1;
            Bench bench = run.bench();
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 4096));
            Apps.client(bench, 80, (ctx, s) -> s.setOption(StandardSocketOptions.TCP_NODELAY, nodelay), (ctx, s) -> {
                for (int i = 0; i < 20; i++) {
                    s.write(new byte[10], 0, 10);
                    ctx.sleep(1 * MS);
                }
                ctx.sleep(100 * MS);
                s.close();
            });
            bench.runFor(2 * S);
            List<Segment> data = bench.dataSentBy(bench.a());
            segs[mode] = data.size();
            run.say((nodelay ? "TCP_NODELAY: " : "Nagle:       ") + data.size() + " data segments, sizes "
                    + data.stream().map(Segment::length).toList());
        }
        return Verdict.of(segs[1] == 20 && segs[0] < segs[1] / 2, "Nagle sent " + segs[0] + ", TCP_NODELAY " + segs[1]);
    }

    private static Verdict delayedAck(Run run) {
        run.setup("a writes a 100-byte header and a 100-byte body in two writes (Nagle on), then reads the reply; b replies once it has both. Repeated with TCP_NODELAY. Round trip 10 ms; b is out of quick-ACK mode (TCP_QUICKACK 0).");
        long[] took = new long[2];
        long ackDelay = -1;
        for (int mode = 0; mode < 2; mode++) {
            boolean nodelay = mode == 1;
            Bench bench = run.bench();
            long[] t = new long[1];
            Apps.server(bench, 80, (ctx, s) -> {
                byte[] buf = new byte[200];
                int got = s.read(buf, 0, 200); // warm-up exchange
                s.write(buf, 0, got);
                s.setOption(NetSocketOptions.TCP_QUICKACK, false);
                while (s.availableBytes() < 200) { // waits for the whole request without reading part of it
                    ctx.sleep(1 * MS);
                }
                s.read(buf, 0, 200);
                s.write(buf, 0, 10);
                ctx.sleep(1 * S);
            });
            Apps.client(bench, 80, (ctx, s) -> s.setOption(StandardSocketOptions.TCP_NODELAY, nodelay), (ctx, s) -> {
                s.write(new byte[1], 0, 1);
                s.read(new byte[10], 0, 10);
                ctx.sleep(100 * MS); // less than the RTO: a longer pause puts b back into quick-ACK mode (tcp_event_data_recv)
                long t0 = ctx.nowNs();
                s.write(new byte[100], 0, 100);
                s.write(new byte[100], 0, 100);
                s.read(new byte[10], 0, 10);
                t[0] = ctx.nowNs() - t0;
            });
            bench.runFor(3 * S);
            took[mode] = t[0];
            if (!nodelay) {
                Segment header = bench.dataSentBy(bench.a()).stream().filter(s -> s.length() == 100).findFirst().orElseThrow();
                Segment ack = bench.tcpSentBy(bench.b()).stream().filter(s -> s.timeNs() > header.timeNs() && s.length() == 0
                        && s.ack() == header.seq() + 100).findFirst().orElse(null);
                if (ack != null) {
                    ackDelay = ack.timeNs() - (header.timeNs() + 5 * MS);
                }
                bench.show(s -> s.isTcp() && s.timeNs() >= header.timeNs() && s.timeNs() < header.timeNs() + 200 * MS, 6);
            }
            run.say((nodelay ? "TCP_NODELAY: " : "Nagle:       ") + "write, write, read took " + Bench.ms(took[mode]));
        }
        run.say("b held its ACK of the lone header " + Bench.ms(ackDelay) + " (the delayed-ACK timer); the stall is that long.");
        boolean stall = took[0] - took[1] > ackDelay - 5 * MS;
        if (!stall) {
            return Verdict.differs("no stall: " + took[0] / MS + " ms against " + took[1] / MS + " ms");
        }
        String why = run.personality() == netstack4j.stack.Personality.LINUX
                ? "Linux starts the delayed-ACK timer at TCP_ATO_MIN 40 ms and lets it grow to TCP_DELACK_MAX 200 ms (tcp_send_delayed_ack); 200 ms is Windows' default"
                : "the Windows personality keeps Linux's delayed-ACK timer (TCP_ATO_MIN 40 ms); Windows' 200 ms (TcpAckFrequency) is not modelled";
        return Verdict.of(ackDelay >= 150 * MS, "the delayed ACK waited " + ackDelay / MS + " ms, not 200: " + why);
    }

    private static Verdict cork(Run run) {
        Bench bench = run.bench();
        run.setup("a sets TCP_CORK, writes 100 bytes 20 times 1 ms apart (2000 bytes), waits 50 ms, then removes the cork.");
        long[] uncorkAt = {0};
        Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 4096));
        Apps.client(bench, 80, (ctx, s) -> s.setOption(StandardSocketOptions.TCP_NODELAY, true), (ctx, s) -> {
            s.setOption(NetSocketOptions.TCP_CORK, true);
            for (int i = 0; i < 20; i++) {
                s.write(new byte[100], 0, 100);
                ctx.sleep(1 * MS);
            }
            ctx.sleep(50 * MS);
            uncorkAt[0] = ctx.nowNs();
            s.setOption(NetSocketOptions.TCP_CORK, false);
            ctx.sleep(100 * MS);
            s.close();
        });
        bench.runFor(2 * S);
        List<Segment> data = bench.dataSentBy(bench.a());
        bench.show(s -> s.host().equals("a") && s.length() > 0, 5);
        run.say("uncorked at " + Bench.ms(uncorkAt[0]) + "; data segments " + data.stream().map(s -> s.length() + "@" + s.timeNs() / MS + "ms").toList());
        int full = data.isEmpty() ? 0 : data.get(0).length();
        boolean holds = data.size() == 2 && (full == 1448 || full == 1460) && data.get(0).timeNs() < uncorkAt[0]
                && data.get(1).length() == 2000 - full && data.get(1).timeNs() >= uncorkAt[0];
        return Verdict.of(holds, "corked data went out as " + data.stream().map(Segment::length).toList());
    }

    private static Verdict psh(Run run) {
        Bench bench = run.bench();
        run.setup("a writes 5000 bytes in one write, waits 100 ms, then writes 500 bytes.");
        Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 5000);
            ctx.sleep(100 * MS);
            Apps.write(s, 500);
            ctx.sleep(100 * MS);
            s.close();
        });
        bench.runFor(2 * S);
        List<Segment> data = bench.dataSentBy(bench.a());
        bench.show(s -> s.host().equals("a") && s.length() > 0, 6);
        int mss = data.isEmpty() ? 0 : data.get(0).length();
        // Linux also marks the last segment of every multi-segment unit it hands the device
        // (__tcp_transmit_skb forces PSH on GSO packets; units of tcp_tso_autosize segments), so a
        // PSH may appear inside a write too; the first segment of a write never has one.
        boolean pshOnLast = data.size() == 5 && data.get(3).has(TcpFlags.PSH) && data.get(4).has(TcpFlags.PSH)
                && !data.get(0).has(TcpFlags.PSH);
        boolean shortHavePsh = data.stream().filter(s -> s.length() < mss).allMatch(s -> s.has(TcpFlags.PSH));
        long inside = data.subList(0, Math.min(3, data.size())).stream().filter(s -> s.has(TcpFlags.PSH)).count();
        run.say("PSH inside the 5000-byte write: " + inside + " (each ends a multi-segment unit: Linux's __tcp_transmit_skb forces PSH on GSO packets)");
        return Verdict.of(pshOnLast && shortHavePsh, "PSH on " + data.stream().map(s -> s.length() + s.flagText()).toList());
    }

    private static Verdict sack(Run run) {
        run.setup("a writes 5 segments (5 x MSS bytes) in one write; the network loses segment 4 once. Run with SACK (default), then with net.ipv4.tcp_sack=0 on both hosts for comparison.");
        List<List<Integer>> resent = new ArrayList<>();
        boolean negotiated = false;
        for (int mode = 0; mode < 2; mode++) {
            boolean sackOn = mode == 0;
            Bench bench = run.bench(run.personality(), Bench.CABLE, sackOn ? Map.of() : Map.of("net.ipv4.tcp_sack", "0"));
            int[] count = {0};
            bench.log().dropOutgoing("a", s -> s.isTcp() && s.length() > 0 && count[0]++ == 3); // the 4th data segment, once
            int[] mss = {0};
            TcpSocket[] sender = new TcpSocket[1];
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
            String tag = sackOn ? "with SACK" : "without SACK";
            bench.every(2 * MS, 400 * MS, () -> {
                if (sender[0] != null) {
                    var i = sender[0].info();
                    run.point("congestion window (segments)", "cwnd, " + tag, bench.sim().nowNs(), i.cwnd());
                    if (i.ssthresh() < 1_000_000) {
                        run.point("congestion window (segments)", "ssthresh, " + tag, bench.sim().nowNs(), i.ssthresh());
                    }
                }
            });
            Apps.client(bench, 80, (ctx, s) -> {
                sender[0] = s;
                mss[0] = s.info().mss();
                Apps.write(s, 5 * mss[0]);
                ctx.sleep(3 * S);
                s.close();
            });
            bench.runFor(5 * S);
            List<Segment> data = bench.dataSentBy(bench.a());
            long base = data.getFirst().seq();
            List<Integer> order = data.stream().map(s -> (int) ((s.seq() - base) / mss[0]) + 1).toList();
            List<Integer> again = order.subList(Math.min(5, order.size()), order.size());
            resent.add(again);
            List<Segment> syn = bench.tcpSentBy(bench.a()).stream().filter(s -> s.has(TcpFlags.SYN)).toList();
            List<Segment> synAck = bench.tcpSentBy(bench.b()).stream().filter(s -> s.has(TcpFlags.SYN)).toList();
            boolean both = !syn.isEmpty() && syn.getFirst().sackPermitted() && !synAck.isEmpty() && synAck.getFirst().sackPermitted();
            if (sackOn) {
                negotiated = both;
                run.say("SYN and SYN-ACK both carry sackOK: " + both);
                bench.show(s -> s.isTcp() && (s.host().equals("a") && s.length() > 0 || s.host().equals("b") && s.sack().length > 0), 8);
            }
            run.say((sackOn ? "with SACK:    " : "without SACK: ") + "segments sent " + order + ", resent " + again
                    + " (TcpRetransSegs " + bench.grew(bench.a(), Counter.TcpRetransSegs) + ")");
        }
        run.say("Without SACK the receiver still queued segment 5 out of order, so the cumulative ACK after the retransmission"
                + " covered it; what SACK adds is that the sender knows it, and never resends what the receiver reported.");
        boolean holds = negotiated && resent.get(0).equals(List.of(4));
        return Verdict.of(holds, "resent " + resent.get(0) + " with SACK (tcp_sacktag_write_queue, RFC 6675)");
    }

    private static Verdict biggerBuffersPostpone(Run run) {
        run.setup("a sends 2 MB as fast as it can; b reads 1000 bytes every 10 ms (100 kB/s). b's SO_RCVBUF is 16384, then 131072: when does b's window first shrink to the reader's pace (below 3 segments)?");
        long[] stallAt = new long[2];
        int[] sizes = {16384, 131072};
        for (int i = 0; i < 2; i++) {
            int rcvbuf = sizes[i];
            Bench bench = run.bench();
            TcpSocket[] socks = new TcpSocket[1];
            Apps.server(bench, 80, (ctx, l) -> l.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf), (ctx, s) -> {
                byte[] buf = new byte[1000];
                while (s.read(buf, 0, 1000) > 0) {
                    ctx.sleep(10 * MS);
                }
            });
            Apps.client(bench, 80, (ctx, s) -> {
                socks[0] = s;
                Apps.write(s, 2_000_000);
            });
            String tag = "SO_RCVBUF " + rcvbuf;
            bench.every(10 * MS, 4 * S, () -> {
                if (socks[0] != null) {
                    run.point("sender's queue (bytes)", "SendQ a, " + tag, bench.sim().nowNs(), socks[0].sendQueueBytes());
                }
            });
            bench.runFor(4 * S);
            Segment small = bench.tcpSentBy(bench.b()).stream().filter(s -> !s.has(TcpFlags.SYN) && bench.windowBytes(s) < 3 * 1448)
                    .findFirst().orElse(null);
            stallAt[i] = small == null ? -1 : small.timeNs();
            long last = bench.windowBytes(bench.tcpSentBy(bench.b()).getLast());
            run.say(tag + ": window below 3 segments first at " + (small == null ? "never" : Bench.ms(small.timeNs()))
                    + ", " + last + " bytes at the end; a's SendQ then " + socks[0].sendQueueBytes() + " bytes; b reads 100 kB/s either way.");
        }
        boolean holds = stallAt[0] > 0 && stallAt[1] > stallAt[0];
        return Verdict.of(holds, "window stalled at " + stallAt[0] / MS + " ms and " + stallAt[1] / MS + " ms");
    }
}
