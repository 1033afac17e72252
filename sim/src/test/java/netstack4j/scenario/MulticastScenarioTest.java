package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.link.NetworkDevice;
import netstack4j.link.TapDevice;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimLink;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.MembershipRequest;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.wire.IgmpMessage;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Options;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * Multicast on two LANs joined by a router (N32): IGMPv2 reports on join, leaves, answers to
 * queries after a random delay, the switch flooding group frames, receive filtering by joined
 * groups, IP_MULTICAST_TTL/LOOP/IF, and the router never forwarding a group off its LAN.
 */
class MulticastScenarioTest {
    static final Ipv4Address GROUP = Ipv4Address.of(239, 1, 2, 3);
    static final long MS = 1_000_000L;
    static final HexFormat HEX = HexFormat.of();

    record Frame(long ns, byte[] bytes) {
        boolean isIgmp(int type) {
            return bytes.length >= 46 && (bytes[12] & 0xff) == 0x08 && bytes[13] == 0 && bytes[23] == 2 && (bytes[38] & 0xff) == type;
        }
    }

    /** Keeps a copy of every frame a host's device transmits, with its time. */
    static final class Recorder extends TapDevice {
        final Simulator sim;
        final List<Frame> sent;

        Recorder(NetworkDevice inner, Simulator sim, List<Frame> sent) {
            super(inner);
            this.sim = sim;
            this.sent = sent;
        }

        @Override
        protected boolean onTransmit(PacketBuffer frame) {
            sent.add(new Frame(sim.nowNs(), frame.toByteArray()));
            return true;
        }

        @Override
        protected void onReceive(PacketBuffer frame) {
        }
    }

    private final Map<String, List<String>> got = new TreeMap<>();
    private final Map<String, List<Frame>> frames = new TreeMap<>();

    private Topologies.RoutedLans net(Simulator sim, int inside) {
        return Topologies.routedLans(sim, inside, 1, LinkParams.of(0, MS),
                (host, port) -> new Recorder(port, sim, frames.computeIfAbsent(host.name(), k -> new ArrayList<>())));
    }

    /** {@code h} joins the group on port 5000 and records what it reads for {@code forNs}. */
    private void listen(Simulator sim, NetStack h, long forNs) {
        listen(sim, h, Ipv4Address.ANY, forNs);
    }

