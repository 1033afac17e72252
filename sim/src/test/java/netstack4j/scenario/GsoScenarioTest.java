package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import netstack4j.link.NetworkDevice;
import netstack4j.link.TapDevice;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.PacketBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TSO and GSO on the send path (validate_xmit_skb, skb_gso_segment): bulk data both ways at once
 * over a lossy, reordering link arrives byte for byte whatever the offloads, and the tap in front
 * of each sender's card ({@code tcpdump -i}) sees super-segments only when the card has TSO.
 */
class GsoScenarioTest {
    static final long MS = 1_000_000L;
    static final int FRAME_MTU = 14 + 1500;

    /** The largest frame each host's tap saw leave and arrive, as tcpdump on the interface would. */
    static final class Tap extends TapDevice {
        int largestTx;
        int largestRx;
        int rxFrames;

        Tap(NetworkDevice inner) {
            super(inner);
        }

        @Override
        protected boolean onTransmit(PacketBuffer frame) {
            largestTx = Math.max(largestTx, frame.length());
            return true;
        }

        @Override
        protected void onReceive(PacketBuffer frame) {
            largestRx = Math.max(largestRx, frame.length());
            rxFrames++;
        }
    }

    @ParameterizedTest(name = "seed {0}, tso {1}, gso {2}")
    @CsvSource({"1, true, true", "2, true, true", "3, false, true", "4, false, true", "5, false, false",
                "6, false, false", "7, true, true", "8, false, true"})
    void bulkBothWaysIsByteExactWithAndWithoutOffloads(long seed, boolean tso, boolean gso) {
        try (Simulator sim = new Simulator(seed)) {
            Map<NetStack, Tap> taps = new HashMap<>();
            LinkParams params = LinkParams.of(200_000_000L, 2 * MS).withLoss(0.01).withReorder(0.01);
            var pair = Topologies.hostPair(sim, params, (host, port) -> {
                port.features().tso(tso).gso(gso);
                Tap t = new Tap(port);
                taps.put(host, t);
                return t;
            });
            Ipv4SocketAddress server = Ipv4SocketAddress.of("10.0.0.2", 5001);
            byte[] up = new byte[400_000];
            byte[] down = new byte[250_000];
            new java.util.Random(seed).nextBytes(up);
            new java.util.Random(seed + 100).nextBytes(down);
            ByteArrayOutputStream gotUp = new ByteArrayOutputStream();
            ByteArrayOutputStream gotDown = new ByteArrayOutputStream();
            sim.spawn(pair.b(), "server", ctx -> {
                TcpListener l = ctx.host().sockets().listen(server, 4);
                TcpSocket s = l.accept();
                sim.spawn(pair.b(), "server-writer", w -> {
                    s.write(down, 0, down.length);
                    s.shutdown(netstack4j.socket.Shutdown.WRITE);
                });
                drain(s, gotUp);
            });
            sim.spawn(pair.a(), "client", ctx -> {
                TcpSocket c = ctx.host().sockets().tcp();
                c.connect(server);
                sim.spawn(pair.a(), "client-reader", r -> drain(c, gotDown));
                c.write(up, 0, up.length);
                c.shutdown(netstack4j.socket.Shutdown.WRITE);
            });
            assertTrue(sim.runUntil(() -> gotUp.size() == up.length && gotDown.size() == down.length
                    && sim.processes().stream().allMatch(p -> p.isDone()), 120_000 * MS), "transfer finished");
            assertArrayEquals(up, gotUp.toByteArray(), "a to b");
            assertArrayEquals(down, gotDown.toByteArray(), "b to a");
            Tap a = taps.get(pair.a());
            Tap b = taps.get(pair.b());
            assertEquals(tso, a.largestTx > FRAME_MTU, "a's tap sees super-segments only with TSO: " + a.largestTx);
            assertEquals(tso, b.largestTx > FRAME_MTU, "b's tap sees super-segments only with TSO: " + b.largestTx);
            assertTrue(a.largestRx <= FRAME_MTU && b.largestRx <= FRAME_MTU, "the wire carries MSS-sized segments");
        }
    }

    @ParameterizedTest(name = "seed {0}, gro {1}, damaged {2}")
    @CsvSource({"11, true, 0", "12, true, 0", "13, false, 0", "14, true, 0.01", "15, true, 0.01"})
    void groMergesTheBurstsThatArriveTogetherAndKeepsTheBytesExact(long seed, boolean gro, double damaged) {
        // A link without bandwidth limit delivers each TSO burst at one instant: one NAPI batch,
        // whose segments GRO merges (napi_gro_receive) into aggregates TCP takes whole. A segment
        // damaged past the FCS is checked before it could merge: it goes up alone, TCP counts it.
        try (Simulator sim = new Simulator(seed)) {
            Map<NetStack, Tap> taps = new HashMap<>();
            LinkParams params = LinkParams.of(0, 1 * MS).withLoss(0.002).withPayloadCorrupt(damaged);
            var pair = Topologies.hostPair(sim, params, (host, port) -> {
                port.features().gro(gro);
                Tap t = new Tap(port);
                taps.put(host, t);
                return t;
            });
            Ipv4SocketAddress server = Ipv4SocketAddress.of("10.0.0.2", 5001);
            byte[] up = new byte[600_000];
            new java.util.Random(seed).nextBytes(up);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            sim.spawn(pair.b(), "server", ctx -> drain(ctx.host().sockets().listen(server, 4).accept(), got));
            sim.spawn(pair.a(), "client", ctx -> {
                TcpSocket c = ctx.host().sockets().tcp();
                c.connect(server);
                c.write(up, 0, up.length);
                c.close();
            });
            assertTrue(sim.runUntil(() -> got.size() == up.length && sim.processes().stream().allMatch(p -> p.isDone()),
                    60_000 * MS), "transfer finished");
            assertArrayEquals(up, got.toByteArray());
            Tap b = taps.get(pair.b());
            long inSegs = pair.b().counters().get(netstack4j.stack.Counter.TcpInSegs);
            assertTrue(b.rxFrames > 400, "b's card took MSS-sized frames: " + b.rxFrames);
            long csumErrors = pair.b().counters().get(netstack4j.stack.Counter.TcpInCsumErrors);
            assertEquals(damaged > 0, csumErrors > 0, "damaged segments counted by TCP: " + csumErrors);
            if (gro) {
                assertTrue(inSegs * 2 < b.rxFrames, "TCP took aggregates: " + inSegs + " segments in for " + b.rxFrames + " frames");
            } else {
                assertTrue(inSegs >= b.rxFrames - 5, "without GRO every frame is a segment: " + inSegs + " for " + b.rxFrames);
            }
        }
    }

    private static void drain(TcpSocket s, ByteArrayOutputStream into) throws Exception {
        byte[] buf = new byte[16384];
        int n;
        while ((n = s.read(buf, 0, buf.length)) > 0) {
            into.write(buf, 0, n);
        }
    }
}
