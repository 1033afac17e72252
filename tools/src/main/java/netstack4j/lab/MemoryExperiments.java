package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.util.List;
import java.util.Map;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.tcp.TcpMemory;

/** The stack-wide limit of TCP memory (net.ipv4.tcp_mem): N4. */
final class MemoryExperiments {
    private static final int CONNECTIONS = 8;
    private static final int BYTES = 100_000;
    private static final long[] TCP_MEM = {32, 48, 64};

    private MemoryExperiments() {
    }

    static List<Experiment> all() {
        return List.of(new Experiment("N4", "memory-pressure",
                "past a system limit of socket memory (about 85 %) allocations are refused and buffers shrink",
                "", MemoryExperiments::memoryPressure));
    }

    /** What the run saw, filled in by the processes and the sampler. */
    private static final class Seen {
        final TcpSocket[] accepted = new TcpSocket[CONNECTIONS];
        final long[] delivered = new long[CONNECTIONS];
        TcpSocket client;
        int windowAtAccept = -1;
        int maxWindowUnderPressure = -1;
        int windowAfter = -1;
        int sndbufAtConnect = -1;
        int minSndbuf = Integer.MAX_VALUE;
        long maxPagesB;
        long enteredAtNs = -1;
        long enteredAtPages;
        long leftAtNs = -1;
    }

    private static Verdict memoryPressure(Run run) {
        String limits = TCP_MEM[0] + " " + TCP_MEM[1] + " " + TCP_MEM[2];
        run.setup("Both hosts run with net.ipv4.tcp_mem = \"" + limits + "\" pages (4 KiB each: 128, 192 and 256 KiB)."
                + " a opens " + CONNECTIONS + " connections to b and writes " + BYTES + " bytes on each; b accepts them all,"
                + " does not read for 2 s, then reads each to the end. Pages allocated to TCP on each host are sampled every 50 ms.");
        // A claim about Linux's accounting: Linux hosts whatever --personality says.
        Bench bench = run.bench(Personality.LINUX, Bench.CABLE, Map.of("net.ipv4.tcp_mem", limits));
        NetStack b = bench.b();
        long pressuresBefore = b.counters().get(Counter.TcpExtTCPMemoryPressures);
        Seen seen = new Seen();
        spawnReaders(bench, seen);
        for (int c = 0; c < CONNECTIONS; c++) {
            int conn = c;
            bench.spawn(bench.a(), "writer" + c, ctx -> {
                TcpSocket s = ctx.host().sockets().tcp();
                s.connect(Ipv4SocketAddress.of("10.0.0.2", 80));
                if (conn == 0) {
                    seen.client = s;
                    seen.sndbufAtConnect = s.getOption(StandardSocketOptions.SO_SNDBUF);
                }
                Apps.write(s, BYTES);
                s.close();
            });
        }
        TcpMemory memA = bench.a().tcp().memory();
        TcpMemory memB = b.tcp().memory();
        bench.every(50 * MS, 20 * S, () -> sample(run, bench, seen, memA, memB));
        bench.runFor(30 * S);
        long pressures = b.counters().get(Counter.TcpExtTCPMemoryPressures) - pressuresBefore;
        long chronoMs = b.counters().get(Counter.TcpExtTCPMemoryPressuresChrono);
        long rcvQDrops = b.counters().get(Counter.TcpExtTCPRcvQDrop);
        long prunes = b.counters().get(Counter.TcpExtPruneCalled);
        boolean delivered = true;
        for (long d : seen.delivered) {
            delivered &= d == BYTES;
        }
        run.say("b: pressure entered at " + Bench.ms(seen.enteredAtNs) + " with " + seen.enteredAtPages
                + " pages (above tcp_mem[1] = " + TCP_MEM[1] + "), at most " + seen.maxPagesB + " pages held (tcp_mem[2] = "
                + TCP_MEM[2] + "; each socket's first page is forced), left at " + Bench.ms(seen.leftAtNs)
                + " once below tcp_mem[0] = " + TCP_MEM[0] + " (the segments refused come back after the senders' backed-off timers).");
        run.say("b: TcpExtTCPMemoryPressures " + pressuresBefore + " -> " + (pressuresBefore + pressures)
                + ", TcpExtTCPMemoryPressuresChrono " + chronoMs + " ms, TcpExtPruneCalled " + prunes
                + ", TcpExtTCPRcvQDrop " + rcvQDrops + " (in-order segments refused: tcp_try_rmem_schedule).");
        run.say("b: receive window of connection 1: " + seen.windowAtAccept + " at accept, at most "
                + seen.maxWindowUnderPressure + " on any connection between 1 s and 2 s, under pressure (tcp_adjust_rcv_ssthresh: 4 x advmss),"
                + " " + seen.windowAfter + " after the readers drained.");
        run.say("a: SO_SNDBUF of connection 1: " + seen.sndbufAtConnect + " after the handshake, down to " + seen.minSndbuf
                + " when send memory was refused (sk_stream_moderate_sndbuf); tcp_should_expand_sndbuf keeps it from growing under pressure.");
        run.say("All " + CONNECTIONS + " x " + BYTES + " bytes delivered: " + delivered + ".");
        run.say("Linux's thresholds are tcp_mem's, not a percentage: pressure above tcp_mem[1], refusal above tcp_mem[2];"
                + " tcp_init_mem puts tcp_mem[1] at 2/3 of tcp_mem[2] (\"49152 65536 98304\" for a 4 GiB host).");
        boolean clamped = seen.maxWindowUnderPressure >= 0 && seen.maxWindowUnderPressure <= 4 * 1460 + 127;
        boolean holds = pressures >= 1 && seen.maxPagesB <= TCP_MEM[2] + CONNECTIONS && rcvQDrops > 0 && clamped
                && chronoMs > 0 && seen.leftAtNs > seen.enteredAtNs && !memB.underPressure() && seen.minSndbuf < seen.sndbufAtConnect && delivered;
        return Verdict.of(holds, "pressure " + pressures + "x, " + seen.maxPagesB + " pages at most, window under pressure "
                + seen.maxWindowUnderPressure + ", SO_SNDBUF " + seen.sndbufAtConnect + " -> " + seen.minSndbuf
                + " (tcp_enter_memory_pressure, __sk_mem_raise_allocated)");
    }

