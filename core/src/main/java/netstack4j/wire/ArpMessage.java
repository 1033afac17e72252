package netstack4j.wire;

import java.util.Objects;

/** An Ethernet/IPv4 ARP request or reply (RFC 826). */
public record ArpMessage(
        ArpOperation operation,
        MacAddress senderHardwareAddress,
        Ipv4Address senderProtocolAddress,
        MacAddress targetHardwareAddress,
        Ipv4Address targetProtocolAddress) {

    public static final int LENGTH = ArpPacket.LENGTH;

    public ArpMessage {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(senderHardwareAddress, "senderHardwareAddress");
        Objects.requireNonNull(senderProtocolAddress, "senderProtocolAddress");
        Objects.requireNonNull(targetHardwareAddress, "targetHardwareAddress");
        Objects.requireNonNull(targetProtocolAddress, "targetProtocolAddress");
    }

    /** A request asking who has {@code target} (RFC 826: target hardware address unknown, zero). */
    public static ArpMessage request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address target) {
        return new ArpMessage(ArpOperation.REQUEST, senderMac, senderIp, MacAddress.ZERO, target);
    }

    /** The reply to {@code request} from the host that has its target address at {@code mac}. */
    public static ArpMessage replyTo(ArpMessage request, MacAddress mac) {
        return new ArpMessage(ArpOperation.REPLY, mac, request.targetProtocolAddress,
                request.senderHardwareAddress, request.senderProtocolAddress);
    }

    public static ArpMessage parse(ArpPacket packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        return new ArpMessage(ArpOperation.fromCode(packet.operation()), packet.senderHardwareAddress(),
                packet.senderProtocolAddress(), packet.targetHardwareAddress(), packet.targetProtocolAddress());
    }

    /** Writes the 28 bytes at {@code b[off]}. */
    public void emit(byte[] b, int off) {
        b[off + ArpPacket.HARDWARE_TYPE] = 0;
        b[off + ArpPacket.HARDWARE_TYPE + 1] = (byte) ArpPacket.HARDWARE_TYPE_ETHERNET;
        b[off + ArpPacket.PROTOCOL_TYPE] = (byte) (EtherType.IPV4 >>> 8);
        b[off + ArpPacket.PROTOCOL_TYPE + 1] = (byte) EtherType.IPV4;
        b[off + ArpPacket.HARDWARE_LENGTH] = 6;
        b[off + ArpPacket.PROTOCOL_LENGTH] = 4;
        b[off + ArpPacket.OPERATION] = 0;
        b[off + ArpPacket.OPERATION + 1] = (byte) operation.code();
        senderHardwareAddress.write(b, off + ArpPacket.SENDER_HARDWARE_ADDRESS);
        senderProtocolAddress.write(b, off + ArpPacket.SENDER_PROTOCOL_ADDRESS);
        targetHardwareAddress.write(b, off + ArpPacket.TARGET_HARDWARE_ADDRESS);
        targetProtocolAddress.write(b, off + ArpPacket.TARGET_PROTOCOL_ADDRESS);
    }

    public int length() {
        return LENGTH;
    }

    /** As tcpdump prints it: {@code ARP, Request who-has 10.0.0.2 tell 10.0.0.1}. */
    @Override
    public String toString() {
        return switch (operation) {
            case REQUEST -> "ARP, Request who-has " + targetProtocolAddress + " tell " + senderProtocolAddress
                    + " (" + senderHardwareAddress + ")";
            case REPLY -> "ARP, Reply " + senderProtocolAddress + " is-at " + senderHardwareAddress
                    + " to " + targetProtocolAddress + " (" + targetHardwareAddress + ")";
        };
    }
}
