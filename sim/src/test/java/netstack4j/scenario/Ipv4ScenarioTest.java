package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.stack.StackConfig;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Prefix;
import org.junit.jupiter.api.Test;

/** IPv4 routing, forwarding, path MTU discovery, fragmentation and reassembly. */
class Ipv4ScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final Ipv4Address CLIENT = Ipv4Address.parse("10.0.1.2");
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.2.2");
    static final Ipv4Address H = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");

    /** A server process that records every datagram on {@code port}, forever. */
    static List<byte[]> udpSink(Simulator sim, NetStack host, int port) {
        List<byte[]> got = new ArrayList<>();
        sim.spawn(host, "sink", ctx -> {
            try (UdpSocket s = ctx.host().sockets().udp()) {
                s.bind(port);
                byte[] buf = new byte[70000];
                while (true) {
                    var d = s.receive(buf);
                    got.add(Arrays.copyOf(buf, d.length()));
                }
            }
        });
        return got;
    }

    @Test
    void longestPrefixWins() {
        try (Simulator sim = new Simulator(21)) {
            NetStack h = sim.newHost("h");
            FakeHost gw1 = FakeHost.cable(sim, h, Ipv4Address.parse("10.0.1.2"), Ipv4Address.parse("10.0.1.1"),
                    LinkParams.of(0, MS));
            FakeHost gw2 = FakeHost.cable(sim, h, Ipv4Address.parse("10.0.9.2"), Ipv4Address.parse("10.0.9.1"),
                    LinkParams.of(0, MS));
            h.addRoute(Ipv4Prefix.parse("10.7.0.0/16"), gw1.address);
            h.addRoute(Ipv4Prefix.parse("10.7.3.128/25"), gw2.address);
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[] {1}, new Ipv4SocketAddress(Ipv4Address.parse("10.7.3.200"), 9));
                    s.sendTo(new byte[] {2}, new Ipv4SocketAddress(Ipv4Address.parse("10.7.3.5"), 9));
                }
            });
            sim.runFor(S);
            // 10.7.3.200 matches the /25 via gw2 on eth1; 10.7.3.5 only the /16 via gw1 on eth0.
            assertEquals(1, gw2.ipFrames().size());
            assertEquals(Ipv4Address.parse("10.7.3.200"), gw2.ipFrames().getFirst().ip().destination());
            assertEquals(Ipv4Address.parse("10.0.9.2"), gw2.ipFrames().getFirst().ip().source());
            assertEquals(1, gw1.ipFrames().size());
            assertEquals(Ipv4Address.parse("10.7.3.5"), gw1.ipFrames().getFirst().ip().destination());
            assertEquals(Ipv4Address.parse("10.0.1.2"), gw1.ipFrames().getFirst().ip().source());
        }
    }

    @Test
    void noRouteIsEnetunreach() {
        try (Simulator sim = new Simulator(22)) {
            NetStack h = sim.newHost("h");
            FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            List<Errno> errors = new ArrayList<>();
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    ErrnoException e = assertThrows(ErrnoException.class,
                            () -> s.sendTo(new byte[1], new Ipv4SocketAddress(Ipv4Address.parse("192.168.5.5"), 9)));
                    errors.add(e.errno());
                }
            });
            sim.run();
            assertEquals(List.of(Errno.ENETUNREACH), errors);
            assertEquals(1, h.counters().get(Counter.IpOutNoRoutes));
            assertEquals(0, h.counters().get(Counter.UdpOutDatagrams));
        }
    }

    @Test
    void routerDecrementsTtlAndAnswersTtlOneWithTimeExceeded() {
        try (Simulator sim = new Simulator(23)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, t.server(), 9);
            sim.spawn(t.client(), "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.setOption(NetSocketOptions.IP_TTL, 1);
                    s.sendTo(new byte[] {1}, new Ipv4SocketAddress(SERVER, 9));
                    s.setOption(NetSocketOptions.IP_TTL, 2);
                    s.sendTo(new byte[] {2}, new Ipv4SocketAddress(SERVER, 9));
                }
            });
            sim.runFor(S);
            // TTL 1 dies at the router, TTL 2 arrives with TTL 1.
            assertEquals(1, got.size());
            assertEquals(2, got.getFirst()[0]);
            assertEquals(1, t.router().counters().get(Counter.IpForwDatagrams));
            assertEquals(1, t.router().counters().get(Counter.IcmpOutTimeExcds));
            assertEquals(1, t.router().counters().drops(DropReason.IP_TTL_EXPIRED));
            assertEquals(1, t.client().counters().get(Counter.IcmpInTimeExcds));
        }
    }

    @Test
    void dfTooBigAtRouterTeachesTheSenderThePathMtu() {
        try (Simulator sim = new Simulator(24)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, MS));
            t.serverLink().setParams(LinkParams.of(0, MS).withMtu(1000));
            List<byte[]> got = udpSink(sim, t.server(), 9);
            byte[] big = FakeHost.pattern(1400, 3);
            List<Errno> errors = new ArrayList<>();
            sim.spawn(t.client(), "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    // 1428 bytes fit the first link: sent whole with DF (IP_PMTUDISC_WANT).
                    s.sendTo(big, new Ipv4SocketAddress(SERVER, 9));
                    ctx.sleep(100 * MS);
                    // The router said "fragmentation needed, next-hop MTU 1000": now fragmented here.
                    s.sendTo(big, new Ipv4SocketAddress(SERVER, 9));
                    ctx.sleep(100 * MS);
                    errors.add(s.takeError());
                }
            });
            sim.runFor(S);
            assertEquals(1, t.router().counters().drops(DropReason.IP_FRAG_NEEDED));
            assertEquals(1, t.router().counters().get(Counter.IpFragFails));
            assertEquals(1, t.router().counters().get(Counter.IcmpOutDestUnreachs));
            assertEquals(1000, t.client().ip().pathMtu(SERVER, 1500));
            assertEquals(1500, t.client().ip().pathMtu(Ipv4Address.parse("10.0.2.3"), 1500), "per destination");
            assertEquals(2, t.client().counters().get(Counter.IpFragCreates));
            assertEquals(1, t.client().counters().get(Counter.IpFragOKs));
            assertEquals(0, t.router().counters().get(Counter.IpFragCreates), "the router did not fragment");
            assertEquals(1, got.size());
            assertArrayEquals(big, got.getFirst());
            assertEquals(1, t.server().counters().get(Counter.IpReasmOKs));
            // Without IP_RECVERR an unconnected socket is not told (Linux __udp4_lib_err).
            assertEquals(java.util.Collections.singletonList(null), errors);
        }
    }

    @Test
    void pathMtuIsNeverRaisedByIcmp() {
        try (Simulator sim = new Simulator(25)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            Ipv4Address far = Ipv4Address.parse("10.0.0.2");
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(4000);
                    s.sendTo(new byte[1200], new Ipv4SocketAddress(far, 9));
                    ctx.sleep(10 * MS);
                    byte[] sent = peer.ipFrames().getFirst().ip().array();
                    byte[] original = Arrays.copyOfRange(sent, 14, 14 + 28);
                    for (int mtu : new int[] {1000, 1400, 1100, 600}) {
                        var m = IcmpMessage.DestinationUnreachable.fragmentationNeeded(mtu, original);
                        byte[] icmp = new byte[m.length()];
                        m.emit(icmp, 0);
                        peer.sendIp(h.interfaceByName("eth0").macAddress(), FakeHost.ip(
                                Ipv4Header.of(IpProtocol.ICMP, PEER, H, icmp.length, 64, mtu, false), icmp));
                        ctx.sleep(10 * MS);
                        results.add(ctx.host().runtime().call(() -> h.ip().pathMtu(far, 1500)));
                    }
                }
            });
            sim.runFor(S);
            // RFC 1191 section 6.1: a host MUST NOT increase its estimate from a Datagram Too Big.
            assertEquals(List.of(1000, 1000, 1000, 600), results);
        }
    }

    private final List<Integer> results = new ArrayList<>();

    @Test
    void bigDatagramIsFragmentedAndReassembled() {
        try (Simulator sim = new Simulator(26)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, t.server(), 9);
            byte[] data = FakeHost.pattern(5000, 1);
            sim.spawn(t.client(), "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(data, new Ipv4SocketAddress(SERVER, 9));
                }
            });
            sim.runFor(S);
            // 5008 bytes of UDP in 1480-byte pieces: 4 fragments; the router forwards them as they are.
            assertEquals(4, t.client().counters().get(Counter.IpFragCreates));
            assertEquals(1, t.client().counters().get(Counter.IpFragOKs));
            assertEquals(4, t.router().counters().get(Counter.IpForwDatagrams));
            assertEquals(4, t.server().counters().get(Counter.IpReasmReqds));
            assertEquals(1, t.server().counters().get(Counter.IpReasmOKs));
            assertEquals(1, got.size());
            assertArrayEquals(data, got.getFirst());
        }
    }

    // ---------------------------------------------------------------- reassembly by hand

    private static byte[] datagram(int size, int id) {
        return FakeHost.udpPacket(PEER, H, 5000, 9, FakeHost.pattern(size, id), id);
    }

    @Test
    void reassemblyTimeoutWithFirstFragmentSendsTimeExceeded() {
        try (Simulator sim = new Simulator(27)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, h, 9);
            var mac = h.interfaceByName("eth0").macAddress();
            byte[] d1 = datagram(3000, 1);
            byte[] d2 = datagram(3000, 2);
            sim.schedule(MS, () -> {
                // Datagram 1: fragment 0 only. Datagram 2: only a later fragment.
                peer.sendIp(mac, FakeHost.fragment(d1, 0, 1480, true));
                peer.sendIp(mac, FakeHost.fragment(d2, 1480, 1480, true));
            });
            sim.runFor(29 * S);
            assertEquals(2, h.ip().reassembler().pendingDatagrams());
            sim.runFor(2 * S);
            assertEquals(0, h.ip().reassembler().pendingDatagrams());
            assertEquals(0, h.ip().reassembler().memoryBytes());
            assertEquals(2, h.counters().get(Counter.IpReasmTimeout));
            assertEquals(2, h.counters().get(Counter.IpReasmFails));
            assertEquals(2, h.counters().drops(DropReason.IP_REASM_TIMEOUT));
            assertEquals(0, got.size());
            // RFC 792 / RFC 1122 3.3.2: time exceeded (code 1) only for the datagram whose fragment 0 came.
            var icmp = peer.seen(f -> f.icmpType() == 11);
            assertEquals(1, icmp.size());
            assertEquals(1, icmp.getFirst().icmpCode());
            // Timer at 30.002 s; h never resolved the peer (it only received), so ARP first:
            // request arrives 30.003, reply back 30.004, the ICMP error arrives 30.005.
            assertEquals(30 * S + 5 * MS, icmp.getFirst().atNs());
            assertEquals(1, h.counters().get(Counter.IcmpOutTimeExcds));
        }
    }

    @Test
    void overlappingFragmentsDiscardTheDatagram() {
        try (Simulator sim = new Simulator(28)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, h, 9);
            var mac = h.interfaceByName("eth0").macAddress();
            byte[] d = datagram(2000, 3);
            sim.schedule(MS, () -> {
                peer.sendIp(mac, FakeHost.fragment(d, 0, 1000, true));
                peer.sendIp(mac, FakeHost.fragment(d, 504, 800, true)); // overlaps 504..1000
                peer.sendIp(mac, FakeHost.fragment(d, 1000, 1008, false));
            });
            sim.runFor(S);
            assertEquals(0, got.size());
            assertEquals(1, h.counters().drops(DropReason.IP_REASM_OVERLAP));
            assertTrue(h.counters().get(Counter.IpReasmFails) >= 1);
            assertEquals(0, h.counters().get(Counter.IpReasmOKs));
        }
    }

    @Test
    void exactDuplicateFragmentsAreIgnored() {
        try (Simulator sim = new Simulator(29)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            t.linkA().setParams(LinkParams.of(0, MS).withDuplicate(1.0));
            List<byte[]> got = udpSink(sim, t.b(), 9);
            byte[] data = FakeHost.pattern(4000, 9);
            sim.spawn(t.a(), "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(data, new Ipv4SocketAddress(PEER, 9));
                }
            });
            sim.runFor(S);
            assertEquals(1, got.size(), "delivered exactly once");
            assertArrayEquals(data, got.getFirst());
            assertEquals(1, t.b().counters().get(Counter.IpReasmOKs));
            assertEquals(0, t.b().counters().drops(DropReason.IP_REASM_OVERLAP));
        }
    }

    @Test
    void reassemblyMemoryLimit() {
        try (Simulator sim = new Simulator(30)) {
            NetStack h = sim.attach(sim.builderFor("h").config(StackConfig.linuxDefaults()
                    .withIpfragHighThreshBytes(2500)).build());
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, h, 9);
            var mac = h.interfaceByName("eth0").macAddress();
            byte[] d = datagram(4000, 4);
            sim.schedule(MS, () -> {
                peer.sendIp(mac, FakeHost.fragment(d, 0, 1480, true));
                peer.sendIp(mac, FakeHost.fragment(d, 1480, 1480, true)); // 3000 bytes held > 2500
                peer.sendIp(mac, FakeHost.fragment(d, 2960, 1048, false));
            });
            sim.runFor(S);
            assertEquals(0, got.size());
            assertTrue(h.counters().drops(DropReason.IP_REASM_MEMORY) >= 1);
            assertTrue(h.counters().get(Counter.IpReasmFails) >= 1);
            assertEquals(0, h.counters().get(Counter.IpReasmOKs));
        }
    }

    @Test
    void fragmentsBeyond65535AreDropped() {
        try (Simulator sim = new Simulator(31)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            List<byte[]> got = udpSink(sim, h, 9);
            var mac = h.interfaceByName("eth0").macAddress();
            // The ping of death: fragment 0 and a last fragment whose end lies past 65535.
            byte[] d = datagram(1000, 5);
            byte[] tail = FakeHost.fragment(d, 0, 1008, false);
            var tv = new netstack4j.wire.Ipv4Packet().wrap(tail, 0, tail.length);
            tv.setFragment(false, 65520);
            tv.updateChecksum();
            sim.schedule(MS, () -> {
                peer.sendIp(mac, FakeHost.fragment(d, 0, 504, true));
                peer.sendIp(mac, tail);
            });
            sim.runFor(S);
            assertEquals(0, got.size());
            // Linux ip_frag_reasm "Oversized IP packet": the whole queue goes, counted as a reassembly failure.
            assertEquals(1, h.counters().drops(DropReason.IP_REASM_TOO_BIG));
            assertEquals(1, h.counters().get(Counter.IpReasmFails));
            assertEquals(0, h.ip().reassembler().pendingDatagrams());
            assertFalse(peer.seen(f -> f.icmpType() == 11).size() > 0);
        }
    }
}
