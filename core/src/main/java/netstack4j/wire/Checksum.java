package netstack4j.wire;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, an odd final byte padded with a zero byte.
 *
 * <p>{@link #sum} accumulates without folding so that a checksum can be computed over several
 * pieces (pseudo-header, header, payload) and folded once with {@link #fold}. Every piece but the
 * last must have an even length, or the words of later pieces would be misaligned.
 * Nothing here allocates.
 */
public final class Checksum {
    private static final java.lang.invoke.VarHandle LONG_BIG_ENDIAN =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Adds the 16-bit words of {@code b[off, off+len)} to {@code initial}, a running sum from an
     * earlier call (or 0). The result is an unsigned 32-bit one's complement accumulation, carries
     * folded back only when they leave 32 bits (RFC 1071 section 2, "deferred carries").
     */
    public static int sum(byte[] b, int off, int len, int initial) {
        long s = initial & 0xffff_ffffL;
        int end = off + len;
        int i = off;
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        // Eight bytes per step, as two big-endian 32-bit words in a 64-bit accumulator (RFC 1071
        // section 2(B) and 2(C): a 32-bit word is congruent to the sum of its two 16-bit halves
        // modulo 2^16 - 1, and carries can be deferred). A 64 KiB packet cannot overflow it.
        for (; i + 7 < end; i += 8) {
            long v = (long) LONG_BIG_ENDIAN.get(b, i);
            s += (v >>> 32) + (v & 0xffff_ffffL);
        }
        for (; i + 3 < end; i += 4) {
            s += ((b[i] & 0xff) << 8 | (b[i + 1] & 0xff)) + ((b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff));
        }
        if (i + 1 < end) {
            s += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            // RFC 1071 section 4.1: an odd byte is the high half of a final word.
            s += (b[i] & 0xff) << 8;
        }
        while ((s >>> 32) != 0) {
            s = (s & 0xffff_ffffL) + (s >>> 32);
        }
        return (int) s;
    }

    /** Folds a running sum to 16 bits and complements it: the value for a checksum field. */
    public static int fold(int sum) {
        long s = sum & 0xffff_ffffL;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /**
     * The checksum of {@code b[off, off+len)}. Over a region that includes a correct checksum
     * field the result is 0, which is how receivers verify (RFC 1071 section 1).
     */
    public static int compute(byte[] b, int off, int len) {
        return fold(sum(b, off, len, 0));
    }

    /**
     * The partial sum of the IPv4 pseudo-header that UDP (RFC 768) and TCP (RFC 9293 section
     * 3.1) include in their checksums: source, destination, zero, protocol, and the transport
     * length (header plus data).
     */
    public static int pseudoHeaderSum(Ipv4Address src, Ipv4Address dst, int protocol, int length) {
        return pseudoHeaderSum(src.value(), dst.value(), protocol, length);
    }

    /** {@link #pseudoHeaderSum(Ipv4Address, Ipv4Address, int, int)} on raw addresses. */
    public static int pseudoHeaderSum(int src, int dst, int protocol, int length) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff);
    }

    /**
     * Completes the TCP checksum of the IPv4 packet at {@code a[ipOff]} whose checksum field
     * holds only the pseudo-header part (Linux's CHECKSUM_PARTIAL): what {@code skb_checksum_help}
     * does before a device that cannot checksum, and what a card with checksum offload does in
     * hardware before the wire.
     */
    public static void completeTcp4(byte[] a, int ipOff) {
        int ihl = (a[ipOff] & 0x0f) * 4;
        int total = (a[ipOff + 2] & 0xff) << 8 | (a[ipOff + 3] & 0xff);
        int tcp = ipOff + ihl;
        int len = total - ihl;
        int src = (a[ipOff + 12] & 0xff) << 24 | (a[ipOff + 13] & 0xff) << 16 | (a[ipOff + 14] & 0xff) << 8 | (a[ipOff + 15] & 0xff);
        int dst = (a[ipOff + 16] & 0xff) << 24 | (a[ipOff + 17] & 0xff) << 16 | (a[ipOff + 18] & 0xff) << 8 | (a[ipOff + 19] & 0xff);
        a[tcp + 16] = 0;
        a[tcp + 17] = 0;
        int c = fold(sum(a, tcp, len, pseudoHeaderSum(src, dst, IpProtocol.TCP, len)));
        a[tcp + 16] = (byte) (c >>> 8);
        a[tcp + 17] = (byte) c;
    }
}
