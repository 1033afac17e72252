package netstack4j.wire;

import java.util.Arrays;
import java.util.List;

/**
 * A view of a TCP segment (RFC 9293 section 3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws, the option accessors included. Wrap exactly
 * the IP payload: the segment has no length field of its own. {@link #check()} does not verify
 * the checksum. The option accessors ({@link #mss()}, {@link #tsVal()}, …) scan the options on
 * each call and allocate nothing.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class TcpPacket extends PacketView<TcpPacket> {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQUENCE_NUMBER = 4;
    public static final int ACKNOWLEDGMENT_NUMBER = 8;
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT_POINTER = 18;
    public static final int OPTIONS = 20;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    static final String TOO_SHORT = "shorter than TCP header";
    static final String DATA_OFFSET_BELOW_20 = "TCP data offset below 20";
    static final String DATA_OFFSET_BEYOND_PACKET = "TCP data offset beyond packet";
    static final String OPTION_TRUNCATED = "TCP option truncated";
    static final String OPTION_LENGTH_BELOW_2 = "TCP option length below 2";
    static final String BAD_MSS = "TCP MSS option length not 4";
    static final String BAD_WINDOW_SCALE = "TCP window scale option length not 3";
    static final String BAD_SACK_PERMITTED = "TCP SACK-permitted option length not 2";
    static final String BAD_SACK = "TCP SACK option length not 2+8n, n 1..4";
    static final String BAD_TIMESTAMPS = "TCP timestamps option length not 10";

    public TcpPacket() {
    }

    /**
     * Null when the region holds a structurally valid TCP segment (RFC 9293 section 3.1), else
     * why not: at least 20 bytes, a data offset of at least 5 words within the region, and
     * well-formed options (see {@link #validateOptions}).
     */
    @Override
    public String check() {
        if (!regionHolds(MIN_HEADER_LENGTH)) {
            return TOO_SHORT;
        }
        int dataOffset = dataOffset();
        if (dataOffset < MIN_HEADER_LENGTH) {
            return DATA_OFFSET_BELOW_20;
        }
        if (dataOffset > length) {
            return DATA_OFFSET_BEYOND_PACKET;
        }
        return validateOptions(array, offset + OPTIONS, dataOffset - MIN_HEADER_LENGTH);
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static TcpPacket wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new TcpPacket().wrap(array, offset, length));
    }

    public int sourcePort() {
        return u16(SOURCE_PORT);
    }

    public int destinationPort() {
        return u16(DESTINATION_PORT);
    }

    /** SEG.SEQ, a 32-bit sequence number: compare with wrap-safe arithmetic, never {@code <}. */
    public int sequenceNumber() {
        return Ipv4Address.readInt(array, offset + SEQUENCE_NUMBER);
    }

    /** SEG.ACK, meaningful when ACK is set. */
    public int acknowledgmentNumber() {
        return Ipv4Address.readInt(array, offset + ACKNOWLEDGMENT_NUMBER);
    }

    /** Header length in bytes (the data offset field counts 32-bit words). */
    public int dataOffset() {
        return ((array[offset + DATA_OFFSET] & 0xff) >>> 4) * 4;
    }

    /** The four reserved bits (RFC 9293 section 3.1: zero when sent, ignored when received). */
    public int reserved() {
        return array[offset + DATA_OFFSET] & 0x0f;
    }

    /** The eight control bits; see {@link TcpFlags}. */
    public int flags() {
        return array[offset + FLAGS] & 0xff;
    }

    public boolean hasFlags(int wanted) {
        return TcpFlags.has(flags(), wanted);
    }

    /** SEG.WND, unscaled. */
    public int window() {
        return u16(WINDOW);
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public int urgentPointer() {
        return u16(URGENT_POINTER);
    }

    /** Index in {@link #array()} of the first option byte. */
    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public int optionsLength() {
        return dataOffset() - MIN_HEADER_LENGTH;
    }

    /** Index in {@link #array()} of the first data byte. */
    public int payloadOffset() {
        return offset + dataOffset();
    }

    /** SEG.LEN without SYN and FIN: the data bytes. */
    public int payloadLength() {
        return length - dataOffset();
    }

    /** True when the checksum over pseudo-header, header and data is correct (RFC 9293 section 3.1). */
    public boolean verifyChecksum(Ipv4Address src, Ipv4Address dst) {
        return verifyChecksum(src.value(), dst.value());
    }

    /** {@link #verifyChecksum(Ipv4Address, Ipv4Address)} on raw addresses (no allocation). */
    public boolean verifyChecksum(int src, int dst) {
        int sum = Checksum.sum(array, offset, length, Checksum.pseudoHeaderSum(src, dst, IpProtocol.TCP, length));
        return Checksum.fold(sum) == 0;
    }

    /** The MSS option's value (RFC 9293 section 3.7.1), or -1 when absent. */
    public int mss() {
        int at = findOption(TcpOption.KIND_MSS);
        return at < 0 ? -1 : u16(at - offset + 2);
    }

    /** The window scale option's shift as sent (RFC 7323 section 2.2), or -1 when absent. */
    public int windowScale() {
        int at = findOption(TcpOption.KIND_WINDOW_SCALE);
        return at < 0 ? -1 : array[at + 2] & 0xff;
    }

    /** True when the SACK-permitted option (RFC 2018 section 2) is present. */
    public boolean sackPermitted() {
        return findOption(TcpOption.KIND_SACK_PERMITTED) >= 0;
    }

    /** True when the timestamps option (RFC 7323 section 3.2) is present. */
    public boolean hasTimestamps() {
        return findOption(TcpOption.KIND_TIMESTAMPS) >= 0;
    }

    /** TSval of the timestamps option, or 0 when absent (see {@link #hasTimestamps()}). */
    public int tsVal() {
        int at = findOption(TcpOption.KIND_TIMESTAMPS);
        return at < 0 ? 0 : Ipv4Address.readInt(array, at + 2);
    }

    /** TSecr of the timestamps option, or 0 when absent (see {@link #hasTimestamps()}). */
    public int tsEcr() {
        int at = findOption(TcpOption.KIND_TIMESTAMPS);
        return at < 0 ? 0 : Ipv4Address.readInt(array, at + 6);
    }

    /** The number of blocks in the SACK option (RFC 2018 section 3), 0 when absent. */
    public int sackBlockCount() {
        int at = findOption(TcpOption.KIND_SACK);
        return at < 0 ? 0 : ((array[at + 1] & 0xff) - 2) / 8;
    }

    /** Left edge of SACK block {@code i} (0 ≤ i &lt; {@link #sackBlockCount()}). */
    public int sackLeft(int i) {
        return sackEdge(i, 2);
    }

    /** Right edge (one past the last byte) of SACK block {@code i}. */
    public int sackRight(int i) {
        return sackEdge(i, 6);
    }

    private int sackEdge(int i, int edge) {
        int at = findOption(TcpOption.KIND_SACK);
        if (at < 0 || i < 0 || i >= ((array[at + 1] & 0xff) - 2) / 8) {
            throw new IndexOutOfBoundsException("no SACK block " + i);
        }
        return Ipv4Address.readInt(array, at + edge + 8 * i);
    }

    /**
     * Absolute index of the last Fast Open option (kind 34, or kind 254 with magic 0xF989, RFC 7413
     * section 4.1.1), or -1: Linux's tcp_parse_options lets a later one replace an earlier one.
     * Its cookie starts at {@link #fastOpenCookieOffset}.
     */
    public int fastOpenOption() {
        int end = offset + dataOffset();
        int i = offset + OPTIONS;
        int found = -1;
        while (i < end) {
            int k = array[i] & 0xff;
            if (k == TcpOption.KIND_END_OF_LIST) {
                break;
            }
            if (k == TcpOption.KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int optionLength = array[i + 1] & 0xff;
            if (optionLength < 2 || optionLength > end - i) {
                break;
            }
            if (k == TcpOption.KIND_FAST_OPEN || k == TcpOption.KIND_EXPERIMENTAL && isFastOpenExperiment(array, i, optionLength)) {
                found = i;
            }
            i += optionLength;
        }
        return found;
    }

    /** Absolute index of the cookie of the Fast Open option at {@code at} (see {@link #fastOpenOption}). */
    public int fastOpenCookieOffset(int at) {
        return at + ((array[at] & 0xff) == TcpOption.KIND_EXPERIMENTAL ? 4 : 2);
    }

    /** Bytes of cookie in the Fast Open option at {@code at}: 0 for a cookie request. */
    public int fastOpenCookieLength(int at) {
        return (array[at + 1] & 0xff) - (fastOpenCookieOffset(at) - at);
    }

    /** Whether the experimental option at {@code b[off]} of {@code len} bytes is Fast Open's (magic 0xF989). */
    static boolean isFastOpenExperiment(byte[] b, int off, int len) {
        return len >= 4 && ((b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff)) == TcpOption.FAST_OPEN_MAGIC;
    }

    /** Absolute index of the first option of {@code kind}, or -1; never reads outside the options. */
    private int findOption(int kind) {
        int end = offset + dataOffset();
        int i = offset + OPTIONS;
        while (i < end) {
            int k = array[i] & 0xff;
            if (k == TcpOption.KIND_END_OF_LIST) {
                return -1;
            }
            if (k == TcpOption.KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int optionLength = array[i + 1] & 0xff;
            if (optionLength < 2 || optionLength > end - i) {
                return -1;
            }
            if (k == kind) {
                return i;
            }
            i += optionLength;
        }
        return -1;
    }

    /**
     * Null when {@code b[off, off+len)} is a well-formed TCP option list, else why not. RFC 9293
     * section 3.1: End of Option List ends the list (what follows is padding), No-Operation is one
     * byte, every other option has a length byte of at least 2 that keeps it inside the option
     * space; RFC 9293 section 3.2 (MSS 4), RFC 7323 (window scale 3, timestamps 10), RFC 2018
     * (SACK-permitted 2, SACK 2+8n with 1 to 4 blocks): a known option with another length is
     * an error.
     */
    static String validateOptions(byte[] b, int off, int len) {
        return OptionList.validate(b, off, len, OPTION_TRUNCATED, OPTION_LENGTH_BELOW_2, TcpPacket::checkKnownOption);
    }

    private static String checkKnownOption(int kind, int optionLength) {
        return switch (kind) {
            case TcpOption.KIND_MSS -> optionLength == 4 ? null : BAD_MSS;
            case TcpOption.KIND_WINDOW_SCALE -> optionLength == 3 ? null : BAD_WINDOW_SCALE;
            case TcpOption.KIND_SACK_PERMITTED -> optionLength == 2 ? null : BAD_SACK_PERMITTED;
            case TcpOption.KIND_SACK ->
                    optionLength >= 10 && optionLength <= 34 && (optionLength - 2) % 8 == 0 ? null : BAD_SACK;
            case TcpOption.KIND_TIMESTAMPS -> optionLength == 10 ? null : BAD_TIMESTAMPS;
            default -> null;
        };
    }

    /** Reads the option at {@code b[off]} from a list that passed {@link #validateOptions}. */
    static TcpOption readOption(byte[] b, int off) {
        int kind = b[off] & 0xff;
        return switch (kind) {
            case TcpOption.KIND_END_OF_LIST -> TcpOption.EndOfList.INSTANCE;
            case TcpOption.KIND_NOP -> TcpOption.Nop.INSTANCE;
            case TcpOption.KIND_MSS -> new TcpOption.Mss((b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff));
            case TcpOption.KIND_WINDOW_SCALE -> new TcpOption.WindowScale(b[off + 2] & 0xff);
            case TcpOption.KIND_SACK_PERMITTED -> TcpOption.SackPermitted.INSTANCE;
            case TcpOption.KIND_SACK -> {
                int n = ((b[off + 1] & 0xff) - 2) / 8;
                TcpOption.SackBlock[] blocks = new TcpOption.SackBlock[n];
                for (int k = 0; k < n; k++) {
                    blocks[k] = new TcpOption.SackBlock(Ipv4Address.readInt(b, off + 2 + 8 * k),
                            Ipv4Address.readInt(b, off + 6 + 8 * k));
                }
                yield new TcpOption.Sack(List.of(blocks));
            }
            case TcpOption.KIND_TIMESTAMPS ->
                    new TcpOption.Timestamps(Ipv4Address.readInt(b, off + 2), Ipv4Address.readInt(b, off + 6));
            case TcpOption.KIND_FAST_OPEN -> new TcpOption.FastOpen(Arrays.copyOfRange(b, off + 2, off + (b[off + 1] & 0xff)), false);
            case TcpOption.KIND_EXPERIMENTAL -> isFastOpenExperiment(b, off, b[off + 1] & 0xff)
                    ? new TcpOption.FastOpen(Arrays.copyOfRange(b, off + 4, off + (b[off + 1] & 0xff)), true)
                    : new TcpOption.Unknown(kind, Arrays.copyOfRange(b, off + 2, off + (b[off + 1] & 0xff)));
            default -> new TcpOption.Unknown(kind, Arrays.copyOfRange(b, off + 2, off + (b[off + 1] & 0xff)));
        };
    }

    @Override
    public String toString() {
        String reason = check();
        if (reason != null) {
            return "TCP[malformed: " + reason + "]";
        }
        try {
            return TcpHeader.parse(this).toString() + ", length " + payloadLength();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
