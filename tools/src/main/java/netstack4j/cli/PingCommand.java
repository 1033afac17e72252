package netstack4j.cli;

import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import netstack4j.ip.PmtuMode;
import netstack4j.lab.Lab;
import netstack4j.sim.LinkParams;
import netstack4j.sim.ProcessContext;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.PingSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netstack4j ping HOST}: Linux {@code ping} (iputils) on a simulated client – router –
 * server network, printed as iputils prints it. Times are simulated and exact.
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"Ping a host on a simulated network: client 10.0.1.2 - router - server 10.0.2.2.",
                "Hosts: client, router, server (also NAME.lab), resolved by the lab's DNS server, or an address.",
                "Times are simulated and exact: with --delay 5ms each round trip is 4 x 5 ms plus serialisation."})
public final class PingCommand implements Callable<Integer> {
    static final long MS = 1_000_000L;
    /** iputils: after the last request, wait at most this long for replies (MAXWAIT). */
    static final long LINGER_NS = 10_000 * MS;

    @Parameters(index = "0", paramLabel = "HOST", description = "Name or address to ping.")
    String host;

    @Option(names = {"-c", "--count"}, description = "Stop after COUNT requests (default 4; with -w, after COUNT replies or the deadline).")
    Integer count;

    @Option(names = {"-q", "--quiet"}, description = "Quiet output: only the first line and the statistics.")
    boolean quiet;

    @Option(names = {"-W", "--timeout"}, converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "How long to wait for a reply when none has come yet (iputils -W; a number is seconds).")
    Long timeoutNs;

    @Option(names = {"-w", "--deadline"}, converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "Stop after TIME whatever was sent or received (iputils -w; a number is seconds).")
    Long deadlineNs;

    @Option(names = {"-b", "--broadcast"}, description = "Allow pinging a broadcast address.")
    boolean broadcast;

    @Option(names = {"-i", "--interval"}, converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "Wait TIME between requests (default ${DEFAULT-VALUE}).", defaultValue = "1s")
    long intervalNs;

    @Option(names = {"-s", "--size"}, description = "Payload bytes per request; above the MTU they fragment (default ${DEFAULT-VALUE}).",
            defaultValue = "56")
    int size;

