package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.dns.DnsServer;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.stack.Counter;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/** N13: a name is resolved by a DNS query over UDP, here through a router to the server. */
class DnsScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.2.2");
    static final Ipv4Address WWW = Ipv4Address.parse("10.0.2.80");

    private static Topologies.ClientRouterServer withServer(Simulator sim) {
        var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 5 * MS));
        sim.spawn(t.server(), "named", ctx -> {
            try (DnsServer dns = new DnsServer(ctx.host(), 53, Map.of("www.example.com", WWW))) {
                dns.serve();
            }
        });
        t.client().resolver().addNameserver(SERVER);
        return t;
    }

    @Test
    void nameResolvesThroughTheRouter() {
        try (Simulator sim = new Simulator(61)) {
            var t = withServer(sim);
            List<Object> r = new ArrayList<>();
            sim.spawn(t.client(), "app", ctx -> {
                r.add(ctx.host().resolver().resolve("WWW.Example.com."));
                r.add(ctx.nowNs());
            });
            sim.run();
            assertEquals(WWW, r.get(0));
            // Query and answer each cross two 5 ms links; ARP on both links costs one round trip each way.
            assertTrue((Long) r.get(1) >= 20 * MS, "took " + r.get(1));
            assertEquals(1, t.client().counters().get(Counter.UdpOutDatagrams));
            assertEquals(1, t.client().counters().get(Counter.UdpInDatagrams));
            assertEquals(2, t.router().counters().get(Counter.IpForwDatagrams));
        }
    }

    @Test
    void nxdomainIsUnknownHost() {
        try (Simulator sim = new Simulator(62)) {
            var t = withServer(sim);
            List<Object> r = new ArrayList<>();
            sim.spawn(t.client(), "app", ctx -> {
                var e = assertThrows(UnknownHostException.class, () -> ctx.host().resolver().resolve("nope.example.com"));
                r.add(e.getMessage());
            });
            sim.run();
            assertEquals(List.of("nope.example.com: Name or service not known"), r);
            assertEquals(1, t.client().counters().get(Counter.UdpOutDatagrams), "NXDOMAIN is final, no retry");
        }
    }

    @Test
    void aNameNoQueryCanCarryIsUnknownHost() {
        try (Simulator sim = new Simulator(62)) {
            var t = withServer(sim);
            List<Object> r = new ArrayList<>();
            sim.spawn(t.client(), "app", ctx -> {
                for (String name : new String[] {"a..b", "x".repeat(64) + ".com"}) {
                    var e = assertThrows(UnknownHostException.class, () -> ctx.host().resolver().resolve(name));
                    r.add(e.getMessage().substring(name.length()));
                }
            });
            sim.run();
            assertEquals(List.of(": Name or service not known", ": Name or service not known"), r);
            assertEquals(0, t.client().counters().get(Counter.UdpOutDatagrams), "nothing is sent");
        }
    }

    @Test
    void noServerListeningFailsAfterTimeoutTimesAttempts() {
        try (Simulator sim = new Simulator(63)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, 5 * MS));
            t.client().resolver().addNameserver(SERVER);
            t.client().resolver().setTimeout(Duration.ofSeconds(2), 3);
            List<Object> r = new ArrayList<>();
            sim.spawn(t.client(), "app", ctx -> {
                long t0 = ctx.nowNs();
                var e = assertThrows(UnknownHostException.class, () -> ctx.host().resolver().resolve("www.example.com"));
                r.add(e.getMessage());
                r.add(ctx.nowNs() - t0);
            });
            sim.run();
            // Three queries, each waited out for 2 s (the port unreachable reaches an unconnected socket
            // only as a counter, as on Linux), then failure at exactly 6 s.
            assertEquals(List.of("www.example.com: Temporary failure in name resolution", 6 * S), r);
            assertEquals(3, t.client().counters().get(Counter.UdpOutDatagrams));
            assertEquals(3, t.server().counters().get(Counter.UdpNoPorts));
        }
    }

    @Test
    void hostsTableAnswersWithoutAQuery() {
        try (Simulator sim = new Simulator(64)) {
            var t = withServer(sim);
            t.client().resolver().addHost("db.internal", Ipv4Address.parse("10.9.9.9"));
            List<Object> r = new ArrayList<>();
            sim.spawn(t.client(), "app", ctx -> {
                r.add(ctx.host().resolver().resolve("DB.internal"));
                r.add(ctx.host().resolver().resolve("localhost"));
                r.add(ctx.host().resolver().resolve("10.1.2.3"));
                r.add(ctx.nowNs());
            });
            sim.run();
            assertEquals(List.of(Ipv4Address.parse("10.9.9.9"), Ipv4Address.LOOPBACK, Ipv4Address.parse("10.1.2.3"), 0L), r);
            assertEquals(0, t.client().counters().get(Counter.UdpOutDatagrams));
        }
    }
}
