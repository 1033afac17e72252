package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import netstack4j.ip.NeighbourTable;
import netstack4j.ip.NeighbourTable.State;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PingSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import org.junit.jupiter.api.Test;

/** ARP (RFC 826) with Linux's neighbour states, seen from the wire. */
class ArpScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final Ipv4Address H = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");

    private static NeighbourTable.Neighbour entry(NetStack s, Ipv4Address a) {
        return s.ip().neighbours().neighbours().stream().filter(n -> n.address().equals(a)).findFirst().orElse(null);
    }

    @Test
    void requestAndReplyFillBothCaches() {
        try (Simulator sim = new Simulator(11)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<String> got = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(7);
                    byte[] buf = new byte[100];
                    var d = s.receive(buf);
                    got.add(new String(buf, 0, d.length()));
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo("hello".getBytes(), new Ipv4SocketAddress(PEER, 7));
                }
            });
            sim.runFor(5 * S); // not run(): the entries would age out and be forgotten
            assertEquals(List.of("hello"), got);
            // a asked "who-has 10.0.0.2", b replied: a has b REACHABLE with b's MAC.
            var ab = entry(t.a(), PEER);
            assertEquals(t.linkB().a().macAddress(), ab.mac());
            assertEquals(State.REACHABLE, ab.state());
            assertEquals("eth0", ab.ifname());
            // b learned a from the request it answered (RFC 826: "add the triplet").
            assertEquals(t.linkA().a().macAddress(), entry(t.b(), H).mac());
        }
    }

    @Test
    void packetsQueuedDuringResolutionLeaveInOrderOnceResolved() {
        try (Simulator sim = new Simulator(12)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    for (int i = 1; i <= 5; i++) {
                        s.sendTo(new byte[] {(byte) i}, new Ipv4SocketAddress(PEER, 9));
                    }
                }
            });
            sim.run();
            // One broadcast request, then all five datagrams in the order they were sent.
            assertEquals(1, peer.arpRequests().size());
            assertEquals(MacAddress.BROADCAST, peer.arpRequests().getFirst().destination());
            var ip = peer.ipFrames();
            assertEquals(5, ip.size());
            for (int i = 0; i < 5; i++) {
                var f = ip.get(i);
                assertEquals(i + 1, f.bytes()[14 + 20 + 8], "datagram " + i);
                assertEquals(peer.mac, f.destination());
                // Request out at 0, reply back at 2 ms, datagrams arrive at 3 ms.
                assertEquals(3 * MS, f.atNs());
            }
        }
    }

    @Test
    void resolutionFailureDropsQueueAndTellsPingHostUnreachable() {
        try (Simulator sim = new Simulator(13)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            peer.answerArp = false;
            List<PingSocket.Event> events = new ArrayList<>();
            sim.spawn(h, "ping", ctx -> {
                try (PingSocket s = ctx.host().sockets().ping()) {
                    s.send(PEER, 1, new byte[56]);
                    s.send(PEER, 2, new byte[56]);
                    events.add(s.receive());
                    events.add(s.receive());
                }
            });
            sim.run();
            // Three broadcast requests, 1 s apart (mcast_solicit 3, retrans_time 1 s).
            var reqs = peer.arpRequests();
            assertEquals(3, reqs.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(i * S + MS, reqs.get(i).atNs());
                assertEquals(MacAddress.BROADCAST, reqs.get(i).destination());
            }
            assertEquals(0, peer.ipFrames().size());
            assertEquals(2, h.counters().drops(DropReason.ARP_UNRESOLVED));
            assertEquals(2, events.size());
            for (int i = 0; i < 2; i++) {
                PingSocket.Error e = assertInstanceOf(PingSocket.Error.class, events.get(i));
                assertEquals("Destination Host Unreachable", e.error().describe());
                assertEquals(i + 1, e.sequence());
                assertEquals(H, e.error().reporter());
                assertEquals(3 * S, e.receivedAtNs());
            }
            assertEquals(null, entry(h, PEER), "a failed entry is forgotten");
        }
    }

    @Test
    void resolutionFailureGivesConnectedUdpSocketEhostunreach() {
        try (Simulator sim = new Simulator(14)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            peer.answerArp = false;
            List<Object> outcome = new ArrayList<>();
            sim.spawn(h, "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.connect(new Ipv4SocketAddress(PEER, 53));
                    s.send(new byte[10]);
                    ErrnoException e = assertThrows(ErrnoException.class, () -> s.receive(new byte[100]));
                    outcome.add(e.errno());
                    outcome.add(ctx.nowNs());
                }
            });
            sim.run();
            assertEquals(List.of(Errno.EHOSTUNREACH, 3 * S), outcome);
            assertEquals(1, h.counters().drops(DropReason.ARP_UNRESOLVED));
        }
    }

    @Test
    void reachableEntryGoesStaleAndIsReprobedWithUnicast() {
        try (Simulator sim = new Simulator(15)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(PEER, 9));
                    ctx.sleep(10 * S);
                    assertEquals(State.REACHABLE, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    // base_reachable_time 30 s, randomised to at most 45 s.
                    ctx.sleep(40 * S);
                    assertEquals(State.STALE, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    s.sendTo(new byte[2], new Ipv4SocketAddress(PEER, 9));
                    ctx.sleep(10 * MS);
                    // Used: DELAY, waiting delay_first_probe_time (5 s) for a confirmation.
                    assertEquals(State.DELAY, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    ctx.sleep(5 * S);
                    assertEquals(State.REACHABLE, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                }
            });
            sim.run();
            var reqs = peer.arpRequests();
            assertEquals(2, reqs.size());
            assertEquals(MacAddress.BROADCAST, reqs.get(0).destination());
            // The STALE entry is still used at once, and with no confirmation within 5 s it is
            // verified by a unicast probe (Linux's NUD_DELAY, then NUD_PROBE).
            assertEquals(peer.mac, reqs.get(1).destination());
            assertEquals(55 * S + MS, reqs.get(1).atNs());
            assertEquals(2, peer.ipFrames().size());
            assertEquals(50 * S + MS, peer.ipFrames().get(1).atNs());
        }
    }

    @Test
    void staleEntryWhoseProbesGoUnansweredIsRemoved() {
        try (Simulator sim = new Simulator(16)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(PEER, 9));
                    ctx.sleep(50 * S);
                    peer.answerArp = false;
                    s.sendTo(new byte[2], new Ipv4SocketAddress(PEER, 9));
                    ctx.sleep(2500 * MS);
                    assertEquals(State.DELAY, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    ctx.sleep(5 * S);
                    assertEquals(State.PROBE, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    ctx.sleep(1 * S);
                    assertEquals(null, ctx.host().runtime().call(() -> entry(h, PEER)));
                }
            });
            sim.run();
            // After the 5 s DELAY, ucast_solicit 3 unicast probes, 1 s apart.
            var probes = peer.arpRequests().stream().filter(r -> r.destination().equals(peer.mac)).toList();
            assertEquals(3, probes.size());
            assertEquals(55 * S + MS, probes.get(0).atNs());
            assertEquals(56 * S + MS, probes.get(1).atNs());
        }
    }

    @Test
    void gratuitousArpMovesAKnownNeighbourToItsNewMac() {
        try (Simulator sim = new Simulator(17)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            MacAddress newMac = MacAddress.parse("02:00:00:00:99:99");
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(PEER, 9));
                    ctx.sleep(S);
                    assertEquals(peer.mac, ctx.host().runtime().call(() -> entry(h, PEER).mac()));
                    // The peer's address moved to another card: it announces itself (arping -U).
                    peer.sendArp(new ArpMessage(ArpOperation.REQUEST, newMac, PEER, MacAddress.ZERO, PEER),
                            MacAddress.BROADCAST);
                    // A gratuitous ARP for an address we never talked to creates nothing (arp_accept=0).
                    peer.sendArp(new ArpMessage(ArpOperation.REQUEST, newMac, Ipv4Address.parse("10.0.0.3"),
                            MacAddress.ZERO, Ipv4Address.parse("10.0.0.3")), MacAddress.BROADCAST);
                    ctx.sleep(10 * MS);
                    assertEquals(newMac, ctx.host().runtime().call(() -> entry(h, PEER).mac()));
                    // A broadcast request does not assert reachability (Linux's arp_process): STALE.
                    assertEquals(State.STALE, ctx.host().runtime().call(() -> entry(h, PEER).state()));
                    assertEquals(null, ctx.host().runtime().call(() -> entry(h, Ipv4Address.parse("10.0.0.3"))));
                    s.sendTo(new byte[2], new Ipv4SocketAddress(PEER, 9));
                }
            });
            sim.run();
            var ip = peer.ipFrames();
            assertEquals(2, ip.size());
            assertEquals(peer.mac, ip.get(0).destination());
            assertEquals(newMac, ip.get(1).destination());
            // No new resolution was needed: the new address was used at once (STALE, then DELAY),
            // and verified 5 s later by a unicast probe to it.
            assertEquals(2, peer.arpRequests().size());
            assertEquals(newMac, peer.arpRequests().get(1).destination());
        }
    }

    @Test
    void announceSendsGratuitousRequestThatUpdatesTheOtherHost() {
        try (Simulator sim = new Simulator(18)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            NetStack a = t.a();
            sim.spawn(a, "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(PEER, 9));
                }
            });
            sim.runFor(5 * S);
            assertTrue(entry(t.b(), H) != null);
            long before = t.linkB().a().rxStats().delivered();
            sim.schedule(sim.nowNs(), () -> a.ip().neighbours().announce(a.interfaceByName("eth0")));
            sim.runFor(5 * S);
            // Two frames reached b: the gratuitous request, and a's reply to b's unicast probe (b
            // learned a from a's request as STALE, used it for the port unreachable: DELAY, then
            // PROBE 5 s later, as Linux does).
            assertEquals(before + 2, t.linkB().a().rxStats().delivered(), "broadcast reached b");
            assertEquals(t.linkA().a().macAddress(), entry(t.b(), H).mac());
            assertEquals(State.REACHABLE, entry(t.b(), H).state());
        }
    }

    @Test
    void permanentEntriesNeedNoResolutionAndIgnoreArp() {
        try (Simulator sim = new Simulator(19)) {
            NetStack h = sim.newHost("h");
            FakeHost peer = FakeHost.cable(sim, h, H, PEER, LinkParams.of(0, MS));
            MacAddress other = MacAddress.parse("02:00:00:00:77:77");
            h.ip().neighbours().addPermanent(h.interfaceByName("eth0"), PEER, peer.mac);
            sim.spawn(h, "sender", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(PEER, 9));
                    // An ARP reply claiming another address does not change an administrator's entry.
                    peer.sendArp(new ArpMessage(ArpOperation.REPLY, other, PEER, peer.mac, H), peer.mac);
                    ctx.sleep(100 * S);
                    s.sendTo(new byte[2], new Ipv4SocketAddress(PEER, 9));
                }
            });
            sim.run();
            assertEquals(0, peer.arpRequests().size(), "never resolved, never probed");
            assertEquals(2, peer.ipFrames().size());
            assertEquals(peer.mac, peer.ipFrames().get(1).destination());
            assertEquals(State.PERMANENT, entry(h, PEER).state());
        }
    }
}