    /** b accepts every connection, reads nothing for 2 s, then drains each in turn. */
    private static void spawnReaders(Bench bench, Seen seen) {
        bench.spawn(bench.b(), "readers", ctx -> {
            try (TcpListener l = ctx.host().sockets().listen(Ipv4SocketAddress.of("10.0.0.2", 80), 16)) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    seen.accepted[i] = l.accept();
                }
                seen.windowAtAccept = seen.accepted[0].info().rcvWnd();
                ctx.sleep(2 * S);
                for (int i = 0; i < CONNECTIONS; i++) {
                    seen.delivered[i] = Apps.drain(seen.accepted[i], 16384);
                }
                seen.windowAfter = seen.accepted[CONNECTIONS - 1].info().rcvWnd();
                for (TcpSocket s : seen.accepted) {
                    s.close();
                }
            }
        });
    }

    private static void sample(Run run, Bench bench, Seen seen, TcpMemory memA, TcpMemory memB) {
        long t = bench.sim().nowNs();
        long pages = memB.allocatedPages();
        seen.maxPagesB = Math.max(seen.maxPagesB, pages);
        if (memB.underPressure() && seen.enteredAtNs < 0) {
            seen.enteredAtNs = t;
            seen.enteredAtPages = pages;
        }
        if (!memB.underPressure() && seen.enteredAtNs >= 0 && seen.leftAtNs < 0) {
            seen.leftAtNs = t;
        }
        if (memB.underPressure() && t >= 1 * S && t < 2 * S) {
            // Settled: the readers stopped long ago and have not started again.
            for (TcpSocket s : seen.accepted) {
                if (s != null && s.state() == netstack4j.tcp.TcpState.ESTABLISHED) {
                    seen.maxWindowUnderPressure = Math.max(seen.maxWindowUnderPressure, s.info().rcvWnd());
                }
            }
        }
        if (seen.client != null && seen.client.state() == netstack4j.tcp.TcpState.ESTABLISHED) {
            seen.minSndbuf = Math.min(seen.minSndbuf, seen.client.info().skmem().sndbuf());
        }
        run.point("TCP memory (pages)", "b tcp_memory_allocated", t, pages);
        run.point("TCP memory (pages)", "a tcp_memory_allocated", t, memA.allocatedPages());
        run.point("TCP memory (pages)", "tcp_mem[1] (pressure)", t, TCP_MEM[1]);
        run.point("TCP memory (pages)", "tcp_mem[2] (max)", t, TCP_MEM[2]);
    }
}
