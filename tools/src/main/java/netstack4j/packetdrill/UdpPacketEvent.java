package netstack4j.packetdrill;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A UDP datagram: {@code < udp (100)}, {@code > udp 5000>53 (10)}. */
public record UdpPacketEvent(Direction direction, Map<String, String> ipFields,
                             Optional<PortPair> ports, int payloadLength) implements EventBody {
    public UdpPacketEvent {
        Objects.requireNonNull(direction, "direction");
        ipFields = TcpPacketEvent.copyOrdered(ipFields);
        Objects.requireNonNull(ports, "ports");
        if (payloadLength < 0 || payloadLength > 0xffff) {
            throw new IllegalArgumentException("UDP payload size out of range: " + payloadLength);
        }
    }
}
