package netstack4j.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Seeds, shards and determinism of a campaign. */
class CampaignTest {
    @Test
    void runSeedsArePositiveDistinctAndDependOnlyOnSeedAndIndex() {
        Set<Long> seen = new HashSet<>();
        for (long i = 0; i < 10_000; i++) {
            long s = RunSeeds.runSeed(5, i);
            assertTrue(s > 0);
            assertTrue(seen.add(s), "duplicate run seed at " + i);
            assertEquals(s, RunSeeds.runSeed(5, i));
        }
        assertNotEquals(RunSeeds.runSeed(5, 0), RunSeeds.runSeed(6, 0));
    }

    @Test
    void shardsTogetherAreTheWholeCampaignRunForRun() {
        TreeMap<Long, String> whole = new TreeMap<>();
        Campaign.run(new Campaign.Options(9, 12, 0, 1, null), (i, r) -> whole.put(i, fingerprint(r)));
        TreeMap<Long, String> sharded = new TreeMap<>();
        for (int shard = 0; shard < 3; shard++) {
            int sh = shard;
            Campaign.run(new Campaign.Options(9, 12, shard, 3, null), (i, r) -> {
                assertEquals(sh, i % 3);
                sharded.put(i, fingerprint(r));
            });
        }
        assertEquals(whole, sharded);
        assertEquals(12, whole.size());
    }

    @Test
    void aRunSeedGivesTheSameScenarioAndResultEveryTime() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        Campaign.run(new Campaign.Options(77, 8, 0, 1, null), (i, r) -> a.add(fingerprint(r)));
        Campaign.run(new Campaign.Options(77, 8, 0, 1, null), (i, r) -> b.add(fingerprint(r)));
        assertEquals(a, b);
        long seed = RunSeeds.runSeed(77, 3);
        assertEquals(a.get(3), fingerprint(TortureRun.run(Scenario.of(seed))));
    }

    @Test
    void everyWorkloadAndFaultIsDrawn() {
        Set<Workload> w = new HashSet<>();
        Set<Fault> f = new HashSet<>();
        for (long i = 0; i < 500; i++) {
            Scenario s = Scenario.of(RunSeeds.runSeed(1, i));
            w.add(s.workload());
            f.addAll(s.faults().kinds());
            assertTrue(s.faults().forward().lossRate() <= FaultPlan.MAX_LOSS);
        }
        assertEquals(Set.of(Workload.values()), w);
        assertEquals(Set.of(Fault.values()), f);
    }

    @Test
    void aWorkloadOverrideKeepsTheSeedsFaults() {
        long seed = RunSeeds.runSeed(3, 0);
        Scenario drawn = Scenario.of(seed);
        Scenario forced = Scenario.of(seed, Workload.CHURN);
        assertEquals(Workload.CHURN, forced.workload());
        assertEquals(drawn.faults().kinds(), forced.faults().kinds());
        assertEquals(drawn.faults().forward(), forced.faults().forward());
    }

    private static String fingerprint(RunResult r) {
        return r.scenario() + " " + r.violations() + " " + r.simNs() + " " + r.events() + " " + r.bytes() + " " + r.completed();
    }
}
