package netstack4j.packetdrill;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code --name} or {@code --name=value} line at the top of a script, with the same meaning as
 * the command-line flag of that name. The value is kept as written (quotes included).
 */
public record ScriptOption(int line, String name, Optional<String> value) {
    public ScriptOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
