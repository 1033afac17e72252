package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.sim.SimLink;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceSink;
import org.junit.jupiter.api.Test;

/**
 * ECN end to end (RFC 3168): a bottleneck queue that marks CE above a threshold instead of
 * dropping, both hosts with ECN on, and the sender slowing down on the echoes so that nothing is
 * lost: every byte arrives, none is retransmitted, and the queue never overflows.
 */
class TcpEcnScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    private static void ecnOn(NetStack host) {
        host.tcp().setSettings(host.tcp().settings().withLoss(host.tcp().settings().loss().withEcn(1)));
    }

    @Test
    void congestionIsSignalledByMarksNotLosses() {
        // 10 Mbit/s, 5 ms each way, a 40 KB queue that marks from 15 KB on.
        LinkParams bottleneck = LinkParams.builder().bandwidthBitsPerSec(10_000_000L).delayNs(5 * MS)
                .queueLimitBytes(40_000).ecnThresholdBytes(15_000).build();
        for (long seed = 1; seed <= 5; seed++) {
            long[] marks = new long[1];
            long[] queueDrops = new long[1];
            SimLink[] link = new SimLink[1];
            var r = TcpTransfer.run(seed, bottleneck, 2_000_000, 600 * S, TraceSink.NONE, t -> {
                ecnOn(t.client());
                ecnOn(t.server());
                link[0] = t.clientLink();
            });
            marks[0] = link[0].stats(SimLink.Direction.A_TO_B).ceMarked() + link[0].stats(SimLink.Direction.B_TO_A).ceMarked();
            queueDrops[0] = link[0].stats(SimLink.Direction.A_TO_B).droppedQueue();
            assertTrue(r.completed(), "seed " + seed);
            assertEquals(r.sha256Sent(), r.sha256Received(), "seed " + seed);
            assertTrue(marks[0] > 0, "the queue marked nothing (seed " + seed + ")");
            assertEquals(0, queueDrops[0], "ECN should keep the queue below its limit (seed " + seed + ")");
            assertEquals(0, r.retransSegs(), "marks, not losses: nothing to resend (seed " + seed + ")");
        }
    }

    @Test
    void withoutEcnTheSameQueueDrops() {
        LinkParams bottleneck = LinkParams.builder().bandwidthBitsPerSec(10_000_000L).delayNs(5 * MS)
                .queueLimitBytes(40_000).ecnThresholdBytes(15_000).build();
        SimLink[] link = new SimLink[1];
        var r = TcpTransfer.run(1, bottleneck, 2_000_000, 600 * S, TraceSink.NONE, t -> link[0] = t.clientLink());
        assertTrue(r.completed());
        assertEquals(r.sha256Sent(), r.sha256Received());
        assertEquals(0, link[0].stats(SimLink.Direction.A_TO_B).ceMarked(), "not ECN-capable: never marked");
        assertTrue(link[0].stats(SimLink.Direction.A_TO_B).droppedQueue() > 0, "slow start overflows the queue");
        assertTrue(r.retransSegs() > 0);
    }
}
