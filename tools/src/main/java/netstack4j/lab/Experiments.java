package netstack4j.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import netstack4j.stack.Personality;

/** Every experiment of the lab, in claim order, and the runner that turns one into an {@link Outcome}. */
public final class Experiments {
    private Experiments() {
    }

    private static final List<Experiment> ALL = collect();

    private static List<Experiment> collect() {
        List<Experiment> all = new ArrayList<>();
        all.addAll(SocketExperiments.all());
        all.addAll(MemoryExperiments.all());
        all.addAll(ConnectExperiments.all());
        all.addAll(FlowExperiments.all());
        all.addAll(DatagramExperiments.all());
        all.addAll(MulticastExperiments.all());
        all.addAll(CloseExperiments.all());
        all.addAll(LoadExperiments.all());
        all.addAll(OffloadExperiments.all());
        all.sort(Comparator.comparingInt(e -> Integer.parseInt(e.id().substring(1))));
        return List.copyOf(all);
    }

    public static List<Experiment> all() {
        return ALL;
    }

    /** The experiment with this id or name, or null. */
    public static Experiment find(String key) {
        for (Experiment e : ALL) {
            if (e.matches(key)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Runs {@code e} with {@code seed}, the primary hosts under {@code personality}. The run stays
     * open in the outcome (for the report); close it when done. A run that throws is a failed
     * verdict with the reason, never an exception.
     */
    public static Outcome run(Experiment e, long seed, Personality personality) {
        return run(e, seed, personality, false);
    }

    /** As {@link #run(Experiment, long, Personality)}; {@code absolute}: trace lines with absolute sequence numbers (tcpdump -S). */
    public static Outcome run(Experiment e, long seed, Personality personality, boolean absolute) {
        long t0 = System.nanoTime();
        Run run = new Run(seed, personality);
        run.setAbsoluteSequenceNumbers(absolute);
        Verdict v;
        try {
            v = e.body().run(run);
        } catch (Exception | AssertionError x) {
            v = Verdict.failed(x.getClass().getSimpleName() + (x.getMessage() == null ? "" : ": " + x.getMessage()));
        }
        return new Outcome(e, personality.name().toLowerCase(Locale.ROOT), seed, run.setupLines(), run.happenedLines(), v, run,
                System.nanoTime() - t0);
    }
}
