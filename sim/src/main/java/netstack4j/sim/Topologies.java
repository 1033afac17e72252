package netstack4j.sim;

import java.util.ArrayList;
import java.util.List;
import netstack4j.link.NetworkDevice;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * Common network shapes, addressed and routed, on a {@link Simulator}. Every cable gets the
 * given {@link LinkParams} in both directions; change individual links afterwards through the
 * returned records.
 */
public final class Topologies {
    private Topologies() {
    }

    /**
     * Wraps each host port before it is attached (for example in a
     * {@link netstack4j.link.CaptureDevice}); {@link #NONE} attaches ports as they are.
     */
    @FunctionalInterface
    public interface DeviceDecorator {
        DeviceDecorator NONE = (host, port) -> port;

        NetworkDevice decorate(NetStack host, NetworkDevice port);
    }

    /** Hosts {@code a} (10.0.0.1/24) and {@code b} (10.0.0.2/24) on one cable, no switch. */
    public record HostPair(NetStack a, NetStack b, SimLink link) {
    }

    /** Hosts {@code a} (10.0.0.1/24) and {@code b} (10.0.0.2/24) on switch {@code sw}. */
    public record TwoHosts(NetStack a, NetStack b, SimSwitch sw, SimLink linkA, SimLink linkB) {
    }

    /**
     * {@code client} 10.0.1.2/24 — {@code router} 10.0.1.1/24 and 10.0.2.1/24 — {@code server}
     * 10.0.2.2/24, on two point-to-point links; client and server route everything via the
     * router.
     */
    public record ClientRouterServer(NetStack client, NetStack router, NetStack server,
                                     SimLink clientLink, SimLink serverLink) {
    }

    /** {@code hosts} h1… at 10.0.0.1… on 10.0.0.0/24, all on switch {@code sw}; link i serves host i. */
    public record Lan(List<NetStack> hosts, SimSwitch sw, List<SimLink> links) {
        public Lan {
            hosts = List.copyOf(hosts);
            links = List.copyOf(links);
        }
    }

    /**
     * Two LANs joined by a router: {@code inside} h1… at 10.0.1.1… on switch {@code insideSwitch},
     * {@code outside} o1… at 10.0.2.1… on {@code outsideSwitch}, {@code router} at 10.0.1.254 and
     * 10.0.2.254, every host's default gateway. The router forwards unicast only: multicast stays
     * on the LAN it was sent on (RFC 1112; no multicast routing).
     */
    public record RoutedLans(List<NetStack> inside, NetStack router, List<NetStack> outside,
                             SimSwitch insideSwitch, SimSwitch outsideSwitch) {
        public RoutedLans {
            inside = List.copyOf(inside);
            outside = List.copyOf(outside);
        }
    }

    public static RoutedLans routedLans(Simulator sim, int insideHosts, int outsideHosts, LinkParams params, DeviceDecorator d) {
        if (insideHosts < 1 || insideHosts > 253 || outsideHosts < 1 || outsideHosts > 253) {
            throw new IllegalArgumentException("each LAN holds 1 to 253 hosts");
        }
        NetStack router = sim.newRouter("router");
        SimSwitch in = sim.newSwitch("sw1");
        SimSwitch out = sim.newSwitch("sw2");
        router.addInterface(d.decorate(router, in.connect(router, params).a()), Ipv4Address.of(10, 0, 1, 254), 24);
        router.addInterface(d.decorate(router, out.connect(router, params).a()), Ipv4Address.of(10, 0, 2, 254), 24);
        List<NetStack> inside = new ArrayList<>();
        List<NetStack> outside = new ArrayList<>();
        for (int side = 1; side <= 2; side++) {
            int n = side == 1 ? insideHosts : outsideHosts;
            for (int i = 1; i <= n; i++) {
                NetStack h = sim.newHost((side == 1 ? "h" : "o") + i);
                SimLink l = (side == 1 ? in : out).connect(h, params);
                h.addInterface(d.decorate(h, l.a()), Ipv4Address.of(10, 0, side, i), 24);
                h.setDefaultGateway(Ipv4Address.of(10, 0, side, 254));
                (side == 1 ? inside : outside).add(h);
            }
        }
        return new RoutedLans(inside, router, outside, in, out);
    }

