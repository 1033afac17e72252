package netstack4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import netstack4j.torture.Campaign;
import netstack4j.torture.Fault;
import netstack4j.torture.RunResult;
import netstack4j.torture.Scenario;
import netstack4j.torture.TortureRun;
import netstack4j.torture.Violation;
import netstack4j.torture.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netstack4j torture}: the reliability campaign. Runs many small seeded scenarios (a
 * workload on a faulty simulated network) and checks every invariant in each; one line per
 * failing run with the command that repeats it, then {@code N passed, M failed}. Exit code 0
 * only when nothing failed.
 */
@Command(name = "torture", mixinStandardHelpOptions = true,
        description = {"Reliability campaign: seeded scenarios (bulk one way and both ways, request/response,",
                "50+ concurrent connections, connect/close churn, a slow reader) on a simulated network with",
                "random and burst loss, reordering, duplication, jitter, corruption, partitions, a bottleneck and",
                "MTU changes. Each run checks: every byte exactly once and in order; every connection completes",
                "or fails with Linux's errno at Linux's time; nothing waits forever; no exception escapes the",
                "stack; all pool buffers and socket memory come back; no livelock."})
public final class TortureCommand implements Callable<Integer> {
    @Option(names = "--runs", paramLabel = "N", defaultValue = "100",
            description = "Runs in the campaign: indices 0..N-1 (default ${DEFAULT-VALUE}).")
    long runs;

    @Option(names = "--seed", paramLabel = "S",
            description = "Campaign seed; run i's seed is derived from it and i (default: random, printed).")
    Long seed;

    @Option(names = "--run-seed", paramLabel = "R",
            description = "Run only the scenario of this run seed (as a failing run's line prints it).")
    Long runSeed;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only the indices i with i %% N == I, to spread a campaign over machines (default 0/1).")
    String shard;

