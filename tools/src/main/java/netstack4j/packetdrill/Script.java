package netstack4j.packetdrill;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed packetdrill script: option lines, an optional init command that runs before the
 * first event, the timed events in file order, and an optional cleanup command after them.
 *
 * @param options        {@code --name[=value]} lines at the top of the file
 * @param initCommand    a backquoted command before the first event (no timestamp)
 * @param events         the timed events, in file order
 * @param cleanupCommand a backquoted command after the last event (no timestamp)
 */
public record Script(List<ScriptOption> options, Optional<ShellCommand> initCommand,
                     List<Event> events, Optional<ShellCommand> cleanupCommand) {
    public Script {
        options = List.copyOf(options);
        Objects.requireNonNull(initCommand, "initCommand");
        events = List.copyOf(events);
        Objects.requireNonNull(cleanupCommand, "cleanupCommand");
    }

    /** A script of events only. */
    public Script(List<Event> events) {
        this(List.of(), Optional.empty(), events, Optional.empty());
    }
}
