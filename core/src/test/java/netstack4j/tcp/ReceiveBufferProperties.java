package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReceiveBufferProperties {

    /**
     * A sender that retransmits until acknowledged: each round it cuts what is not yet acknowledged
     * (and up to a window beyond) into random overlapping segments, duplicates some, shuffles them,
     * and the receiver's application reads a random amount. The bytes read equal the stream.
     */
    @Property(tries = 300)
    void reassemblesAnySegmentationOrderAndDuplication(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 20_000) int streamLength,
            @ForAll @IntRange(min = 1, max = 8000) int capacity,
            @ForAll @IntRange(min = 4, max = 12) int chunkShift,
            @ForAll @IntRange(min = 1, max = 40) int maxIntervals) {
        Random rnd = new Random(seed);
        byte[] stream = new byte[streamLength];
        rnd.nextBytes(stream);
        ReceiveBuffer b = new ReceiveBuffer(capacity, 1 << chunkShift, maxIntervals);
        ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        long rcvNxt = 0;
        byte[] app = new byte[3000];
        for (int round = 0; rcvNxt < streamLength || b.readable() > 0; round++) {
            assertTrue(round < 1000 + 4L * streamLength, "no progress");
            List<int[]> segments = cut(rnd, (int) rcvNxt, Math.min(streamLength, (int) rcvNxt + capacity + 500));
            for (int[] seg : segments) {
                int offset = (int) (seg[0] - rcvNxt);
                int advanced = b.insert(offset, stream, seg[0], seg[1]);
                if (advanced > 0) {
                    rcvNxt += advanced;
                }
                checkInvariants(b, capacity);
            }
            int n = b.read(app, 0, rnd.nextInt(app.length + 1));
            delivered.write(app, 0, n);
        }
        assertArrayEquals(stream, delivered.toByteArray());
        assertEquals(0, b.allocatedBytes());
    }

    /** Random segments covering [from, to) with overlaps, some duplicated, some stale, shuffled. */
    private static List<int[]> cut(Random rnd, int from, int to) {
        List<int[]> segs = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            int len = Math.min(to - pos, 1 + rnd.nextInt(1500));
            int back = Math.min(pos, rnd.nextInt(4) == 0 ? rnd.nextInt(300) : 0); // overlap with earlier bytes
            segs.add(new int[] {pos - back, len + back});
            if (rnd.nextInt(5) == 0) {
                segs.add(new int[] {pos - back, len + back}); // duplicate
            }
            pos += len;
        }
        Collections.shuffle(segs, rnd);
        return segs;
    }

    private static void checkInvariants(ReceiveBuffer b, int capacity) {
        assertTrue(b.readable() >= 0 && b.readable() <= capacity);
        assertEquals(capacity - b.readable(), b.window());
        assertTrue(b.intervalCount() >= 0);
        int[] last = {0};
        b.forEachInterval((off, len) -> {
            assertTrue(off > last[0], "intervals start after RCV.NXT and do not touch");
            assertTrue(len > 0 && off + len <= b.window());
            last[0] = off + len;
        });
    }
}
