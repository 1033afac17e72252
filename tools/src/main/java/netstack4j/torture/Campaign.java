package netstack4j.torture;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * A range of runs of one campaign seed: run {@code i} (for {@code i} in {@code [0, runs)} with
 * {@code i % shardCount == shardIndex}) is {@link Scenario#of(long, Workload)} of
 * {@link RunSeeds#runSeed}{@code (seed, i)}, so the shards of a campaign can run anywhere, in any
 * order, and add up to the whole.
 *
 * <p>Thread-compatible: runs one run at a time on the calling thread.
 */
public final class Campaign {
    /**
     * @param seed       the campaign seed
     * @param runs       run indices 0 … runs-1
     * @param shardIndex this shard (0 … shardCount-1)
     * @param shardCount how many shards the campaign is split in
     * @param workload   when not null, every run has this workload (faults still from the run seed)
     */
    public record Options(long seed, long runs, int shardIndex, int shardCount, Workload workload) {
        public Options {
            if (runs < 0 || shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new IllegalArgumentException("bad campaign range");
            }
        }
    }

    /** Told each run's result as soon as it is known. */
    @FunctionalInterface
    public interface Listener {
        void onRun(long index, RunResult result);
    }

    /** Runs and failures per workload, per fault and per broken invariant. */
    public static final class Tally {
        private long passed;
        private long failed;
        private final Map<Workload, long[]> byWorkload = new EnumMap<>(Workload.class);
        private final Map<Fault, long[]> byFault = new EnumMap<>(Fault.class);
        private final long[] clean = new long[2];
        private final Map<Violation.Kind, long[]> byKind = new EnumMap<>(Violation.Kind.class);
        private final Map<String, Long> errors = new java.util.TreeMap<>();
        private long checksumBlind;

        /** Counts {@code r}: once under its workload, once under each of its faults (or "no faults"). */
        public void add(RunResult r) {
            int f = r.passed() ? 0 : 1;
            if (f == 0) {
                passed++;
            } else {
                failed++;
            }
            count(byWorkload.computeIfAbsent(r.scenario().workload(), k -> new long[2]), f);
            Set<Fault> kinds = r.scenario().faults().kinds();
            if (kinds.isEmpty()) {
                count(clean, f);
            }
            for (Fault k : kinds) {
                count(byFault.computeIfAbsent(k, x -> new long[2]), f);
            }
            r.errors().forEach((k, n) -> errors.merge(k, (long) n, Long::sum));
            checksumBlind += r.checksumBlind();
            for (Violation.Kind k : r.violations().stream().map(Violation::kind).distinct().toList()) {
                byKind.computeIfAbsent(k, x -> new long[1])[0]++;
            }
        }

        private static void count(long[] c, int failed) {
            c[0]++;
            c[1] += failed;
        }

        public long passed() {
            return passed;
        }

        public long failed() {
            return failed;
        }

        /** {@code [runs, failed]} per workload that ran. */
        public Map<Workload, long[]> byWorkload() {
            return byWorkload;
        }

        /** {@code [runs, failed]} per fault that was on in some run. */
        public Map<Fault, long[]> byFault() {
            return byFault;
        }

        /** {@code [runs, failed]} of the runs with no fault at all. */
        public long[] clean() {
            return clean;
        }

        /** Errors the applications saw, per errno name, over all runs (most are what Linux gives for the faults). */
        public Map<String, Long> errors() {
            return errors;
        }

        /** Chunks delivered with corruption the checksums cannot see, over all runs. */
        public long checksumBlind() {
            return checksumBlind;
        }

        /** Failed runs per broken invariant (a run counts once per kind). */
        public Map<Violation.Kind, long[]> byKind() {
            return byKind;
        }
    }

    private Campaign() {
    }

    /** Runs the campaign's share {@code o}, telling {@code listener} of each run; returns the tally. */
    public static Tally run(Options o, Listener listener) {
        Tally t = new Tally();
        for (long i = o.shardIndex(); i < o.runs(); i += o.shardCount()) {
            RunResult r = TortureRun.run(Scenario.of(RunSeeds.runSeed(o.seed(), i), o.workload()));
            t.add(r);
            listener.onRun(i, r);
        }
        return t;
    }
}
