package netstack4j.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The options of an IPv4 header (RFC 791 section 3.1), kept as the raw bytes received,
 * padding included, so that a forwarded or reflected header is byte-exact.
 *
 * <p>Invariants: at most 40 bytes, a multiple of 4 (the header length counts 32-bit words), and
 * well-formed: End of Option List and No Operation are single bytes, every other option has a
 * length byte of at least 2 that keeps it inside the options.
 */
public record Ipv4Options(byte[] bytes) {
    /** No options: a 20-byte header. */
    public static final Ipv4Options NONE = new Ipv4Options(new byte[0]);
    /** RFC 791 section 3.1: the header is at most 60 bytes, so at most 40 bytes of options. */
    public static final int MAX_LENGTH = 40;
    /** Option type "End of Option List" (RFC 791 section 3.1). */
    public static final int END_OF_LIST = 0;
    /** Option type "No Operation" (RFC 791 section 3.1). */
    public static final int NO_OPERATION = 1;
    /** The copied flag in the option type (RFC 791 section 3.1): copy the option into all fragments. */
    public static final int COPIED_FLAG = 0x80;

    static final String OPTION_TRUNCATED = "IPv4 option truncated";
    static final String OPTION_LENGTH_BELOW_2 = "IPv4 option length below 2";

    public Ipv4Options {
        if (bytes.length > MAX_LENGTH || bytes.length % 4 != 0) {
            throw new IllegalArgumentException("IPv4 options must be 0..40 bytes in 32-bit words, not " + bytes.length);
        }
        bytes = bytes.clone();
        String reason = validate(bytes, 0, bytes.length);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }

    /** Options read from {@code b[off, off+len)}; NONE when {@code len} is 0. */
    public static Ipv4Options read(byte[] b, int off, int len) {
        return len == 0 ? NONE : new Ipv4Options(Arrays.copyOfRange(b, off, off + len));
    }

    /**
     * Null when {@code b[off, off+len)} is a well-formed option list (RFC 791 section 3.1), else
     * why not. Scanning stops at End of Option List; what follows it is padding.
     */
    static String validate(byte[] b, int off, int len) {
        return OptionList.validate(b, off, len, OPTION_TRUNCATED, OPTION_LENGTH_BELOW_2, (kind, length) -> null);
    }

    /** A copy of the raw bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public void write(byte[] b, int off) {
        System.arraycopy(bytes, 0, b, off, bytes.length);
    }

    /**
     * The options to put in every fragment after the first (RFC 791 section 3.1, "copied flag";
     * section 3.2, fragmentation): only options whose copied flag is set, in order, padded with
     * End of Option List to a 32-bit boundary.
     */
    public static Ipv4Options copiedOnFragment(Ipv4Options options) {
        byte[] src = options.bytes;
        byte[] out = new byte[src.length];
        int n = 0;
        int i = 0;
        while (i < src.length) {
            int type = src[i] & 0xff;
            if (type == END_OF_LIST) {
                break;
            }
            if (type == NO_OPERATION) {
                i++;
                continue;
            }
            int optionLength = src[i + 1] & 0xff;
            if ((type & COPIED_FLAG) != 0) {
                System.arraycopy(src, i, out, n, optionLength);
                n += optionLength;
            }
            i += optionLength;
        }
        if (n == 0) {
            return NONE;
        }
        return new Ipv4Options(Arrays.copyOf(out, (n + 3) & ~3));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Options other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@code none}, or the options in hex, e.g. {@code 94040000} (Router Alert). */
    @Override
    public String toString() {
        return bytes.length == 0 ? "none" : HexFormat.of().formatHex(bytes);
    }
}
