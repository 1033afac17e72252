package netstack4j.packetdrill;

import java.util.List;
import java.util.Objects;

/** One TCP option as a script writes it inside {@code <...>}. */
public sealed interface TcpOptionSpec {

    /** Bytes the option takes in a TCP header (kind, length, value); -1 when unknown ({@link Raw}). */
    default int wireLength() {
        return switch (this) {
            case Mss m -> 4;
            case SackOk s -> 2;
            case Sack s -> 2 + 8 * s.blocks().size();
            case Timestamp t -> 10;
            case Nop n -> 1;
            case WScale w -> 3;
            case Eol e -> 1;
            case FastOpen f -> (f.experimental() ? 4 : 2) + f.cookieHex().length() / 2;
            case Md5 m -> 18;
            case Raw r -> -1;
        };
    }
    /** {@code mss N}. */
    record Mss(int bytes) implements TcpOptionSpec {
    }

    /** {@code sackOK}. */
    record SackOk() implements TcpOptionSpec {
    }

    /** {@code sack 1:2 3:4}: one or more blocks. */
    record Sack(List<SackBlock> blocks) implements TcpOptionSpec {
        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException("sack needs at least one block");
            }
        }
    }

    /** {@code left:right} of a SACK option, script-relative. */
    record SackBlock(long left, long right) {
    }

    /** {@code TS val N ecr M}. */
    record Timestamp(long value, long echoReply) implements TcpOptionSpec {
    }

    /** {@code nop}. */
    record Nop() implements TcpOptionSpec {
    }

    /** {@code wscale N}. */
    record WScale(int shift) implements TcpOptionSpec {
    }

    /** {@code eol}. */
    record Eol() implements TcpOptionSpec {
    }

    /**
     * {@code FO [cookie]} (option 34) or {@code FOEXP [cookie]} (experimental option 254); the
     * cookie is the hex text as written, empty for a cookie request.
     */
    record FastOpen(String cookieHex, boolean experimental) implements TcpOptionSpec {
        public FastOpen {
            Objects.requireNonNull(cookieHex, "cookieHex");
        }
    }

    /** {@code md5 digest}: the hex text as written. */
    record Md5(String digestHex) implements TcpOptionSpec {
        public Md5 {
            Objects.requireNonNull(digestHex, "digestHex");
        }
    }

    /**
     * An option this parser has no type for (AccECN's {@code ECN e0b 1 ceb 0 e1b 1}, …): its
     * source text up to the next {@code ,} or {@code >}, white space made single.
     */
    record Raw(String text) implements TcpOptionSpec {
        public Raw {
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException("empty raw option");
            }
        }
    }
}
