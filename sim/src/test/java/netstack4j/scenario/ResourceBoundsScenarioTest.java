package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.stack.NetStack;
import netstack4j.wire.BufferPool;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import org.junit.jupiter.api.Test;

/**
 * What a flood can make a stack hold is bounded: frames waiting for ARP are charged the buffer
 * they pin (Linux's skb truesize against unres_qlen_bytes), the neighbour table stops at
 * gc_thresh3 entries, and every frame buffer comes back to the pool once the flood is over.
 */
class ResourceBoundsScenarioTest {
    static final long S = 1_000_000_000L;
    static final Ipv4Address VICTIM = Ipv4Address.parse("10.1.0.1");

    private static FakeHost attacker(Simulator sim, NetStack victim) {
        return FakeHost.cable(sim, victim, VICTIM, 16, Ipv4Address.parse("10.1.0.2"), LinkParams.of(0, 1_000_000));
    }

    /** SYNs to a listener from {@code sources} spoofed addresses on the victim's /16, none of which answers ARP. */
    private static void synFlood(Simulator sim, NetStack victim, FakeHost attacker, int sources, int synsEach) {
        sim.spawn(victim, "server", ctx -> ctx.host().sockets().listen(new Ipv4SocketAddress(VICTIM, 80), 8));
        sim.runFor(S / 10);
        for (int i = 0; i < sources; i++) {
            Ipv4Address src = Ipv4Address.of(10, 1, 1 + i / 250, 2 + i % 250);
            for (int k = 0; k < synsEach; k++) {
                byte[] seg = FakeHost.tcp(src, VICTIM, 1024 + k, 80, 1000 * i + k, 0, TcpFlags.SYN);
                attacker.sendIp(victim.interfaces().get(1).macAddress(),
                        FakeHost.ip(Ipv4Header.of(IpProtocol.TCP, src, VICTIM, seg.length, 64, i, false), seg));
            }
        }
    }

    @Test
    void aSpoofedSynFloodIsBoundedByTheNeighbourTable() {
        try (Simulator sim = new Simulator(1)) {
            NetStack victim = sim.newHost("victim");
            synFlood(sim, victim, attacker(sim, victim), 3000, 1);
            sim.runFor(S / 10);
            // gc_thresh3: at most 1024 neighbours; the rest of the SYN-ACKs are refused, counted.
            assertTrue(victim.ip().neighbours().neighbours().size() <= 1024);
            assertTrue(victim.ip().neighbours().tableFulls() > 0);
            assertTrue(sim.bufferPool().inUse() <= 1024 + 8, "frames pinned: " + sim.bufferPool().inUse());
            sim.runFor(300 * S); // resolution fails, SYN-ACK retries run out, cookies expire
            assertEquals(0, sim.bufferPool().inUse(), "every frame buffer back in the pool");
            assertEquals(0, victim.tcp().memoryBytes());
        }
    }

    @Test
    void framesWaitingForArpAreChargedTheBufferTheyPin() {
        // 300 SYNs from one silent source: each SYN-ACK (or cookie) pins a 2 KiB buffer, so
        // unres_qlen_bytes (212992) holds about a hundred of them, not 212992 / 58 bytes.
        try (Simulator sim = new Simulator(2)) {
            NetStack victim = sim.newHost("victim");
            synFlood(sim, victim, attacker(sim, victim), 1, 300);
            sim.runFor(S / 10);
            int perFrame = BufferPool.BUFFER_BYTES + PacketBuffer.OVERHEAD_BYTES;
            long pinned = sim.bufferPool().inUse();
            assertTrue(pinned <= victim.config().arpUnresQlenBytes() / perFrame, pinned + " frames queued");
            assertTrue(pinned > 50, pinned + " frames queued");
            sim.runFor(300 * S);
            assertEquals(0, sim.bufferPool().inUse());
        }
    }

    @Test
    void theFramePoolHasALimitAndSendersDropPastIt() {
        BufferPool pool = new BufferPool(4, 3);
        PacketBuffer a = pool.acquire(PacketBuffer.DEFAULT_HEADROOM, 100);
        pool.acquire(PacketBuffer.DEFAULT_HEADROOM, 100);
        pool.acquire(PacketBuffer.DEFAULT_HEADROOM, 100);
        assertEquals(null, pool.acquire(PacketBuffer.DEFAULT_HEADROOM, 100));
        assertEquals(1, pool.refused());
        pool.recycle(a);
        assertEquals(2, pool.inUse());
        assertTrue(pool.acquire(PacketBuffer.DEFAULT_HEADROOM, 100) != null);
        pool.recycle(a.copy()); // not this pool's: no change to what it counts
        assertEquals(3, pool.inUse());
    }
}
