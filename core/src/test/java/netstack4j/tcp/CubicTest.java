package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CUBIC's window function and constants as Linux's tcp_cubic.c has them (RFC 9438). */
class CubicTest {
    static final int MSS = 1000;
    static final long MS = 1_000_000L;

    /** A CUBIC sender that just lost at {@code packets} packets (fast recovery, then a full ACK). */
    private static Cubic afterLossAt(int packets, long nowNs) {
        Cubic c = new Cubic(MSS, packets);
        for (int i = 0; i < 3; i++) {
            c.onDupAck(nowNs, 1, packets * MSS, packets * MSS);
        }
        c.onAck(nowNs, packets * MSS + 1, packets * MSS, 0, false); // leaves recovery
        return c;
    }

    @Test
    void cubeRootIsExactFloor() {
        assertEquals(0, Cubic.cubicRoot(0));
        assertEquals(4, Cubic.cubicRoot(64));
        assertEquals(3, Cubic.cubicRoot(63));
        assertEquals(2_097_151, Cubic.cubicRoot(9_223_358_842_721_533_951L)); // (2^21 - 1)^3
    }

    @Test
    void lossSetsSsthreshToBetaOfTheWindow() {
        Cubic c = afterLossAt(100, 0);
        assertEquals(70 * MSS, c.ssthreshBytes()); // max(100 * 717 / 1024, 2) packets
    }

    @Test
    void windowGrowsConcaveToWmaxNearKThenConvex() {
        // RFC 9438 section 4.2: K = cbrt(Wmax (1 - beta) / C) = cbrt(100 * 0.3 / 0.4) = 4.22 s.
        Cubic c = afterLossAt(100, 0);
        int cwnd = c.cwndBytes() / MSS;
        long now = 0;
        int[] at = new int[9];
        for (int step = 1; step <= 8000; step++) {
            now = step * MS;
            // an ACK of one segment every millisecond, always cwnd-limited
            c.onAck(now, 1, MSS, c.cwndBytes(), true);
            if (step % 1000 == 0) {
                at[step / 1000] = c.cwndBytes() / MSS;
            }
        }
        assertTrue(cwnd < at[1] && at[1] < at[2] && at[2] < at[4], java.util.Arrays.toString(at));
        assertTrue(at[1] - cwnd > at[3] - at[2], "concave below Wmax: " + java.util.Arrays.toString(at));
        assertTrue(Math.abs(at[4] - 100) <= 3, "near Wmax at about K: " + java.util.Arrays.toString(at));
        assertTrue(at[8] - at[7] > at[6] - at[5], "convex beyond K: " + java.util.Arrays.toString(at));
        assertTrue(at[8] > 110, java.util.Arrays.toString(at));
    }

    @Test
    void tcpCongestionChoosesPerSocketAndRefusesUnknownNames() throws Exception {
        TcpTestPeer p = TcpTestPeer.established();
        var s = p.socket;
        assertEquals("cubic", s.getOption(netstack4j.socket.NetSocketOptions.TCP_CONGESTION));
        s.setOption(netstack4j.socket.NetSocketOptions.TCP_CONGESTION, "reno");
        assertEquals("reno", s.getOption(netstack4j.socket.NetSocketOptions.TCP_CONGESTION));
        assertEquals("reno", s.info().congestionControl());
        var e = org.junit.jupiter.api.Assertions.assertThrows(netstack4j.socket.ErrnoException.class,
                () -> s.setOption(netstack4j.socket.NetSocketOptions.TCP_CONGESTION, "bbr"));
        assertEquals(netstack4j.socket.Errno.ENOENT, e.errno()); // as Linux's tcp_set_congestion_control
    }

    @Test
    void registryKnowsRenoAndCubic() {
        assertEquals("cubic", CongestionControls.create("cubic", MSS, 10).name());
        assertEquals("reno", CongestionControls.create("reno", MSS, 10).name());
        assertNull(CongestionControls.create("bbr", MSS, 10));
        assertEquals("cubic", TcpSettings.linux().congestionControl());
    }
}
