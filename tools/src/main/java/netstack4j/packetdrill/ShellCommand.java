package netstack4j.packetdrill;

import java.util.Objects;

/** An untimed backquoted command: the init or cleanup command of a script. */
public record ShellCommand(int line, String command) {
    public ShellCommand {
        Objects.requireNonNull(command, "command");
    }
}
