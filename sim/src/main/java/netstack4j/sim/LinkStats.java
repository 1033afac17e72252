package netstack4j.sim;

/**
 * Counters of one direction of a {@link SimLink}. Frames offered to the link end up in exactly
 * one of: dropped for MTU, dropped because the link was down at transmit, tail-dropped by the
 * queue, or {@link #sent()}; a sent frame (and each duplicate of it) is then lost, delivered,
 * discarded by the receiving port for a bad FCS ({@link #rxCrcErrors()}), or dropped because the
 * link went down while it was in flight (also counted in {@link #droppedDown()}). So
 * {@code sent + duplicated = droppedLoss + delivered + rxCrcErrors + (in flight when the link went
 * down)}.
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
    /** ECN-capable packets marked CE by the queue ({@link LinkParams#ecnThresholdBytes}). */
    long ceMarked;
    long droppedDown;
    long droppedMtu;
    long duplicated;
    long reordered;
    long corrupted;
    long rxCrcErrors;
    long payloadCorrupted;

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
    public long ceMarked() {
        return ceMarked;
    }

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

    /** Every frame that did not reach the receiving port's host. */
    public long dropped() {
        return droppedLoss + droppedQueue + droppedDown + droppedMtu + rxCrcErrors;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    /** Frames (and duplicates) damaged on the wire; those that arrive fail the FCS check. */
    public long corrupted() {
        return corrupted;
    }

    /**
     * Frames the receiving port discarded because their frame check sequence did not match:
     * Linux's {@code rx_crc_errors} ({@code ip -s -s link}: "RX errors: crc"; {@code ethtool -S}).
     */
    public long rxCrcErrors() {
        return rxCrcErrors;
    }

    /**
     * Frames delivered with one bit of their IP payload flipped past the FCS (see
     * {@link LinkParams}); counted on delivery, so included in {@link #delivered()}.
     */
    public long payloadCorrupted() {
        return payloadCorrupted;
    }

    @Override
    public String toString() {
        return "sent " + sent + " (" + sentBytes + " B), delivered " + delivered + " (" + deliveredBytes
                + " B), dropped loss " + droppedLoss + " queue " + droppedQueue + " down " + droppedDown
                + " mtu " + droppedMtu + " rx_crc_errors " + rxCrcErrors + ", duplicated " + duplicated
                + ", reordered " + reordered + ", corrupted " + corrupted + " (past the FCS " + payloadCorrupted + ")";
    }
}
