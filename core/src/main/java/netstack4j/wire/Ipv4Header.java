package netstack4j.wire;

import java.util.Objects;

/**
 * An IPv4 header (RFC 791 section 3.1) as a value. The header checksum is not held: {@link #emit}
 * computes it, and receivers verify it on the view ({@link Ipv4Packet#verifyChecksum()}) before
 * parsing. The reserved flag bit is always zero (RFC 791 section 3.1).
 *
 * @param tos             the type-of-service byte: DSCP (RFC 2474) and ECN (RFC 3168)
 * @param totalLength     header plus payload, in bytes
 * @param fragmentOffset  in bytes, a multiple of 8
 */
public record Ipv4Header(
        int tos,
        int totalLength,
        int identification,
        boolean dontFragment,
        boolean moreFragments,
        int fragmentOffset,
        int ttl,
        int protocol,
        Ipv4Address source,
        Ipv4Address destination,
        Ipv4Options options) {

    /** Linux's default TTL ({@code net.ipv4.ip_default_ttl}); RFC 1700 recommends 64. */
    public static final int DEFAULT_TTL = 64;

    public Ipv4Header {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(options, "options");
        requireRange("tos", tos, 0xff);
        requireRange("identification", identification, 0xffff);
        requireRange("ttl", ttl, 0xff);
        requireRange("protocol", protocol, 0xff);
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + options.length();
        if (totalLength < headerLength || totalLength > Ipv4Packet.MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("total length " + totalLength + " not in " + headerLength + "..65535");
        }
        // RFC 791 section 3.1: the offset field counts 8-octet units in 13 bits.
        if (fragmentOffset < 0 || fragmentOffset % 8 != 0 || fragmentOffset > Ipv4Packet.FRAGMENT_OFFSET_MASK * 8) {
            throw new IllegalArgumentException("fragment offset " + fragmentOffset + " not a multiple of 8 in 0..65528");
        }
        // RFC 791 section 3.2: the reassembled datagram is at most 65535 octets.
        if (fragmentOffset + totalLength - headerLength > Ipv4Packet.MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("fragment ends beyond 65535 bytes");
        }
    }

    private static void requireRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " " + value + " not in 0.." + max);
        }
    }

    /**
     * A header without options, TOS 0, not fragmented, for a payload of {@code payloadLength}
     * bytes.
     */
    public static Ipv4Header of(int protocol, Ipv4Address src, Ipv4Address dst, int payloadLength, int ttl,
                                int identification, boolean dontFragment) {
        return new Ipv4Header(0, Ipv4Packet.MIN_HEADER_LENGTH + payloadLength, identification, dontFragment, false,
                0, ttl, protocol, src, dst, Ipv4Options.NONE);
    }

    /** The header of {@code packet}; structure is checked, the checksum is not. */
    public static Ipv4Header parse(Ipv4Packet packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        return new Ipv4Header(packet.tos(), packet.totalLength(), packet.identification(), packet.dontFragment(),
                packet.moreFragments(), packet.fragmentOffset(), packet.ttl(), packet.protocol(), packet.source(),
                packet.destination(),
                Ipv4Options.read(packet.array(), packet.optionsOffset(), packet.optionsLength()));
    }

    /** Header length in bytes: 20 plus options. */
    public int headerLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH + options.length();
    }

    /** Same as {@link #headerLength()}: the bytes {@link #emit} writes. */
    public int length() {
        return headerLength();
    }

    public int payloadLength() {
        return totalLength - headerLength();
    }

    public int dscp() {
        return tos >>> 2;
    }

    public int ecn() {
        return tos & 0x03;
    }

    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** Writes the header at {@code b[off]}, with a correct header checksum. */
    public void emit(byte[] b, int off) {
        int headerLength = headerLength();
        b[off + Ipv4Packet.VERSION_IHL] = (byte) (0x40 | (headerLength >>> 2));
        b[off + Ipv4Packet.TOS] = (byte) tos;
        b[off + Ipv4Packet.TOTAL_LENGTH] = (byte) (totalLength >>> 8);
        b[off + Ipv4Packet.TOTAL_LENGTH + 1] = (byte) totalLength;
        b[off + Ipv4Packet.IDENTIFICATION] = (byte) (identification >>> 8);
        b[off + Ipv4Packet.IDENTIFICATION + 1] = (byte) identification;
        int flagsFragment = (dontFragment ? Ipv4Packet.FLAG_DF : 0) | (moreFragments ? Ipv4Packet.FLAG_MF : 0)
                | (fragmentOffset >>> 3);
        b[off + Ipv4Packet.FLAGS_FRAGMENT_OFFSET] = (byte) (flagsFragment >>> 8);
        b[off + Ipv4Packet.FLAGS_FRAGMENT_OFFSET + 1] = (byte) flagsFragment;
        b[off + Ipv4Packet.TTL] = (byte) ttl;
        b[off + Ipv4Packet.PROTOCOL] = (byte) protocol;
        b[off + Ipv4Packet.HEADER_CHECKSUM] = 0;
        b[off + Ipv4Packet.HEADER_CHECKSUM + 1] = 0;
        source.write(b, off + Ipv4Packet.SOURCE);
        destination.write(b, off + Ipv4Packet.DESTINATION);
        options.write(b, off + Ipv4Packet.OPTIONS);
        int checksum = Checksum.compute(b, off, headerLength);
        b[off + Ipv4Packet.HEADER_CHECKSUM] = (byte) (checksum >>> 8);
        b[off + Ipv4Packet.HEADER_CHECKSUM + 1] = (byte) checksum;
    }

    /**
     * Writes a 20-byte header without options and with its checksum, from raw values: the
     * allocation-free path the IP layer sends every locally generated datagram through.
     */
    public static void emit(byte[] b, int off, int tos, int totalLength, int identification, boolean dontFragment,
                            int ttl, int protocol, int source, int destination) {
        b[off + Ipv4Packet.VERSION_IHL] = 0x45;
        b[off + Ipv4Packet.TOS] = (byte) tos;
        b[off + Ipv4Packet.TOTAL_LENGTH] = (byte) (totalLength >>> 8);
        b[off + Ipv4Packet.TOTAL_LENGTH + 1] = (byte) totalLength;
        b[off + Ipv4Packet.IDENTIFICATION] = (byte) (identification >>> 8);
        b[off + Ipv4Packet.IDENTIFICATION + 1] = (byte) identification;
        b[off + Ipv4Packet.FLAGS_FRAGMENT_OFFSET] = (byte) ((dontFragment ? Ipv4Packet.FLAG_DF : 0) >>> 8);
        b[off + Ipv4Packet.FLAGS_FRAGMENT_OFFSET + 1] = 0;
        b[off + Ipv4Packet.TTL] = (byte) ttl;
        b[off + Ipv4Packet.PROTOCOL] = (byte) protocol;
        b[off + Ipv4Packet.HEADER_CHECKSUM] = 0;
        b[off + Ipv4Packet.HEADER_CHECKSUM + 1] = 0;
        Ipv4Address.writeInt(b, off + Ipv4Packet.SOURCE, source);
        Ipv4Address.writeInt(b, off + Ipv4Packet.DESTINATION, destination);
        int checksum = Checksum.compute(b, off, 20);
        b[off + Ipv4Packet.HEADER_CHECKSUM] = (byte) (checksum >>> 8);
        b[off + Ipv4Packet.HEADER_CHECKSUM + 1] = (byte) checksum;
    }

    /** {@code IPv4 10.0.0.1 > 10.0.0.2: TCP, ttl 64, id 4660, DF, length 60}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IPv4 ").append(source).append(" > ").append(destination).append(": ")
                .append(IpProtocol.name(protocol)).append(", ttl ").append(ttl).append(", id ").append(identification);
        if (tos != 0) {
            sb.append(", tos 0x").append(Integer.toHexString(tos));
        }
        if (dontFragment) {
            sb.append(", DF");
        }
        if (isFragment()) {
            sb.append(", frag ").append(fragmentOffset).append(moreFragments ? "+" : "");
        }
        if (!options.isEmpty()) {
            sb.append(", options ").append(options);
        }
        return sb.append(", length ").append(totalLength).toString();
    }
}
