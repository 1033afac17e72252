package netstack4j.wire;

/**
 * A view of an IPv4 packet (RFC 791 section 3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Flags: bit 0 reserved (zero), bit 1 DF (don't fragment), bit 2 MF (more fragments).
 * DSCP/ECN: RFC 2474 and RFC 3168 split the RFC 791 type-of-service byte.
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws. The wrapped region may be longer than
 * {@link #totalLength()}: the excess is link padding and is not part of the payload.
 * {@link #check()} does not verify the header checksum; {@link #verifyChecksum()} does.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class Ipv4Packet extends PacketView<Ipv4Packet> {
    public static final int VERSION_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int HEADER_CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;
    public static final int OPTIONS = 20;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    /** RFC 791 section 3.1: Total Length is a 16-bit count of octets. */
    public static final int MAX_TOTAL_LENGTH = 65535;

    static final int FLAG_DF = 0x4000;
    static final int FLAG_MF = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    static final String TOO_SHORT = "shorter than IPv4 header";
    static final String BAD_VERSION = "IP version not 4";
    static final String IHL_BELOW_5 = "IPv4 header length below 20";
    static final String IHL_BEYOND_PACKET = "IPv4 header length beyond packet";
    static final String TOTAL_BELOW_HEADER = "IPv4 total length below header length";
    static final String TOTAL_BEYOND_PACKET = "IPv4 total length beyond packet";
    static final String FRAGMENT_BEYOND_MAX = "IPv4 fragment ends beyond 65535";

    public Ipv4Packet() {
    }

    /**
     * Null when the region holds a structurally valid IPv4 packet (RFC 791 section 3.1; RFC 1122
     * section 3.2.1.1 and 3.2.1.8), else why not. The checksum is not verified here.
     */
    @Override
    public String check() {
        if (!regionHolds(MIN_HEADER_LENGTH)) {
            return TOO_SHORT;
        }
        // RFC 1122 section 3.2.1.1: a datagram whose version number is not 4 MUST be silently discarded.
        if (version() != 4) {
            return BAD_VERSION;
        }
        int headerLength = headerLength();
        // RFC 791 section 3.1: IHL counts 32-bit words, the minimum value for a correct header is 5.
        if (headerLength < MIN_HEADER_LENGTH) {
            return IHL_BELOW_5;
        }
        if (headerLength > length) {
            return IHL_BEYOND_PACKET;
        }
        int totalLength = totalLength();
        if (totalLength < headerLength) {
            return TOTAL_BELOW_HEADER;
        }
        // Bytes beyond Total Length are link padding (Ethernet frames are at least 60 bytes).
        if (totalLength > length) {
            return TOTAL_BEYOND_PACKET;
        }
        // RFC 791 section 3.2: a datagram is at most 65535 octets, so no fragment may end beyond it.
        if (fragmentOffset() + totalLength - headerLength > MAX_TOTAL_LENGTH) {
            return FRAGMENT_BEYOND_MAX;
        }
        // RFC 791 section 3.1 (options) and RFC 1122 section 3.2.1.8.
        return Ipv4Options.validate(array, offset + OPTIONS, headerLength - MIN_HEADER_LENGTH);
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static Ipv4Packet wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new Ipv4Packet().wrap(array, offset, length));
    }

    public int version() {
        return (array[offset + VERSION_IHL] & 0xff) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (array[offset + VERSION_IHL] & 0x0f) * 4;
    }

    /** The whole type-of-service byte (RFC 791), i.e. DSCP and ECN. */
    public int tos() {
        return array[offset + TOS] & 0xff;
    }

    /** Differentiated services code point (RFC 2474 section 3). */
    public int dscp() {
        return tos() >>> 2;
    }

    /** Explicit congestion notification bits (RFC 3168 section 5). */
    public int ecn() {
        return tos() & 0x03;
    }

    public int totalLength() {
        return u16(TOTAL_LENGTH);
    }

    public int identification() {
        return u16(IDENTIFICATION);
    }

    public boolean dontFragment() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FLAG_MF) != 0;
    }

    /** The reserved flag bit (RFC 791: must be zero; RFC 3514 notwithstanding). */
    public boolean reservedFlag() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & 0x8000) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units, RFC 791 section 3.1). */
    public int fragmentOffset() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True when this is a fragment: more fragments follow, or it is not the first. */
    public boolean isFragment() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return array[offset + TTL] & 0xff;
    }

    public int protocol() {
        return array[offset + PROTOCOL] & 0xff;
    }

    public int headerChecksum() {
        return u16(HEADER_CHECKSUM);
    }

    public Ipv4Address source() {
        return new Ipv4Address(sourceInt());
    }

    public Ipv4Address destination() {
        return new Ipv4Address(destinationInt());
    }

    public int sourceInt() {
        return Ipv4Address.readInt(array, offset + SOURCE);
    }

    public int destinationInt() {
        return Ipv4Address.readInt(array, offset + DESTINATION);
    }

    /** Index in {@link #array()} of the first option byte. */
    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Index in {@link #array()} of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload bytes: Total Length minus header length (link padding excluded). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** True when the header checksum is correct (RFC 791 section 3.1; RFC 1122 section 3.2.1.2). */
    public boolean verifyChecksum() {
        return Checksum.compute(array, offset, headerLength()) == 0;
    }

    /** Sets Time to Live, e.g. when forwarding (RFC 1812 section 5.3.1); see {@link #updateChecksum()}. */
    public void setTtl(int ttl) {
        array[offset + TTL] = (byte) ttl;
    }

    public void setTotalLength(int totalLength) {
        setU16(TOTAL_LENGTH, totalLength);
    }

    public void setIdentification(int identification) {
        setU16(IDENTIFICATION, identification);
    }

    /** Sets the MF flag and the fragment offset in bytes (a multiple of 8), keeping DF. */
    public void setFragment(boolean moreFragments, int fragmentOffsetBytes) {
        int v = u16(FLAGS_FRAGMENT_OFFSET) & (0x8000 | FLAG_DF);
        setU16(FLAGS_FRAGMENT_OFFSET, v | (moreFragments ? FLAG_MF : 0) | ((fragmentOffsetBytes >>> 3) & FRAGMENT_OFFSET_MASK));
    }

    /** Recomputes the header checksum in place after the header was changed. */
    public void updateChecksum() {
        setU16(HEADER_CHECKSUM, 0);
        setU16(HEADER_CHECKSUM, Checksum.compute(array, offset, headerLength()));
    }

    @Override
    public String toString() {
        String reason = check();
        if (reason != null) {
            return "IPv4[malformed: " + reason + "]";
        }
        try {
            return Ipv4Header.parse(this).toString();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
