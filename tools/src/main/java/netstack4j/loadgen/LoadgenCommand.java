package netstack4j.loadgen;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import netstack4j.cli.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netstack4j loadgen}: many dummy clients against one server, in simulation. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = {"Many dummy clients against one server on a simulated LAN: each connects, exchanges --bytes each way and closes,"
                + " with FIN or with RST (SO_LINGER 0), again and again. A live line each simulated second, then the totals:"
                + " TIME-WAIT on each side, connect failures by errno (EADDRNOTAVAIL when the local ports run out), counters."})
public final class LoadgenCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "10", description = "Dummy clients at once, each with its own socket (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "100",
            description = "New connections per second over all clients; 0: each client reconnects at once (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "T", defaultValue = "10s", converter = Units.DurationNs.class,
            description = "Simulated time during which connections start (default ${DEFAULT-VALUE}).")
    long durationNs;

    @Option(names = "--bytes", paramLabel = "N", defaultValue = "100", converter = Units.SizeBytes.class,
            description = "Bytes each side sends per connection (default ${DEFAULT-VALUE}).")
    long bytes;

    @Option(names = "--close", paramLabel = "fin|rst", defaultValue = "fin", description = "How the side that closes first closes: close (FIN) or SO_LINGER 0 (RST).")
    String close;

    @Option(names = "--closer", paramLabel = "client|server", defaultValue = "client", description = "Which side closes first (default ${DEFAULT-VALUE}).")
    String closer;

    @Option(names = "--addresses", paramLabel = "N", defaultValue = "1",
            description = "Source addresses on the client host (10.0.0.10…), one interface each; client i uses address i mod N (default ${DEFAULT-VALUE}).")
    int addresses;

    @Option(names = "--port-range", paramLabel = "LOW-HIGH", defaultValue = "32768-60999",
            description = "The client host's net.ipv4.ip_local_port_range (default ${DEFAULT-VALUE}).")
    String portRange;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    netstack4j.cli.NstatOption nstat = new netstack4j.cli.NstatOption();

    @Option(names = {"-q", "--quiet"}, description = "No live lines, only the summary.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LoadGen.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.printf(Locale.ROOT, "loadgen: %d clients against %s, %s connections/s for %s, %d bytes each way, %s closes first with %s,"
                        + " %d client address%s, ports %d-%d, seed %d%n",
                config.clients(), LoadGen.SERVER, config.ratePerSec() == 0 ? "unlimited" : trim(config.ratePerSec()),
                Units.formatDuration(config.durationNs()), config.bytes(), config.closer().name().toLowerCase(Locale.ROOT),
                config.close(), config.addresses(), config.addresses() == 1 ? "" : "es", config.portLow(), config.portHigh(), config.seed());
        out.flush();
        long wall0 = System.nanoTime();
        java.util.List<String> nstatText = new java.util.ArrayList<>();
        LoadGen.Stats s = new LoadGen(config).run(line -> {
            if (!quiet) {
                out.println(line);
                out.flush();
            }
        }, hosts -> {
            java.io.StringWriter w = new java.io.StringWriter();
            PrintWriter p = new PrintWriter(w);
            nstat.print(p, hosts);
            p.flush();
            nstatText.add(w.toString());
        });
        print(out, s, config);
        out.print(nstatText.get(0));
        out.flush();
        spec.commandLine().getErr().printf(Locale.ROOT, "loadgen: wall time %.1f s%n", (System.nanoTime() - wall0) / 1e9);
        return 0;
    }

    private LoadGen.Config config() {
        if (clients < 1 || clients > 100_000) {
            throw new IllegalArgumentException("--clients must be 1..100000");
        }
        if (addresses < 1 || addresses > 200) {
            throw new IllegalArgumentException("--addresses must be 1..200");
        }
        if (rate < 0 || Double.isNaN(rate) || rate > 1_000_000) {
            throw new IllegalArgumentException("--rate must be 0..1000000");
        }
        if (durationNs <= 0 || durationNs > 3600 * LoadGen.S) {
            throw new IllegalArgumentException("--duration must be more than 0 and at most 1h");
        }
        if (bytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("--bytes must be at most 16M");
        }
        LoadGen.Close how = switch (close) {
            case "fin" -> LoadGen.Close.FIN;
            case "rst" -> LoadGen.Close.RST;
            default -> throw new IllegalArgumentException("--close must be fin or rst, not '" + close + "'");
        };
        LoadGen.Closer who = switch (closer) {
            case "client" -> LoadGen.Closer.CLIENT;
            case "server" -> LoadGen.Closer.SERVER;
            default -> throw new IllegalArgumentException("--closer must be client or server, not '" + closer + "'");
        };
        String[] p = portRange.split("-", -1);
        int low;
        int high;
        try {
            low = p.length == 2 ? Integer.parseInt(p[0]) : -1;
            high = p.length == 2 ? Integer.parseInt(p[1]) : -1;
        } catch (NumberFormatException e) {
            low = -1;
            high = -1;
        }
        if (low < 1024 || high > 65535 || low > high) {
            throw new IllegalArgumentException("--port-range must be LOW-HIGH within 1024-65535, not '" + portRange + "'");
        }
        return new LoadGen.Config(clients, rate, durationNs, (int) bytes, how, who, addresses, low, high, seed);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static void print(PrintWriter out, LoadGen.Stats s, LoadGen.Config config) {
        out.println("--- loadgen summary ---");
        out.printf(Locale.ROOT, "connections: %d attempted, %d established, %d completed, %d connect failures%n",
                s.attempts, s.established, s.completed, s.failures());
        for (Map.Entry<String, Long> e : s.connectFailures.entrySet()) {
            out.printf(Locale.ROOT, "  connect failed with %s: %d%s%n", e.getKey(), e.getValue(),
                    e.getKey().equals("EADDRNOTAVAIL") ? " (no free local port: ip_local_port_range " + config.portLow() + "-" + config.portHigh()
                            + " is " + (config.portHigh() - config.portLow() + 1) + " ports per address)"
                    : e.getKey().equals("EADDRINUSE") ? " (bind to a source address with port 0 found no free port)" : "");
        }
        for (Map.Entry<String, Long> e : s.exchangeFailures.entrySet()) {
            out.printf(Locale.ROOT, "  failed after connect with %s: %d%n", e.getKey(), e.getValue());
        }
        out.printf(Locale.ROOT, "TIME-WAIT: client %d now, %d at most; server %d now, %d at most (the side that closes first with FIN holds it, 60 s)%n",
                s.clientTimeWait, s.maxClientTimeWait, s.serverTimeWait, s.maxServerTimeWait);
        out.printf(Locale.ROOT, "%-24s %12s %12s%n", "counter", "client", "server");
        for (Map.Entry<String, long[]> e : s.counters.entrySet()) {
            out.printf(Locale.ROOT, "%-24s %12d %12d%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        out.printf(Locale.ROOT, "(simulated %.1f s; repeat with --seed %d)%n", s.timeNs / 1e9, config.seed());
        out.flush();
    }
}
