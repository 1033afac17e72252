package netstack4j.wire;

/**
 * A view of an Ethernet II frame (RFC 894; IEEE 802.3 clause 3.2), without preamble or FCS.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC address                      |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  Payload ...                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Contract: {@link #wrap} does no checks. After {@link #check()} returns null (or
 * {@link #wrapChecked} returns), no accessor throws. The payload may include link padding
 * (frames shorter than 60 bytes are padded on the wire); upper layers trim by their own lengths.
 *
 * <p>Thread-compatible; reusable by calling {@link #wrap} again.
 */
public final class EthernetPacket extends PacketView<EthernetPacket> {
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    public static final int ETHER_TYPE = 12;
    public static final int HEADER_LENGTH = 14;

    static final String TOO_SHORT = "frame shorter than Ethernet header";
    static final String NOT_ETHERNET_II = "802.3 length field, not an EtherType";

    public EthernetPacket() {
    }

    /**
     * Null when the region is an Ethernet II frame, else why not: at least the 14-byte header,
     * and an EtherType of at least 0x0600 (smaller values are 802.3 lengths, IEEE 802.3 clause 3.2.6).
     */
    @Override
    public String check() {
        if (!regionHolds(HEADER_LENGTH)) {
            return TOO_SHORT;
        }
        if (etherType() < EtherType.MIN_ETHER_TYPE) {
            return NOT_ETHERNET_II;
        }
        return null;
    }

    /** A new view over the region, validated by {@link #check()}. */
    public static EthernetPacket wrapChecked(byte[] array, int offset, int length) throws MalformedPacketException {
        return checked(new EthernetPacket().wrap(array, offset, length));
    }

    public MacAddress destination() {
        return MacAddress.read(array, offset + DESTINATION);
    }

    /** {@link #destination()} as its {@link MacAddress#value()}, without making an address. */
    public long destinationLong() {
        return MacAddress.readLong(array, offset + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.read(array, offset + SOURCE);
    }

    public int etherType() {
        return (array[offset + ETHER_TYPE] & 0xff) << 8 | (array[offset + ETHER_TYPE + 1] & 0xff);
    }

    /** Index in {@link #array()} of the first payload byte. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    public void setDestination(MacAddress mac) {
        mac.write(array, offset + DESTINATION);
    }

    public void setSource(MacAddress mac) {
        mac.write(array, offset + SOURCE);
    }

    public void setEtherType(int etherType) {
        array[offset + ETHER_TYPE] = (byte) (etherType >>> 8);
        array[offset + ETHER_TYPE + 1] = (byte) etherType;
    }

    @Override
    public String toString() {
        String reason = check();
        return reason != null ? "Ethernet[malformed: " + reason + "]"
                : "Ethernet " + source() + " > " + destination() + ", " + EtherType.name(etherType())
                        + ", length " + length;
    }
}
