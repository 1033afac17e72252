package netstack4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import netstack4j.packetdrill.CorpusInventory;
import netstack4j.packetdrill.ScriptRunner;
import netstack4j.stack.Personality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netstack4j pdrill PATH…}: runs packetdrill scripts against the stack in simulated time,
 * one line per script, then {@code N passed, M failed, K skipped}. Takes packetdrill's own flags
 * as {@code run_all.py} passes them. Exit code 0 only when none failed; 2 for a bad flag, a path
 * that does not exist or a folder without scripts.
 */
@Command(name = "pdrill", mixinStandardHelpOptions = true,
        description = {"Run packetdrill scripts (.pkt files, or folders searched recursively) against the stack.",
                "The stack is 192.168.0.1 on a simulated device; the script plays the remote side, 192.0.2.1.",
                "Prints PASS, FAIL (with packetdrill's message) or SKIP (with the missing feature) per script.",
                "Takes packetdrill's flags (--ip_version=ipv4 --local_ip=... -D NAME=VALUE --strict_segments ...)."})
public final class PdrillCommand implements Callable<Integer> {
    /** Where Linux's corpus lies, relative to the project root (see ../shared/conformance). */
    public static final String LINUX_CORPUS = "../shared/conformance/packetdrill/gtests/net/tcp";

