package netstack4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import netstack4j.stack.Personality;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every experiment of the lab is run and must give the verdict listed here: a change in the
 * stack that breaks a claim (or makes a difference from the notes disappear) breaks the build.
 * When a verdict changes for a good reason, change it here and in the lab's note.
 */
class LabVerdictsTest {
    static final List<String> DIFFERS_ON_LINUX = List.of("N22", "N30", "N36", "N37", "N41");
    static final List<String> WAITING = List.of();

    static Verdict.Kind expected(String id) {
        return DIFFERS_ON_LINUX.contains(id) ? Verdict.Kind.DIFFERS : WAITING.contains(id) ? Verdict.Kind.WAITING : Verdict.Kind.CONFIRMED;
    }

    @Test
    void everyClaimOfTheNotesHasAnExperimentInOrder() {
        List<String> ids = Experiments.all().stream().map(Experiment::id).toList();
        List<String> want = new ArrayList<>();
        for (int i = 1; i <= 46; i++) {
            want.add("N" + i);
        }
        assertEquals(want, ids);
        assertEquals(46, Experiments.all().stream().map(Experiment::name).distinct().count(), "names are unique");
    }

    @TestFactory
    Stream<DynamicTest> eachExperimentGivesItsVerdictOnLinux() {
        return Experiments.all().stream().map(e -> DynamicTest.dynamicTest(e.id() + " " + e.name(), () -> {
            Outcome o = Experiments.run(e, 1, Personality.LINUX);
            try {
                assertEquals(expected(e.id()), o.verdict().kind(), o.text());
                assertFalse(o.setup().isEmpty(), "the setup is told");
                assertFalse(o.happened().isEmpty(), "what happened is told");
                if (o.verdict().kind() == Verdict.Kind.DIFFERS) {
                    assertTrue(o.verdictLine().startsWith("differs on Linux: "), o.verdictLine());
                    assertTrue(o.verdict().reason().matches(".*(tcp_|udp_|RFC|sk_|inet_|TCP_).*"),
                            "a difference names the Linux function or RFC: " + o.verdict().reason());
                }
                if (o.verdict().kind() == Verdict.Kind.CONFIRMED && !e.personality().isEmpty()) {
                    assertTrue(o.run().benches().stream().anyMatch(b -> b.personality() == Personality.WINDOWS),
                            "a Windows claim runs Windows hosts");
                }
            } finally {
                o.run().close();
            }
        }));
    }

    @Test
    void underTheWindowsPersonalityNothingFailsAndOnlyTheUnmodelledDelayedAckAndResetDiffer() {
        Map<String, Verdict.Kind> got = new TreeMap<>();
        for (Experiment e : Experiments.all()) {
            Outcome o = Experiments.run(e, 1, Personality.WINDOWS);
            o.run().close();
            assertNotEquals(Verdict.Kind.FAILED, o.verdict().kind(), o.text());
            if (o.verdict().kind() == Verdict.Kind.DIFFERS && e.personality().isEmpty()) {
                got.put(e.id(), o.verdict().kind());
                assertTrue(o.verdictLine().startsWith("differs on Windows: "), o.verdictLine());
            }
        }
        assertEquals(List.of("N22", "N41"), List.copyOf(got.keySet()));
    }

    @Test
    void aVerdictIsComputedFromTheRunNotWrittenDown() {
        // The same experiment with its loss removed: N26 without a lost segment resends nothing,
        // so its verdict must change (the check looks at what was resent).
        Experiment sack = Experiments.find("N26");
        Experiment noLoss = new Experiment("N26", "sack-no-loss", sack.claim(), "", run -> {
            Bench bench = run.bench();
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
            Apps.client(bench, 80, (ctx, s) -> {
                Apps.write(s, 5 * 1448);
                s.close();
            });
            bench.runFor(Bench.S);
            List<Segment> data = bench.dataSentBy(bench.a());
            return Verdict.of(data.size() == 6, "resent nothing");
        });
        Outcome o = Experiments.run(noLoss, 1, Personality.LINUX);
        o.run().close();
        assertEquals(Verdict.Kind.DIFFERS, o.verdict().kind());
    }
}
