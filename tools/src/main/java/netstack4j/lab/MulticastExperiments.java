package netstack4j.lab;

import static netstack4j.lab.Bench.MS;

import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.MembershipRequest;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceEvent;
import netstack4j.trace.TraceSink;
import netstack4j.wire.Ipv4Address;

/** N32: multicast (IGMP) on two LANs joined by a router. */
final class MulticastExperiments {
    private MulticastExperiments() {
    }

    static final Ipv4Address GROUP = Ipv4Address.of(239, 1, 2, 3);

    static List<Experiment> all() {
        return List.of(new Experiment("N32", "multicast", "multicast (IGMP) sends to a group address and stays inside the router's LAN",
                "", MulticastExperiments::multicast));
    }

    /** {@code ip maddr show dev eth0} as iproute2 prints it: the group MACs, then the groups ({@code users N} when more than one). */
    static String maddr(NetStack host) {
        var iface = host.interfaceByName("eth0");
        var groups = host.ip().igmp().memberships(iface);
        StringBuilder b = new StringBuilder().append(iface.index()).append(":\t").append(iface.name()).append('\n');
        for (var m : groups) {
            b.append("\tlink  ").append(netstack4j.wire.MacAddress.multicast(m.group().value())).append('\n');
        }
        for (var m : groups) {
            b.append("\tinet  ").append(m.group()).append(m.users() > 1 ? " users " + m.users() : "").append('\n');
        }
        return b.toString();
    }

    /**
     * The ladder of the two LANs (the hosts and both of the router's interfaces as lanes) and
     * the capture of every frame they sent. The group's members are h2, h3 (and o1 on LAN 2):
     * frames to the group reaching anyone else are filtered by the receiving host.
     */
    private static void picture(Run run, FrameLog log) {
        List<String> lanes = List.of("h1", "h2", "h3", "h4", "router", "o1");
        List<String> labels = List.of("10.0.1.1", "10.0.1.2 member", "10.0.1.3 member", "10.0.1.4", "10.0.1.254 | 10.0.2.254",
                "10.0.2.1 member");
        List<String> members = List.of("h2", "h3", "o1");
        String group = GROUP.toString();
        run.figure("Ladder diagram (both LANs: h1 to h4 and the router on sw1, o1 behind the router on sw2)",
                LanLadder.draw(log, lanes, labels, s -> true,
                        (s, host) -> s.dst().equals(group) && !members.contains(host), "N32 ladder"));
        run.capture("LAN 1 and LAN 2: every frame the hosts and the router sent", log);
    }

    private static Verdict multicast(Run run) {
        run.setup("LAN 1: h1 10.0.1.1 … h4 10.0.1.4 on switch sw1 and router 10.0.1.254; LAN 2: o1 10.0.2.1 on sw2 behind the router's"
                + " 10.0.2.254. h2, h3 and o1 join group " + GROUP + " (IP_ADD_MEMBERSHIP) and read port 5000; h4 joins nothing."
                + " h1 sends one datagram to " + GROUP + ":5000 with the default IP_MULTICAST_TTL (1), then one with TTL 32.");
        List<String> lines = new ArrayList<>();
        Map<String, List<String>> got = new TreeMap<>();
        try (Simulator sim = new Simulator(run.seed())) {
            sim.setTrace(new TraceSink() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public void accept(TraceEvent e) {
                    if (e.kind() == TraceEvent.Kind.PACKET_OUT && (e.detail().contains("igmp") || e.detail().contains(GROUP + ".5000"))
                            && sim.nowNs() < 100 * MS) {
                        lines.add("  " + Bench.time(e.timeNs()) + " " + e.host() + " > " + e.detail());
                    }
                }
            });
            FrameLog log = new FrameLog(sim);
            var net = Topologies.routedLans(sim, 4, 1, LinkParams.of(100_000_000L, MS), log::decorate);
            NetStack h1 = net.inside().get(0);
            for (NetStack h : List.of(net.inside().get(1), net.inside().get(2), net.outside().get(0))) {
                sim.spawn(h, "reader", ctx -> {
                    try (UdpSocket s = h.sockets().udp()) {
                        s.bind(5000);
                        s.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(GROUP));
                        s.setReceiveTimeout(Duration.ofMillis(500));
                        byte[] buf = new byte[100];
                        while (true) {
                            ReceivedDatagram d = s.receive(buf);
                            got.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(new String(buf, 0, d.length()));
                        }
                    } catch (ErrnoException timedOut) {
                        // EAGAIN after 500 ms without a datagram: done reading
                    }
                });
            }
            sim.spawn(h1, "sender", ctx -> {
                ctx.sleep(20 * MS);
                try (UdpSocket s = h1.sockets().udp()) {
                    s.sendTo("ttl 1".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                    s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 32);
                    s.sendTo("ttl 32".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                }
            });
            String[] maddr = new String[2];
            sim.schedule(100 * MS, () -> {
                maddr[0] = maddr(net.inside().get(1));
                maddr[1] = maddr(net.inside().get(3));
            });
            sim.runFor(700 * MS);
            run.say("Joining sends an IGMPv2 membership report to the group (TTL 1, Router Alert); the datagrams go to the group's MAC 01:00:5e:01:02:03:");
            lines.forEach(run::say);
            run.say("ip maddr show dev eth0 on h2 and on h4 while the readers run (every host is in 224.0.0.1, RFC 1112 section 4):");
            run.block(maddr[0].stripTrailing());
            run.block(maddr[1].stripTrailing());
            for (String h : List.of("h2", "h3", "h4", "o1")) {
                run.say(h + " read " + got.getOrDefault(h, List.of()));
            }
            NetStack router = net.router();
            NetStack h4 = net.inside().get(3);
            long forwarded = router.counters().get(Counter.IpForwDatagrams);
            long routerFiltered = router.counters().drops(DropReason.ETHERNET_MCAST_NOT_JOINED);
            long h4Filtered = h4.counters().drops(DropReason.ETHERNET_MCAST_NOT_JOINED);
            run.say("sw1 flooded the group frames to every port (" + net.insideSwitch().floodedFrames() + " frames flooded); h4's and the router's"
                    + " interfaces filtered them (group not joined: h4 " + h4Filtered + ", router " + routerFiltered + " frames).");
            run.say("The router forwarded " + forwarded + " datagrams (IpForwDatagrams): it has no multicast routing, and with TTL 1 a datagram"
                    + " may not leave the LAN anyway (RFC 1112 section 6.1). h1: IpExtOutMcastPkts " + h1.counters().get(Counter.IpExtOutMcastPkts)
                    + "; h2: IpExtInMcastPkts " + net.inside().get(1).counters().get(Counter.IpExtInMcastPkts) + " (the datagrams and the other members' IGMP reports).");
            picture(run, log);
            List<String> both = List.of("ttl 1", "ttl 32");
            boolean holds = both.equals(got.get("h2")) && both.equals(got.get("h3")) && !got.containsKey("h4") && !got.containsKey("o1")
                    && forwarded == 0 && routerFiltered > 0;
            return Verdict.of(holds, "the group reached " + got.keySet() + ", the router forwarded " + forwarded
                    + " (RFC 1112 section 7.2, ip_mr_input)");
        }
    }
}
