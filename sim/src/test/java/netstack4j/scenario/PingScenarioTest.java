package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.PingSocket;
import netstack4j.stack.Counter;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

class PingScenarioTest {
    static final long MS = 1_000_000L;

    @Test
    void echoThroughRouterHasTtl63AndExactRtt() {
        try (Simulator sim = new Simulator(1)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 5 * MS));
            List<PingSocket.Event> events = new ArrayList<>();
            List<Long> sentAt = new ArrayList<>();
            sim.spawn(t.client(), "ping", ctx -> {
                try (PingSocket s = ctx.host().sockets().ping()) {
                    for (int seq = 1; seq <= 3; seq++) {
                        sentAt.add(ctx.nowNs());
                        s.send(Ipv4Address.parse("10.0.2.2"), seq, new byte[56]);
                        events.add(s.receive());
                        ctx.sleep(1000 * MS);
                    }
                }
            });
            sim.run();
            assertEquals(3, events.size());
            for (int i = 0; i < 3; i++) {
                PingSocket.Reply r = assertInstanceOf(PingSocket.Reply.class, events.get(i));
                assertEquals(i + 1, r.sequence());
                assertEquals(63, r.ttl());
                assertEquals(Ipv4Address.parse("10.0.2.2"), r.from());
                long rtt = r.receivedAtNs() - sentAt.get(i);
                if (i == 0) {
                    // The first echo waits for two ARP resolutions on the way out and two on the way back.
                    assertTrue(rtt >= 20 * MS, "rtt " + rtt);
                } else {
                    assertEquals(20 * MS, rtt, "4 hops of 5 ms with infinite bandwidth");
                }
            }
            assertEquals(3, t.server().counters().get(Counter.IcmpInEchos));
            assertEquals(3, t.server().counters().get(Counter.IcmpOutEchoReps));
            assertEquals(6, t.router().counters().get(Counter.IpForwDatagrams));
        }
    }

    @Test
    void unreachableHostReportsHostUnreachableFromRouter() {
        try (Simulator sim = new Simulator(2)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 1 * MS));
            List<PingSocket.Event> events = new ArrayList<>();
            sim.spawn(t.client(), "ping", ctx -> {
                try (PingSocket s = ctx.host().sockets().ping()) {
                    s.send(Ipv4Address.parse("10.0.2.99"), 1, new byte[56]);
                    events.add(s.receive());
                }
            });
            sim.run();
            PingSocket.Error e = assertInstanceOf(PingSocket.Error.class, events.get(0));
            assertEquals("Destination Host Unreachable", e.error().describe());
            assertEquals(Ipv4Address.parse("10.0.1.1"), e.error().reporter());
            assertEquals(1, e.sequence());
        }
    }

    @Test
    void ttlExpiresAtRouter() throws Exception {
        try (Simulator sim = new Simulator(3)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 1 * MS));
            List<PingSocket.Event> events = new ArrayList<>();
            sim.spawn(t.client(), "ping", ctx -> {
                try (PingSocket s = ctx.host().sockets().ping()) {
                    s.setTtl(1);
                    s.send(Ipv4Address.parse("10.0.2.2"), 7, new byte[56]);
                    events.add(s.receive());
                }
            });
            sim.run();
            PingSocket.Error e = assertInstanceOf(PingSocket.Error.class, events.get(0));
            assertEquals("Time to live exceeded", e.error().describe());
            assertEquals(1, t.router().counters().get(Counter.IcmpOutTimeExcds));
        }
    }

    @Test
    void largeEchoIsFragmentedAndReassembled() {
        try (Simulator sim = new Simulator(4)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 1 * MS));
            List<PingSocket.Event> events = new ArrayList<>();
            sim.spawn(t.client(), "ping", ctx -> {
                try (PingSocket s = ctx.host().sockets().ping()) {
                    s.send(Ipv4Address.parse("10.0.2.2"), 1, new byte[4000]);
                    events.add(s.receive());
                }
            });
            sim.run();
            PingSocket.Reply r = assertInstanceOf(PingSocket.Reply.class, events.get(0));
            assertEquals(4000, r.dataLength());
            assertEquals(3, t.client().counters().get(Counter.IpFragCreates));
            assertEquals(1, t.server().counters().get(Counter.IpReasmOKs));
            assertEquals(1, t.client().counters().get(Counter.IpReasmOKs));
        }
    }
}
