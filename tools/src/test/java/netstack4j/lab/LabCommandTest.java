package netstack4j.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import netstack4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        var cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    @Test
    void withoutArgumentsItListsEveryExperiment() {
        Result r = run("lab");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("id   name                 needs    claim", lines.getFirst().stripTrailing());
        assertEquals(46 + 2, lines.size(), r.out());
        assertTrue(r.out().contains("N26  sack-resends-one     -        with SACK"), r.out());
        assertTrue(r.out().contains("N1   buffer-hints         windows  SO_SNDBUF"), r.out());
    }

    @Test
    void anExperimentByIdOrNamePrintsClaimSetupWhatHappensAndVerdict() {
        Result byId = run("lab", "N26");
        Result byName = run("lab", "sack-resends-one");
        assertEquals(0, byId.code(), byId.err());
        assertEquals(byId.out(), byName.out());
        String out = byId.out();
        assertTrue(out.startsWith("== N26 sack-resends-one\nClaim: with SACK"), out);
        assertTrue(out.contains("\nSetup: a writes 5 segments"), out);
        assertTrue(out.contains("with SACK:    segments sent [1, 2, 3, 4, 5, 4], resent [4]"), out);
        assertTrue(out.contains("\nVerdict: confirmed\n"), out);
        // tcpdump's relative sequence numbers: seq, ack and SACK blocks count from each side's ISN.
        assertTrue(out.contains("Flags [.], seq 4345:5793, ack 1, win 512") && out.contains("(lost)"), out);
        assertTrue(out.contains("Flags [.], ack 4345, win 512, options [nop,nop,TS val ") && out.contains("sack 1 {5793:7241}]"), out);
        assertTrue(out.endsWith("1 experiment: 1 confirmed, 0 differ, 0 waiting on a feature, 0 failed\n"), out);
        assertTrue(byId.err().startsWith("lab: wall time "), byId.err());
    }

    @Test
    void dashCapitalSShowsAbsoluteSequenceNumbersAsTcpdumpDoes() {
        String relative = run("lab", "N15").out();
        String absolute = run("lab", "N15", "-S").out();
        assertTrue(relative.contains("Flags [.], ack 1, win 512"), relative);
        assertFalse(absolute.contains("Flags [.], ack 1, win 512"), absolute);
        assertTrue(absolute.matches("(?s).*Flags \\[\\.\\], ack \\d{5,}, win 512.*"), absolute);
    }

    @Test
    void sameSeedSameTextAndSameReport() throws IOException {
        Result one = run("lab", "N7", "N20", "N36", "--seed", "3", "--html", dir.resolve("one").toString());
        Result two = run("lab", "N7", "N20", "N36", "--seed", "3", "--html", dir.resolve("two").toString());
        assertEquals(0, one.code(), one.err());
        assertEquals(withoutReportLine(one.out()), withoutReportLine(two.out()));
        assertTrue(one.out().endsWith("Report: " + dir.resolve("one").resolve("index.html") + "\n"), one.out());
        List<String> files;
        try (Stream<Path> s = Files.list(dir.resolve("one"))) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(files.containsAll(List.of("index.html", "N7.html", "N7-run1.pcap", "N20.html", "N36.html", "N36-run5.pcap")), files.toString());
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(f)), Files.readAllBytes(dir.resolve("two").resolve(f)), f);
        }
        String page = Files.readString(dir.resolve("one").resolve("N20.html"));
        assertTrue(page.contains("Ladder diagram, run 1"), "ladder");
        assertTrue(page.contains("Time-sequence graph, run 1"), "time-sequence graph");
        assertTrue(page.contains("<h2>queues (bytes)</h2>") && page.contains("SendQ (a)") && page.contains("Delivered (b)"), "queue plot");
        assertTrue(page.contains("<h2>window (segments)</h2>"), "cwnd plot");
    }

    @Test
    void theMulticastPageHasItsLadderAndCapture() throws IOException {
        Result r = run("lab", "N32", "--seed", "1", "--html", dir.toString());
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(dir.resolve("N32.html"));
        assertTrue(page.contains("<h2>Ladder diagram (both LANs"), "ladder");
        int svg = page.indexOf("<svg ");
        String ladder = page.substring(svg, page.indexOf("</svg>", svg));
        for (String lane : List.of(">h1<", ">h2<", ">h3<", ">h4<", ">router<", ">o1<")) {
            assertTrue(ladder.contains(lane), lane);
        }
        // The reports and both datagrams are drawn; the group frames reaching h4 and h1 are filtered (grey, dashed).
        assertTrue(ladder.contains("igmp v2 report 239.1.2.3") && ladder.contains("239.1.2.3.5000: UDP, length 5")
                && ladder.contains("239.1.2.3.5000: UDP, length 6"), ladder);
        assertTrue(ladder.contains("stroke=\"#999\""), "filtered arrivals");
        assertTrue(page.contains("<a href=\"N32-run1.pcap\">N32-run1.pcap</a>"), "capture link");
        byte[] pcap = Files.readAllBytes(dir.resolve("N32-run1.pcap"));
        assertTrue(pcap.length > 24 + 5 * (16 + 42), "a capture of the reports and the datagrams: " + pcap.length + " bytes");
    }

    private static String withoutReportLine(String out) {
        return out.substring(0, out.lastIndexOf("Report: "));
    }

    @Test
    void badArgumentsAreOneLineErrorsWithCodeTwo() {
        for (String[] args : List.of(new String[] {"lab", "N99"}, new String[] {"lab", "--personality", "mac", "N1"}, new String[] {"lab", "--seed", "x", "N1"})) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertFalse(r.err().contains("\tat "), r.err());
            assertTrue(r.err().lines().count() <= 2, r.err());
            assertTrue(r.out().isEmpty(), r.out());
        }
        assertTrue(run("lab", "N99").err().startsWith("lab: no experiment 'N99'"));
    }

    @Test
    void aReportDirectoryThatIsAFileIsOneLineFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Result r = run("lab", "N28", "--html", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot write the report into"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
