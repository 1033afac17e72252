package netstack4j.cli;

import java.io.PrintWriter;
import java.net.StandardSocketOptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import netstack4j.lab.Lab;
import netstack4j.report.SsReport;
import netstack4j.sim.LinkParams;
import netstack4j.socket.Ipv4SocketAddress;
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
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Bulk TCP transfer from a (10.0.0.1) to b (10.0.0.2:5201) over one simulated cable,",
                "checked byte for byte with SHA-256. Faults apply to both directions of the cable."})
public final class TransferCommand implements Callable<Integer> {
    static final int PORT = 5201;
    static final int CHUNK = 256 * 1024;

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

    @Option(names = "--corrupt", description = "Bit-corruption rate per frame, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double corrupt;

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

    @Option(names = "--time-limit", converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "Give up after this much simulated time (default ${DEFAULT-VALUE}).", defaultValue = "600s")
    long limitNs;

    @Option(names = "--seed", description = "Simulation seed (default: random; printed so the run can be repeated).")
    Long seed;

    @Option(names = "--pcap", paramLabel = "DIR", description = "Write a pcap per interface into DIR.")
    Path pcapDir;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--ss", description = "Also print every socket of both hosts as ss -tuanmi would, at the end.")
    boolean ss;

    @Spec
    CommandSpec spec;

    /** What the run measured. */
    record Outcome(long sent, long received, String sha256Sent, String sha256Received, long simNs, double wallSeconds,
                   long retransSegs, SocketInfo client, SocketInfo server, boolean completed, String error) {
        double goodputBitsPerSec() {
            return simNs == 0 ? 0 : received * 8e9 / simNs;
        }
    }

    @Override
    public Integer call() throws Exception {
        Validation v = new Validation(spec);
        v.check(bytes >= 0, "--bytes must be >= 0");
        v.check(rateBps > 0, "--rate must be positive");
        for (double r : new double[] {loss, reorder, duplicate, corrupt}) {
            v.check(r >= 0 && r <= 1, "--loss, --reorder, --duplicate and --corrupt must be between 0 and 1");
        }
        v.check(mtu >= 576 && mtu <= 65535, "--mtu must be 576..65535");
        v.check(sndbuf == null || sndbuf > 0 && sndbuf <= Integer.MAX_VALUE, "--sndbuf out of range");
        v.check(rcvbuf == null || rcvbuf > 0 && rcvbuf <= Integer.MAX_VALUE, "--rcvbuf out of range");
        long s = seed != null ? seed : Seeds.fresh();
        PrintWriter out = spec.commandLine().getOut();
        LinkParams params = LinkParams.of(rateBps, delayNs).withLoss(loss).withReorder(reorder)
                .withDuplicate(duplicate).withCorrupt(corrupt).withMtu(mtu);
        Outcome o;
        String ssText = "";
        try (Lab lab = Lab.pair(s, params, pcapDir, null, personality)) {
            o = run(lab, s);
            if (ss) {
                ssText = SsReport.format(lab.host("a")) + SsReport.format(lab.host("b"));
            }
        }
        if (json) {
            out.println(toJson(o, s));
        } else {
            printText(out, o, s);
            if (ss) {
                out.print(ssText);
            }
        }
        out.flush();
        boolean ok = o.completed() && o.sent() == o.received() && o.sha256Sent().equals(o.sha256Received());
        return ok ? 0 : 1;
    }

    private Outcome run(Lab lab, long seedValue) throws Exception {
        NetStack a = lab.host("a");
        NetStack b = lab.host("b");
        MessageDigest sentHash = MessageDigest.getInstance("SHA-256");
        MessageDigest receivedHash = MessageDigest.getInstance("SHA-256");
        long[] sent = {0};
        long[] received = {0};
        long[] startNs = {-1};
        long[] endNs = {-1};
        SocketInfo[] infos = new SocketInfo[2];
        TcpSocket[] clientSocket = new TcpSocket[1];
        boolean[] done = {false};
        byte[] block = new byte[CHUNK];
        new SplittableRandom(seedValue).nextBytes(block);

        lab.sim().spawn(b, "receiver", ctx -> {
            try (TcpListener listener = b.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, PORT), 16)) {
                if (rcvbuf != null) {
                    listener.socket().setOption(StandardSocketOptions.SO_RCVBUF, (int) (long) rcvbuf);
                }
                TcpSocket conn = listener.accept();
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int n = conn.read(buf, 0, buf.length);
                    if (n == 0) {
                        break;
                    }
                    receivedHash.update(buf, 0, n);
                    received[0] += n;
                }
                endNs[0] = ctx.nowNs();
                infos[1] = conn.info();
                infos[0] = clientSocket[0].info();
                conn.close();
            }
            done[0] = true;
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
            startNs[0] = ctx.nowNs();
            c.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), PORT));
            byte[] chunk = block.clone();
            long index = 0;
            while (sent[0] < bytes) {
                int n = (int) Math.min(CHUNK, bytes - sent[0]);
                number(chunk, index++);
                sentHash.update(chunk, 0, n);
                c.write(chunk, 0, n);
                sent[0] += n;
            }
            c.shutdown(Shutdown.WRITE);
        });
        long wall0 = System.nanoTime();
        boolean completed;
        String error = null;
        try {
            completed = lab.sim().runUntil(() -> done[0], lab.sim().nowNs() + limitNs);
        } catch (netstack4j.sim.SimulationException e) {
            // A socket call failed the way it would on a real network (e.g. connect: EHOSTUNREACH
            // when every ARP request is lost): report it, as a program would print its errno.
            completed = false;
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            error = e.process().name() + ": " + cause.getMessage() + String.format(Locale.ROOT, " (at %.3f s simulated)",
                    lab.sim().nowNs() / 1e9);
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        long simNs = (endNs[0] >= 0 ? endNs[0] : lab.sim().nowNs()) - Math.max(0, startNs[0]);
        HexFormat hex = HexFormat.of();
        return new Outcome(sent[0], received[0], hex.formatHex(sentHash.digest()), hex.formatHex(receivedHash.digest()),
                simNs, wall, a.counters().get(Counter.TcpRetransSegs), infos[0], infos[1], completed, error);
    }

    /**
     * Turns the chunk buffer (the seeded random block) into chunk {@code index} by writing the
     * chunk's number into its first 8 bytes; write copies the data, so the buffer is re-used.
     */
    private static void number(byte[] chunk, long index) {
        for (int i = 0; i < 8; i++) {
            chunk[i] = (byte) (index >>> (56 - 8 * i));
        }
    }

    private void printText(PrintWriter out, Outcome o, long s) {
        out.printf(Locale.ROOT, "transfer a 10.0.0.1 -> b 10.0.0.2:%d over %s, delay %s, mtu %d%s, seed %d%n", PORT,
                Units.formatRate(rateBps), Units.formatDuration(delayNs), mtu, faults(), s);
        out.printf(Locale.ROOT, "sent      %d bytes  sha256 %s%n", o.sent(), o.sha256Sent());
        out.printf(Locale.ROOT, "received  %d bytes  sha256 %s  %s%n", o.received(), o.sha256Received(),
                !o.completed() ? "(incomplete)"
                        : o.sha256Sent().equals(o.sha256Received()) && o.sent() == o.received() ? "(match)" : "(MISMATCH)");
        out.printf(Locale.ROOT, "simulated %.6f s   wall %.3f s%n", o.simNs() / 1e9, o.wallSeconds());
        out.printf(Locale.ROOT, "goodput   %s (simulated time)%n", Units.formatRate(o.goodputBitsPerSec()));
        out.printf(Locale.ROOT, "retransmitted segments: %d (TcpRetransSegs on the sender)%n", o.retransSegs());
        if (o.error() != null) {
            out.println("FAILED: " + o.error());
        } else if (!o.completed()) {
            out.printf(Locale.ROOT, "INCOMPLETE: the transfer did not finish within %s of simulated time%n",
                    Units.formatDuration(limitNs));
        }
        if (o.client() != null) {
            out.println("ss (sender, a):");
            out.println("State      Recv-Q Send-Q Local Address:Port Peer Address:Port");
            out.println(o.client().formatSs());
            out.println("ss (receiver, b):");
            out.println("State      Recv-Q Send-Q Local Address:Port Peer Address:Port");
            out.println(o.server().formatSs());
        }
        out.println("(repeat with --seed " + s + ")");
    }

    private String faults() {
        StringBuilder f = new StringBuilder();
        if (loss > 0) {
            f.append(", loss ").append(loss);
        }
        if (reorder > 0) {
            f.append(", reorder ").append(reorder);
        }
        if (duplicate > 0) {
            f.append(", duplicate ").append(duplicate);
        }
        if (corrupt > 0) {
            f.append(", corrupt ").append(corrupt);
        }
        return f.toString();
    }

    private static String toJson(Outcome o, long s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytesSent", o.sent());
        m.put("bytesReceived", o.received());
        m.put("sha256Sent", o.sha256Sent());
        m.put("sha256Received", o.sha256Received());
        m.put("match", o.sent() == o.received() && o.sha256Sent().equals(o.sha256Received()));
        m.put("completed", o.completed());
        if (o.error() != null) {
            m.put("error", o.error());
        }
        m.put("simSeconds", o.simNs() / 1e9);
        m.put("wallSeconds", o.wallSeconds());
        m.put("goodputBitsPerSec", Math.round(o.goodputBitsPerSec()));
        m.put("simGoodputBitsPerWallSecond", o.wallSeconds() == 0 ? 0 : Math.round(o.received() * 8 / o.wallSeconds()));
        m.put("retransSegs", o.retransSegs());
        m.put("seed", s);
        StringBuilder b = new StringBuilder("{");
        for (var e : m.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            b.append(v instanceof String str ? '"' + str.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : String.valueOf(v));
        }
        return b.append('}').toString();
    }
}