    public static HostPair hostPair(Simulator sim, LinkParams params, DeviceDecorator d) {
        return hostPair(sim, params, d, netstack4j.stack.StackConfig.linuxDefaults());
    }

    /** Both hosts built with {@code config} (for instance {@code StackConfig.defaults(Personality.WINDOWS)}). */
    public static HostPair hostPair(Simulator sim, LinkParams params, DeviceDecorator d, netstack4j.stack.StackConfig config) {
        NetStack a = sim.newHost("a", config);
        NetStack b = sim.newHost("b", config);
        SimLink link = sim.connect(a, b, params);
        a.addInterface(d.decorate(a, link.a()), Ipv4Address.of(10, 0, 0, 1), 24);
        b.addInterface(d.decorate(b, link.b()), Ipv4Address.of(10, 0, 0, 2), 24);
        return new HostPair(a, b, link);
    }

    public static TwoHosts twoHostsOnSwitch(Simulator sim, LinkParams params) {
        return twoHostsOnSwitch(sim, params, DeviceDecorator.NONE);
    }

    public static TwoHosts twoHostsOnSwitch(Simulator sim, LinkParams params, DeviceDecorator d) {
        NetStack a = sim.newHost("a");
        NetStack b = sim.newHost("b");
        SimSwitch sw = sim.newSwitch("sw");
        SimLink la = sw.connect(a, params);
        SimLink lb = sw.connect(b, params);
        a.addInterface(d.decorate(a, la.a()), Ipv4Address.of(10, 0, 0, 1), 24);
        b.addInterface(d.decorate(b, lb.a()), Ipv4Address.of(10, 0, 0, 2), 24);
        return new TwoHosts(a, b, sw, la, lb);
    }

    public static ClientRouterServer clientRouterServer(Simulator sim, LinkParams params) {
        return clientRouterServer(sim, params, DeviceDecorator.NONE);
    }

    public static ClientRouterServer clientRouterServer(Simulator sim, LinkParams params, DeviceDecorator d) {
        NetStack client = sim.newHost("client");
        NetStack router = sim.newRouter("router");
        NetStack server = sim.newHost("server");
        SimLink cl = sim.connect(client, router, params);
        SimLink sl = sim.connect(router, server, params);
        client.addInterface(d.decorate(client, cl.a()), Ipv4Address.of(10, 0, 1, 2), 24);
        router.addInterface(d.decorate(router, cl.b()), Ipv4Address.of(10, 0, 1, 1), 24);
        router.addInterface(d.decorate(router, sl.a()), Ipv4Address.of(10, 0, 2, 1), 24);
        server.addInterface(d.decorate(server, sl.b()), Ipv4Address.of(10, 0, 2, 2), 24);
        client.setDefaultGateway(Ipv4Address.of(10, 0, 1, 1));
        server.setDefaultGateway(Ipv4Address.of(10, 0, 2, 1));
        return new ClientRouterServer(client, router, server, cl, sl);
    }

    public static Lan lan(Simulator sim, int n, LinkParams params) {
        return lan(sim, n, params, DeviceDecorator.NONE);
    }

    public static Lan lan(Simulator sim, int n, LinkParams params, DeviceDecorator d) {
        if (n < 1 || n > 254) {
            throw new IllegalArgumentException("a /24 LAN holds 1 to 254 hosts, not " + n);
        }
        SimSwitch sw = sim.newSwitch("sw");
        List<NetStack> hosts = new ArrayList<>(n);
        List<SimLink> links = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            NetStack h = sim.newHost("h" + i);
            SimLink l = sw.connect(h, params);
            h.addInterface(d.decorate(h, l.a()), Ipv4Address.of(10, 0, 0, i), 24);
            hosts.add(h);
            links.add(l);
        }
        return new Lan(hosts, sw, links);
    }
}
