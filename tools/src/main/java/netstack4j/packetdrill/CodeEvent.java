package netstack4j.packetdrill;

import java.util.Objects;

/**
 * A {@code %{ ... }%} Python block; {@code code} is the text inside with spaces and tabs (not
 * newlines) stripped from both ends, as packetdrill does.
 */
public record CodeEvent(String code) implements EventBody {
    public CodeEvent {
        Objects.requireNonNull(code, "code");
    }
}
