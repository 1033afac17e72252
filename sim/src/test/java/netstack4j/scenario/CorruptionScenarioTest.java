package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import netstack4j.ip.NeighbourTable;
import netstack4j.sim.LinkParams;
import netstack4j.sim.LinkStats;
import netstack4j.sim.SimLink;
import netstack4j.sim.SimLink.Direction;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PingSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceSink;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * The two kinds of damage a link does (see {@link LinkParams}). Damage on the wire fails the
 * Ethernet FCS and the frame is discarded by the receiving port, so nothing above the link ever
 * sees it, ARP included. Damage past the FCS reaches the host, and the transport checksums catch
 * it and count it as Linux does ({@code TcpInCsumErrors} and {@code TcpInErrs}, tcp_v4_rcv's
 * csum_error; {@code UdpInCsumErrors} and {@code UdpInErrors}, __udp4_lib_rcv;
 * {@code IcmpInCsumErrors} and {@code IcmpInErrors}, icmp_rcv).
 */
class CorruptionScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    @Test
    void damagePastTheFcsIsCaughtByTheTcpChecksumAndTheTransferIsByteExact() {
        LinkParams clean = LinkParams.of(50_000_000L, 2 * MS);
        for (long seed = 1; seed <= 6; seed++) {
            Topologies.ClientRouterServer[] net = new Topologies.ClientRouterServer[1];
            // Damage on the server's link only, so that no segment is damaged twice (two flips
            // can cancel in a one's-complement sum, RFC 1071; one never does).
            var r = TcpTransfer.run(seed, clean, 300_000, 600 * S, TraceSink.NONE, t -> {
                net[0] = t;
                t.clientLink().setParams(clean);
                t.serverLink().setParams(clean.withPayloadCorrupt(0.03));
            });
            assertTrue(r.completed(), "seed " + seed);
            assertEquals(r.sha256Sent(), r.sha256Received(), "seed " + seed);
            SimLink link = net[0].serverLink();
            LinkStats toServer = link.stats(Direction.A_TO_B);
            LinkStats toRouter = link.stats(Direction.B_TO_A);
            var server = net[0].server().counters();
            var client = net[0].client().counters();
            assertTrue(server.get(Counter.TcpInCsumErrors) > 0, "seed " + seed);
            // Every damaged segment is refused and counted: a single flipped bit always changes the
            // sum; a flip that makes the data offset impossible is caught before, as malformed.
            assertEquals(toServer.payloadCorrupted(), server.get(Counter.TcpInErrs), "seed " + seed);
            assertEquals(toRouter.payloadCorrupted(), client.get(Counter.TcpInErrs), "seed " + seed);
            for (var c : List.of(server, client)) {
                assertEquals(c.get(Counter.TcpInCsumErrors), c.drops(DropReason.TCP_CSUM));
                assertEquals(c.get(Counter.TcpInErrs), c.drops(DropReason.TCP_CSUM) + c.drops(DropReason.TCP_MALFORMED),
                        "csum_error and bad_packet both count InErrs");
                assertEquals(0, c.get(Counter.IpExtInCsumErrors), "the IP header is never touched");
            }
            assertEquals(0, toServer.rxCrcErrors() + toRouter.rxCrcErrors());
        }
    }

    @Test
    void damageOnTheWireNeverPoisonsArpAndTheTransferCompletes() {
        for (long seed = 1; seed <= 8; seed++) {
            Topologies.ClientRouterServer[] net = new Topologies.ClientRouterServer[1];
            var r = TcpTransfer.run(seed, LinkParams.of(50_000_000L, 2 * MS).withCorrupt(0.15), 100_000, 3_000 * S,
                    TraceSink.NONE, t -> net[0] = t);
            assertTrue(r.completed(), "seed " + seed + " got " + r.bytesReceived());
            assertEquals(r.sha256Sent(), r.sha256Received(), "seed " + seed);
            var t = net[0];
            long crc = 0;
            for (SimLink l : List.of(t.clientLink(), t.serverLink())) {
                crc += l.stats(Direction.A_TO_B).rxCrcErrors() + l.stats(Direction.B_TO_A).rxCrcErrors();
            }
            assertTrue(crc > 0, "seed " + seed);
            for (NetStack h : List.of(t.client(), t.router(), t.server())) {
                assertEquals(0, h.counters().get(Counter.TcpInCsumErrors) + h.counters().get(Counter.IpExtInCsumErrors),
                        h.name() + ": nothing damaged gets past the FCS");
            }
            // Every neighbour learnt holds the true MAC address of the port it names.
            assertNeighboursTrue(t.client(), t.router());
            assertNeighboursTrue(t.server(), t.router());
            assertNeighboursTrue(t.router(), t.client(), t.server());
        }
    }

    private static void assertNeighboursTrue(NetStack host, NetStack... peers) {
        for (NeighbourTable.Neighbour n : host.ip().neighbours().neighbours()) {
            if (n.mac() == null) {
                continue;
            }
            boolean matches = false;
            for (NetStack p : peers) {
                matches |= p.interfaces().stream().anyMatch(i -> i.address().equals(n.address())
                        && i.macAddress().equals(n.mac()));
            }
            assertTrue(matches, host.name() + " has a wrong neighbour entry: " + n);
        }
    }

    @Test
    void damagePastTheFcsIsCaughtByTheUdpAndIcmpChecksums() {
        try (Simulator sim = new Simulator(17)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            Ipv4Address b = Ipv4Address.parse("10.0.0.2");
            int[] udpReceived = {0};
            int[] pingEvents = {0};
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    s.setReceiveTimeout(Duration.ofSeconds(2));
                    byte[] buf = new byte[2000];
                    while (true) {
                        s.receive(buf);
                        udpReceived[0]++;
                    }
                } catch (ErrnoException e) {
                    assertEquals(netstack4j.socket.Errno.EAGAIN, e.errno());
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp(); PingSocket ping = ctx.host().sockets().ping()) {
                    ping.send(b, 0, new byte[56]); // resolves ARP while the link is clean
                    assertInstanceOf(PingSocket.Reply.class, ping.receive());
                    t.linkA().setParams(LinkParams.of(0, MS).withPayloadCorrupt(1.0));
                    for (int i = 1; i <= 100; i++) {
                        s.sendTo(new byte[200], new Ipv4SocketAddress(b, 9));
                        ping.send(b, i, new byte[56]);
                    }
                    ping.setReceiveTimeout(Duration.ofSeconds(1));
                    try {
                        while (true) {
                            ping.receive();
                            pingEvents[0]++;
                        }
                    } catch (ErrnoException e) {
                        assertEquals(netstack4j.socket.Errno.EAGAIN, e.errno());
                    }
                }
            });
            sim.run();
            var c = t.b().counters();
            LinkStats damaged = t.linkA().stats(Direction.A_TO_B);
            assertEquals(200, damaged.payloadCorrupted(), "every datagram and echo request, no ARP");
            // A flip that makes the UDP length longer than the datagram is a short packet (an
            // error but not a checksum error, as in Linux); a flip of a checksum with one bit set
            // to 0 ("no checksum") delivers intact data. Every other flip is a checksum error.
            assertEquals(100, c.get(Counter.UdpInErrors) + udpReceived[0]);
            assertEquals(c.get(Counter.UdpInErrors), c.drops(DropReason.UDP_CSUM) + c.drops(DropReason.UDP_MALFORMED));
            assertEquals(c.get(Counter.UdpInCsumErrors), c.drops(DropReason.UDP_CSUM));
            assertTrue(c.get(Counter.UdpInCsumErrors) > 90, "most flips are checksum errors");
            assertEquals(100, c.get(Counter.IcmpInCsumErrors), "no echo request gets through");
            assertEquals(c.get(Counter.IcmpInCsumErrors), c.get(Counter.IcmpInErrors));
            assertEquals(c.get(Counter.IcmpInCsumErrors), c.drops(DropReason.ICMP_CSUM));
            assertEquals(0, pingEvents[0], "so no echo reply comes back");
            assertEquals(0, c.get(Counter.IpExtInCsumErrors));
        }
    }
}
