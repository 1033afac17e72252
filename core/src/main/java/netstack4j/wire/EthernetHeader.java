package netstack4j.wire;

import java.util.Objects;

/**
 * An Ethernet II header (RFC 894): destination, source, and an EtherType of at least 0x0600.
 */
public record EthernetHeader(MacAddress destination, MacAddress source, int etherType) {
    public static final int LENGTH = EthernetPacket.HEADER_LENGTH;

    public EthernetHeader {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        // IEEE 802.3 clause 3.2.6: values below 0x0600 are lengths, not EtherTypes.
        if (etherType < EtherType.MIN_ETHER_TYPE || etherType > 0xffff) {
            throw new IllegalArgumentException("not an EtherType: " + etherType);
        }
    }

    public static EthernetHeader parse(EthernetPacket packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        return new EthernetHeader(packet.destination(), packet.source(), packet.etherType());
    }

    /** Writes the 14 header bytes at {@code b[off]}. */
    public void emit(byte[] b, int off) {
        destination.write(b, off + EthernetPacket.DESTINATION);
        source.write(b, off + EthernetPacket.SOURCE);
        b[off + EthernetPacket.ETHER_TYPE] = (byte) (etherType >>> 8);
        b[off + EthernetPacket.ETHER_TYPE + 1] = (byte) etherType;
    }

    public int length() {
        return LENGTH;
    }

    @Override
    public String toString() {
        return "Ethernet " + source + " > " + destination + ", " + EtherType.name(etherType);
    }
}
