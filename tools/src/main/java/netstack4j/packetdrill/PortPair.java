package netstack4j.packetdrill;

/** Explicit ports written as {@code src>dst} before a packet's flags or payload length. */
public record PortPair(int source, int destination) {
    public PortPair {
        if (source < 0 || source > 0xffff || destination < 0 || destination > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + source + ">" + destination);
        }
    }
}
