package netstack4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import netstack4j.ip.Route;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import org.junit.jupiter.api.Test;

class TopologiesTest {

    @Test
    void twoHostsOnASwitch() {
        try (Simulator sim = new Simulator(1)) {
            Topologies.TwoHosts t = Topologies.twoHostsOnSwitch(sim, LinkParams.DEFAULT);
            assertEquals(Ipv4Address.of(10, 0, 0, 1), t.a().interfaceByName("eth0").address());
            assertEquals(Ipv4Address.of(10, 0, 0, 2), t.b().interfaceByName("eth0").address());
            assertEquals("eth0", t.a().interfaceByName("eth0").name());
            assertSame(t.linkA().a(), t.a().interfaceByName("eth0").device());
            assertEquals(2, t.sw().ports().size());
        }
    }

    @Test
    void clientRouterServerIsAddressedAndRouted() {
        try (Simulator sim = new Simulator(1)) {
            Topologies.ClientRouterServer t = Topologies.clientRouterServer(sim, LinkParams.DEFAULT);
            assertTrue(t.router().config().ipForward());
            assertFalse(t.client().config().ipForward());
            assertEquals(Ipv4Address.of(10, 0, 1, 1), t.router().interfaceByName("eth0").address());
            assertEquals(Ipv4Address.of(10, 0, 2, 1), t.router().interfaceByName("eth1").address());
            Route viaRouter = t.client().routes().lookup(Ipv4Address.of(10, 0, 2, 2));
            assertEquals(Ipv4Address.of(10, 0, 1, 1), viaRouter.gateway());
            Route back = t.server().routes().lookup(Ipv4Address.of(10, 0, 1, 2));
            assertEquals(Ipv4Address.of(10, 0, 2, 1), back.gateway());
            assertSame(t.clientLink().b(), t.router().interfaceByName("eth0").device());
        }
    }

    @Test
    void lanOfNHostsHasDistinctAddressesAndMacs() {
        try (Simulator sim = new Simulator(1)) {
            Topologies.Lan lan = Topologies.lan(sim, 5, LinkParams.DEFAULT);
            Set<MacAddress> macs = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                NetStack h = lan.hosts().get(i);
                assertEquals("h" + (i + 1), h.name());
                assertEquals(Ipv4Address.of(10, 0, 0, i + 1), h.interfaceByName("eth0").address());
                macs.add(h.interfaceByName("eth0").macAddress());
            }
            assertEquals(5, macs.size());
            assertEquals(5, lan.sw().ports().size());
            assertNotEquals(lan.hosts().get(0).random().nextLong(), lan.hosts().get(1).random().nextLong());
        }
    }
}