    /**
     * Linux's corpus for a project at {@code root}: {@code $NETSTACK4J_LINUX_CORPUS} when set, else
     * {@code shared/conformance/packetdrill/gtests/net/tcp} in the nearest folder above the project
     * that has one (so a clone one level deeper still finds the copy beside the checkout), else
     * {@link #LINUX_CORPUS} as it is (absent: the caller says so).
     */
    public static Path linuxCorpus(Path root) {
        String env = System.getenv("NETSTACK4J_LINUX_CORPUS");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path a = root.toAbsolutePath().normalize().getParent(); a != null; a = a.getParent()) {
            Path c = a.resolve("shared/conformance/packetdrill/gtests/net/tcp");
            if (java.nio.file.Files.isDirectory(c)) {
                return c;
            }
        }
        return root.resolve(LINUX_CORPUS).normalize();
    }

    /** run_all.py's IPv4 flags (CmdTestIPv4) and its default --send_omit_free. */
    public static final List<ScriptRunner.Flag> RUN_ALL_IPV4 = List.of(
            new ScriptRunner.Flag("send_omit_free", null), new ScriptRunner.Flag("ip_version", "ipv4"),
            new ScriptRunner.Flag("local_ip", "192.168.0.1"), new ScriptRunner.Flag("gateway_ip", "192.168.0.1"),
            new ScriptRunner.Flag("netmask_ip", "255.255.0.0"), new ScriptRunner.Flag("remote_ip", "192.0.2.1"),
            new ScriptRunner.Flag("define", "TFO_COOKIE=3021b9d889017eeb"),
            new ScriptRunner.Flag("define", "CODE=host_unreachable"),
            new ScriptRunner.Flag("define", "CMSG_LEVEL_IP=SOL_IP"),
            new ScriptRunner.Flag("define", "CMSG_TYPE_RECVERR=IP_RECVERR"));

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Script files or folders.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--linux-corpus", description = "Run Linux's TCP corpus (" + LINUX_CORPUS
            + " from the project root) with run_all.py's IPv4 flags.")
    boolean linuxCorpus;

    @Option(names = "--missing", description = "After the run, list every TCP option, system call, socket option, "
            + "cmsg, tcp_info field and setting the scripts use that the stack lacks.")
    boolean missing;

    @Option(names = {"--verbose", "-v"}, description = "Print every event with its time.")
    boolean verbose;

    @Option(names = "--personality", paramLabel = "linux|windows", defaultValue = "linux",
            description = "Whose behaviour the stack follows (default ${DEFAULT-VALUE}).")
    String personality;

    @Option(names = {"--tolerance-usecs", "--tolerance_usecs"}, paramLabel = "N",
            description = "Allowed difference between expected and actual times, microseconds (default 4000).")
    Long toleranceUsecs;

    @Option(names = "--ip_version", paramLabel = "ipv4") String ipVersion;
    @Option(names = "--local_ip", paramLabel = "ADDR") String localIp;
    @Option(names = "--remote_ip", paramLabel = "ADDR") String remoteIp;
    @Option(names = "--gateway_ip", paramLabel = "ADDR") String gatewayIp;
    @Option(names = "--netmask_ip", paramLabel = "MASK") String netmaskIp;
    @Option(names = "--bind_port", paramLabel = "PORT") String bindPort;
    @Option(names = "--connect_port", paramLabel = "PORT") String connectPort;
    @Option(names = "--mss", paramLabel = "BYTES") String mss;
    @Option(names = "--mtu", paramLabel = "BYTES") String mtu;
    @Option(names = "--tolerance_percent", paramLabel = "PCT") String tolerancePercent;
    @Option(names = "--tcp_ts_tick_usecs", paramLabel = "USECS") String tcpTsTickUsecs;
    @Option(names = "--tcp_ts_ecr_scaled") boolean tcpTsEcrScaled;
    @Option(names = "--strict_segments", description = "One outbound segment per > line (no TSO/GSO aggregation).")
    boolean strictSegments;
    @Option(names = "--send_omit_free") boolean sendOmitFree;
    @Option(names = "--code_command", paramLabel = "CMD") String codeCommand;
    @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE", description = "Define NAME as VALUE in scripts.")
    List<String> defines = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The packetdrill flags given, in packetdrill's option order. */
    private List<ScriptRunner.Flag> flags() {
        List<ScriptRunner.Flag> f = new ArrayList<>();
        add(f, "ip_version", ipVersion);
        add(f, "local_ip", localIp);
        add(f, "remote_ip", remoteIp);
        add(f, "gateway_ip", gatewayIp);
        add(f, "netmask_ip", netmaskIp);
        add(f, "bind_port", bindPort);
        add(f, "connect_port", connectPort);
        add(f, "mss", mss);
        add(f, "mtu", mtu);
        add(f, "tolerance_usecs", toleranceUsecs == null ? null : toleranceUsecs.toString());
        add(f, "tolerance_percent", tolerancePercent);
        add(f, "tcp_ts_tick_usecs", tcpTsTickUsecs);
        add(f, "code_command", codeCommand);
        if (tcpTsEcrScaled) {
            f.add(new ScriptRunner.Flag("tcp_ts_ecr_scaled", null));
        }
        if (strictSegments) {
            f.add(new ScriptRunner.Flag("strict_segments", null));
        }
        if (sendOmitFree) {
            f.add(new ScriptRunner.Flag("send_omit_free", null));
        }
        for (String d : defines) {
            f.add(new ScriptRunner.Flag("define", d));
        }
        return f;
    }

    private static void add(List<ScriptRunner.Flag> f, String name, String value) {
        if (value != null) {
            f.add(new ScriptRunner.Flag(name, value));
        }
    }

    /** The project root: the launcher passes it; else the working directory. */
    static Path projectRoot() {
        return Path.of(System.getProperty("netstack4j.root", "."));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Personality p;
        try {
            p = Personality.valueOf(personality.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("pdrill: --personality must be linux or windows, not '" + personality + "'");
            return 2;
        }
        if (toleranceUsecs != null && toleranceUsecs <= 0) {
            err.println("pdrill: --tolerance-usecs must be positive");
            return 2;
        }
        for (String d : defines) {
            if (d.indexOf('=') <= 0) {
                err.println("pdrill: bad definition: " + d + " (write -D NAME=VALUE)");
                return 2;
            }
        }
        List<ScriptRunner.Flag> flags = new ArrayList<>();
        List<Path> roots = new ArrayList<>(paths);
        if (linuxCorpus) {
            flags.addAll(RUN_ALL_IPV4);
            roots.add(linuxCorpus(projectRoot()));
        }
        flags.addAll(flags());
        if (roots.isEmpty()) {
            err.println("pdrill: give script files or folders, or --linux-corpus");
            return 2;
        }
        List<Path> scripts = new ArrayList<>();
        for (Path path : roots) {
            Integer bad = collect(path, scripts, err);
            if (bad != null) {
                return bad;
            }
        }
        ScriptRunner.Options options = new ScriptRunner.Options(p, ScriptRunner.Options.DEFAULT_TOLERANCE_USECS,
                verbose ? line -> out.println("  " + line) : null, flags);
        int[] counts = new int[3];
        List<ScriptRunner.Result> results = ScriptRunner.runAll(scripts, options,
                verbose ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                    if (verbose) {
                        out.println("== " + r.script());
                        r.notes().forEach(n -> out.println("  note: " + n));
                    }
                    out.println(r.line());
                    out.flush();
                    counts[r.status().ordinal()]++;
                });
        int passed = counts[ScriptRunner.Status.PASS.ordinal()];
        int failed = counts[ScriptRunner.Status.FAIL.ordinal()];
        int skipped = counts[ScriptRunner.Status.SKIP.ordinal()];
        if (missing) {
            out.print(CorpusInventory.of(scripts, options, results).report());
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** Adds the scripts under {@code path}; returns 2 (with a message) for a bad path or an empty folder. */
    private static Integer collect(Path path, List<Path> scripts, PrintWriter err) {
        if (Files.isDirectory(path)) {
            List<Path> found;
            try (Stream<Path> s = Files.walk(path)) {
                found = s.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                // Files.walk reports a folder it cannot open below the first as UncheckedIOException.
                IOException io = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
                err.println("pdrill: cannot read " + path + ": " + netstack4j.lab.IoErrors.reason(io));
                return 2;
            }
            if (found.isEmpty()) {
                err.println("pdrill: no .pkt scripts in " + path);
                return 2;
            }
            scripts.addAll(found);
        } else if (Files.isRegularFile(path)) {
            scripts.add(path);
        } else {
            err.println("pdrill: " + (Files.exists(path) ? "not a file or folder: " : "no such file or folder: ") + path);
            return 2;
        }
        return null;
    }
}
