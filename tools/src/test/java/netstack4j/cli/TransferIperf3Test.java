package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** transfer's iperf3-shaped interval and summary lines. */
class TransferIperf3Test {
    @Test
    void unitsAreIperf3s() {
        assertEquals("20.0 MBytes", Iperf3Text.bytes(20 * 1024 * 1024));
        assertEquals(" 127 KBytes", Iperf3Text.bytes(130_320));
        assertEquals("5.72 MBytes", Iperf3Text.bytes(6_000_000));
        assertEquals(" 249 Mbits/sec", Iperf3Text.bits(249.05e6));
        assertEquals("95.9 Mbits/sec", Iperf3Text.bits(95.9e6));
        assertEquals("0.00 bits/sec", Iperf3Text.bits(0));
    }

    @Test
    void intervalLinesThenSenderAndReceiverRows() {
        CliTest.Result r = CliTest.run("transfer", "--bytes", "20M", "--rate", "100Mbit", "-i", "0.5", "--seed", "1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int h = lines.indexOf("[ ID] Interval           Transfer     Bitrate         Retr  Cwnd");
        assertTrue(h > 0, r.out());
        // Simulated and seeded: the numbers are exact. Both buffers autotune (tcp_sndbuf_expand,
        // tcp_rcv_space_adjust), so the window is not what limits the flow; the sender counts what
        // the application wrote, which the growing send buffer lets run ahead of the wire at first.
        assertEquals("[  5]   0.00-0.50   sec  7.10 MBytes   119 Mbits/sec    0    311 KBytes", lines.get(h + 1));
        for (int i = 1; i <= 4; i++) {
            assertTrue(lines.get(h + i).matches("\\[  5\\] +\\d+\\.\\d\\d-\\d+\\.\\d\\d +sec  .{4} [KM]Bytes  .{4} Mbits/sec +\\d+ +.{4} [KM]Bytes"), lines.get(h + i));
        }
        assertEquals(Iperf3Text.SEPARATOR, lines.get(h + 5));
        assertEquals("[ ID] Interval           Transfer     Bitrate         Retr", lines.get(h + 6));
        assertTrue(lines.get(h + 7).matches("\\[  5\\]   0\\.00-1\\.76   sec  20\\.0 MBytes  95\\.\\d Mbits/sec    0             sender"), lines.get(h + 7));
        assertTrue(lines.get(h + 8).matches("\\[  5\\]   0\\.00-1\\.76   sec  20\\.0 MBytes  95\\.\\d Mbits/sec                  receiver"), lines.get(h + 8));
    }
}
