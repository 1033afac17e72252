package netstack4j.tcp;

/**
 * Arithmetic on 32-bit TCP sequence numbers held in {@code int}s. Sequence space is a circle of
 * 2^32 values (RFC 9293 section 3.4): "a" is before "b" when the signed 32-bit difference
 * {@code a - b} is negative, the serial number comparison of RFC 1982 section 3.2. The comparison
 * is meaningful only for values less than 2^31 apart; at exactly 2^31 apart both {@code lt(a, b)}
 * and {@code lt(b, a)} hold, which RFC 1982 leaves undefined. Never compare sequence numbers with
 * {@code <} on raw ints.
 *
 * <p>Stateless; safe from any thread.
 */
public final class SeqNum {
    private SeqNum() {
    }

    /** {@code a} is strictly before {@code b} (RFC 9293 section 3.4, "&lt;" on sequence numbers). */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a} is before or equal to {@code b}. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a} is strictly after {@code b}. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a} is after or equal to {@code b}. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /**
     * {@code start <= seq < start + size} on the circle (the window tests of RFC 9293 section
     * 3.10.7.4). {@code size} is read as unsigned: 0 is an empty window; sizes up to 2^31 make sense.
     */
    public static boolean inWindow(int seq, int start, int size) {
        return Integer.compareUnsigned(seq - start, size) < 0;
    }

    /** {@code seq + n} modulo 2^32. */
    public static int add(int seq, int n) {
        return seq + n;
    }

    /**
     * {@code a - b} as a signed distance: positive when {@code a} is after {@code b}. For the
     * length of a range {@code [b, a)} with {@code a} after {@code b}.
     */
    public static int diff(int a, int b) {
        return a - b;
    }

    /** The later of {@code a} and {@code b}. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    /** The earlier of {@code a} and {@code b}. */
    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }

    /** As a person reads it: the unsigned decimal value, as tcpdump prints sequence numbers. */
    public static String toString(int seq) {
        return Integer.toUnsignedString(seq);
    }
}