    @Option(names = {"-t", "--ttl"}, description = "IP time to live (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int ttl;

    @Option(names = {"-M", "--pmtudisc"}, paramLabel = "do|want|dont", description = "Path MTU discovery (default ${DEFAULT-VALUE}).",
            defaultValue = "want")
    String pmtudisc;

    @Option(names = "--delay", converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "One-way propagation delay of each link (default ${DEFAULT-VALUE}).", defaultValue = "5ms")
    long delayNs;

    @Option(names = "--rate", converter = Units.RateBps.class, paramLabel = "RATE",
            description = "Bandwidth of each link (default ${DEFAULT-VALUE}).", defaultValue = "1Gbit")
    long rateBps;

    @Option(names = "--loss", description = "Random loss rate of each link direction, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double loss;

    @Option(names = "--mtu", description = "MTU of every link (default ${DEFAULT-VALUE}).", defaultValue = "1500")
    int mtu;

    @Option(names = "--seed", description = "Simulation seed (default: random; printed so the run can be repeated).")
    Long seed;

    @Option(names = "--pcap", paramLabel = "DIR", description = "Write a pcap per interface into DIR.")
    Path pcapDir;

    @picocli.CommandLine.Mixin
    NstatOption nstat = new NstatOption();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        long s = seed != null ? seed : Seeds.fresh();
        LinkParams params = LinkParams.of(rateBps, delayNs).withLoss(loss).withMtu(mtu);
        PrintWriter out = spec.commandLine().getOut();
        int[] exit = {0};
        try (Lab lab = Lab.clientRouterServer(s, params, pcapDir, null)) {
            NetStack client = lab.host("client");
            lab.sim().spawn(client, "ping", ctx -> {
                exit[0] = run(ctx, client, out);
                lab.stopServices();
            });
            lab.sim().run();
            out.println("(simulated network; seed " + s + ": repeat with --seed " + s + ")");
            nstat.print(out, lab.sim().hosts());
            if (pcapDir != null) {
                out.println("captures: " + String.join(" ", lab.captureFiles().stream().map(Path::toString).toList()));
            }
        }
        out.flush();
        return exit[0];
    }

    /** Requests to send: -c, else 4, else (with -w) as many as fit before the deadline. */
    private long requests() {
        if (count != null) {
            return deadlineNs != null ? Long.MAX_VALUE : count;
        }
        return deadlineNs != null ? Long.MAX_VALUE : 4;
    }

    private void validate() {
        Validation v = new Validation(spec);
        v.check(count == null || count >= 1, "--count must be at least 1");
        v.check(timeoutNs == null || timeoutNs >= 0, "-W must not be negative");
        v.check(deadlineNs == null || deadlineNs > 0 && deadlineNs < 4e18, "-w must be positive");
        v.check(size >= 0 && size <= 65507, "--size must be 0..65507");
        v.check(ttl >= 1 && ttl <= 255, "--ttl must be 1..255");
        v.check(loss >= 0 && loss <= 1, "--loss must be between 0 and 1");
        v.check(mtu >= 68 && mtu <= 65535, "--mtu must be 68..65535");
        v.check(intervalNs >= MS, "--interval must be at least 1ms");
        // The whole run must fit the simulator's 64-bit clock with room to spare (about 126 years).
        v.check(deadlineNs != null || (double) requests() * intervalNs < 4e18, "--count times --interval is too long a run");
        v.check(rateBps > 0, "--rate must be positive");
        v.check(delayNs <= LinkParams.MAX_DELAY_NS, "--delay must be at most " + Units.formatDuration(LinkParams.MAX_DELAY_NS));
        v.check(pmtuMode() != null, "--pmtudisc must be do, want or dont");
    }

    private PmtuMode pmtuMode() {
        return switch (pmtudisc.toLowerCase(Locale.ROOT)) {
            case "do" -> PmtuMode.DO;
            case "want" -> PmtuMode.WANT;
            case "dont" -> PmtuMode.DONT;
            default -> null;
        };
    }

    /** The iputils main loop: send every interval, print replies and errors as they come. */
    private int run(ProcessContext ctx, NetStack client, PrintWriter out) throws Exception {
        Ipv4Address target;
        try {
            target = client.resolver().resolve(host);
        } catch (UnknownHostException e) {
            // The resolver's reason, as glibc words it: "Name or service not known" (NXDOMAIN) or
            // "Temporary failure in name resolution" (no answer).
            out.println("ping: " + e.getMessage());
            return 2;
        }
        if ((target.isBroadcast() || client.ip().isSubnetBroadcast(target)) && !broadcast) {
            // iputils ping_common: a broadcast target needs -b.
            out.println("ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules");
            return 2;
        }
        if (target.isBroadcast() || client.ip().isSubnetBroadcast(target)) {
            out.println("WARNING: pinging broadcast address");
        }
        out.println("PING " + host + " (" + target + ") " + size + "(" + (size + 28) + ") bytes of data.");
        Stats st = new Stats();
        try (PingSocket socket = client.sockets().ping()) {
            socket.setTtl(ttl);
            socket.setPmtuMode(pmtuMode());
            long start = ctx.nowNs();
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (0x10 + i);
            }
            long deadline = deadlineNs == null ? Long.MAX_VALUE : start + deadlineNs;
            int wanted = count == null ? Integer.MAX_VALUE : count;
            for (long seq = 1; seq <= requests(); seq++) {
                long sendAt = start + (seq - 1) * intervalNs;
                receiveUntil(ctx, socket, Math.min(sendAt, deadline), st, out);
                if (ctx.nowNs() >= deadline || deadlineNs != null && st.received >= wanted) {
                    break;
                }
                ctx.sleepUntil(Math.max(sendAt, ctx.nowNs()));
                try {
                    st.sending((int) seq, ctx.nowNs());
                    socket.send(target, (int) seq, payload);
                    st.transmitted++;
                } catch (ErrnoException e) {
                    st.transmitted++;
                    st.errors++;
                    if (e.errno() == Errno.EMSGSIZE) {
                        out.println("ping: local error: message too long, mtu=" + mtu);
                    } else {
                        out.println("ping: sendmsg: " + e.errno().text());
                    }
                }
            }
            long lastSend = ctx.nowNs();
            long noReplyWait = timeoutNs != null ? timeoutNs : LINGER_NS;
            long lingerUntil = lastSend + (st.maxRttNs > 0 ? Math.min(LINGER_NS, Math.max(2 * st.maxRttNs, intervalNs)) : noReplyWait);
            lingerUntil = Math.min(lingerUntil, deadline);
            while (st.received + st.errors < st.transmitted && ctx.nowNs() < lingerUntil) {
                receiveUntil(ctx, socket, lingerUntil, st, out);
            }
            long elapsedMs = ((deadlineNs != null ? ctx.nowNs() : lastSend) - start) / MS;
            out.println();
            out.println("--- " + host + " ping statistics ---");
            StringBuilder line = new StringBuilder();
            line.append(st.transmitted).append(" packets transmitted, ").append(st.received).append(" received");
            if (st.duplicates > 0) {
                line.append(", +").append(st.duplicates).append(" duplicates");
            }
            if (st.errors > 0) {
                line.append(", +").append(st.errors).append(" errors");
            }
            double lossPct = st.transmitted == 0 ? 0 : (st.transmitted - st.received) * 100.0 / st.transmitted;
            line.append(", ").append(formatG(lossPct)).append("% packet loss, time ").append(elapsedMs).append("ms");
            out.println(line);
            if (st.received > 0) {
                double n = st.received + st.duplicates;
                double avg = st.sumMs / n;
                double mdev = Math.sqrt(Math.max(0, st.sumSqMs / n - avg * avg));
                out.printf(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", st.minMs, avg, st.maxMs, mdev);
            }
            out.println();
        }
        // iputils: exit 1 when no reply came back (with -w and -c: fewer than -c), 2 on other errors, 0 otherwise.
        if (deadlineNs != null && count != null) {
            return st.received < count ? 1 : 0;
        }
        return st.received == 0 ? 1 : 0;
    }

    private void receiveUntil(ProcessContext ctx, PingSocket socket, long untilNs, Stats st, PrintWriter out) throws ErrnoException {
        while (ctx.nowNs() < untilNs) {
            socket.setReceiveTimeout(java.time.Duration.ofNanos(untilNs - ctx.nowNs()));
            PingSocket.Event e;
            try {
                e = socket.receive();
            } catch (ErrnoException ex) {
                if (ex.errno() == Errno.EAGAIN) {
                    return;
                }
                throw ex;
            }
            Long sent = st.sentAt.get(e.sequence());
            switch (e) {
                case PingSocket.Reply r -> {
                    if (sent == null) {
                        continue;
                    }
                    long rtt = r.receivedAtNs() - sent;
                    boolean dup = !st.answered.add(r.sequence());
                    if (dup) {
                        st.duplicates++;
                    } else {
                        st.received++;
                    }
                    st.record(rtt);
                    if (!quiet) {
                        out.println(replyLine(r, rtt) + (dup ? " (DUP!)" : ""));
                    }
                }
                case PingSocket.Error err -> {
                    st.errors++;
                    if (!quiet) {
                        out.println("From " + err.error().reporter() + " icmp_seq=" + err.sequence() + " " + err.error().describe());
                    }
                }
            }
        }
    }

    /** The line iputils prints for a reply: {@code 64 bytes from 10.0.2.2: icmp_seq=1 ttl=63 time=20.0 ms}. */
    static String replyLine(PingSocket.Reply r, long rttNs) {
        return (r.dataLength() + 8) + " bytes from " + r.from() + ": icmp_seq=" + r.sequence() + " ttl=" + r.ttl()
                + " time=" + formatRtt(rttNs) + " ms";
    }

    /** iputils prints three significant digits: 20.0, 1.23, 0.123, 123. */
    static String formatRtt(long ns) {
        double ms = ns / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%d", (long) ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        if (ms >= 1) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    /** printf's %g as iputils uses it for the loss percentage: 0, 25, 33.3333. */
    static String formatG(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /**
     * What has been sent and answered, by the 16-bit sequence number on the wire: after 65535
     * the number wraps and a new request forgets the old one with the same number, as iputils'
     * rcvd_clear does, so replies are matched to the latest request and the tables stay small.
     */
    private static final class Stats {
        final Map<Integer, Long> sentAt = new HashMap<>();
        final java.util.Set<Integer> answered = new java.util.HashSet<>();
        int transmitted;
        int received;
        int duplicates;
        int errors;
        double minMs = Double.MAX_VALUE;
        double maxMs;
        double sumMs;
        double sumSqMs;
        long maxRttNs;

        void sending(int seq, long nowNs) {
            sentAt.put(seq & 0xffff, nowNs);
            answered.remove(seq & 0xffff);
        }

        void record(long rttNs) {
            double ms = rttNs / 1e6;
            minMs = Math.min(minMs, ms);
            maxMs = Math.max(maxMs, ms);
            sumMs += ms;
            sumSqMs += ms * ms;
            maxRttNs = Math.max(maxRttNs, rttNs);
        }
    }
}
