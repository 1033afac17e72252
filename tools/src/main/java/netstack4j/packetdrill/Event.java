package netstack4j.packetdrill;

import java.util.Objects;

/** One timed line of a script; {@code line} is the line of its timestamp. */
public record Event(int line, EventTime time, EventBody body) {
    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(body, "body");
    }
}
