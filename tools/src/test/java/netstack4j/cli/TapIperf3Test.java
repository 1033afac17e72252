package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import netstack4j.tap.Iperf3Service;
import netstack4j.tap.Json;
import netstack4j.tap.Netns;
import netstack4j.tap.TapHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's unmodified {@code iperf3 -c} against the stack's iperf3 server, both directions,
 * one and several streams. Counts come from iperf3's own JSON report: what the sender wrote and
 * what the receiver read, which for a byte-limited run ({@code -n}) must both be the limit.
 */
class TapIperf3Test {
    private static final long MIB = 1 << 20;

    private static Map<String, Object> iperf3(TapHost h, String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "iperf3";
        cmd[1] = "-c";
        cmd[2] = h.stackAddress().toString();
        cmd[3] = "-J";
        System.arraycopy(args, 0, cmd, 4, args.length);
        Netns.Result r = h.netns().exec(120, cmd);
        assertTrue(!r.timedOut(), "iperf3 " + String.join(" ", args) + " timed out: " + r.output());
        Map<String, Object> report = Json.parseObject(r.output());
        assertNull(report.get("error"), "iperf3 " + String.join(" ", args) + ": " + report.get("error"));
        assertEquals(0, r.exitCode(), r.output());
        return report;
    }

    @SuppressWarnings("unchecked")
    private static long bytes(Map<String, Object> report, String sum) {
        Map<String, Object> end = (Map<String, Object>) report.get("end");
        return Json.getLong((Map<String, Object>) end.get(sum), "bytes", -1);
    }

    @Test
    void kernelIperf3SendsToTheStackExactByteCounts(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("iperf3");
        try (TapHost h = TapFixture.start(dir); var server = new Iperf3Service(h.stack(), 5201, line -> { }).start()) {
            Map<String, Object> one = iperf3(h, "-n", "8M");
            // iperf3 -n stops after the write that reaches n; one 128 KiB block more may be under way.
            long sent = bytes(one, "sum_sent");
            assertTrue(sent >= 8 * MIB && sent <= 8 * MIB + 128 * 1024, "iperf3 sent " + sent);
            assertEquals(sent, bytes(one, "sum_received"), "the stack's server read every byte");
            Map<String, Object> three = iperf3(h, "-n", "6M", "-P", "3");
            assertTrue(bytes(three, "sum_sent") >= 6 * MIB);
            assertEquals(bytes(three, "sum_sent"), bytes(three, "sum_received"));
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void theStackSendsToKernelIperf3InReverseMode(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("iperf3");
        try (TapHost h = TapFixture.start(dir); var server = new Iperf3Service(h.stack(), 5201, line -> { }).start()) {
            Map<String, Object> limited = iperf3(h, "-R", "-n", "8M");
            assertEquals(8 * MIB, bytes(limited, "sum_sent"), "the stack sent exactly -n");
            assertEquals(8 * MIB, bytes(limited, "sum_received"), "the kernel read all of it");
            Map<String, Object> parallel = iperf3(h, "-R", "-n", "6M", "-P", "2");
            assertEquals(6 * MIB, bytes(parallel, "sum_sent"));
            assertEquals(6 * MIB, bytes(parallel, "sum_received"));
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void withOffloadsTheKernelSendsSuperSegmentsThatTheDeviceCuts(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("iperf3");
        try (TapHost h = TapHost.start(TapFixture.settings().withOffloads(true).withPcap(dir.resolve("tap.pcap")));
             var server = new Iperf3Service(h.stack(), 5201, line -> { }).start()) {
            Map<String, Object> forward = iperf3(h, "-n", "16M");
            long sent = bytes(forward, "sum_sent"); // -n may be passed by one 128 KiB block, as above
            assertTrue(sent >= 16 * MIB && sent <= 16 * MIB + 128 * 1024, "iperf3 sent " + sent);
            assertEquals(sent, bytes(forward, "sum_received"));
            assertTrue(h.device().rxSuperSegments() > 0, "the kernel used TSO towards the device");
            Map<String, Object> reverse = iperf3(h, "-R", "-n", "8M");
            assertEquals(8 * MIB, bytes(reverse, "sum_received"));
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void timedRunsBothWaysWithoutCapture() throws Exception {
        TapFixture.assumeTapAvailable("iperf3");
        try (TapHost h = TapHost.start(TapFixture.settings()); var server = new Iperf3Service(h.stack(), 5201, line -> { }).start()) {
            Map<String, Object> forward = iperf3(h, "-t", "1");
            assertTrue(bytes(forward, "sum_received") > 0);
            assertEquals(bytes(forward, "sum_sent"), bytes(forward, "sum_received"));
            Map<String, Object> reverse = iperf3(h, "-t", "1", "-R");
            long sent = bytes(reverse, "sum_sent");
            long received = bytes(reverse, "sum_received");
            // The client counts what it read until it sent TEST_END; the stack's count also has
            // what was in flight then (at most its send buffer and the kernel's receive buffer).
            assertTrue(received > 0 && received <= sent, sent + " sent, " + received + " received");
            assertTrue(sent - received <= Math.max(64 * MIB, sent / 4), sent + " sent, " + received + " received");
        }
    }
}
