package netstack4j.packetdrill;

/** Which way a scripted packet goes, seen from the system under test. */
public enum Direction {
    /** {@code <}: the script injects the packet into the stack. */
    INBOUND("<"),
    /** {@code >}: the script expects the stack to send the packet. */
    OUTBOUND(">");

    private final String symbol;

    Direction(String symbol) {
        this.symbol = symbol;
    }

    /** {@code <} or {@code >}. */
    public String symbol() {
        return symbol;
    }
}
