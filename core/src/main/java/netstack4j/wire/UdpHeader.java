package netstack4j.wire;

/**
 * A UDP header (RFC 768) as a value: the ports. Length and checksum follow from the payload
 * and addresses and are written by {@link #emit}.
 */
public record UdpHeader(int sourcePort, int destinationPort) {
    public static final int HEADER_LENGTH = UdpPacket.HEADER_LENGTH;
    /** Most data one datagram carries in IPv4: 65535 − 20 − 8. */
    public static final int MAX_PAYLOAD = Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - HEADER_LENGTH;

    public UdpHeader {
        if (sourcePort < 0 || sourcePort > 0xffff || destinationPort < 0 || destinationPort > 0xffff) {
            throw new IllegalArgumentException("ports must be 0..65535: " + sourcePort + ", " + destinationPort);
        }
    }

    /** The header of {@code packet}; structure is checked, the checksum is not. */
    public static UdpHeader parse(UdpPacket packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        return new UdpHeader(packet.sourcePort(), packet.destinationPort());
    }

    public int length() {
        return HEADER_LENGTH;
    }

    /**
     * Writes the header at {@code b[off]} for the {@code payloadLength} data bytes already at
     * {@code b[off+8]}, with the checksum over pseudo-header, header and data (RFC 768). A computed
     * checksum of 0 is sent as 0xFFFF, since 0 means "no checksum" (RFC 768).
     */
    public void emit(byte[] b, int off, int payloadLength, Ipv4Address src, Ipv4Address dst) {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("UDP payload length " + payloadLength + " not in 0.." + MAX_PAYLOAD);
        }
        int udpLength = HEADER_LENGTH + payloadLength;
        b[off + UdpPacket.SOURCE_PORT] = (byte) (sourcePort >>> 8);
        b[off + UdpPacket.SOURCE_PORT + 1] = (byte) sourcePort;
        b[off + UdpPacket.DESTINATION_PORT] = (byte) (destinationPort >>> 8);
        b[off + UdpPacket.DESTINATION_PORT + 1] = (byte) destinationPort;
        b[off + UdpPacket.LENGTH] = (byte) (udpLength >>> 8);
        b[off + UdpPacket.LENGTH + 1] = (byte) udpLength;
        b[off + UdpPacket.CHECKSUM] = 0;
        b[off + UdpPacket.CHECKSUM + 1] = 0;
        int checksum = Checksum.fold(Checksum.sum(b, off, udpLength,
                Checksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, udpLength)));
        if (checksum == 0) {
            checksum = 0xffff;
        }
        b[off + UdpPacket.CHECKSUM] = (byte) (checksum >>> 8);
        b[off + UdpPacket.CHECKSUM + 1] = (byte) checksum;
    }

    @Override
    public String toString() {
        return "UDP " + sourcePort + " > " + destinationPort;
    }
}
