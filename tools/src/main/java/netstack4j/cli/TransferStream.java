package netstack4j.cli;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bytes {@code transfer} sends: chunk {@code i} of {@link #CHUNK} bytes is one seeded random
 * block with {@code i} in its first 8 bytes (big-endian), so every chunk differs and the stream
 * can be regenerated anywhere, which lets the receiver check each byte as it arrives.
 *
 * <p>Immutable after construction; {@link #fill} writes into the caller's buffer.
 */
final class TransferStream {
    static final int CHUNK = 256 * 1024;
    private static final int INDEX_BYTES = 8;

    private final byte[] block = new byte[CHUNK];

    TransferStream(long seed) {
        new SplittableRandom(seed).nextBytes(block);
    }

    /** Puts chunk {@code index} into {@code chunk} (of {@link #CHUNK} bytes). */
    void fill(byte[] chunk, long index) {
        System.arraycopy(block, INDEX_BYTES, chunk, INDEX_BYTES, CHUNK - INDEX_BYTES);
        for (int i = 0; i < INDEX_BYTES; i++) {
            chunk[i] = indexByte(index, i);
        }
    }

    /** True when {@code b[0, n)} are the stream's bytes from {@code offset} on. */
    boolean matches(byte[] b, int n, long offset) {
        int done = 0;
        while (done < n) {
            long at = offset + done;
            long index = at / CHUNK;
            int pos = (int) (at % CHUNK);
            int run = Math.min(n - done, CHUNK - pos);
            for (int i = 0; i < run && pos + i < INDEX_BYTES; i++) {
                if (b[done + i] != indexByte(index, pos + i)) {
                    return false;
                }
            }
            int skip = Math.max(0, INDEX_BYTES - pos);
            if (skip < run && !Arrays.equals(b, done + skip, done + run, block, pos + skip, pos + run)) {
                return false;
            }
            done += run;
        }
        return true;
    }

    private static byte indexByte(long index, int i) {
        return (byte) (index >>> (56 - 8 * i));
    }
}
