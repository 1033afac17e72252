package netstack4j.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import netstack4j.link.RecordingDevice;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;
import org.junit.jupiter.api.Test;

/** Longest-prefix match, {@code ip route replace} and route metrics as {@code ip route} prints them. */
class RoutingTableTest {
    private final NetInterface eth0 = new NetInterface(1, new RecordingDevice(netstack4j.wire.MacAddress.local(1)), Ipv4Address.parse("192.168.0.1"), 24);

    @Test
    void theLongestPrefixWinsAndReplaceKeepsOneRoutePerPrefix() {
        RoutingTable t = new RoutingTable();
        t.add(new Route(Ipv4Prefix.parse("192.168.0.0/24"), null, eth0));
        t.add(new Route(Ipv4Prefix.DEFAULT, Ipv4Address.parse("192.168.0.2"), eth0));
        int before = t.generation();
        Route host = new Route(Ipv4Prefix.parse("192.0.2.1"), Ipv4Address.parse("192.168.0.2"), eth0, 640, true, 600, 11);
        t.replace(host);
        assertNotEquals(before, t.generation(), "a change moves rt_genid on");
        assertSame(host, t.lookup(Ipv4Address.parse("192.0.2.1")));
        assertEquals(0, t.lookup(Ipv4Address.parse("192.0.2.2")).destination().length(), "others take the default");
        Route wider = new Route(Ipv4Prefix.parse("192.0.2.1"), Ipv4Address.parse("192.168.0.2"), eth0, 1500, true, 1460, 0);
        t.replace(wider);
        assertEquals(3, t.routes().size());
        assertEquals(1500, t.lookup(Ipv4Address.parse("192.0.2.1")).mtuOr(9000));
        assertEquals("192.0.2.1/32 via 192.168.0.2 dev eth0 mtu lock 640 advmss 600 initcwnd 11", host.toString());
        assertEquals(1500, new Route(Ipv4Prefix.DEFAULT, null, eth0).mtuOr(1500), "no metric: the device's MTU");
    }

    @Test
    void impossibleMetricsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Route(Ipv4Prefix.DEFAULT, null, eth0, 40, false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Route(Ipv4Prefix.DEFAULT, null, eth0, 0, false, -1, 0));
    }
}
