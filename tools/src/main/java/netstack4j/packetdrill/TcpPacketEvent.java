package netstack4j.packetdrill;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A TCP segment to inject ({@code <}) or expect ({@code >}), for example
 * {@code < S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>}.
 *
 * @param direction     inbound or outbound
 * @param ipFields      bracketed IP-level fields in the order written: {@code tos}, {@code ttl},
 *                      {@code flowlabel} map to their value as written; an ECN codepoint
 *                      ({@code [ce]}, {@code [ect0]}, …) maps {@code ecn} to its name
 * @param ports         explicit {@code src>dst} ports, if written
 * @param flags         the flag letters as written ({@code "S."}, {@code "P."}, {@code "."}, an
 *                      AccECN suffix such as {@code "S.1"}); empty for {@code -} (no flags)
 * @param seq           {@code start:end(length)}
 * @param ack           {@code ack N}
 * @param window        {@code win N}
 * @param urgentPointer {@code urg N}
 * @param options       the options list, or "any options" for {@code <...>}
 */
public record TcpPacketEvent(Direction direction, Map<String, String> ipFields,
                             Optional<PortPair> ports, String flags, Optional<SeqRange> seq,
                             OptionalLong ack, OptionalLong window, OptionalLong urgentPointer,
                             TcpOptions options) implements EventBody {
    public TcpPacketEvent {
        Objects.requireNonNull(direction, "direction");
        ipFields = copyOrdered(ipFields);
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(urgentPointer, "urgentPointer");
        Objects.requireNonNull(options, "options");
    }

    /** An unmodifiable copy that keeps the written order (for printing). */
    static Map<String, String> copyOrdered(Map<String, String> fields) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
