package netstack4j.packetdrill;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An ICMP message, for example {@code < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]}.
 * Type and code are kept as the names written ({@code unreachable}, {@code time_exceeded},
 * {@code echo_request}; {@code port_unreachable}, {@code frag_needed}, …).
 *
 * @param type     the ICMP type name
 * @param code     the ICMP code name, if written
 * @param mtu      {@code mtu N} (next-hop MTU of "fragmentation needed")
 * @param echoId   {@code id N} of echo messages
 * @param embedded the bracketed description of the packet the ICMP message quotes
 */
public record IcmpPacketEvent(Direction direction, Map<String, String> ipFields, String type,
                              Optional<String> code, OptionalLong mtu, OptionalLong echoId,
                              Optional<Embedded> embedded) implements EventBody {
    public IcmpPacketEvent {
        Objects.requireNonNull(direction, "direction");
        ipFields = TcpPacketEvent.copyOrdered(ipFields);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(echoId, "echoId");
        Objects.requireNonNull(embedded, "embedded");
    }

    /** The quoted packet: {@code [1:1461(1460)]}, {@code [udp (100)]} or {@code [raw (20)]}. */
    public sealed interface Embedded {
    }

    /** A quoted TCP segment with its sequence range. */
    public record EmbeddedTcp(SeqRange seq) implements Embedded {
        public EmbeddedTcp {
            Objects.requireNonNull(seq, "seq");
        }
    }

    /** A quoted UDP datagram with its payload length. */
    public record EmbeddedUdp(int payloadLength) implements Embedded {
    }

    /** A quoted raw IP payload of the given length. */
    public record EmbeddedRaw(int payloadLength) implements Embedded {
    }
}
