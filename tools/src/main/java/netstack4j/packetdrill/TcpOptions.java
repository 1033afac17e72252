package netstack4j.packetdrill;

import java.util.List;

/** The options part of a TCP packet line: an exact list, or {@code <...>} (anything). */
public sealed interface TcpOptions {
    /** No options written: the segment must carry none. */
    TcpOptions NONE = new Listed(List.of());

    /** {@code <...>}: any options are accepted (outbound packets only). */
    record Any() implements TcpOptions {
    }

    /** {@code <mss 1460,nop,...>}, or no options part at all (an empty list). */
    record Listed(List<TcpOptionSpec> options) implements TcpOptions {
        public Listed {
            options = List.copyOf(options);
        }
    }
}
