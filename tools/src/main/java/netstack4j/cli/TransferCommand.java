package netstack4j.cli;

import java.io.PrintWriter;
import java.net.StandardSocketOptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import netstack4j.lab.Lab;
import netstack4j.report.SsReport;
import netstack4j.sim.LinkParams;
import netstack4j.sim.LinkStats;
import netstack4j.sim.SimLink;
import netstack4j.sim.SimulationException;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Poller;
import netstack4j.socket.Shutdown;
import netstack4j.socket.SocketInfo;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netstack4j transfer}: a bulk TCP transfer between two simulated hosts on one cable
 * (client 10.0.0.1 → server 10.0.0.2:5201), with the link's faults, checked byte for byte.
 *
 * <p>The sender writes without blocking and waits for POLLOUT in between, so every byte the
 * stack accepted is counted when it is accepted: at any moment, what was received is at most
 * what was written, and a run that stops early (time limit, failure, Ctrl-C) reports both
 * truthfully. On a terminal (or with {@code --progress}) a line on stderr shows the progress
 * about once a wall-clock second; Ctrl-C prints the summary so far.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Bulk TCP transfer from a (10.0.0.1) to b (10.0.0.2:5201) over one simulated cable,",
                "checked byte for byte with SHA-256. Faults apply to both directions of the cable."})
public final class TransferCommand implements Callable<Integer> {
    static final int PORT = 5201;
    static final int CHUNK = TransferStream.CHUNK;

    @Option(names = "--bytes", converter = Units.SizeBytes.class, paramLabel = "SIZE",
            description = "Bytes to send (default ${DEFAULT-VALUE}); K, M, G are binary multiples.", defaultValue = "10M")
    long bytes;

    @Option(names = "--rate", converter = Units.RateBps.class, paramLabel = "RATE",
            description = "Cable bandwidth (default ${DEFAULT-VALUE}).", defaultValue = "1Gbit")
    long rateBps;

    @Option(names = "--delay", converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "One-way propagation delay (default ${DEFAULT-VALUE}).", defaultValue = "1ms")
    long delayNs;

