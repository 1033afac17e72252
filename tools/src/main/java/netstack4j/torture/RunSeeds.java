package netstack4j.torture;

/**
 * Run seeds: run {@code i} of the campaign with seed {@code S} gets {@link #runSeed(long, long)},
 * a SplitMix64 mix of both, so each run can be repeated alone from its own seed and shards of a
 * campaign never depend on one another.
 */
public final class RunSeeds {
    private RunSeeds() {
    }

    /** The seed of run {@code index} of campaign {@code campaignSeed}: non-negative, never 0. */
    public static long runSeed(long campaignSeed, long index) {
        long s = mix(mix(campaignSeed) + 0x9E3779B97F4A7C15L * (index + 1)) & Long.MAX_VALUE;
        return s == 0 ? 1 : s;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
