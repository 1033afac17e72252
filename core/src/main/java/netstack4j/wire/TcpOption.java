package netstack4j.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One TCP option (RFC 9293 section 3.2 and 3.1 "Options"): kind, and for all but End of Option
 * List and No-Operation a length byte counting kind and length. Known kinds: MSS (RFC 9293
 * section 3.7.1), window scale and timestamps (RFC 7323 sections 2.2 and 3.2), SACK-permitted and
 * SACK (RFC 2018 sections 2 and 3), Fast Open (RFC 7413 section 4.1.1, kind 34, and the
 * experimental kind 254 with magic 0xF989 of RFC 6994); everything else is {@link Unknown} and kept
 * as received.
 */
public sealed interface TcpOption {
    int KIND_END_OF_LIST = 0;
    int KIND_NOP = 1;
    int KIND_MSS = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;
    /** TCP Fast Open cookie (RFC 7413 section 4.1.1). */
    int KIND_FAST_OPEN = 34;
    /** Experimental option (RFC 6994): Fast Open before kind 34 was assigned, with {@link #FAST_OPEN_MAGIC}. */
    int KIND_EXPERIMENTAL = 254;
    /** RFC 6994 experiment identifier of Fast Open in kind 254 (Linux's TCPOPT_FASTOPEN_MAGIC). */
    int FAST_OPEN_MAGIC = 0xF989;

    /** Options occupy at most 40 bytes: the data offset counts at most 15 words (RFC 9293 section 3.1). */
    int MAX_OPTIONS_LENGTH = 40;

    /** The kind byte. */
    int kind();

    /** Bytes on the wire, kind and length included. */
    int length();

    /** Writes the option at {@code b[off]}. */
    void emit(byte[] b, int off);

    /** Maximum segment size (RFC 9293 section 3.7.1): kind 2, length 4, only in SYNs. */
    record Mss(int mss) implements TcpOption {
        public Mss {
            if (mss < 0 || mss > 0xffff) {
                throw new IllegalArgumentException("MSS " + mss + " not in 0..65535");
            }
        }

        @Override
        public int kind() {
            return KIND_MSS;
        }

        @Override
        public int length() {
            return 4;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_MSS;
            b[off + 1] = 4;
            b[off + 2] = (byte) (mss >>> 8);
            b[off + 3] = (byte) mss;
        }

        @Override
        public String toString() {
            return "mss " + mss;
        }
    }

    /**
     * Window scale (RFC 7323 section 2.2): kind 3, length 3. The byte is kept as received; RFC 7323
     * section 2.3 says a shift above 14 is used as 14, which {@link #effectiveShift()} gives.
     */
    record WindowScale(int shift) implements TcpOption {
        /** RFC 7323 section 2.3: the largest shift. */
        public static final int MAX_SHIFT = 14;

        public WindowScale {
            if (shift < 0 || shift > 0xff) {
                throw new IllegalArgumentException("window scale " + shift + " not a byte");
            }
        }

        public int effectiveShift() {
            return Math.min(shift, MAX_SHIFT);
        }

        @Override
        public int kind() {
            return KIND_WINDOW_SCALE;
        }

        @Override
        public int length() {
            return 3;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_WINDOW_SCALE;
            b[off + 1] = 3;
            b[off + 2] = (byte) shift;
        }

        @Override
        public String toString() {
            return "wscale " + shift;
        }
    }

    /** SACK permitted (RFC 2018 section 2): kind 4, length 2, only in SYNs. */
    record SackPermitted() implements TcpOption {
        public static final SackPermitted INSTANCE = new SackPermitted();

        @Override
        public int kind() {
            return KIND_SACK_PERMITTED;
        }

        @Override
        public int length() {
            return 2;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_SACK_PERMITTED;
            b[off + 1] = 2;
        }

        @Override
        public String toString() {
            return "sackOK";
        }
    }

    /** One SACK block (RFC 2018 section 3): the sequence numbers of its first and one past its last byte. */
    record SackBlock(int left, int right) {
        @Override
        public String toString() {
            return "{" + Integer.toUnsignedString(left) + ":" + Integer.toUnsignedString(right) + "}";
        }
    }

