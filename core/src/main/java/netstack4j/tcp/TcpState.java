package netstack4j.tcp;

/**
 * The states of a TCP connection, with RFC 9293 section 3.3.2 names, the name {@code ss} prints
 * for each, and Linux's {@code tcpi_state} number ({@code include/net/tcp_states.h}).
 * CLOSED shows as {@code UNCONN} in {@code ss}, as Linux's TCP_CLOSE does.
 */
public enum TcpState {
    /** RFC 9293 section 3.3.2: no connection; the fictional state before and after. */
    CLOSED("UNCONN", 7),
    /** Waiting for a connection request from any remote TCP. */
    LISTEN("LISTEN", 10),
    /** A SYN was sent; waiting for a matching SYN. */
    SYN_SENT("SYN-SENT", 2),
    /** A SYN was received and a SYN sent; waiting for the acknowledgement of ours. */
    SYN_RECEIVED("SYN-RECV", 3),
    /** An open connection; data moves both ways. */
    ESTABLISHED("ESTAB", 1),
    /** Our FIN was sent; waiting for its ACK or the peer's FIN. */
    FIN_WAIT_1("FIN-WAIT-1", 4),
    /** Our FIN was acknowledged; waiting for the peer's FIN. */
    FIN_WAIT_2("FIN-WAIT-2", 5),
    /** The peer's FIN was received; waiting for the local application to close. */
    CLOSE_WAIT("CLOSE-WAIT", 8),
    /** Both FINs sent, ours not yet acknowledged (simultaneous close). */
    CLOSING("CLOSING", 11),
    /** The peer closed first and our FIN was sent; waiting for its ACK. */
    LAST_ACK("LAST-ACK", 9),
    /** Both sides closed; waiting 2 MSL so old duplicates die (RFC 9293 section 3.4.2). */
    TIME_WAIT("TIME-WAIT", 6);

    private final String ssName;
    private final int linuxState;

    TcpState(String ssName, int linuxState) {
        this.ssName = ssName;
        this.linuxState = linuxState;
    }

    /** What {@code ss} prints in its State column. */
    public String ssName() {
        return ssName;
    }

    /** Linux's {@code tcpi_state} value (TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11). */
    public int linuxState() {
        return linuxState;
    }

    /** True in the states where the connection is synchronized (RFC 9293 section 3.5.2). */
    public boolean isSynchronized() {
        return switch (this) {
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED -> false;
            default -> true;
        };
    }

    /** The state whose {@code tcpi_state} is {@code value}. */
    public static TcpState fromLinuxState(int value) {
        for (TcpState s : values()) {
            if (s.linuxState == value) {
                return s;
            }
        }
        throw new IllegalArgumentException("no TCP state numbered " + value);
    }
}
