package netstack4j.wire;

/**
 * A view of a UDP datagram (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws. Wrap the IP payload; the UDP length field
 * decides where the datagram ends. {@link #check()} does not verify the checksum.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class UdpPacket extends PacketView<UdpPacket> {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    static final String TOO_SHORT = "shorter than UDP header";
    static final String LENGTH_BELOW_8 = "UDP length below 8";
    static final String LENGTH_BEYOND_PACKET = "UDP length beyond packet";

    public UdpPacket() {
    }

    /**
     * Null when the region holds a UDP datagram, else why not: at least the 8-byte header, and
     * a length field (RFC 768: header plus data) of at least 8 and within the region.
     */
    @Override
    public String check() {
        if (!regionHolds(HEADER_LENGTH)) {
            return TOO_SHORT;
        }
        int udpLength = udpLength();
        if (udpLength < HEADER_LENGTH) {
            return LENGTH_BELOW_8;
        }
        if (udpLength > length) {
            return LENGTH_BEYOND_PACKET;
        }
        return null;
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static UdpPacket wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new UdpPacket().wrap(array, offset, length));
    }

    public int sourcePort() {
        return u16(SOURCE_PORT);
    }

    public int destinationPort() {
        return u16(DESTINATION_PORT);
    }

    /** The length field: header plus data in bytes. */
    public int udpLength() {
        return u16(LENGTH);
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    /** Index in {@link #array()} of the first data byte. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Data bytes: the length field minus 8. */
    public int payloadLength() {
        return udpLength() - HEADER_LENGTH;
    }

    /**
     * True when the checksum over pseudo-header, header and data is correct, or when it is 0,
     * which means the sender computed none (RFC 768; RFC 1122 section 4.1.3.4).
     */
    public boolean verifyChecksum(Ipv4Address src, Ipv4Address dst) {
        if (checksum() == 0) {
            return true;
        }
        int udpLength = udpLength();
        int sum = Checksum.sum(array, offset, udpLength,
                Checksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, udpLength));
        return Checksum.fold(sum) == 0;
    }

    @Override
    public String toString() {
        String reason = check();
        return reason != null ? "UDP[malformed: " + reason + "]"
                : "UDP " + sourcePort() + " > " + destinationPort() + ", length " + payloadLength();
    }
}
