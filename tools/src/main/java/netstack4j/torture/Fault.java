package netstack4j.torture;

/** A kind of network fault a scenario may inject on the router's WAN cable. */
public enum Fault {
    /** Independent random loss, each direction up to 30 %. */
    LOSS("loss"),
    /** Gilbert–Elliott burst loss (with LOSS, at most 30 % in all per direction). */
    BURST("burst"),
    /** Frames held back behind the next one. */
    REORDER("reorder"),
    /** Frames delivered twice. */
    DUPLICATE("duplicate"),
    /** Uniform extra delay (not reordering). */
    JITTER("jitter"),
    /**
     * One bit flipped in the IP payload past the FCS (the TCP checksum must catch it), and frames
     * damaged on the wire (the receiving port's FCS check drops them).
     */
    CORRUPT("corrupt"),
    /** The WAN cable cut and healed at random times, for seconds up to past the retransmission timeout. */
    PARTITION("partition"),
    /** A slow WAN direction with a small queue that tail-drops. */
    BOTTLENECK("bottleneck"),
    /** The router's egress MTU lowered (or raised) mid-run: ICMP fragmentation needed to the sender. */
    MTU("mtu");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
