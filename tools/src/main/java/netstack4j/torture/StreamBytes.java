package netstack4j.torture;

import java.util.Arrays;

/**
 * The bytes one direction of one connection carries: a SplitMix64 stream from the direction's
 * own seed. The writer {@link #fill}s from one, the reader {@link #check}s against another of the
 * same seed, so every byte is compared where it lands, in order, with nothing stored.
 *
 * <p>Thread-compatible: each instance is used by one simulated process.
 */
final class StreamBytes {
    private long state;
    private long word;
    private int left;
    private byte[] scratch = new byte[0];

    StreamBytes(long seed) {
        this.state = seed;
    }

    /** The seed of the stream of connection {@code conn} in direction {@code toServer}, in run {@code runSeed}. */
    static long seedOf(long runSeed, int conn, boolean toServer) {
        return RunSeeds.mix(runSeed * 31 + conn * 2L + (toServer ? 1 : 0));
    }

    /** Writes the next {@code len} bytes of the stream into {@code b}. */
    void fill(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (left == 0) {
                word = next();
                left = 8;
            }
            b[off + i] = (byte) word;
            word >>>= 8;
            left--;
        }
    }

    /**
     * Compares {@code b[off, off + len)} with the next {@code len} bytes of the stream; returns the
     * index (from {@code off}) of the first byte that differs, or -1 when all match.
     */
    int check(byte[] b, int off, int len) {
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, 2 * scratch.length)];
        }
        fill(scratch, 0, len);
        return Arrays.mismatch(b, off, off + len, scratch, 0, len);
    }

    /**
     * After a {@link #check} that found a difference: true when the bytes received differ from
     * the stream's in a way the Internet checksum cannot see (RFC 1071: a ones'-complement sum of
     * 16-bit words), for one of the two ways the bytes can fall into words. Two bit flips at the
     * same position of two words, one 0 to 1 and one 1 to 0, cancel out: corruption past the FCS
     * that TCP on Linux would deliver too (a datagram's fragments are corrupted one by one).
     */
    boolean checksumBlind(byte[] b, int off, int len) {
        for (int align = 0; align < 2; align++) {
            long sum = 0;
            for (int i = 0; i < len; i++) {
                int d = (b[off + i] & 0xff) - (scratch[i] & 0xff);
                if (d != 0) {
                    sum += (long) d * (((i + align) & 1) == 0 ? 256 : 1);
                }
            }
            if (Math.floorMod(sum, 0xFFFF) == 0) {
                return true;
            }
        }
        return false;
    }

    private long next() {
        long z = state += 0x9E3779B97F4A7C15L;
        return RunSeeds.mix(z);
    }
}