    @Option(names = "--workload", paramLabel = "NAME",
            description = "Give every run this workload: bulk, bulk-both, rpc, many, churn, slow-reader (faults stay the seed's).")
    String workloadName;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "With --run-seed: write every host's trace events (segments, state changes, timers, drops) to FILE.")
    java.nio.file.Path traceFile;

    @Option(names = "--verbose", description = "Print every run with its workload, faults and figures, and every violation.")
    boolean verbose;

    @Option(names = "--json", description = "One JSON object per printed run, then one for the totals.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int shardIndex = 0;
        int shardCount = 1;
        if (shard != null) {
            String[] p = shard.split("/", -1);
            try {
                shardIndex = Integer.parseInt(p[0]);
                shardCount = p.length == 2 ? Integer.parseInt(p[1]) : -1;
            } catch (NumberFormatException e) {
                shardCount = -1;
            }
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                return usage(err, "--shard must be I/N with 0 <= I < N, not '" + shard + "'");
            }
        }
        if (runs < 0) {
            return usage(err, "--runs must be >= 0");
        }
        Workload workload = null;
        if (workloadName != null) {
            workload = Workload.byLabel(workloadName);
            if (workload == null) {
                return usage(err, "--workload must be one of " + labels() + ", not '" + workloadName + "'");
            }
        }
        if (runSeed != null && (seed != null || shard != null || spec.commandLine().getParseResult().hasMatchedOption("--runs"))) {
            return usage(err, "--run-seed runs one scenario: it does not go with --seed, --runs or --shard");
        }
        if (runSeed != null && runSeed <= 0) {
            return usage(err, "--run-seed must be positive");
        }
        if (traceFile != null && runSeed == null) {
            return usage(err, "--trace needs --run-seed (one run)");
        }
        Printer p = new Printer(out, workload);
        long wall0 = System.nanoTime();
        Campaign.Tally tally;
        if (runSeed != null) {
            tally = new Campaign.Tally();
            RunResult r;
            if (traceFile != null) {
                try (TextTrace trace = new TextTrace(traceFile)) {
                    r = TortureRun.run(Scenario.of(runSeed, workload), trace);
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    err.println("torture: cannot write " + traceFile + ": " + e.getMessage());
                    return 2;
                }
            } else {
                r = TortureRun.run(Scenario.of(runSeed, workload));
            }
            tally.add(r);
            p.run(-1, r);
        } else {
            long s = seed != null ? seed : Seeds.fresh();
            p.seed = s;
            if (!json) {
                out.printf(Locale.ROOT, "torture: campaign seed %d, runs 0..%d%s%s%n", s, runs - 1,
                        shardCount > 1 ? ", shard " + shardIndex + "/" + shardCount : "",
                        workload != null ? ", workload " + workload.label() : "");
                out.flush();
            }
            tally = Campaign.run(new Campaign.Options(s, runs, shardIndex, shardCount, workload), p::run);
        }
        p.totals(tally, (System.nanoTime() - wall0) / 1e9);
        out.flush();
        return tally.failed() == 0 ? 0 : 1;
    }

    /** Trace events as text lines in a file. */
    private static final class TextTrace implements netstack4j.trace.TraceSink, AutoCloseable {
        private final java.io.BufferedWriter w;

        TextTrace(java.nio.file.Path file) throws java.io.IOException {
            w = java.nio.file.Files.newBufferedWriter(file);
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void accept(netstack4j.trace.TraceEvent event) {
            try {
                w.write(event.format());
                w.newLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            w.close();
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("torture: " + message);
        err.flush();
        return 2;
    }

    private static String labels() {
        List<String> l = new ArrayList<>();
        for (Workload w : Workload.values()) {
            l.add(w.label());
        }
        return String.join(", ", l);
    }

    /** Prints runs and totals as text or JSON lines. */
    private final class Printer {
        private final PrintWriter out;
        private final Workload workload;
        Long seed;

        Printer(PrintWriter out, Workload workload) {
            this.out = out;
            this.workload = workload;
        }

        void run(long index, RunResult r) {
            if (r.passed() && !verbose) {
                return;
            }
            String repeat = "./netstack4j torture --run-seed " + r.scenario().seed()
                    + (workload != null ? " --workload " + workload.label() : "");
            if (json) {
                out.println(json(index, r, repeat));
            } else {
                String head = (r.passed() ? "ok   " : "FAIL ") + (index >= 0 ? "run " + index + " " : "") + "seed "
                        + r.scenario().seed() + ": " + r.scenario().describe();
                if (r.passed()) {
                    out.println(head + ": " + figures(r));
                } else {
                    List<Violation> v = r.violations();
                    out.println(head + ": " + v.get(0) + (v.size() > 1 ? " (+" + (v.size() - 1) + " more)" : "")
                            + " | repeat: " + repeat);
                    if (verbose) {
                        for (Violation x : v) {
                            out.println("    " + x);
                        }
                        out.println("    " + figures(r));
                    }
                }
            }
            out.flush();
        }

        private String figures(RunResult r) {
            return String.format(Locale.ROOT, "%d conns (%d done, %d ends failed), %d bytes, %d at once%s, %d retrans,"
                            + " %.1f s simulated, %d events%s", r.connections(), r.completed(), r.failedEnds(), r.bytes(),
                    r.maxConcurrent(), r.zeroWindow() ? ", zero window" : "", r.retransSegs(), r.simNs() / 1e9, r.events(),
                    r.checksumBlind() > 0 ? ", " + r.checksumBlind() + " checksum-blind corruption(s)" : "");
        }

        void totals(Campaign.Tally t, double wallSeconds) {
            if (json) {
                out.printf(Locale.ROOT, "{\"passed\":%d,\"failed\":%d,\"wallSeconds\":%.1f%s,\"byWorkload\":%s,\"byFault\":%s,"
                                + "\"byInvariant\":%s,\"errors\":%s}%n", t.passed(), t.failed(), wallSeconds,
                        seed != null ? ",\"seed\":" + seed : "", pairs(t.byWorkload(), true), pairs(t.byFault(), true),
                        pairs(t.byKind(), false), counts(t.errors()));
                return;
            }
            if (t.failed() > 0 || verbose) {
                out.println("failed/runs by workload: " + text(t.byWorkload()));
                out.println("failed/runs by fault: " + text(t.byFault())
                        + (t.clean()[0] > 0 ? ", none " + t.clean()[1] + "/" + t.clean()[0] : ""));
                if (t.failed() > 0) {
                    StringBuilder b = new StringBuilder();
                    for (var e : t.byKind().entrySet()) {
                        b.append(b.length() == 0 ? "" : ", ").append(e.getKey().label()).append(' ').append(e.getValue()[0]);
                    }
                    out.println("failed runs by invariant: " + b);
                }
            }
            if (!t.errors().isEmpty()) {
                StringBuilder b = new StringBuilder();
                t.errors().forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(n));
                out.println("errors the applications saw: " + b);
            }
            if (t.checksumBlind() > 0) {
                out.println("corruption no checksum can see (two bit flips that cancel), delivered as on Linux: "
                        + t.checksumBlind() + " chunk(s)");
            }
            out.printf(Locale.ROOT, "wall time %.1f s%n", wallSeconds);
            out.println(t.passed() + " passed, " + t.failed() + " failed");
        }

        private static String label(Object k) {
            return k instanceof Workload w ? w.label() : k instanceof Fault f ? f.label() : ((Violation.Kind) k).label();
        }

        private static String text(Map<?, long[]> m) {
            StringBuilder b = new StringBuilder();
            for (var e : m.entrySet()) {
                b.append(b.length() == 0 ? "" : ", ").append(label(e.getKey())).append(' ').append(e.getValue()[1])
                        .append('/').append(e.getValue()[0]);
            }
            return b.toString();
        }

        private static String pairs(Map<?, long[]> m, boolean withRuns) {
            StringBuilder b = new StringBuilder("{");
            for (var e : m.entrySet()) {
                b.append(b.length() == 1 ? "" : ",").append('"').append(label(e.getKey())).append("\":");
                b.append(withRuns ? "{\"runs\":" + e.getValue()[0] + ",\"failed\":" + e.getValue()[1] + "}" : e.getValue()[0]);
            }
            return b.append('}').toString();
        }

        private static String counts(Map<String, Long> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, n) -> b.append(b.length() == 1 ? "" : ",").append(quote(k)).append(':').append(n));
            return b.append('}').toString();
        }

        private static String json(long index, RunResult r, String repeat) {
            StringBuilder v = new StringBuilder("[");
            for (Violation x : r.violations()) {
                v.append(v.length() == 1 ? "" : ",").append("{\"invariant\":").append(quote(x.kind().label()))
                        .append(",\"detail\":").append(quote(x.detail())).append('}');
            }
            v.append(']');
            StringBuilder f = new StringBuilder("[");
            for (Fault k : Fault.values()) {
                if (r.scenario().faults().kinds().contains(k)) {
                    f.append(f.length() == 1 ? "" : ",").append(quote(k.label()));
                }
            }
            f.append(']');
            return String.format(Locale.ROOT, "{%s\"seed\":%d,\"workload\":%s,\"faults\":%s,\"scenario\":%s,\"passed\":%b,"
                            + "\"violations\":%s,\"connections\":%d,\"completed\":%d,\"failedEnds\":%d,\"bytes\":%d,"
                            + "\"simSeconds\":%.3f,\"events\":%d,\"repeat\":%s}",
                    index >= 0 ? "\"run\":" + index + "," : "", r.scenario().seed(), quote(r.scenario().workload().label()), f,
                    quote(r.scenario().describe()), r.passed(), v, r.connections(), r.completed(), r.failedEnds(), r.bytes(),
                    r.simNs() / 1e9, r.events(), quote(repeat));
        }

        private static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
