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
    public record Result(Status status, String script, String reason, List<String> notes,
                         java.util.Set<String> sentTcpOptions, java.util.Set<String> unapplied) {
        public Result {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(script, "script");
            notes = List.copyOf(notes);
            sentTcpOptions = java.util.Set.copyOf(sentTcpOptions);
            unapplied = java.util.Set.copyOf(unapplied);
        }

        public Result(Status status, String script, String reason, List<String> notes) {
            this(status, script, reason, notes, java.util.Set.of(), java.util.Set.of());
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
     * @param flags           packetdrill's command-line flags ({@code --strict_segments}, {@code -D A=B}, …),
     *                        applied after the script's own option lines, as packetdrill does
     */
    public record Options(Personality personality, long toleranceUsecs, Consumer<String> verbose, List<Flag> flags) {
        public static final long DEFAULT_TOLERANCE_USECS = 4000;

        public Options {
            Objects.requireNonNull(personality, "personality");
            if (toleranceUsecs < 0) {
                throw new IllegalArgumentException("negative tolerance");
            }
            flags = List.copyOf(flags);
        }

        public Options(Personality personality, long toleranceUsecs, Consumer<String> verbose) {
            this(personality, toleranceUsecs, verbose, List.of());
        }

        public static Options defaults() {
            return new Options(Personality.LINUX, DEFAULT_TOLERANCE_USECS, null);
        }

        /** These options with {@code more} flags after the ones they have. */
        public Options withFlags(List<Flag> more) {
            List<Flag> all = new ArrayList<>(flags);
            all.addAll(more);
            return new Options(personality, toleranceUsecs, verbose, all);
        }
    }

    /**
     * One packetdrill flag: {@code --name=value}, {@code --name} (value null), or a definition
     * {@code -D NAME=VALUE} (name {@code define}).
     */
    public record Flag(String name, String value) {
        public Flag {
            Objects.requireNonNull(name, "name");
        }

        /** Whether packetdrill has a flag called {@code name} ({@code options[]} in config.c). */
        public static boolean known(String name) {
            return RunConfig.OPTIONS.containsKey(name);
        }

        /** Whether the flag {@code name} takes a value. */
        public static boolean takesValue(String name) {
            return RunConfig.OPTIONS.getOrDefault(name, false);
        }
    }

    /**
     * Runs {@code files} on up to {@code threads} threads (each run has its own simulator and
     * stack) and returns the results in the order of {@code files}; {@code each} sees every
     * result in that order as soon as it and those before it are done.
     */
    public static List<Result> runAll(List<Path> files, Options options, int threads, Consumer<Result> each) {
        List<Result> results = new ArrayList<>();
        if (threads <= 1 || files.size() <= 1) {
            for (Path f : files) {
                Result r = run(f, options);
                each.accept(r);
                results.add(r);
            }
            return results;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> run(f, options)));
            }
            for (java.util.concurrent.Future<Result> fu : futures) {
                Result r = fu.get();
                each.accept(r);
                results.add(r);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a run failed", e.getCause());
        } finally {
            pool.shutdownNow();
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
            script = ScriptParser.parse(name, text, definesOf(options));
        } catch (ScriptParseException e) {
            // packetdrill's parser stops the run at a syntax error: the script fails.
            return new Result(Status.FAIL, name, e.getMessage(), List.of());
        }
        List<String> notes = new ArrayList<>();
        ScriptExecution run;
        try {
            run = new ScriptExecution(name, script, scriptDir, options, notes);
        } catch (UnsupportedFeature e) {
            return new Result(Status.SKIP, name, e.getMessage(), notes);
        } catch (ScriptFailure e) {
            return new Result(Status.FAIL, name, e.getMessage(), notes);
        }
        Status status;
        String reason = null;
        try {
            run.execute();
            status = Status.PASS;
        } catch (UnsupportedFeature e) {
            status = Status.SKIP;
            reason = e.getMessage();
        } catch (ScriptFailure e) {
            status = Status.FAIL;
            reason = e.getMessage() + unappliedDevice(run.unapplied());
        } catch (RuntimeException e) {
            // A runner bug must not take the other scripts down: report it as a failure with its cause.
            status = Status.FAIL;
            reason = "runner error: " + e;
        }
        return new Result(status, name, reason, notes, run.sentTcpOptions(), run.unapplied());
    }

    /** The {@code -D NAME=VALUE} definitions among the command-line flags. */
    static Map<String, String> definesOf(Options options) {
        Map<String, String> d = new java.util.LinkedHashMap<>();
        for (Flag f : options.flags()) {
            if (f.name().equals("define") && f.value() != null && f.value().indexOf('=') > 0) {
                d.put(f.value().substring(0, f.value().indexOf('=')), f.value().substring(f.value().indexOf('=') + 1));
            }
        }
        return d;
    }

    /** Seconds with packetdrill's six decimals ({@code usecs_to_secs} printed with {@code %.6f}). */
    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.6f", ns / 1e9);
    }

    static String errnoText(Errno e) {
        return e.code() + " (" + e.text() + ")";
    }

    static StackConfig config(Options options, Map<String, String> sysctls, List<String> notes) {
        return Sysctls.apply(StackConfig.defaults(options.personality()), sysctls, notes);
    }

    /**
     * A failure after a {@code tc} or {@code ip} setting the stack could not take names it, since
     * the script may rely on it (a qdisc limit, a route's advmss); sysctls the stack lacks are
     * listed by {@code --missing} instead, as defaults.sh sets many that rarely matter.
     */
    private static String unappliedDevice(java.util.Set<String> unapplied) {
        List<String> device = unapplied.stream().filter(u -> u.startsWith("tc ") || u.startsWith("ip ")).toList();
        return device.isEmpty() ? "" : " (not applied: " + String.join("; ", device) + ")";
    }
}
