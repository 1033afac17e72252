package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;
import netstack4j.trace.MemoryTraceSink;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/** The same seed gives the same run, byte for byte; another seed gives another run. */
class DeterminismScenarioTest {
    static final long MS = 1_000_000L;

    record Run(String traceHash, long events, List<String> counters) {
    }

    private static Run run(long seed) {
        try (Simulator sim = new Simulator(seed)) {
            MemoryTraceSink trace = new MemoryTraceSink(0);
            sim.setTrace(trace); // before the hosts exist: they take the sink when created
            LinkParams faulty = LinkParams.of(10_000_000, 2 * MS).withLoss(0.1).withJitter(3 * MS)
                    .withReorder(0.2).withDuplicate(0.05);
            var t = Topologies.clientRouterServer(sim, faulty);
            List<byte[]> got = Ipv4ScenarioTest.udpSink(sim, t.server(), 9);
            sim.spawn(t.client(), "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    for (int i = 0; i < 60; i++) {
                        // Sizes from 10 to 3000 bytes: some are fragmented.
                        s.sendTo(FakeHost.pattern(10 + i * 50, i), new Ipv4SocketAddress(Ipv4Address.parse("10.0.2.2"), 9));
                        ctx.sleep(5 * MS);
                    }
                }
            });
            sim.runFor(60_000 * MS);
            assertTrue(got.size() > 20 && got.size() < 60, "some lost, some delivered: " + got.size());
            List<String> counters = List.of(t.client(), t.router(), t.server()).stream()
                    .map(NetStack::counters).map(c -> c.snapshot().formatNetstat()).toList();
            return new Run(trace.hash(), trace.count(), counters);
        }
    }

    @Test
    void sameSeedSameTraceAndCounters() {
        Run first = run(7);
        Run second = run(7);
        assertTrue(first.events() > 100);
        assertEquals(first, second);
    }

    @Test
    void differentSeedDifferentRun() {
        assertNotEquals(run(7).traceHash(), run(8).traceHash());
    }
}
