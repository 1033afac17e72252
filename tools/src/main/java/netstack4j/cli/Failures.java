package netstack4j.cli;

import java.io.UncheckedIOException;
import java.util.Locale;
import netstack4j.sim.SimulationException;

/**
 * Turns whatever a command throws into the one line a command-line tool prints (no Java stack
 * trace): a file that cannot be written, a simulated process that failed (with its name and
 * simulated time), or, for anything unexpected, the exception's kind and message.
 */
final class Failures {
    private Failures() {
    }

    /** One line, without the command's name: what failed and why. */
    static String describe(Throwable t) {
        return firstLine(switch (t) {
            case UncheckedIOException e -> e.getMessage();
            case SimulationException e -> String.format(Locale.ROOT, "%s (in simulated process '%s' at %.3f s)",
                    message(e.getCause() != null ? e.getCause() : e), e.process().name(), e.process().failedAtNs() / 1e9);
            default -> "internal error: " + t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
        });
    }

    /** The exception's message, or its kind when it has none. */
    static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
