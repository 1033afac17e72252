package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
        for (String f : new String[] {"bytesToWrite", "bytesWritten", "bytesReceived", "receivedIntact", "sha256Written",
                "sha256Received", "match", "completed", "ending", "simSeconds", "wallSeconds", "goodputBitsPerSec",
                "retransSegs", "rxCrcErrors", "framesDamagedPastFcs", "checksumErrors", "seed"}) {
            field(json, f);
        }
        assertEquals("2097152", field(json, "bytesWritten"));
        assertEquals(field(json, "bytesWritten"), field(json, "bytesReceived"));
        assertEquals(field(json, "sha256Written"), field(json, "sha256Received"));
        assertEquals("true", field(json, "match"));
        assertEquals("completed", field(json, "ending"));
        assertEquals("4", field(json, "seed"));
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(strings = {"0.01", "0.05"})
    void lossyTransfersAreByteExactAndRetransmit(String loss) {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "300K", "--loss", loss, "--reorder", "0.01",
                "--duplicate", "0.01", "--seed", "2", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(field(r.out(), "sha256Written"), field(r.out(), "sha256Received"));
        assertTrue(Long.parseLong(field(r.out(), "retransSegs")) > 0, r.out());
    }

    @Test
    void textOutputShowsHashesTimesAndBothSockets() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "1M", "--seed", "3", "--rate", "100Mbit", "--delay", "5ms");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"written   1048576 bytes", "(match)", "simulated", "wall", "goodput",
                "retransmitted segments", "ss -tanoim (sender, a):", "ss -tanoim (receiver, b):", "skmem:", "(repeat with --seed 3)"}) {
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
    void theSendersCaptureShowsTsoSuperSegmentsAndTheReceiversMssSizedOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // N25: the simulated ports have a veth's offloads (TSO on); a's capture is taken where
        // tcpdump taps (dev_queue_xmit_nit, before the card cuts), b's is what the wire carried.
        CliTest.Result r = CliTest.run("transfer", "--bytes", "1M", "--rate", "1G", "--seed", "3", "--pcap", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        int sender = largestFrame(dir.resolve("a-eth0.pcap"));
        int receiver = largestFrame(dir.resolve("b-eth0.pcap"));
        assertTrue(sender > 14 + 1500, "a's capture shows frames above the MTU: " + sender);
        assertEquals(14 + 1500, receiver, "b's capture shows MSS-sized segments, none larger");
    }

    /** The largest captured length of a pcap file (24-byte file header, 16-byte record headers, little-endian). */
    private static int largestFrame(java.nio.file.Path pcap) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(pcap)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int largest = 0;
        for (int at = 24; at + 16 <= b.limit(); ) {
            int captured = b.getInt(at + 8);
            largest = Math.max(largest, b.getInt(at + 12));
            at += 16 + captured;
        }
        return largest;
    }

    @Test
    void aNetworkThatLosesEverythingIsReportedNotThrown() {
        // Every ARP request is lost: connect fails with EHOSTUNREACH after 3 s, as on Linux.
        CliTest.Result r = CliTest.run("transfer", "--bytes", "10K", "--loss", "1.0", "--seed", "1");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: sender: connect: EHOSTUNREACH (No route to host)"), r.out());
        assertTrue(r.out().contains("(incomplete)"), r.out());
        assertTrue(r.out().contains("incomplete: the transfer failed; 0 of 10240 bytes written, 0 received"), r.out());
        assertTrue(!r.err().contains("\tat ") && !r.out().contains("\tat "), "no stack trace");
        CliTest.Result j = CliTest.run("transfer", "--bytes", "10K", "--loss", "1.0", "--seed", "1", "--json");
        assertEquals("false", field(j.out(), "completed"));
        assertEquals("null", field(j.out(), "match"));
        assertEquals("failed", field(j.out(), "ending"));
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
        String[] args = {"transfer", "--bytes", "500K", "--loss", "0.02", "--corrupt", "0.02", "--corrupt-payload", "0.02",
                "--seed", "8", "--json"};
        String a = CliTest.run(args).out().replaceAll("\"(wallSeconds|simGoodputBitsPerWallSecond)\":[^,]*,", "");
        String b = CliTest.run(args).out().replaceAll("\"(wallSeconds|simGoodputBitsPerWallSecond)\":[^,]*,", "");
        assertEquals(a, b, "everything but the wall-clock figures");
        assertTrue(!a.contains("\"rxCrcErrors\":{\"a\":0,\"b\":0}") && a.contains("\"match\":true"), a);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        for (String[] args : new String[][] {{"transfer", "--loss", "1.5"}, {"transfer", "--bytes", "lots"},
                {"transfer", "--rate", "fast"}, {"transfer", "--mtu", "10"}, {"transfer", "--corrupt", "-0.1"},
                {"transfer", "--corrupt-payload", "NaN"}, {"transfer", "--corrupt-payload", "1.01"},
                {"transfer", "--corrupt", "Infinity"}, {"transfer", "--delay", "2000000s"}, {"transfer", "--bytes", "-1"},
                {"transfer", "--rate", "1e-9"}, {"transfer", "--sndbuf", "3G"}, {"transfer", "--time-limit", "NaN"}}) {
            CliTest.Result r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            CliTest.assertOneLineError(r);
        }
        assertTrue(CliTest.run("transfer", "--corrupt-payload", "2").err().contains("--corrupt-payload must be between 0 and 1"));
    }

    /** A run cut short by the time limit: what was written and received, consistently; no verdict. */
    @Test
    void anIncompleteRunReportsWrittenAndReceivedAndNoMatch() {
        for (String limit : new String[] {"5ms", "20ms", "40ms"}) {
            CliTest.Result j = CliTest.run("transfer", "--bytes", "10M", "--seed", "4", "--time-limit", limit, "--json");
            assertEquals(1, j.code(), j.out());
            long written = Long.parseLong(field(j.out(), "bytesWritten"));
            long received = Long.parseLong(field(j.out(), "bytesReceived"));
            assertTrue(received <= written, limit + ": received " + received + " > written " + written);
            assertTrue(written < 10 << 20, j.out());
            assertEquals("null", field(j.out(), "match"));
            assertEquals("false", field(j.out(), "completed"));
            assertEquals("time_limit", field(j.out(), "ending"));
            assertEquals("true", field(j.out(), "receivedIntact"));
        }
        CliTest.Result t = CliTest.run("transfer", "--bytes", "10M", "--seed", "4", "--time-limit", "20ms");
        assertEquals(1, t.code());
        assertTrue(t.out().contains("(incomplete)") && !t.out().contains("MISMATCH"), t.out());
        assertTrue(t.out().matches("(?s).*incomplete: the transfer did not finish within 20ms of simulated time; \\d+ of 10485760 bytes"
                + " written, \\d+ received \\(intact: the first \\d+ bytes written\\).*"), t.out());
    }

    /** Damage past the FCS: TCP's checksum catches every damaged segment and the transfer is byte-exact. */
    @Test
    void damagePastTheFcsIsCaughtAndCounted() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "500K", "--corrupt-payload", "0.05", "--seed", "3", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("true", field(r.out(), "match"));
        Matcher m = Pattern.compile("\"b\":\\{\"TcpInCsumErrors\":(\\d+),\"TcpInErrs\":(\\d+),\"IpExtInCsumErrors\":0}")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Long.parseLong(m.group(1)) > 0, r.out());
        assertTrue(r.out().contains("\"rxCrcErrors\":{\"a\":0,\"b\":0}"), r.out());
        CliTest.Result text = CliTest.run("transfer", "--bytes", "500K", "--corrupt-payload", "0.05", "--seed", "3");
        assertTrue(text.out().contains("checksums b: TcpInCsumErrors " + m.group(1) + ", TcpInErrs " + m.group(2)), text.out());
        assertTrue(text.out().contains("corrupt-payload 0.05"), text.out());
    }

    /**
     * Damage on the wire is discarded by the FCS check, so it is plain loss: ARP is never
     * poisoned, every run connects and is byte-exact, and only rx_crc_errors counts it.
     */
    @Test
    void damageOnTheWireIsDroppedByTheFcsCheckAndTransfersComplete() {
        for (String seed : new String[] {"1", "2", "3", "4", "5"}) {
            CliTest.Result r = CliTest.run("transfer", "--bytes", "200K", "--corrupt", "0.1", "--seed", seed);
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("(match)"), r.out());
            assertTrue(r.out().matches("(?s).*link      rx_crc_errors: b \\d+, a \\d+ \\(frames damaged on the wire.*"), r.out());
            assertTrue(!r.out().contains("checksums "), "nothing damaged gets past the FCS: " + r.out());
        }
    }

    @Test
    void progressGoesToStderrAndChangesNothing() {
        String plain = CliTest.run("transfer", "--bytes", "1M", "--seed", "5", "--json").out();
        TransferCommand cmd = new TransferCommand();
        cmd.progressEveryWallNs = 0; // a line at every tick
        CliTest.Result p = CliTest.run(cmd, "--bytes", "1M", "--seed", "5", "--json", "--progress");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.err().lines().count() > 3 && p.err().lines().allMatch(l -> l.matches(
                "progress: [\\d.]+ (B|KiB|MiB) written, [\\d.]+ (B|KiB|MiB) received, [\\d.]+ s simulated, [\\d.]+ \\S*bits/sec")),
                p.err());
        assertTrue(p.out().strip().startsWith("{") && p.out().strip().lines().count() == 1, "stdout is the JSON only");
        for (String f : new String[] {"simSeconds", "sha256Received", "retransSegs", "bytesReceived"}) {
            assertEquals(field(plain, f), field(p.out(), f), f + ": the same run with or without progress");
        }
        assertEquals("", CliTest.run("transfer", "--bytes", "100K", "--seed", "5", "--json").err(), "no progress off a terminal");
    }

    @Test
    void aStopRequestPrintsTheSummarySoFar() {
        TransferCommand cmd = new TransferCommand();
        cmd.interruptions = () -> {
            Interruption i = Interruption.manual();
            i.request();
            return i;
        };
        CliTest.Result r = CliTest.run(cmd, "--bytes", "1M", "--seed", "5", "--json");
        assertEquals(130, r.code(), r.out() + r.err());
        assertEquals("interrupted", field(r.out(), "ending"));
        assertEquals("null", field(r.out(), "match"));
    }

    /** Ctrl-C for real: a JVM running a long transfer gets SIGINT and prints its summary before exiting with 130. */
    @Test
    void ctrlCPrintsTheSummarySoFar() throws Exception {
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "transfer", "--bytes", "100G", "--seed", "1", "--progress").start();
        try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line = err.readLine(); // the first progress line: the transfer is under way
            assertTrue(line != null && line.startsWith("progress: "), String.valueOf(line));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM exits");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String rest = err.lines().filter(l -> !l.startsWith("progress: ")).collect(Collectors.joining("\n"));
            assertEquals(130, p.exitValue(), out + rest);
            assertTrue(out.contains("incomplete: interrupted; "), out);
            assertTrue(out.contains("(intact: the first "), out);
            assertTrue(out.contains("(repeat with --seed 1)"), out);
            assertEquals("", rest, "no stack trace, nothing else on stderr");
        } finally {
            p.destroyForcibly();
        }
    }
}
