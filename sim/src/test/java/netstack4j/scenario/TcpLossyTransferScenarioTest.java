package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.trace.MemoryTraceSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact bulk transfers under loss, reordering and duplication over many seeds (N18, RFC 5681,
 * RFC 6582, RFC 6298), bounded in simulated time so a hang fails the test; the 2^32 wrap; determinism.
 */
class TcpLossyTransferScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    static LinkParams lossy(double loss) {
        return LinkParams.builder().bandwidthBitsPerSec(50_000_000L).delayNs(2 * MS)
                .lossRate(loss).reorderRate(0.02).duplicateRate(0.01).build();
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.0, 0.01, 0.05, 0.20})
    void transfersAreByteExactUnderLossReorderingAndDuplication(double loss) {
        int bytes = loss >= 0.2 ? 100_000 : 300_000;
        long retrans = 0;
        for (long seed = 1; seed <= 20; seed++) {
            var r = TcpTransfer.run(seed * 7919, lossy(loss), bytes, 3_000 * S);
            assertTrue(r.completed(), "seed " + seed + " did not finish in bounded time; got " + r.bytesReceived());
            assertEquals(r.sha256Sent(), r.sha256Received(), "seed " + seed);
            retrans += r.retransSegs();
        }
        if (loss > 0) {
            assertTrue(retrans > 0, "loss must cause retransmissions");
        }
    }

    @Test
    void transferAcrossTheSequenceWrapIsByteExact() {
        int bytes = 200_000;
        var r = TcpTransfer.run(11, lossy(0.01), bytes, 600 * S, netstack4j.trace.TraceSink.NONE,
                t -> t.client().tcp().setFixedIsnForTesting(-50_000)); // 2^32 - 50000: data crosses 2^32
        assertTrue(r.completed());
        assertEquals(r.sha256Sent(), r.sha256Received());
    }

    @Test
    void sameSeedGivesTheSameTraceAndAnotherSeedDoesNot() {
        var a = TcpTransfer.run(5, lossy(0.05), 100_000, 600 * S, new MemoryTraceSink(1 << 20), t -> { });
        var b = TcpTransfer.run(5, lossy(0.05), 100_000, 600 * S, new MemoryTraceSink(1 << 20), t -> { });
        var c = TcpTransfer.run(6, lossy(0.05), 100_000, 600 * S, new MemoryTraceSink(1 << 20), t -> { });
        assertTrue(a.completed() && b.completed() && c.completed());
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.simNs(), b.simNs());
        assertNotEquals(a.traceHash(), c.traceHash());
    }
}
