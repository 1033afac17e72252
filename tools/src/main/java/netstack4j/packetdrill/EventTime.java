package netstack4j.packetdrill;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * When an event happens: {@code 0.100} (absolute), {@code +0.1} (relative to the previous event),
 * {@code *} (any time) or a range {@code 0.1~0.2} / {@code +0~+0.1} in which an outbound packet
 * is expected. Times are microseconds, as packetdrill keeps them.
 *
 * @param kind              absolute, relative or any
 * @param startMicros       the time (or the start of the range); 0 for {@link Kind#ANY}
 * @param rangeEndMicros    the end of a range, of the same kind as the start
 */
public record EventTime(Kind kind, long startMicros, OptionalLong rangeEndMicros) {
    /** How a time is measured. */
    public enum Kind {
        /** Microseconds since the start of the script. */
        ABSOLUTE,
        /** Microseconds since the previous event. */
        RELATIVE,
        /** Whenever it happens ({@code *}); only for outbound packets. */
        ANY
    }

    public EventTime {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rangeEndMicros, "rangeEndMicros");
        if (startMicros < 0) {
            throw new IllegalArgumentException("negative time: " + startMicros);
        }
        if (kind == Kind.ANY && (startMicros != 0 || rangeEndMicros.isPresent())) {
            throw new IllegalArgumentException("'*' has no time and no range");
        }
        if (rangeEndMicros.isPresent() && rangeEndMicros.getAsLong() < startMicros) {
            throw new IllegalArgumentException("time range is backwards");
        }
    }

    /** {@code 0.100}. */
    public static EventTime absolute(long micros) {
        return new EventTime(Kind.ABSOLUTE, micros, OptionalLong.empty());
    }

    /** {@code +0.1}. */
    public static EventTime relative(long micros) {
        return new EventTime(Kind.RELATIVE, micros, OptionalLong.empty());
    }

    /** {@code *}. */
    public static EventTime any() {
        return new EventTime(Kind.ANY, 0, OptionalLong.empty());
    }

    /** This time as the start of a range ending at {@code endMicros}. */
    public EventTime until(long endMicros) {
        return new EventTime(kind, startMicros, OptionalLong.of(endMicros));
    }

    /** Whether this is a range ({@code a~b}). */
    public boolean isRange() {
        return rangeEndMicros.isPresent();
    }
}
