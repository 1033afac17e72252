package netstack4j.socket;

/** The {@code how} of {@code shutdown(2)}: SHUT_RD, SHUT_WR, SHUT_RDWR (N39). */
public enum Shutdown {
    /** SHUT_RD: further reads return end of stream. */
    READ,
    /** SHUT_WR: send FIN after the queued data; further writes fail with EPIPE. */
    WRITE,
    /** SHUT_RDWR: both. */
    BOTH
}
