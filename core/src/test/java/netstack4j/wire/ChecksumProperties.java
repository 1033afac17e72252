package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChecksumProperties {
    /** RFC 1071 as written: 16-bit big-endian words, odd byte padded, end-around carries. */
    private static int reference(byte[] b, int off, int len, int initial) {
        long s = initial & 0xffff_ffffL;
        for (int i = off; i + 1 < off + len; i += 2) {
            s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        while ((s >>> 32) != 0) {
            s = (s & 0xffff_ffffL) + (s >>> 32);
        }
        return Checksum.fold((int) s);
    }

    /** The word-at-a-time sum agrees with the plain 16-bit sum for any data, offset and start value. */
    @Property(tries = 2000)
    void wideSummationAgreesWithRfc1071(@ForAll @Size(max = 3000) byte[] data, @ForAll @IntRange(max = 15) int skip,
                                        @ForAll int initial) {
        int off = Math.min(skip, data.length);
        int len = data.length - off;
        assertEquals(reference(data, off, len, initial), Checksum.fold(Checksum.sum(data, off, len, initial)));
    }
}
