package netstack4j.packetdrill;

import java.util.Objects;

/**
 * A timed backquoted shell command; {@code command} is the text between the backquotes as
 * written (it may span lines).
 */
public record ShellEvent(String command) implements EventBody {
    public ShellEvent {
        Objects.requireNonNull(command, "command");
    }
}
