package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransferCommandTest {
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[^,}]*)").matcher(json);
        assertTrue(m.find(), name + " missing in " + json);
        return m.group(1).replace("\"", "");
    }

    @Test
    void jsonHasEveryFieldAndTheBytesMatch() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "2M", "--seed", "4", "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        for (String f : new String[] {"bytesSent", "bytesReceived", "sha256Sent", "sha256Received", "simSeconds",
                "wallSeconds", "goodputBitsPerSec", "retransSegs", "seed"}) {
            field(json, f);
        }
        assertEquals("2097152", field(json, "bytesSent"));
        assertEquals(field(json, "bytesSent"), field(json, "bytesReceived"));
        assertEquals(field(json, "sha256Sent"), field(json, "sha256Received"));
        assertEquals("4", field(json, "seed"));
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(strings = {"0.01", "0.05"})
    void lossyTransfersAreByteExactAndRetransmit(String loss) {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "300K", "--loss", loss, "--reorder", "0.01",
                "--duplicate", "0.01", "--seed", "2", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(field(r.out(), "sha256Sent"), field(r.out(), "sha256Received"));
        assertTrue(Long.parseLong(field(r.out(), "retransSegs")) > 0, r.out());
    }

    @Test
    void textOutputShowsHashesTimesAndBothSockets() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "1M", "--seed", "3", "--rate", "100Mbit", "--delay", "5ms");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"sent      1048576 bytes", "(match)", "simulated", "wall", "goodput",
                "retransmitted segments", "ss (sender, a):", "ss (receiver, b):", "skmem:", "(repeat with --seed 3)"}) {
            assertTrue(r.out().contains(s), "missing " + s + " in\n" + r.out());
        }
    }

    @Test
    void tcpCapturesDecodeCleanly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "200K", "--loss", "0.02", "--seed", "6",
                "--pcap", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String f : new String[] {"a-eth0.pcap", "b-eth0.pcap"}) {
            java.nio.file.Path file = dir.resolve(f);
            assertTrue(java.nio.file.Files.size(file) > 100_000, f);
            if (CliTest.onPath("tshark")) {
                assertEquals("", CliTest.tsharkProblems(file), f + ": malformed packets or bad checksums");
            }
        }
    }

    @Test
    void aNetworkThatLosesEverythingIsReportedNotThrown() {
        // Every ARP request is lost: connect fails with EHOSTUNREACH after 3 s, as on Linux.
        CliTest.Result r = CliTest.run("transfer", "--bytes", "10K", "--loss", "1.0", "--seed", "1");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: sender: connect: EHOSTUNREACH (No route to host)"), r.out());
        assertTrue(r.out().contains("(incomplete)"), r.out());
        assertTrue(!r.err().contains("\tat ") && !r.out().contains("\tat "), "no stack trace");
        CliTest.Result j = CliTest.run("transfer", "--bytes", "10K", "--loss", "1.0", "--seed", "1", "--json");
        assertEquals("false", field(j.out(), "completed"));
        assertTrue(field(j.out(), "error").contains("EHOSTUNREACH"), j.out());
    }

    @Test
    void personalitiesReadBufferSizesBackTheirOwnWay() {
        // N1: SO_SNDBUF 8000 reads back as 16000 on Linux (doubled) and 16760 on Windows (8000 + 1460 x 6).
        CliTest.Result linux = CliTest.run("transfer", "--bytes", "50K", "--sndbuf", "8000", "--seed", "1");
        CliTest.Result windows = CliTest.run("transfer", "--bytes", "50K", "--sndbuf", "8000", "--personality", "windows",
                "--seed", "1");
        assertEquals(0, linux.code(), linux.err());
        assertEquals(0, windows.code(), windows.err());
        assertTrue(linux.out().contains(",tb16000,"), linux.out());
        assertTrue(windows.out().contains(",tb16760,"), windows.out());
        assertEquals(2, CliTest.run("transfer", "--personality", "bsd").code());
    }

    @Test
    void sameSeedSameSimulatedRun() {
        String a = CliTest.run("transfer", "--bytes", "500K", "--loss", "0.02", "--seed", "8", "--json").out();
        String b = CliTest.run("transfer", "--bytes", "500K", "--loss", "0.02", "--seed", "8", "--json").out();
        assertEquals(field(a, "simSeconds"), field(b, "simSeconds"));
        assertEquals(field(a, "retransSegs"), field(b, "retransSegs"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        for (String[] args : new String[][] {{"transfer", "--loss", "1.5"}, {"transfer", "--bytes", "lots"},
                {"transfer", "--rate", "fast"}, {"transfer", "--mtu", "10"}}) {
            CliTest.Result r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args));
        }
    }
}
