package netstack4j.ip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;

/** Whatever arrives on the wire, the stack neither throws nor loses track of it. */
class HostileFrameProperties {

    /**
     * Every frame is accounted for: dropped with a reason, delivered to a protocol, held for
     * reassembly, or answered (ARP).
     */
    private static void assertAccounted(TestHost h, byte[] frame) {
        Counters c = h.stack.counters();
        long before = c.totalDrops() + c.get(Counter.IpInDelivers) + c.get(Counter.IpReasmReqds);
        int sentBefore = h.device.sent.size();
        int neighboursBefore = h.stack.ip().neighbours().neighbours().size();
        h.receive(frame);
        long after = c.totalDrops() + c.get(Counter.IpInDelivers) + c.get(Counter.IpReasmReqds);
        boolean arpHandled = h.device.sent.size() > sentBefore
                || h.stack.ip().neighbours().neighbours().size() != neighboursBefore;
        assertTrue(after > before || arpHandled, "frame neither delivered nor counted");
    }

    @Property(tries = 2000)
    void randomBytesNeverThrowAndAreCounted(@ForAll("frames") byte[] frame) {
        assertAccounted(new TestHost(), frame);
    }

    @Property(tries = 2000)
    void mutatedValidFramesNeverThrowAndAreCounted(@ForAll("mutations") int[] flips, @ForAll("lengths") int cut) {
        TestHost h = new TestHost();
        byte[] f = h.udpFrame(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        for (int i = 0; i + 1 < flips.length; i += 2) {
            int at = Math.floorMod(flips[i], f.length);
            f[at] ^= (byte) flips[i + 1];
        }
        byte[] frame = java.util.Arrays.copyOf(f, Math.min(f.length, cut));
        assertAccounted(h, frame);
    }

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(120);
        // Half of them addressed to the host's MAC with an IPv4 or ARP EtherType, to get past Ethernet.
        Arbitrary<Integer> type = Arbitraries.of(0x0800, 0x0806, -1);
        return Combinators.combine(raw, type).as((b, t) -> {
            if (t >= 0 && b.length >= 14) {
                System.arraycopy(new byte[] {2, 0, 0, 0, 0, 1}, 0, b, 0, 6);
                b[12] = (byte) (t >>> 8);
                b[13] = (byte) (int) t;
            }
            return b;
        });
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, 255).array(int[].class).ofMinSize(0).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(0, 100);
    }
}
