package netstack4j.sim;

/**
 * Counters of one direction of a {@link SimLink}. Frames offered to the link end up in exactly
 * one of: dropped for MTU, dropped because the link was down at transmit, tail-dropped by the
 * queue, or {@link #sent()}; a sent frame is then lost, delivered, or dropped because the link
 * went down while it was in flight (also counted in {@link #droppedDown()}). Duplicates add to
 * {@link #delivered()}.
 *
 * <p>Thread-compatible: updated by the simulation's owner; read it from the same place.
 */
public final class LinkStats {
    long sent;
    long sentBytes;
    long delivered;
    long deliveredBytes;
    long droppedLoss;
    long droppedQueue;
    long droppedDown;
    long droppedMtu;
    long duplicated;
    long reordered;
    long corrupted;

    /** Frames accepted onto the wire (they occupied its bandwidth). */
    public long sent() {
        return sent;
    }

    public long sentBytes() {
        return sentBytes;
    }

    /** Frames handed to the receiving port (duplicates included). */
    public long delivered() {
        return delivered;
    }

    public long deliveredBytes() {
        return deliveredBytes;
    }

    /** Frames lost to random or burst loss. */
    public long droppedLoss() {
        return droppedLoss;
    }

    /** Frames tail-dropped because the transmit queue was full. */
    public long droppedQueue() {
        return droppedQueue;
    }

    /** Frames offered while the link was down or in flight when it went down. */
    public long droppedDown() {
        return droppedDown;
    }

    /** Frames larger than MTU + 14 bytes. */
    public long droppedMtu() {
        return droppedMtu;
    }

    public long dropped() {
        return droppedLoss + droppedQueue + droppedDown + droppedMtu;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long corrupted() {
        return corrupted;
    }

    @Override
    public String toString() {
        return "sent " + sent + " (" + sentBytes + " B), delivered " + delivered + " (" + deliveredBytes
                + " B), dropped loss " + droppedLoss + " queue " + droppedQueue + " down " + droppedDown
                + " mtu " + droppedMtu + ", duplicated " + duplicated + ", reordered " + reordered
                + ", corrupted " + corrupted;
    }
}
