package netstack4j.packetdrill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import netstack4j.socket.Errno;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;

/**
 * Runs one packetdrill script against a netstack4j stack and says PASS, FAIL (with packetdrill's
 * message) or SKIP (with what the runner does not support). See {@link ScriptExecution} for how
 * a script is played.
 *
 * <p>Thread-safe: each run builds its own simulator and stack.
 */
public final class ScriptRunner {
    private ScriptRunner() {
    }

    /** How a script ended. */
    public enum Status { PASS, FAIL, SKIP }

    /**
     * The outcome of one script.
     *
     * @param reason the failure or skip reason (packetdrill's wording for failures), null on PASS
     * @param notes  what the runner did not apply or evaluate but did not fail on (sysctls, Python)
     */
    public record Result(Status status, String script, String reason, List<String> notes) {
        public Result {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(script, "script");
            notes = List.copyOf(notes);
        }

        /** {@code PASS path}, {@code FAIL path: reason}, {@code SKIP path: reason}. */
        public String line() {
            return status + " " + script + (reason == null ? "" : ": " + reason);
        }
    }

    /**
     * How to run scripts.
     *
     * @param personality     whose behaviour the stack follows
     * @param toleranceUsecs  how far an outbound packet or a blocking call's return may be from
     *                        its expected time (packetdrill's {@code --tolerance_usecs}, default 4000)
     * @param verbose         where every event is printed with its time, or null
     */
    public record Options(Personality personality, long toleranceUsecs, Consumer<String> verbose) {
        public static final long DEFAULT_TOLERANCE_USECS = 4000;

        public Options {
            Objects.requireNonNull(personality, "personality");
            if (toleranceUsecs < 0) {
                throw new IllegalArgumentException("negative tolerance");
            }
        }

        public static Options defaults() {
            return new Options(Personality.LINUX, DEFAULT_TOLERANCE_USECS, null);
        }
    }

    /** Runs the script in {@code file}. */
    public static Result run(Path file, Options options) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return new Result(Status.FAIL, file.toString(), "cannot read: " + netstack4j.lab.IoErrors.reason(e), List.of());
        }
        return run(file.toString(), text, file.toAbsolutePath().getParent(), options);
    }

    /**
     * Runs a script given as text.
     *
     * @param name      the script's name in messages
     * @param scriptDir where sourced shell scripts are looked up, or null
     */
    public static Result run(String name, String text, Path scriptDir, Options options) {
        Script script;
        try {
            script = ScriptParser.parse(name, text);
        } catch (ScriptParseException e) {
            return new Result(Status.SKIP, name, "cannot parse: " + e.getMessage(), List.of());
        }
        List<String> notes = new ArrayList<>();
        ScriptExecution run = new ScriptExecution(name, script, scriptDir, options, notes);
        try {
            run.execute();
            return new Result(Status.PASS, name, null, notes);
        } catch (UnsupportedFeature e) {
            return new Result(Status.SKIP, name, e.getMessage(), notes);
        } catch (ScriptFailure e) {
            return new Result(Status.FAIL, name, e.getMessage(), notes);
        } catch (RuntimeException e) {
            // A runner bug must not take the other scripts down: report it as a failure with its cause.
            return new Result(Status.FAIL, name, "runner error: " + e, notes);
        }
    }

    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e9);
    }

    static String errnoText(Errno e) {
        return e.code() + " (" + e.text() + ")";
    }

    static StackConfig config(Options options, Map<String, String> sysctls, List<String> notes) {
        return Sysctls.apply(StackConfig.defaults(options.personality()), sysctls, notes);
    }
}
