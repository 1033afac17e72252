package netstack4j.torture;

import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimEvent;
import netstack4j.sim.SimLink;
import netstack4j.sim.SimSwitch;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * The network of a torture run:
 * <pre>
 *   c1 … cK ── switch lan ── router ══ WAN cable ══ switch wan ── s1 … sM
 *   10.0.1.11…    10.0.1.1 / 10.0.2.1                      10.0.2.11…
 * </pre>
 * Host cables are clean (1 Gbit/s, 20 µs); every fault of the {@link FaultPlan} is on the WAN
 * cable, which the partitions cut, and the MTU changes are on the router's egress ports.
 *
 * <p>Threading: built and changed by the simulation's owner; fault events run on the simulator thread.
 */
final class TortureNet {
    static final LinkParams HOST_CABLE = LinkParams.of(1_000_000_000L, 20_000L);

    final Simulator sim;
    final List<NetStack> clients = new ArrayList<>();
    final List<NetStack> servers = new ArrayList<>();
    final NetStack router;
    /** The WAN cable: a() is the router's port, A_TO_B is "forward" (towards the servers). */
    final SimLink wan;
    /** The router's cable to the clients' switch: a() is the router's port. */
    final SimLink routerLan;
    private final List<SimEvent> pendingFaults = new ArrayList<>();

    TortureNet(Simulator sim, int clientCount, int serverCount, FaultPlan faults) {
        this.sim = sim;
        SimSwitch lan = sim.newSwitch("lan");
        SimSwitch wanSwitch = sim.newSwitch("wan");
        router = sim.newRouter("router");
        routerLan = lan.connect(router, HOST_CABLE);
        router.addInterface(routerLan.a(), Ipv4Address.of(10, 0, 1, 1), 24);
        wan = wanSwitch.connect(router, faults.forward());
        wan.setParams(SimLink.Direction.B_TO_A, faults.reverse());
        router.addInterface(wan.a(), Ipv4Address.of(10, 0, 2, 1), 24);
        for (int i = 0; i < clientCount; i++) {
            NetStack h = sim.newHost("c" + (i + 1));
            h.addInterface(lan.connect(h, HOST_CABLE).a(), clientAddress(i), 24);
            h.setDefaultGateway(Ipv4Address.of(10, 0, 1, 1));
            clients.add(h);
        }
        for (int i = 0; i < serverCount; i++) {
            NetStack h = sim.newHost("s" + (i + 1));
            h.addInterface(wanSwitch.connect(h, HOST_CABLE).a(), serverAddress(i), 24);
            h.setDefaultGateway(Ipv4Address.of(10, 0, 2, 1));
            servers.add(h);
        }
        for (FaultPlan.Window w : faults.partitions()) {
            pendingFaults.add(sim.schedule(w.cutNs(), wan::down));
            pendingFaults.add(sim.schedule(w.healNs(), wan::up));
        }
        for (FaultPlan.MtuChange m : faults.mtuChanges()) {
            SimLink link = m.forward() ? wan : routerLan;
            pendingFaults.add(sim.schedule(m.atNs(), () ->
                    link.setParams(SimLink.Direction.A_TO_B, link.params(SimLink.Direction.A_TO_B).withMtu(m.mtu()))));
        }
    }

    static Ipv4Address clientAddress(int i) {
        return Ipv4Address.of(10, 0, 1, 11 + i);
    }

    static Ipv4Address serverAddress(int i) {
        return Ipv4Address.of(10, 0, 2, 11 + i);
    }

    /** Every host, router included. */
    List<NetStack> hosts() {
        List<NetStack> all = new ArrayList<>(clients);
        all.add(router);
        all.addAll(servers);
        return all;
    }

    /** Ends the faults for good: cancels the cuts and MTU changes still to come and heals the cable. */
    void endFaults() {
        for (SimEvent e : pendingFaults) {
            sim.cancel(e);
        }
        pendingFaults.clear();
        wan.up();
    }
}
