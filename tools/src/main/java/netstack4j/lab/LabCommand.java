package netstack4j.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import netstack4j.stack.Personality;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netstack4j lab}: every claim of the notes as an experiment. Without arguments it lists
 * them; {@code lab N26 sack-resends-one …} or {@code lab all} runs them, printing each one's
 * claim, setup, what happened and verdict; {@code --html DIR} also writes a report with ladder
 * diagrams, time-sequence graphs and queue plots.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The claims of the notes (N1-N46) as experiments on a simulated network.",
                "Without arguments: the list. With ids or names (or 'all'): runs them and prints each verdict."})
public final class LabCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT", arity = "0..*", description = "Experiment ids or names (N26, sack-resends-one), or 'all'.")
    List<String> names = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "Simulation seed (default ${DEFAULT-VALUE}); the same seed gives the same output.")
    long seed;

    @Option(names = "--personality", defaultValue = "linux", paramLabel = "linux|windows",
            description = "Whose behaviour the experiments' hosts follow (default ${DEFAULT-VALUE}); Windows claims compare both anyway.")
    String personality;

    @Option(names = {"-S", "--absolute-tcp-sequence-numbers"},
            description = "Trace lines with absolute TCP sequence numbers, as tcpdump -S (default: relative, as tcpdump).")
    boolean absolute;

    @Option(names = "--html", paramLabel = "DIR", description = "Also write an HTML report (index and one page per experiment, SVG pictures, pcaps) into DIR.")
    Path htmlDir;

    @CommandLine.Mixin
    netstack4j.cli.NstatOption nstat = new netstack4j.cli.NstatOption();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Personality p = switch (personality.toLowerCase(Locale.ROOT)) {
            case "linux" -> Personality.LINUX;
            case "windows" -> Personality.WINDOWS;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--personality must be linux or windows, not '" + personality + "'");
        };
        if (names.isEmpty()) {
            out.print(list());
            out.flush();
            return 0;
        }
        List<Experiment> chosen = choose();
        long t0 = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Experiment e : chosen) {
                Outcome o = Experiments.run(e, seed, p, absolute);
                outcomes.add(o);
                out.println(o.text());
                List<Bench> benches = o.run().benches();
                for (int i = 0; i < benches.size() && nstat.enabled(); i++) {
                    out.println("Counters of run " + (i + 1) + " (" + benches.get(i).describe() + "):");
                    nstat.print(out, List.of(benches.get(i).a(), benches.get(i).b()));
                }
                out.flush();
                if (htmlDir == null) {
                    o.run().close();
                }
            }
            if (htmlDir != null) {
                try {
                    HtmlReport.write(htmlDir, outcomes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the report into '" + htmlDir + "': " + IoErrors.reason(e), e);
                }
            }
        } finally {
            for (Outcome o : outcomes) {
                o.run().close();
            }
        }
        out.println(summary(outcomes));
        if (htmlDir != null) {
            out.println("Report: " + htmlDir.resolve("index.html"));
        }
        out.flush();
        // Wall time goes to stderr: stdout is the same, byte for byte, for the same seed.
        PrintWriter err = spec.commandLine().getErr();
        err.println(String.format(Locale.ROOT, "lab: wall time %.1f s", (System.nanoTime() - t0) / 1e9));
        err.flush();
        return outcomes.stream().anyMatch(o -> o.verdict().kind() == Verdict.Kind.FAILED) ? 1 : 0;
    }

    private List<Experiment> choose() {
        if (names.contains("all")) {
            return Experiments.all();
        }
        List<Experiment> chosen = new ArrayList<>();
        for (String n : names) {
            Experiment e = Experiments.find(n);
            if (e == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "no experiment '" + n + "' (run 'netstack4j lab' for the list)");
            }
            if (!chosen.contains(e)) {
                chosen.add(e);
            }
        }
        return chosen;
    }

    /** The list: id, name, personality, claim. */
    public static String list() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-4s %-20s %-8s %s%n", "id", "name", "needs", "claim"));
        for (Experiment e : Experiments.all()) {
            b.append(String.format("%-4s %-20s %-8s %s%n", e.id(), e.name(), e.personality().isEmpty() ? "-" : e.personality(), e.claim()));
        }
        b.append(Experiments.all().size()).append(" experiments; run one with 'netstack4j lab ID', all with 'netstack4j lab all'.\n");
        return b.toString();
    }

    static String summary(List<Outcome> outcomes) {
        int[] n = new int[Verdict.Kind.values().length];
        for (Outcome o : outcomes) {
            n[o.verdict().kind().ordinal()]++;
        }
        return String.format(Locale.ROOT, "%d experiment%s: %d confirmed, %d differ, %d waiting on a feature, %d failed",
                outcomes.size(), outcomes.size() == 1 ? "" : "s", n[0], n[1], n[2], n[3]);
    }
}
