package netstack4j.wire;

/**
 * A view of an ARP packet (RFC 826) for Ethernet hardware and IPv4 protocol addresses, the only
 * combination this stack speaks.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware type (1)        |     Protocol type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW len (6)   | Proto len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender hardware address (6 bytes)                |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender protocol address (4)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |              Target hardware address (6 bytes)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Target protocol address (4)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws. Bytes after the 28 ARP bytes are link
 * padding and ignored.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class ArpPacket extends PacketView<ArpPacket> {
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LENGTH = 4;
    public static final int PROTOCOL_LENGTH = 5;
    public static final int OPERATION = 6;
    public static final int SENDER_HARDWARE_ADDRESS = 8;
    public static final int SENDER_PROTOCOL_ADDRESS = 14;
    public static final int TARGET_HARDWARE_ADDRESS = 18;
    public static final int TARGET_PROTOCOL_ADDRESS = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    /** Hardware type for Ethernet (RFC 826; IANA "Hardware Types"). */
    public static final int HARDWARE_TYPE_ETHERNET = 1;

    static final String TOO_SHORT = "shorter than ARP packet";
    static final String NOT_ETHERNET = "ARP hardware type not Ethernet";
    static final String NOT_IPV4 = "ARP protocol type not IPv4";
    static final String BAD_LENGTHS = "ARP address lengths not 6 and 4";
    static final String BAD_OPERATION = "unsupported ARP operation";

    public ArpPacket() {
    }

    /**
     * Null when the region holds an Ethernet/IPv4 ARP request or reply (RFC 826: hardware type 1,
     * protocol type 0x0800, lengths 6 and 4, operation 1 or 2), else why not.
     */
    @Override
    public String check() {
        if (!regionHolds(LENGTH)) {
            return TOO_SHORT;
        }
        if (u16(HARDWARE_TYPE) != HARDWARE_TYPE_ETHERNET) {
            return NOT_ETHERNET;
        }
        if (u16(PROTOCOL_TYPE) != EtherType.IPV4) {
            return NOT_IPV4;
        }
        if ((array[offset + HARDWARE_LENGTH] & 0xff) != 6 || (array[offset + PROTOCOL_LENGTH] & 0xff) != 4) {
            return BAD_LENGTHS;
        }
        if (ArpOperation.fromCode(operation()) == null) {
            return BAD_OPERATION;
        }
        return null;
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static ArpPacket wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new ArpPacket().wrap(array, offset, length));
    }

    public int hardwareType() {
        return u16(HARDWARE_TYPE);
    }

    public int protocolType() {
        return u16(PROTOCOL_TYPE);
    }

    /** The operation code: 1 request, 2 reply (see {@link ArpOperation}). */
    public int operation() {
        return u16(OPERATION);
    }

    public MacAddress senderHardwareAddress() {
        return MacAddress.read(array, offset + SENDER_HARDWARE_ADDRESS);
    }

    public Ipv4Address senderProtocolAddress() {
        return Ipv4Address.read(array, offset + SENDER_PROTOCOL_ADDRESS);
    }

    public MacAddress targetHardwareAddress() {
        return MacAddress.read(array, offset + TARGET_HARDWARE_ADDRESS);
    }

    public Ipv4Address targetProtocolAddress() {
        return Ipv4Address.read(array, offset + TARGET_PROTOCOL_ADDRESS);
    }

    /** The ARP message has no payload: this is the index just after its 28 bytes. */
    public int payloadOffset() {
        return offset + LENGTH;
    }

    /** Bytes after the ARP message within the view (link padding). */
    public int payloadLength() {
        return length - LENGTH;
    }

    @Override
    public String toString() {
        String reason = check();
        if (reason != null) {
            return "ARP[malformed: " + reason + "]";
        }
        try {
            return ArpMessage.parse(this).toString();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
