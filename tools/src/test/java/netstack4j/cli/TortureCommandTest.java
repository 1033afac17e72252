package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netstack4j torture}: output shape, repeat lines, exit codes, argument errors. */
class TortureCommandTest {
    private static List<String> lines(String out) {
        return out.lines().toList();
    }

    /** The output without the wall-time line, which is the only thing that varies between equal runs. */
    private static String deterministic(String out) {
        return String.join("\n", lines(out).stream().filter(l -> !l.startsWith("wall time")).toList());
    }

    @Test
    void aCampaignPrintsItsSeedFailingRunsAndTheClosingLine() {
        CliTest.Result r = CliTest.run("torture", "--runs", "12", "--seed", "4");
        List<String> l = lines(r.out());
        assertEquals("torture: campaign seed 4, runs 0..11", l.get(0));
        String last = l.get(l.size() - 1);
        assertTrue(last.matches("\\d+ passed, \\d+ failed"), last);
        long failed = Long.parseLong(last.replaceAll(".* (\\d+) failed", "$1"));
        assertEquals(failed == 0 ? 0 : 1, r.code());
        List<String> fails = l.stream().filter(x -> x.startsWith("FAIL ")).toList();
        assertEquals(failed, fails.size());
        for (String f : fails) {
            assertTrue(f.matches("FAIL run \\d+ seed \\d+: .* \\| repeat: \\./netstack4j torture --run-seed \\d+"), f);
        }
        assertEquals(deterministic(r.out()), deterministic(CliTest.run("torture", "--runs", "12", "--seed", "4").out()));
    }

    @Test
    void aRunSeedRepeatsTheRunOfTheCampaign() {
        CliTest.Result all = CliTest.run("torture", "--runs", "6", "--seed", "8", "--verbose");
        String third = lines(all.out()).stream().filter(x -> x.matches("(ok  |FAIL) run 2 .*")).findFirst().orElseThrow();
        String seed = third.replaceAll(".* seed (\\d+): .*", "$1");
        CliTest.Result one = CliTest.run("torture", "--run-seed", seed, "--verbose");
        String first = lines(one.out()).get(0);
        assertEquals(third.replace("run 2 ", "").replaceAll(" \\| repeat.*", ""), first.replaceAll(" \\| repeat.*", ""));
    }

    @Test
    void verboseAndJsonPrintEveryRun() {
        CliTest.Result v = CliTest.run("torture", "--runs", "5", "--seed", "2", "--verbose");
        assertEquals(5, lines(v.out()).stream().filter(x -> x.startsWith("ok   run") || x.startsWith("FAIL run")).count());
        CliTest.Result j = CliTest.run("torture", "--runs", "5", "--seed", "2", "--verbose", "--json");
        List<String> l = lines(j.out());
        assertEquals(6, l.size(), j.out());
        assertTrue(l.stream().allMatch(x -> x.startsWith("{") && x.endsWith("}")), j.out());
        assertTrue(l.get(5).startsWith("{\"passed\":"), l.get(5));
        assertTrue(l.get(0).contains("\"repeat\":\"./netstack4j torture --run-seed "), l.get(0));
    }

    @Test
    void shardsSplitTheIndices() {
        String all = CliTest.run("torture", "--runs", "6", "--seed", "3", "--verbose").out();
        String s0 = CliTest.run("torture", "--runs", "6", "--seed", "3", "--shard", "0/2", "--verbose").out();
        String s1 = CliTest.run("torture", "--runs", "6", "--seed", "3", "--shard", "1/2", "--verbose").out();
        for (String line : lines(all)) {
            if (line.matches("(ok  |FAIL) run \\d+ .*")) {
                int i = Integer.parseInt(line.replaceAll("^\\S+\\s+run (\\d+) .*", "$1"));
                assertTrue((i % 2 == 0 ? s0 : s1).contains(line), line);
                assertFalse((i % 2 == 0 ? s1 : s0).contains(line), line);
            }
        }
    }

    @Test
    void traceWritesOneRunsEvents(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("trace.txt");
        CliTest.Result r = CliTest.run("torture", "--run-seed", "12345", "--trace", f.toString());
        assertTrue(r.out().lines().anyMatch(x -> x.matches("\\d+ passed, \\d+ failed")), r.out());
        assertTrue(Files.readAllLines(f).stream().anyMatch(x -> x.contains("PACKET_OUT")));
    }

    @Test
    void badArgumentsGiveOneLineAndExitCode2() {
        for (String[] args : new String[][] {{"torture", "--shard", "2/2"}, {"torture", "--shard", "x"}, {"torture", "--shard", "1/0"},
                {"torture", "--runs", "-1"}, {"torture", "--workload", "nope"}, {"torture", "--run-seed", "0"},
                {"torture", "--run-seed", "5", "--seed", "1"}, {"torture", "--run-seed", "5", "--runs", "3"},
                {"torture", "--trace", "/tmp/x"}, {"torture", "--runs", "many"}}) {
            CliTest.Result r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertTrue(r.err().lines().count() <= 2, r.err());
            assertEquals("", r.out(), String.join(" ", args));
        }
    }
}
