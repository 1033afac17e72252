package netstack4j.tcp;

/**
 * Where the sender stands in loss recovery, as Linux's {@code icsk_ca_state} ({@code TCP_CA_*} in
 * include/net/tcp.h) and as {@code ss -i} reports it. Linux's CWR (window reduced by ECN or local
 * congestion) has no counterpart until ECN is added.
 */
public enum CongestionControlState {
    /** Normal: no duplicate ACKs, no suspected loss (TCP_CA_Open). */
    OPEN,
    /** Duplicate ACKs seen but fewer than the threshold: maybe reordering (TCP_CA_Disorder). */
    DISORDER,
    /** The window is being reduced for a congestion signal without loss, an ECN echo (TCP_CA_CWR;
     * RFC 3168 section 6.1.2), with PRR as in recovery. */
    CWR,
    /** Fast retransmit done; in fast recovery until everything up to "recover" is acknowledged
     * (TCP_CA_Recovery; RFC 5681 section 3.2, RFC 6582 section 3.2). */
    RECOVERY,
    /** The retransmission timer expired; slow start from the loss window until everything
     * outstanding at the timeout is acknowledged (TCP_CA_Loss; RFC 5681 section 3.1). */
    LOSS;

    /**
     * The number Linux reports in tcpi_ca_state ({@code enum tcp_ca_state} in include/net/tcp.h:
     * Open 0, Disorder 1, CWR 2, Recovery 3, Loss 4).
     */
    public int linuxValue() {
        return switch (this) {
            case OPEN -> 0;
            case DISORDER -> 1;
            case CWR -> 2;
            case RECOVERY -> 3;
            case LOSS -> 4;
        };
    }
}
