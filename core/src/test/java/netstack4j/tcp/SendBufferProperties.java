package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SendBufferProperties {

    /** Random writes, acknowledgements and segment copies agree byte for byte with a plain array model. */
    @Property(tries = 200)
    void behavesLikeAByteQueue(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5000) int capacity,
                               @ForAll @IntRange(min = 4, max = 10) int chunkShift) {
        Random rnd = new Random(seed);
        SendBuffer b = new SendBuffer(capacity, 1 << chunkShift);
        byte[] stream = new byte[200_000];
        rnd.nextBytes(stream);
        int written = 0;
        int acked = 0;
        for (int step = 0; step < 300 && written < stream.length - 10_000; step++) {
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    int len = rnd.nextInt(3000);
                    int n = b.write(stream, written, len);
                    assertEquals(Math.min(len, Math.max(0, b.capacity() - (written - acked))), n);
                    written += n;
                }
                case 1 -> {
                    int n = rnd.nextInt(written - acked + 1);
                    b.acknowledge(n);
                    acked += n;
                }
                case 2 -> {
                    int size = written - acked;
                    int off = rnd.nextInt(size + 1);
                    int len = rnd.nextInt(2000);
                    byte[] dst = new byte[len + 3];
                    int n = b.copyTo(off, dst, 3, len);
                    assertEquals(Math.min(len, size - off), n);
                    assertArrayEquals(Arrays.copyOfRange(stream, acked + off, acked + off + n),
                            Arrays.copyOfRange(dst, 3, 3 + n));
                }
                default -> b.setCapacity(rnd.nextInt(6000));
            }
            assertEquals(written - acked, b.size());
            long chunk = 1L << chunkShift;
            long maxChunks = b.size() == 0 ? 0 : (b.size() + chunk - 1) / chunk + 1;
            assertTrue(b.allocatedBytes() <= maxChunks * chunk, "allocated " + b.allocatedBytes());
            assertTrue(b.allocatedBytes() >= (long) b.size(), "holds at least its bytes");
        }
        b.acknowledge(b.size());
        assertEquals(0, b.allocatedBytes());
    }
}
