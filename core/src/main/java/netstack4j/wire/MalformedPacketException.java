package netstack4j.wire;

/**
 * A packet could not be parsed; the message is the reason, short enough for a drop trace
 * ({@code "IPv4 header length beyond packet"}). Checked, so that every parse site decides
 * how to count and drop; the stack never lets one escape to an application.
 */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String reason) {
        super(reason, null, false, false);
    }

    /** The reason the packet was rejected (same as {@link #getMessage()}). */
    public String reason() {
        return getMessage();
    }
}
