package netstack4j.packetdrill;

/**
 * {@code start:end(length)}: a segment's script-relative sequence space, kept as written.
 * packetdrill requires {@code end == start + length}.
 */
public record SeqRange(long start, long end, long length) {
    public SeqRange {
        if (start < 0 || length < 0 || end != start + length) {
            throw new IllegalArgumentException(
                    "inconsistent sequence range " + start + ":" + end + "(" + length + ")");
        }
    }
}