    /** As {@link #listen(Simulator, NetStack, long)}, joining on the interface with address {@code on}. */
    private void listen(Simulator sim, NetStack h, Ipv4Address on, long forNs) {
        sim.spawn(h, "listener", ctx -> {
            try (UdpSocket s = h.sockets().udp()) {
                s.bind(5000);
                s.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, new MembershipRequest(GROUP, on));
                s.setReceiveTimeout(java.time.Duration.ofNanos(forNs));
                byte[] buf = new byte[100];
                while (true) {
                    try {
                        ReceivedDatagram d = s.receive(buf);
                        got.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(new String(buf, 0, d.length()));
                    } catch (ErrnoException e) {
                        return;
                    }
                }
            }
        });
    }

    private List<Frame> igmp(String host, int type) {
        return frames.getOrDefault(host, List.of()).stream().filter(f -> f.isIgmp(type)).toList();
    }

    @Test
    void theGroupReachesItsMembersOnTheLanAndNeverCrossesTheRouter() {
        try (Simulator sim = new Simulator(7)) {
            var net = net(sim, 4);
            NetStack h1 = net.inside().get(0);
            for (NetStack h : List.of(net.inside().get(1), net.inside().get(2), net.outside().get(0))) {
                listen(sim, h, 500 * MS);
            }
            sim.spawn(h1, "sender", ctx -> {
                ctx.sleep(10 * MS);
                try (UdpSocket s = h1.sockets().udp()) {
                    assertEquals(1, s.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "RFC 1112: TTL 1 by default");
                    s.sendTo("ttl1".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                    s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 32);
                    s.sendTo("ttl32".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                }
            });
            sim.runFor(600 * MS);
            assertEquals(Map.of("h2", List.of("ttl1", "ttl32"), "h3", List.of("ttl1", "ttl32")), got,
                    "members on the LAN get both; o1 behind the router gets nothing, whatever the TTL");
            assertEquals(0, net.router().counters().get(Counter.IpForwDatagrams));
            assertEquals(2, h1.counters().get(Counter.IpExtOutMcastPkts));
            assertEquals(2, net.inside().get(1).counters().get(Counter.UdpInDatagrams));
            assertTrue(net.inside().get(1).counters().get(Counter.IpExtInMcastPkts) >= 3, "the datagrams and h3's IGMP report");
            assertEquals(0, net.inside().get(3).counters().get(Counter.IpExtInMcastPkts), "h4 joined nothing: its filter drops the frames");
            assertEquals(0, net.outside().get(0).counters().get(Counter.IpExtInMcastPkts));
            // The datagram left h1 as one frame to the group's MAC; the switch flooded it.
            List<Frame> data = frames.get("h1").stream().filter(f -> f.bytes()[23] == 17).toList();
            assertEquals(2, data.size());
            assertEquals("01005e010203", HEX.formatHex(data.get(0).bytes(), 0, 6));
            assertEquals(1, data.get(0).bytes()[22], "TTL 1");
            assertEquals(32, data.get(1).bytes()[22]);
            assertTrue(net.insideSwitch().floodedFrames() >= 2);
        }
    }

    @Test
    void joiningSendsAReportWithRouterAlertAndTheLastLeaveSendsALeave() {
        try (Simulator sim = new Simulator(3)) {
            var net = net(sim, 2);
            NetStack h2 = net.inside().get(1);
            List<String> errors = new ArrayList<>();
            sim.spawn(h2, "app", ctx -> {
                UdpSocket a = h2.sockets().udp();
                UdpSocket b = h2.sockets().udp();
                a.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(GROUP));
                errors.add(assertThrows(ErrnoException.class,
                        () -> a.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(GROUP))).errno().name());
                errors.add(assertThrows(ErrnoException.class,
                        () -> a.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(Ipv4Address.of(10, 0, 0, 1)))).errno().name());
                errors.add(assertThrows(ErrnoException.class,
                        () -> b.setOption(NetSocketOptions.IP_DROP_MEMBERSHIP, MembershipRequest.of(GROUP))).errno().name());
                b.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(GROUP)); // a second user: no report
                ctx.sleep(20_000 * MS);
                a.setOption(NetSocketOptions.IP_DROP_MEMBERSHIP, MembershipRequest.of(GROUP)); // b still uses it: no leave
                ctx.sleep(MS);
                b.close(); // the last user: leave
            });
            sim.runFor(30_000 * MS);
            assertEquals(List.of("EADDRINUSE", "EINVAL", "EADDRNOTAVAIL"), errors);
            List<Frame> reports = igmp("h2", IgmpMessage.V2_MEMBERSHIP_REPORT);
            assertEquals(2, reports.size(), "one at once and one repeat (RFC 2236 section 3)");
            assertEquals(0, reports.get(0).ns());
            assertTrue(reports.get(1).ns() > 0 && reports.get(1).ns() <= 10_000 * MS, "the repeat within the unsolicited report interval: " + reports.get(1).ns());
            byte[] r = reports.get(0).bytes();
            assertEquals("01005e010203", HEX.formatHex(r, 0, 6), "RFC 1112 section 6.4: 01:00:5e + low 23 bits");
            assertEquals("46c00020", HEX.formatHex(r, 14, 18), "IHL 6 (Router Alert), TOS 0xc0, 32 bytes");
            assertEquals("0102", HEX.formatHex(r, 22, 24), "TTL 1, protocol 2");
            assertEquals("0a000102ef010203" + "94040000" + "1600f8faef010203", HEX.formatHex(r, 26, 46));
            assertEquals(0, netstack4j.wire.Checksum.compute(r, 14, 24), "IP header checksum");
            List<Frame> leaves = igmp("h2", IgmpMessage.LEAVE_GROUP);
            assertEquals(1, leaves.size());
            assertEquals(20_001 * MS, leaves.get(0).ns(), "when b, the last user, closes");
            assertEquals("01005e000002", HEX.formatHex(leaves.get(0).bytes(), 0, 6), "to all-routers 224.0.0.2");
            assertEquals("1700f7faef010203", HEX.formatHex(leaves.get(0).bytes(), 38, 46));
        }
    }

    @Test
    void aGeneralQueryIsAnsweredOnceAfterARandomDelayAndTheOtherMemberStaysQuiet() {
        try (Simulator sim = new Simulator(11)) {
            var net = net(sim, 3);
            SimLink querierPort = net.insideSwitch().connect("querier", LinkParams.of(0, MS));
            for (NetStack h : net.inside().subList(1, 3)) {
                listen(sim, h, 40_000 * MS);
            }
            long queryAt = 20_000 * MS;
            sim.schedule(queryAt, () -> querierPort.a().transmit(queryFrame(50)));
            sim.runFor(40_000 * MS);
            List<Frame> answers = new ArrayList<>();
            for (String h : List.of("h2", "h3")) {
                igmp(h, IgmpMessage.V2_MEMBERSHIP_REPORT).stream().filter(f -> f.ns() > queryAt).forEach(answers::add);
            }
            assertEquals(1, answers.size(), "RFC 2236 section 3: the first report suppresses the other member's");
            long delay = answers.get(0).ns() - queryAt;
            assertTrue(delay > MS && delay <= 5_000 * MS + 2 * MS, "random delay within the 5 s max response time: " + delay);
        }
    }

    /** The times of every IGMP report h2 and h3 send in 30 s with a general query at 20 s, under {@code seed}. */
    private List<Long> reportTimes(long seed) {
        frames.clear();
        try (Simulator sim = new Simulator(seed)) {
            var net = net(sim, 3);
            SimLink querierPort = net.insideSwitch().connect("querier", LinkParams.of(0, MS));
            for (NetStack h : net.inside().subList(1, 3)) {
                listen(sim, h, 40_000 * MS);
            }
            sim.schedule(20_000 * MS, () -> querierPort.a().transmit(queryFrame(100)));
            sim.runFor(30_000 * MS);
        }
        List<Long> times = new ArrayList<>();
        for (String h : List.of("h2", "h3")) {
            igmp(h, IgmpMessage.V2_MEMBERSHIP_REPORT).forEach(f -> times.add(f.ns()));
        }
        return times;
    }

    @Test
    void theRandomDelaysComeFromTheSeed() {
        List<Long> first = reportTimes(21);
        assertEquals(first, reportTimes(21), "same seed, same reports at the same times");
        assertTrue(!first.equals(reportTimes(22)) || !first.equals(reportTimes(23)), "other seeds draw other delays");
    }

    @Test
    void aGroupSpecificQueryIsAnsweredOnlyForItsGroup() {
        Ipv4Address other = Ipv4Address.of(239, 9, 9, 9);
        try (Simulator sim = new Simulator(13)) {
            var net = net(sim, 2);
            NetStack h2 = net.inside().get(1);
            SimLink querierPort = net.insideSwitch().connect("querier", LinkParams.of(0, MS));
            sim.spawn(h2, "app", ctx -> {
                UdpSocket s = h2.sockets().udp();
                s.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(GROUP));
                s.setOption(NetSocketOptions.IP_ADD_MEMBERSHIP, MembershipRequest.of(other));
                assertEquals(List.of(GROUP, other), s.memberships());
                ctx.sleep(40_000 * MS);
            });
            long queryAt = 20_000 * MS;
            sim.schedule(queryAt, () -> querierPort.a().transmit(queryFrame(other, 10)));
            sim.runFor(30_000 * MS);
            List<Frame> answers = igmp("h2", IgmpMessage.V2_MEMBERSHIP_REPORT).stream().filter(f -> f.ns() > queryAt).toList();
            assertEquals(1, answers.size());
            assertEquals("ef090909", HEX.formatHex(answers.get(0).bytes(), 42, 46), "the report names the queried group only");
            assertTrue(answers.get(0).ns() - queryAt <= 1_000 * MS + 2 * MS, "within the query's 1 s");
            assertEquals(List.of(GROUP, other, Ipv4Address.of(224, 0, 0, 1)),
                    h2.ip().igmp().memberships(h2.interfaceByName("eth0")).stream().map(m -> m.group()).toList());
        }
    }

    /** A general IGMPv2 query from 10.0.1.250 to 224.0.0.1, maximum response time {@code tenths}. */
    private static PacketBuffer queryFrame(int tenths) {
        return queryFrame(Ipv4Address.ANY, tenths);
    }

    /** A query for {@code group} (ANY: general) from 10.0.1.250, sent to the group or to 224.0.0.1 (RFC 2236 section 2.1). */
    private static PacketBuffer queryFrame(Ipv4Address group, int tenths) {
        Ipv4Address to = group.isAny() ? Ipv4Address.of(224, 0, 0, 1) : group;
        byte[] f = new byte[14 + 24 + 8];
        MacAddress.multicast(to.value()).write(f, 0);
        MacAddress.local(0xfa).write(f, 6);
        f[12] = 0x08;
        new Ipv4Header(0xc0, 32, 1, false, false, 0, 1, 2, Ipv4Address.of(10, 0, 1, 250), to,
                new Ipv4Options(new byte[] {(byte) 0x94, 4, 0, 0})).emit(f, 14);
        IgmpMessage.query(group, tenths).emit(f, 38);
        return PacketBuffer.wrap(f);
    }

    @Test
    void loopAndInterfaceOptionsChooseWhereTheGroupGoes() {
        try (Simulator sim = new Simulator(5)) {
            var net = net(sim, 2);
            NetStack router = net.router();
            listen(sim, net.inside().get(1), 500 * MS);
            listen(sim, net.outside().get(0), 500 * MS);
            listen(sim, router, Ipv4Address.of(10, 0, 1, 254), 500 * MS);
            sim.spawn(router, "sender", ctx -> {
                ctx.sleep(10 * MS);
                try (UdpSocket s = router.sockets().udp()) {
                    s.setOption(NetSocketOptions.IP_MULTICAST_IF, Ipv4Address.of(10, 0, 2, 254));
                    s.sendTo("outside".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                    s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                    s.sendTo("outside, no loop".getBytes(), new Ipv4SocketAddress(GROUP, 5000));
                    assertEquals(Errno.EADDRNOTAVAIL, assertThrows(ErrnoException.class,
                            () -> s.setOption(NetSocketOptions.IP_MULTICAST_IF, Ipv4Address.of(10, 9, 9, 9))).errno());
                }
            });
            sim.runFor(600 * MS);
        }
        // The router joined on the route's interface (its first, 10.0.1.254): the copy looped back
        // there only when it left by that interface, so it never sees the datagrams sent outside.
        assertEquals(Map.of("o1", List.of("outside", "outside, no loop")), got);
    }
}
