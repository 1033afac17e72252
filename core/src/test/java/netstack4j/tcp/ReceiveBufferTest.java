package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] readAll(ReceiveBuffer b) {
        byte[] out = new byte[b.readable()];
        assertEquals(out.length, b.read(out, 0, out.length));
        return out;
    }

    @Test
    void inOrderDataIsReadableAtOnce() {
        ReceiveBuffer b = new ReceiveBuffer(1000, 16, 4);
        assertEquals(100, b.insert(0, bytes(0, 100), 0, 100));
        assertEquals(100, b.readable());
        assertEquals(900, b.window());
        byte[] dst = new byte[30];
        assertEquals(30, b.read(dst, 0, 30));
        assertArrayEquals(bytes(0, 30), dst);
        assertEquals(70, b.readable());
        assertEquals(930, b.window());
    }

    @Test
    void outOfOrderDataWaitsForTheGap() {
        ReceiveBuffer b = new ReceiveBuffer(1000, 16, 4);
        assertEquals(0, b.insert(100, bytes(100, 50), 0, 50));
        assertEquals(0, b.insert(200, bytes(200, 50), 0, 50));
        assertEquals(0, b.readable());
        assertEquals(100, b.outOfOrderBytes());
        List<int[]> sack = new ArrayList<>();
        b.forEachInterval((off, len) -> sack.add(new int[] {off, len}));
        assertEquals(2, sack.size());
        assertArrayEquals(new int[] {100, 50}, sack.get(0));
        assertArrayEquals(new int[] {200, 50}, sack.get(1));
        assertEquals(150, b.insert(0, bytes(0, 100), 0, 100)); // fills the first gap: RCV.NXT jumps to 150
        assertEquals(1, b.intervalCount());
        assertEquals(100, b.insert(0, bytes(150, 50), 0, 50)); // the second: 150..250 contiguous
        assertArrayEquals(bytes(0, 250), readAll(b));
        assertEquals(0, b.intervalCount());
    }

    @Test
    void duplicatesAndOverlapsAreTrimmedAndKeepHeldData() {
        ReceiveBuffer b = new ReceiveBuffer(1000, 16, 4);
        b.insert(0, bytes(0, 100), 0, 100);
        assertEquals(0, b.insert(-50, bytes(50, 50), 0, 50)); // wholly old: a duplicate
        assertEquals(20, b.insert(-30, bytes(70, 50), 0, 50)); // 30 old, 20 new
        assertEquals(0, b.insert(50, bytes(170, 20), 0, 20));    // RCV.NXT is 120: held out of order, 170..190
        byte[] different = new byte[60];                         // overlapping retransmit with other bytes
        assertEquals(70, b.insert(0, different, 0, 60));          // 120..180: fills 120..170, keeps 170..180
        byte[] got = readAll(b);
        assertEquals(190, got.length);
        assertArrayEquals(bytes(0, 120), java.util.Arrays.copyOf(got, 120));
        assertEquals(0, got[150]);
        assertEquals(0, got[169]);
        assertEquals((byte) 170, got[170]);
        assertEquals((byte) 189, got[189]);
    }

    @Test
    void dataBeyondTheWindowIsDropped() {
        ReceiveBuffer b = new ReceiveBuffer(100, 16, 4);
        assertEquals(100, b.insert(0, bytes(0, 150), 0, 150)); // RFC 9293 section 3.10.7.4: trimmed
        assertEquals(0, b.window());
        assertEquals(0, b.insert(0, bytes(100, 10), 0, 10));    // zero window
        assertEquals(0, b.insert(5, bytes(105, 10), 0, 10));
        byte[] some = new byte[40];
        b.read(some, 0, 40);
        assertEquals(40, b.window());
        assertEquals(0, b.insert(30, bytes(130, 20), 0, 20));   // 130..140 held, 140..150 beyond the window
        assertEquals(10, b.outOfOrderBytes());
    }

    @Test
    void tooManyHolesAreRefused() {
        ReceiveBuffer b = new ReceiveBuffer(1000, 16, 2);
        assertEquals(0, b.insert(10, new byte[5], 0, 5));
        assertEquals(0, b.insert(20, new byte[5], 0, 5));
        assertEquals(ReceiveBuffer.REFUSED, b.insert(30, new byte[5], 0, 5));
        assertEquals(0, b.insert(15, new byte[5], 0, 5));        // joins the two: accepted
        assertEquals(0, b.insert(30, new byte[5], 0, 5));        // now there is room
        assertEquals(25, b.insert(0, new byte[10], 0, 10));       // in-order data is never refused; 30..35 still waits
        assertEquals(1, b.intervalCount());
    }

    @Test
    void memoryGrowsWhenTheApplicationDoesNotReadAndIsReleasedWhenItDoes() {
        ReceiveBuffer b = new ReceiveBuffer(64 * 1024);
        assertEquals(0, b.allocatedBytes());
        b.insert(0, new byte[1460], 0, 1460);
        assertEquals(4096, b.allocatedBytes());
        b.insert(18_540, new byte[1460], 0, 1460);               // out of order at 20000: only its own pages
        assertEquals(3 * 4096, b.allocatedBytes());              // page 0, and pages 4 and 5 for 20000..21460
        for (int off = 1460; off < 20_000; off += 1460) {
            b.insert(0, new byte[1460], 0, Math.min(1460, 20_000 - off));
        }
        assertEquals(21_460, b.readable());
        assertEquals(6 * 4096, b.allocatedBytes());               // 21460 bytes: six pages
        readAll(b);
        assertEquals(0, b.allocatedBytes());
    }

    @Test
    void capacityIsSettable() {
        ReceiveBuffer b = new ReceiveBuffer(100, 16, 4);
        b.insert(0, bytes(0, 80), 0, 80);
        b.setCapacity(50);
        assertEquals(0, b.window());
        b.setCapacity(10_000);
        assertEquals(9_920, b.window());
        assertEquals(5000, b.insert(0, bytes(80, 5000), 0, 5000));
        assertArrayEquals(bytes(0, 5080), readAll(b));
    }

    @Test
    void steadyStateAllocatesNothing() {
        ReceiveBuffer b = new ReceiveBuffer(64 * 1024);
        byte[] seg = new byte[1460];
        byte[] app = new byte[4000];
        ReceiveBuffer.IntervalConsumer sack = (off, len) -> { };
        Runnable round = () -> {
            for (int i = 0; i < 2000; i++) {
                b.insert(1460, seg, 0, seg.length);   // one out of order
                b.forEachInterval(sack);
                b.insert(0, seg, 0, seg.length);      // then the gap fills
                b.read(app, 0, app.length);
            }
        };
        round.run();
        long allocated = Allocations.during(round);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in steady state");
    }

    @Test
    void discardGivesBackOutOfOrderChunksToo() {
        // Found by FragmentTrainFuzzTest: an aborted connection read its RecvQ empty but kept the
        // chunks of out-of-order data charged, with no one left to free them.
        ReceiveBuffer b = new ReceiveBuffer(1000, 16, 4);
        b.insert(0, bytes(0, 20), 0, 20);
        b.insert(100, bytes(100, 50), 0, 50);
        b.insert(300, bytes(300, 5), 0, 5);
        assertTrue(b.allocatedBytes() > 0);
        b.discard();
        assertEquals(0, b.allocatedBytes());
        assertEquals(0, b.readable());
        assertEquals(0, b.intervalCount());
        // RCV.NXT stayed: the next in-order byte is still offset 0.
        assertEquals(10, b.insert(0, bytes(20, 10), 0, 10));
        assertArrayEquals(bytes(20, 10), readAll(b));
    }
}