    /** SACK (RFC 2018 section 3): kind 5, length 2 + 8n, 1 to 4 blocks. */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public static final int MAX_BLOCKS = 4;

        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty() || blocks.size() > MAX_BLOCKS) {
                throw new IllegalArgumentException("SACK carries 1..4 blocks, not " + blocks.size());
            }
        }

        @Override
        public int kind() {
            return KIND_SACK;
        }

        @Override
        public int length() {
            return 2 + 8 * blocks.size();
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_SACK;
            b[off + 1] = (byte) length();
            for (int k = 0; k < blocks.size(); k++) {
                writeInt(b, off + 2 + 8 * k, blocks.get(k).left());
                writeInt(b, off + 6 + 8 * k, blocks.get(k).right());
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("sack ").append(blocks.size()).append(' ');
            blocks.forEach(sb::append);
            return sb.toString();
        }
    }

    /** Timestamps (RFC 7323 section 3.2): kind 8, length 10, TSval and TSecr. */
    record Timestamps(int tsVal, int tsEcr) implements TcpOption {
        @Override
        public int kind() {
            return KIND_TIMESTAMPS;
        }

        @Override
        public int length() {
            return 10;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_TIMESTAMPS;
            b[off + 1] = 10;
            writeInt(b, off + 2, tsVal);
            writeInt(b, off + 6, tsEcr);
        }

        @Override
        public String toString() {
            return "TS val " + Integer.toUnsignedString(tsVal) + " ecr " + Integer.toUnsignedString(tsEcr);
        }
    }

    /**
     * TCP Fast Open (RFC 7413 section 4.1.1): kind 34, length 2 + cookie; or, as Linux still
     * accepts and sends on request, the experimental form (RFC 6994) kind 254, length 4 + cookie,
     * the 16-bit experiment identifier 0xF989 first. An empty cookie is a cookie request. The
     * cookie is kept as received (RFC 7413 asks for 4 to 16 bytes, even; a receiver checks that).
     *
     * <pre>
     *   +---------+---------+-------------------+      +---------+---------+---------+---------+----
     *   | kind 34 | length  | cookie (0..38)    |      | kind 254| length  |  0xF9   |  0x89   | cookie
     *   +---------+---------+-------------------+      +---------+---------+---------+---------+----
     * </pre>
     */
    record FastOpen(byte[] cookie, boolean experimental) implements TcpOption {
        public FastOpen {
            if (cookie.length > MAX_OPTIONS_LENGTH - (experimental ? 4 : 2)) {
                throw new IllegalArgumentException("Fast Open cookie of " + cookie.length + " bytes does not fit");
            }
            cookie = cookie.clone();
        }

        @Override
        public byte[] cookie() {
            return cookie.clone();
        }

        /** A cookie request: no cookie. */
        public boolean isRequest() {
            return cookie.length == 0;
        }

        @Override
        public int kind() {
            return experimental ? KIND_EXPERIMENTAL : KIND_FAST_OPEN;
        }

        @Override
        public int length() {
            return (experimental ? 4 : 2) + cookie.length;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = (byte) kind();
            b[off + 1] = (byte) length();
            int at = off + 2;
            if (experimental) {
                b[at] = (byte) (FAST_OPEN_MAGIC >>> 8);
                b[at + 1] = (byte) FAST_OPEN_MAGIC;
                at += 2;
            }
            System.arraycopy(cookie, 0, b, at, cookie.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FastOpen f && f.experimental == experimental && Arrays.equals(f.cookie, cookie);
        }

        @Override
        public int hashCode() {
            return Objects.hash(experimental, Arrays.hashCode(cookie));
        }

        /** As packetdrill writes it: {@code FO}, {@code FO 1234abcd}, {@code FOEXP …}. */
        @Override
        public String toString() {
            String name = experimental ? "FOEXP" : "FO";
            return cookie.length == 0 ? name : name + " " + HexFormat.of().formatHex(cookie);
        }
    }

    /** No-Operation (RFC 9293 section 3.1): kind 1, one byte, used to align options. */
    record Nop() implements TcpOption {
        public static final Nop INSTANCE = new Nop();

        @Override
        public int kind() {
            return KIND_NOP;
        }

        @Override
        public int length() {
            return 1;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_NOP;
        }

        @Override
        public String toString() {
            return "nop";
        }
    }

    /** End of Option List (RFC 9293 section 3.1): kind 0, one byte; what follows is padding. */
    record EndOfList() implements TcpOption {
        public static final EndOfList INSTANCE = new EndOfList();

        @Override
        public int kind() {
            return KIND_END_OF_LIST;
        }

        @Override
        public int length() {
            return 1;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = KIND_END_OF_LIST;
        }

        @Override
        public String toString() {
            return "eol";
        }
    }

    /**
     * An option of a kind this stack does not interpret, kept as received (RFC 9293 section
     * 3.1: a TCP implementation must ignore options it does not implement). {@code data} is what
     * follows the kind and length bytes.
     */
    record Unknown(int kind, byte[] data) implements TcpOption {
        public Unknown {
            switch (kind) {
                case KIND_END_OF_LIST, KIND_NOP, KIND_MSS, KIND_WINDOW_SCALE, KIND_SACK_PERMITTED, KIND_SACK,
                     KIND_TIMESTAMPS, KIND_FAST_OPEN -> throw new IllegalArgumentException("TCP option kind " + kind + " has its own record");
                default -> {
                    if (kind < 0 || kind > 0xff) {
                        throw new IllegalArgumentException("TCP option kind " + kind + " not a byte");
                    }
                }
            }
            if (data.length > MAX_OPTIONS_LENGTH - 2) {
                throw new IllegalArgumentException("TCP option data of " + data.length + " bytes exceeds 38");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int length() {
            return 2 + data.length;
        }

        @Override
        public void emit(byte[] b, int off) {
            b[off] = (byte) kind;
            b[off + 1] = (byte) length();
            System.arraycopy(data, 0, b, off + 2, data.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.kind == kind && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return data.length == 0 ? "unknown-" + kind : "unknown-" + kind + " 0x" + HexFormat.of().formatHex(data);
        }
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
