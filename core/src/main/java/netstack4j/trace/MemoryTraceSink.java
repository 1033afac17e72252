package netstack4j.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Keeps events in memory (bounded) and a running SHA-256 over every event's formatted line, so
 * two runs can be compared for determinism by {@link #hash()} even when the list was trimmed.
 *
 * <p>Thread-compatible.
 */
public final class MemoryTraceSink implements TraceSink {
    private final int capacity;
    private final List<TraceEvent> events = new ArrayList<>();
    private final MessageDigest digest;
    private long count;

    public MemoryTraceSink(int capacity) {
        this.capacity = capacity;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void accept(TraceEvent event) {
        count++;
        digest.update(event.format().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        if (events.size() < capacity) {
            events.add(event);
        }
    }

    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    public long count() {
        return count;
    }

    /** SHA-256 of all events seen so far, in hex. */
    public String hash() {
        try {
            MessageDigest copy = (MessageDigest) digest.clone();
            return HexFormat.of().formatHex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
