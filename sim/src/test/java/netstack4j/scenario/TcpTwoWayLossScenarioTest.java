package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.trace.TraceSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Echo traffic both ways under loss each way: after an RTO on both sides neither may send pure
 * ACKs with a rewound sequence number the peer drops unread (Linux tcp_acceptable_seq), and
 * answers to out-of-window segments are rate-limited (tcp_oow_rate_limited), so the two never
 * settle into an ACK ping-pong.
 */
class TcpTwoWayLossScenarioTest {
    static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.01, 0.05, 0.10})
    void echoOf200KbCompletesUnderLossBothWays(double loss) {
        int seeds = Integer.getInteger("netstack4j.echoSeeds", 1000);
        List<String> failed = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            var r = TcpEcho.run(seed, LinkParams.of(100_000_000L, 2_000_000L).withLoss(loss), 200_000, 32768,
                    600 * S, TraceSink.NONE);
            assertTrue(r.intact(), "seed " + seed + ": echoed bytes differ from those sent");
            assertEquals(0, r.buffersInUse(), "seed " + seed + ": frame buffers never given back");
            assertEquals(0, r.memoryBytes(), "seed " + seed + ": socket memory still charged");
            if (!r.completed()) {
                failed.add("seed " + seed + " (" + r.echoed() + " bytes, " + r.simNs() / S + " s, " + r.failure() + ")");
            }
        }
        assertTrue(failed.isEmpty(), failed.size() + " of " + seeds + " seeds failed: " + failed);
    }
}
