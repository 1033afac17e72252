package netstack4j.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A share of the torture campaign in every build: {@link #RUNS} seeded scenarios, each checked
 * against every invariant. A violation fails the test unless it is a {@link KnownIssues known
 * issue}; the message lists each failing run with the command that repeats it.
 */
class TortureCampaignTest {
    static final long SEED = 20_261_202L;
    static final long RUNS = 2000;

    @Test
    void everyInvariantHoldsInTheCampaignShare() {
        Campaign.Tally tally;
        List<String> unexpected = new ArrayList<>();
        Map<String, Integer> known = new LinkedHashMap<>();
        int[] perWorkload = new int[Workload.values().length];
        tally = Campaign.run(new Campaign.Options(SEED, RUNS, 0, 1, null), (i, r) -> {
            perWorkload[r.scenario().workload().ordinal()]++;
            for (Violation v : r.violations()) {
                KnownIssues.Issue k = KnownIssues.match(v);
                if (k == null) {
                    unexpected.add("run " + i + " " + r.scenario().describe() + ": " + v
                            + " | repeat: ./netstack4j torture --run-seed " + r.scenario().seed());
                } else {
                    known.merge(k.name(), 1, Integer::sum);
                }
            }
        });
        System.out.println("torture share: " + tally.passed() + " passed, " + tally.failed() + " failed; known issues "
                + known + "; runs per workload " + java.util.Arrays.toString(perWorkload));
        assertEquals(RUNS, tally.passed() + tally.failed());
        for (Workload w : Workload.values()) {
            assertTrue(perWorkload[w.ordinal()] >= RUNS / 10, "too few " + w.label() + " runs");
        }
        assertTrue(unexpected.isEmpty(), unexpected.size() + " violations outside the known issues:\n"
                + String.join("\n", unexpected.subList(0, Math.min(30, unexpected.size()))));
    }
}
