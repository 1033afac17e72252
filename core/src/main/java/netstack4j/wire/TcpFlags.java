package netstack4j.wire;

/**
 * The TCP control bits (RFC 9293 section 3.1; ECE and CWR from RFC 3168 section 6.1) as bits of
 * an {@code int}, and their tcpdump spelling.
 */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final int[] BITS = {FIN, SYN, RST, PSH, ACK, URG, ECE, CWR};
    private static final char[] LETTERS = {'F', 'S', 'R', 'P', '.', 'U', 'E', 'W'};

    private TcpFlags() {
    }

    /** True when every bit of {@code wanted} is set in {@code flags}. */
    public static boolean has(int flags, int wanted) {
        return (flags & wanted) == wanted;
    }

    /**
     * As tcpdump prints them, in bit order with ACK as a dot: {@code [S]}, {@code [S.]},
     * {@code [P.]}, {@code [F.]}, {@code [R]}, {@code [.]}, and {@code [none]} for no bits.
     */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder(10).append('[');
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                sb.append(LETTERS[i]);
            }
        }
        if (sb.length() == 1) {
            sb.append("none");
        }
        return sb.append(']').toString();
    }
}
