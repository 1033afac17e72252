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
import netstack4j.packetdrill.ScriptRunner;
import netstack4j.stack.Personality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netstack4j pdrill PATH…}: runs packetdrill scripts against the stack in simulated time,
 * one line per script, then {@code N passed, M failed, K skipped}. Exit code 0 only when none
 * failed.
 */
@Command(name = "pdrill", mixinStandardHelpOptions = true,
        description = {"Run packetdrill scripts (.pkt files, or folders searched recursively) against the stack.",
                "The stack is 192.168.0.1 on a simulated device; the script plays the remote side, 192.0.2.1.",
                "Prints PASS, FAIL (with packetdrill's message) or SKIP (with the reason) per script."})
public final class PdrillCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Script files or folders.")
    List<Path> paths;

    @Option(names = "--verbose", description = "Print every event with its time.")
    boolean verbose;

    @Option(names = "--personality", paramLabel = "linux|windows", defaultValue = "linux",
            description = "Whose behaviour the stack follows (default ${DEFAULT-VALUE}).")
    String personality;

    @Option(names = {"--tolerance-usecs", "--tolerance_usecs"}, paramLabel = "N", defaultValue = "4000",
            description = "Allowed difference between expected and actual times, microseconds (default ${DEFAULT-VALUE}).")
    long toleranceUsecs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
        if (toleranceUsecs < 0) {
            err.println("pdrill: --tolerance-usecs must not be negative");
            return 2;
        }
        List<Path> scripts = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.walk(path)) {
                    s.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted().forEach(scripts::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    // Files.walk reports a folder it cannot open below the first as UncheckedIOException.
                    IOException io = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
                    err.println("pdrill: cannot read " + path + ": " + netstack4j.lab.IoErrors.reason(io));
                    return 2;
                }
            } else if (Files.isRegularFile(path)) {
                scripts.add(path);
            } else {
                err.println("pdrill: " + (Files.exists(path) ? "not a file or folder: " : "no such file or folder: ") + path);
                return 2;
            }
        }
        ScriptRunner.Options options = new ScriptRunner.Options(p, toleranceUsecs,
                verbose ? line -> out.println("  " + line) : null);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Path script : scripts) {
            if (verbose) {
                out.println("== " + script);
            }
            ScriptRunner.Result r = ScriptRunner.run(script, options);
            if (verbose) {
                r.notes().forEach(n -> out.println("  note: " + n));
            }
            out.println(r.line());
            out.flush();
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case SKIP -> skipped++;
            }
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
