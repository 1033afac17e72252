package netstack4j.tcp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The byte format the stack fuzz targets decode their steps from: a cursor over the fuzzer's
 * bytes, read front to back, big-endian. Every read is total: past the end it returns zeros (and
 * {@link #bytes} returns what is left), so any input is a valid program and a prefix of a
 * program is a shorter one. {@link Writer} writes the same format, so that seed inputs are
 * programs written in code ({@link FuzzSeeds}), not bytes typed by hand.
 *
 * <p>Not thread-safe; one target invocation owns one.
 */
final class FuzzInput {
    private final byte[] b;
    private int pos;

    FuzzInput(byte[] b) {
        this.b = b;
    }

    boolean hasMore() {
        return pos < b.length;
    }

    int u8() {
        return pos < b.length ? b[pos++] & 0xff : 0;
    }

    int u16() {
        return u8() << 8 | u8();
    }

    int s32() {
        return u16() << 16 | u16();
    }

    /** A value in [0, n): one byte when n fits in a byte, else two. */
    int below(int n) {
        return (n <= 256 ? u8() : u16()) % n;
    }

    /** A signed byte: small deltas around an edge. */
    int s8() {
        return (byte) u8();
    }

    /** A signed 16-bit value. */
    int s16() {
        return (short) u16();
    }

    /** Up to {@code n} bytes (fewer when the input ends first). */
    byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, b.length - pos));
        byte[] out = Arrays.copyOfRange(b, pos, pos + k);
        pos += k;
        return out;
    }

    /** Writes programs in the format {@link FuzzInput} reads. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int v) {
            out.write(v & 0xff);
            return this;
        }

        Writer u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Writer s32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Writer bytes(byte[] v) {
            out.write(v, 0, v.length);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