    @Option(names = "--loss", description = "Random loss rate per direction, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double loss;

    @Option(names = "--reorder", description = "Reordering rate, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double reorder;

    @Option(names = "--duplicate", description = "Duplication rate, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double duplicate;

    @Option(names = "--corrupt", description = "Rate of frames damaged on the wire, 0..1: the receiving port's FCS check "
            + "discards them, counted as rx_crc_errors (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double corrupt;

    @Option(names = "--corrupt-payload", description = "Rate of frames damaged past the FCS (as in a router's memory), 0..1: "
            + "one bit of the IP payload flipped, for TCP's checksum to catch, counted as TcpInCsumErrors "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "0")
    double corruptPayload;

    @Option(names = "--mtu", description = "MTU (default ${DEFAULT-VALUE}).", defaultValue = "1500")
    int mtu;

    @Option(names = "--sndbuf", converter = Units.SizeBytes.class, paramLabel = "SIZE",
            description = "SO_SNDBUF of the sender (default: the stack's tcp_wmem default).")
    Long sndbuf;

    @Option(names = "--rcvbuf", converter = Units.SizeBytes.class, paramLabel = "SIZE",
            description = "SO_RCVBUF of the receiver (default: the stack's tcp_rmem default).")
    Long rcvbuf;

    @Option(names = "--nodelay", description = "TCP_NODELAY on the sender.")
    boolean nodelay;

    @Option(names = "--congestion", paramLabel = "NAME", description = "TCP_CONGESTION of the sender: cubic or reno "
            + "(default: the stack's net.ipv4.tcp_congestion_control, cubic).")
    String congestion;

    @Option(names = "--personality", paramLabel = "linux|windows",
            description = "Whose behaviour both hosts follow where systems differ (default ${DEFAULT-VALUE}): "
                    + "buffer sizes read back doubled (Linux) or rounded to MSS (Windows, N1).",
            defaultValue = "linux", converter = PersonalityConverter.class)
    netstack4j.stack.Personality personality;

    /** linux or windows, case-insensitive. */
    static final class PersonalityConverter implements picocli.CommandLine.ITypeConverter<netstack4j.stack.Personality> {
        @Override
        public netstack4j.stack.Personality convert(String value) {
            try {
                return netstack4j.stack.Personality.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected linux or windows, got '" + value + "'");
            }
        }
    }

    @Option(names = {"-i", "--interval"}, converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "Length of iperf3's interval lines, in simulated time (default ${DEFAULT-VALUE}).", defaultValue = "1s")
    long intervalNs;

    @Option(names = "--time-limit", converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "Give up after this much simulated time (default ${DEFAULT-VALUE}).", defaultValue = "600s")
    long limitNs;

    @Option(names = "--seed", description = "Simulation seed (default: random; printed so the run can be repeated).")
    Long seed;

    @Option(names = "--pcap", paramLabel = "DIR", description = "Write a pcap per interface into DIR.")
    Path pcapDir;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--ss", description = "Also print every socket of both hosts as ss -tuanoim would, at the end.")
    boolean ss;

    @Option(names = "--progress", description = "Show progress on stderr about once a second (the default on a terminal, "
            + "without --json).")
    boolean progress;

    @picocli.CommandLine.Mixin
    NstatOption nstat = new NstatOption();

    @Spec
    CommandSpec spec;

    /** Wall-clock time between progress lines (tests shorten it). */
    long progressEveryWallNs = Progress.EVERY_WALL_SECOND_NS;

    /** Where a request to stop comes from: Ctrl-C (tests use a manual one). */
    Supplier<Interruption> interruptions = Interruption::onSignal;

    @Override
    public Integer call() throws Exception {
        validate();
        long s = seed != null ? seed : Seeds.fresh();
        PrintWriter out = spec.commandLine().getOut();
        LinkParams params = LinkParams.of(rateBps, delayNs).withLoss(loss).withReorder(reorder)
                .withDuplicate(duplicate).withCorrupt(corrupt).withPayloadCorrupt(corruptPayload).withMtu(mtu);
        try (Interruption stop = interruptions.get()) {
            TransferReport.Outcome o;
            String ssText = "";
            java.io.StringWriter nstatText = new java.io.StringWriter();
            try (Lab lab = Lab.pair(s, params, pcapDir, null, personality)) {
                o = run(lab, s, stop);
                if (ss) {
                    ssText = SsReport.format(lab.host("a")) + SsReport.format(lab.host("b"));
                }
                PrintWriter w = new PrintWriter(nstatText);
                nstat.print(w, lab.sim().hosts());
                w.flush();
            }
            if (json) {
                out.println(TransferReport.toJson(o, s));
            } else {
                TransferReport.printText(out, o, header(s), limitNs, s);
                out.print(ssText);
                out.print(nstatText);
            }
            out.flush();
            if (o.ending() == TransferReport.Ending.INTERRUPTED) {
                return 130; // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
            }
            return Boolean.TRUE.equals(o.match()) ? 0 : 1;
        }
    }

    private void validate() {
        Validation v = new Validation(spec);
        v.check(rateBps > 0, "--rate must be positive");
        v.check(delayNs <= LinkParams.MAX_DELAY_NS, "--delay must be at most " + Units.formatDuration(LinkParams.MAX_DELAY_NS));
        String[] names = {"--loss", "--reorder", "--duplicate", "--corrupt", "--corrupt-payload"};
        double[] rates = {loss, reorder, duplicate, corrupt, corruptPayload};
        for (int i = 0; i < rates.length; i++) {
            v.check(rates[i] >= 0 && rates[i] <= 1, names[i] + " must be between 0 and 1");
        }
        v.check(mtu >= 576 && mtu <= 65535, "--mtu must be 576..65535");
        v.check(intervalNs >= 1_000_000L, "--interval must be at least 1ms");
        v.check(sndbuf == null || sndbuf > 0 && sndbuf <= Integer.MAX_VALUE, "--sndbuf out of range");
        v.check(rcvbuf == null || rcvbuf > 0 && rcvbuf <= Integer.MAX_VALUE, "--rcvbuf out of range");
        v.check(congestion == null || netstack4j.tcp.CongestionControls.AVAILABLE.contains(congestion),
                "--congestion must be one of " + String.join(", ", netstack4j.tcp.CongestionControls.AVAILABLE));
    }

    /** Counts shared by the two processes, the progress line and the summary. */
    private static final class Tally {
        final MessageDigest writtenHash = sha256();
        final MessageDigest receivedHash = sha256();
        long written;
        long received;
        boolean intact = true;
        long startNs = -1;
        long endNs = -1;
        boolean done;
        SocketInfo client;
        SocketInfo server;

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TransferReport.Outcome run(Lab lab, long seedValue, Interruption stop) {
        NetStack a = lab.host("a");
        NetStack b = lab.host("b");
        TransferStream stream = new TransferStream(seedValue);
        Tally t = new Tally();
        TcpSocket[] clientSocket = new TcpSocket[1];
        TcpSocket[] serverSocket = new TcpSocket[1];
        lab.sim().spawn(b, "receiver", ctx -> {
            try (TcpListener listener = b.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, PORT), 16)) {
                if (rcvbuf != null) {
                    listener.socket().setOption(StandardSocketOptions.SO_RCVBUF, (int) (long) rcvbuf);
                }
                TcpSocket conn = listener.accept();
                serverSocket[0] = conn;
                byte[] buf = new byte[CHUNK];
                for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) {
                    t.intact &= stream.matches(buf, n, t.received);
                    t.receivedHash.update(buf, 0, n);
                    t.received += n;
                }
                t.endNs = ctx.nowNs();
                t.server = conn.info();
                t.client = clientSocket[0].info();
                conn.close();
            }
            t.done = true;
        });
        lab.sim().spawn(a, "sender", ctx -> {
            TcpSocket c = a.sockets().tcp();
            clientSocket[0] = c;
            if (sndbuf != null) {
                c.setOption(StandardSocketOptions.SO_SNDBUF, (int) (long) sndbuf);
            }
            if (nodelay) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (congestion != null) {
                c.setOption(netstack4j.socket.NetSocketOptions.TCP_CONGESTION, congestion);
            }
            t.startNs = ctx.nowNs();
            c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), PORT));
            send(a, c, stream, t);
            c.shutdown(Shutdown.WRITE);
        });
        if (progress || !json && System.console() != null && System.console().isTerminal()) {
            PrintWriter err = spec.commandLine().getErr();
            Progress.start(lab.sim(), progressEveryWallNs, nowNs -> {
                long simNs = nowNs - Math.max(0, t.startNs);
                err.printf(Locale.ROOT, "progress: %s written, %s received, %.3f s simulated, %s%n",
                        Units.formatBytes(t.written), Units.formatBytes(t.received), simNs / 1e9,
                        Units.formatRate(simNs == 0 ? 0 : t.received * 8e9 / simNs));
                err.flush();
            });
        }
        List<Iperf3Text.Interval> intervals = new ArrayList<>();
        Runnable sample = sampleIntervals(lab, a, clientSocket, t, intervals);
        long wall0 = System.nanoTime();
        TransferReport.Ending ending;
        String error = null;
        try {
            lab.sim().runUntil(() -> t.done || stop.requested(), lab.sim().nowNs() + limitNs);
            ending = t.done ? TransferReport.Ending.COMPLETED
                    : stop.requested() ? TransferReport.Ending.INTERRUPTED : TransferReport.Ending.TIME_LIMIT;
        } catch (SimulationException e) {
            // A socket call failed the way it would on a real network (e.g. connect: EHOSTUNREACH
            // when every ARP request is lost): report it, as a program would print its errno.
            ending = TransferReport.Ending.FAILED;
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            error = e.process().name() + ": " + cause.getMessage() + String.format(Locale.ROOT, " (at %.3f s simulated)",
                    lab.sim().nowNs() / 1e9);
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        if (ending != TransferReport.Ending.FAILED) {
            sample.run(); // the last, partial interval
            // A run that did not finish reports its sockets as they are now.
            if (t.client == null && clientSocket[0] != null) {
                t.client = clientSocket[0].info();
            }
            if (t.server == null && serverSocket[0] != null) {
                t.server = serverSocket[0].info();
            }
        }
        long simNs = (t.endNs >= 0 ? t.endNs : lab.sim().nowNs()) - Math.max(0, t.startNs);
        HexFormat hex = HexFormat.of();
        return new TransferReport.Outcome(bytes, t.written, t.received, t.intact, hex.formatHex(t.writtenHash.digest()),
                hex.formatHex(t.receivedHash.digest()), simNs, wall, a.counters().get(Counter.TcpRetransSegs),
                damage(lab, a, b), t.client, t.server, ending, error, intervals, directions(lab, t, simNs));
    }

