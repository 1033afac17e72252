package netstack4j.lab;

/**
 * What an experiment's run showed about its claim: confirmed, different on Linux (with the
 * reason and the Linux function or RFC section), or not runnable until a feature exists.
 */
public record Verdict(Kind kind, String reason) {
    public enum Kind { CONFIRMED, DIFFERS, WAITING, FAILED }

    public static Verdict confirmed() {
        return new Verdict(Kind.CONFIRMED, "");
    }

    public static Verdict differs(String reason) {
        return new Verdict(Kind.DIFFERS, reason);
    }

    public static Verdict waiting(String feature) {
        return new Verdict(Kind.WAITING, feature);
    }

    /** The run itself failed (a bug in the experiment or the stack), with what went wrong. */
    public static Verdict failed(String what) {
        return new Verdict(Kind.FAILED, what);
    }

    /** Confirmed when {@code holds}, else differs for {@code reason}. */
    public static Verdict of(boolean holds, String reason) {
        return holds ? confirmed() : differs(reason);
    }

    /** The verdict line: {@code confirmed}, {@code differs on Linux: …} or {@code waits on …}. */
    public String line() {
        return line("Linux");
    }

    /** As {@link #line()}, naming the personality the run followed ({@code differs on Windows: …}). */
    public String line(String personality) {
        return switch (kind) {
            case CONFIRMED -> "confirmed";
            case DIFFERS -> "differs on " + personality + ": " + reason;
            case WAITING -> "waits on " + reason;
            case FAILED -> "run failed: " + reason;
        };
    }
}
