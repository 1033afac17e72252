package netstack4j.wire;

/**
 * A view of an ICMPv4 message (RFC 792).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Rest of header                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 *
 * Rest of header, by type:
 *   echo request/reply (8/0):      Identifier (16) | Sequence Number (16)
 *   destination unreachable (3):   unused (16)     | Next-Hop MTU (16, code 4, RFC 1191 section 4)
 *   time exceeded (11):            unused (32)
 * Data of errors: the original IP header and at least 64 bits of its payload.
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws. Wrap exactly the IP payload: the checksum
 * covers the whole message. {@link #check()} does not verify the checksum.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class IcmpPacket extends PacketView<IcmpPacket> {
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int REST_OF_HEADER = 4;
    public static final int IDENTIFIER = 4;
    public static final int SEQUENCE = 6;
    public static final int NEXT_HOP_MTU = 6;
    public static final int HEADER_LENGTH = 8;

    /** Message types (RFC 792). */
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    static final String TOO_SHORT = "shorter than ICMP header";

    public IcmpPacket() {
    }

    /** Null when the region holds at least the 8-byte ICMP header (RFC 792), else why not. */
    @Override
    public String check() {
        if (!regionHolds(HEADER_LENGTH)) {
            return TOO_SHORT;
        }
        return null;
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static IcmpPacket wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new IcmpPacket().wrap(array, offset, length));
    }

    public int type() {
        return array[offset + TYPE] & 0xff;
    }

    public int code() {
        return array[offset + CODE] & 0xff;
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    /** The four bytes after the checksum, as one big-endian int. */
    public int restOfHeader() {
        return Ipv4Address.readInt(array, offset + REST_OF_HEADER);
    }

    /** Echo identifier (RFC 792, echo messages). */
    public int identifier() {
        return u16(IDENTIFIER);
    }

    /** Echo sequence number (RFC 792, echo messages). */
    public int sequence() {
        return u16(SEQUENCE);
    }

    /** Next-hop MTU of a "fragmentation needed" message (RFC 1191 section 4); 0 from old routers. */
    public int nextHopMtu() {
        return u16(NEXT_HOP_MTU);
    }

    /** Index in {@link #array()} of the first byte after the 8-byte header. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** True when the checksum over the whole message is correct (RFC 792). */
    public boolean verifyChecksum() {
        return Checksum.compute(array, offset, length) == 0;
    }

    @Override
    public String toString() {
        String reason = check();
        if (reason != null) {
            return "ICMP[malformed: " + reason + "]";
        }
        try {
            return IcmpMessage.parse(this).toString();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
