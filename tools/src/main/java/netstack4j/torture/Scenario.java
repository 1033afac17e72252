package netstack4j.torture;

import java.util.SplittableRandom;

/**
 * One torture run, all of it derived from its seed: the workload, the faults, and (through
 * {@link Plan#derive}) every connection's sizes, options and timing. The simulator uses the same
 * seed, so the run is the same in every JVM.
 *
 * @param seed     the run seed ({@link RunSeeds#runSeed})
 * @param workload what the applications do
 * @param faults   what the network does
 */
public record Scenario(long seed, Workload workload, FaultPlan faults) {

    /** The scenario of {@code seed}. */
    public static Scenario of(long seed) {
        return of(seed, null);
    }

    /**
     * The scenario of {@code seed} with its workload replaced by {@code workload} when that is not
     * null; the faults are the ones the seed gives either way.
     */
    public static Scenario of(long seed, Workload workload) {
        SplittableRandom r = new SplittableRandom(seed);
        Workload drawn = Workload.values()[r.nextInt(Workload.values().length)];
        Workload w = workload != null ? workload : drawn;
        return new Scenario(seed, w, FaultPlan.derive(r, w));
    }

    /** One line: the workload and its faults. */
    public String describe() {
        return workload.label() + " [" + faults.describe() + "]";
    }
}
