package netstack4j.torture;

import java.util.Locale;

/**
 * A broken invariant found in a run.
 *
 * @param kind   which invariant
 * @param detail what was seen, for a person: who, when, what was expected
 */
public record Violation(Kind kind, String detail) {
    /** The invariants, as they are tallied. */
    public enum Kind {
        /** A byte delivered twice, out of order, altered, or an end of stream in the wrong place. */
        INTEGRITY,
        /** An error Linux would not give here (or none where it would). */
        ERRNO,
        /** An error Linux would give, but not at this time. */
        TIMING,
        /** No progress for longer than Linux would try (livelock, or a timer that never gives up). */
        STALL,
        /** Processes still waiting when the run's time ran out. */
        HANG,
        /** An exception escaped the stack (a process or an event threw). */
        EXCEPTION,
        /** Socket memory still charged after every socket closed and its timers ran. */
        MEMORY,
        /** Pool buffers not returned after everything closed. */
        POOL,
        /** Connections still in the table after everything closed and its timers ran. */
        LEAK,
        /** The run went past its event budget. */
        STORM,
        /** A host fragmented its own TCP segments: Linux fits every segment to the path MTU. */
        PMTU;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return kind.label() + ": " + detail;
    }
}