    /**
     * Every {@code --interval} of simulated time until the transfer ends: what the sender wrote
     * and retransmitted, and its cwnd. Returns the sampler, to be run once more at the end for
     * the last, partial interval.
     */
    private Runnable sampleIntervals(Lab lab, NetStack a, TcpSocket[] client, Tally t, List<Iperf3Text.Interval> out) {
        long[] last = {0, 0, 0}; // time, bytes written, retransmitted segments
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            long now = lab.sim().nowNs();
            long end = t.endNs >= 0 ? t.endNs : now;
            long retrans = a.counters().get(Counter.TcpRetransSegs);
            long cwnd = 0;
            if (client[0] != null) {
                SocketInfo i = client[0].info();
                cwnd = (long) i.cwnd() * i.mss();
            }
            if (end > last[0]) {
                out.add(new Iperf3Text.Interval(last[0], end, t.written - last[1], retrans - last[2], cwnd));
            }
            last[0] = end;
            last[1] = t.written;
            last[2] = retrans;
            if (!t.done && !lab.sim().isClosed()) {
                lab.sim().scheduleAfter(intervalNs, tick[0]);
            }
        };
        lab.sim().scheduleAfter(intervalNs, tick[0]);
        return () -> {
            boolean done = t.done;
            t.done = true; // a last sample, without scheduling another
            tick[0].run();
            t.done = done;
        };
    }

    /**
     * Writes the stream without blocking: each write returns what the stack accepted, which is
     * hashed and counted at once; when the send buffer is full, waits for POLLOUT.
     */
    private void send(NetStack a, TcpSocket c, TransferStream stream, Tally t) throws ErrnoException {
        c.setNonBlocking(true);
        byte[] chunk = new byte[CHUNK];
        List<Poller.Ready> ready = new ArrayList<>(1);
        try (Poller poller = a.sockets().poller()) {
            poller.register(c, PollEvents.OUT, null);
            for (long index = 0; t.written < bytes; index++) {
                stream.fill(chunk, index);
                int n = (int) Math.min(CHUNK, bytes - t.written);
                for (int off = 0; off < n; ) {
                    int w;
                    try {
                        w = c.write(chunk, off, n - off);
                    } catch (ErrnoException e) {
                        if (e.errno() != Errno.EAGAIN) {
                            throw e;
                        }
                        ready.clear();
                        poller.poll(ready, 1, null);
                        continue;
                    }
                    t.writtenHash.update(chunk, off, w);
                    t.written += w;
                    off += w;
                }
            }
        }
    }

    /**
     * Both directions of the cable: a->b from the sender's socket to the receiver's, b->a the
     * other way, with the link's frame counts of that direction.
     */
    private static List<TransferReport.Direction> directions(Lab lab, Tally t, long simNs) {
        SimLink link = lab.links().getFirst();
        return List.of(direction("a->b", t.client, t.server, t.received, simNs, link.stats(SimLink.Direction.A_TO_B)),
                direction("b->a", t.server, t.client, 0, simNs, link.stats(SimLink.Direction.B_TO_A)));
    }

    private static TransferReport.Direction direction(String name, SocketInfo from, SocketInfo to, long bytes, long simNs,
                                                      LinkStats s) {
        return new TransferReport.Direction(name, bytes, simNs == 0 ? 0 : bytes * 8e9 / simNs,
                from == null ? 0 : from.segsOut(), from == null ? 0 : from.dataSegsOut(),
                from == null ? 0 : from.totalRetrans(), to == null ? 0 : to.dataSegsIn(), s.sent(), s.delivered(),
                s.droppedLoss(), s.droppedQueue(), s.droppedDown(), s.droppedMtu(), s.rxCrcErrors());
    }

    private static TransferReport.Damage damage(Lab lab, NetStack a, NetStack b) {
        SimLink link = lab.links().getFirst();
        LinkStats toB = link.stats(SimLink.Direction.A_TO_B);
        LinkStats toA = link.stats(SimLink.Direction.B_TO_A);
        return new TransferReport.Damage(toA.rxCrcErrors(), toB.rxCrcErrors(), toA.payloadCorrupted() + toB.payloadCorrupted(),
                errors(a), errors(b));
    }

    private static TransferReport.HostErrors errors(NetStack h) {
        var c = h.counters();
        return new TransferReport.HostErrors(c.get(Counter.TcpInCsumErrors), c.get(Counter.TcpInErrs),
                c.get(Counter.IpExtInCsumErrors));
    }

    private String header(long s) {
        return String.format(Locale.ROOT, "transfer a 10.0.0.1 -> b 10.0.0.2:%d over %s, delay %s, mtu %d%s%s, seed %d", PORT,
                Units.formatRate(rateBps), Units.formatDuration(delayNs), mtu, faults(),
                congestion == null ? "" : ", " + congestion, s);
    }

    private String faults() {
        StringBuilder f = new StringBuilder();
        String[] names = {"loss", "reorder", "duplicate", "corrupt", "corrupt-payload"};
        double[] rates = {loss, reorder, duplicate, corrupt, corruptPayload};
        for (int i = 0; i < rates.length; i++) {
            if (rates[i] > 0) {
                f.append(", ").append(names[i]).append(' ').append(rates[i]);
            }
        }
        return f.toString();
    }
}
