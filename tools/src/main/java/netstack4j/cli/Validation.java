package netstack4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks option values and reports the first violation as a usage error (exit code 2). */
final class Validation {
    private final CommandSpec spec;

    Validation(CommandSpec spec) {
        this.spec = spec;
    }

    void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
