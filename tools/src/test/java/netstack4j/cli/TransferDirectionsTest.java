package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import netstack4j.tap.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code transfer}'s per-direction report (issue 9's retransmission efficiency): the JSON has
 * both directions with every count, and the counts agree with each other the way they must
 * whatever the seed. No figure of speed or efficiency is asserted here (bench/loss-efficiency.sh
 * measures those).
 */
class TransferDirectionsTest {
    private static final List<String> KEYS = List.of("bytes", "goodputBitsPerSec", "segmentsSent", "dataSegmentsSent",
            "retransmittedSegments", "dataSegmentsReceived", "dataSegmentsMissing", "framesSent", "framesDelivered",
            "framesDropped", "framesDroppedBy", "retransmittedPerDroppedFrame");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static long n(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key), key + " missing in " + m);
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void bothDirectionsAreReportedAndTheirCountsAgree() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "1M", "--rate", "100Mbit", "--delay", "10ms", "--loss", "0.03",
                "--congestion", "reno", "--seed", "7", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = Json.parseObject(r.out().strip());
        assertEquals("reno", j.get("congestion"));
        Map<String, Object> dirs = map(j.get("directions"));
        assertEquals(List.of("a->b", "b->a"), List.copyOf(dirs.keySet()));
        for (String name : dirs.keySet()) {
            Map<String, Object> d = map(dirs.get(name));
            assertEquals(KEYS, List.copyOf(d.keySet()), name);
            Map<String, Object> by = map(d.get("framesDroppedBy"));
            long causes = 0;
            for (String cause : List.of("loss", "queue", "down", "mtu", "rxCrcErrors")) {
                causes += n(by, cause);
            }
            assertEquals(n(d, "framesDropped"), causes, name + ": the causes add up to the drops");
            // A frame lost on the wire or failing the FCS was first sent; nothing is duplicated here.
            assertTrue(n(d, "framesDelivered") + n(by, "loss") + n(by, "rxCrcErrors") <= n(d, "framesSent"), name + " " + d);
            assertTrue(n(d, "dataSegmentsSent") <= n(d, "segmentsSent"), name);
            assertTrue(n(d, "retransmittedSegments") <= n(d, "segmentsSent"), name);
            // Every TCP segment the sender sent was offered to the link (ARP adds frames of its own).
            assertTrue(n(d, "segmentsSent") <= n(d, "framesSent") + n(by, "queue") + n(by, "down") + n(by, "mtu"), name);
            assertTrue(n(d, "dataSegmentsReceived") <= n(d, "dataSegmentsSent"), name + ": nothing is duplicated");
            assertEquals(n(d, "dataSegmentsSent") - n(d, "dataSegmentsReceived"), n(d, "dataSegmentsMissing"), name);
        }
        Map<String, Object> ab = map(dirs.get("a->b"));
        Map<String, Object> ba = map(dirs.get("b->a"));
        assertEquals(n(j, "bytesReceived"), n(ab, "bytes"));
        assertEquals(n(j, "goodputBitsPerSec"), n(ab, "goodputBitsPerSec"));
        assertEquals(0, n(ba, "bytes"), "the receiver sends no data");
        assertEquals(0, n(ba, "dataSegmentsSent"));
        assertEquals(n(j, "retransSegs"), n(ab, "retransmittedSegments") + n(ba, "retransmittedSegments"),
                "the sender's TcpRetransSegs is its socket's total_retrans");
        assertTrue(n(ab, "framesDropped") > 0, "3 % loss drops some of about 750 frames: " + ab);
        // The transfer completed: a data segment that never arrived must have been sent again.
        assertTrue(n(ab, "dataSegmentsMissing") == 0 || n(ab, "retransmittedSegments") > 0, ab.toString());

        Map<String, Object> end = map(j.get("end"));
        assertEquals(n(j, "bytesWritten"), n(map(end.get("sum_sent")), "bytes"));
        assertEquals(n(j, "retransSegs"), n(map(end.get("sum_sent")), "retransmits"));
        assertEquals(n(j, "bytesReceived"), n(map(end.get("sum_received")), "bytes"));
        long intervalBytes = 0;
        long intervalRetrans = 0;
        for (Object o : (List<?>) j.get("intervals")) {
            Map<String, Object> sum = map(map(o).get("sum"));
            intervalBytes += n(sum, "bytes");
            intervalRetrans += n(sum, "retransmits");
            assertEquals(1, ((List<?>) map(o).get("streams")).size());
        }
        assertEquals(n(j, "bytesWritten"), intervalBytes, "the intervals cover the run");
        assertEquals(n(j, "retransSegs"), intervalRetrans);
    }

    @Test
    void theTextReportShowsBothDirections() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "500K", "--rate", "100Mbit", "--delay", "10ms", "--loss", "0.02",
                "--seed", "3");
        assertEquals(0, r.code(), r.err());
        for (String d : List.of("a->b", "b->a")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("direction " + d) && l.contains(" retransmitted; link dropped ")),
                    d + " missing in\n" + r.out());
        }
    }

    @Test
    void anUnknownCongestionControlIsAUsageError() {
        CliTest.Result r = CliTest.run("transfer", "--congestion", "vegas");
        assertEquals(2, r.code());
        CliTest.assertOneLineError(r);
        assertTrue(r.err().contains("--congestion must be one of reno, cubic"), r.err());
    }
}
