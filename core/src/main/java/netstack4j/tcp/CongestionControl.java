package netstack4j.tcp;

/**
 * A congestion control algorithm: the sender tells it what happens (new ACKs, duplicate ACKs, RTT
 * samples, timeouts) and it answers how much may be in flight ({@link #cwndBytes()}). A strategy in
 * Aeron's style: the sender holds one instance per connection and never looks inside, so CUBIC
 * (RFC 9438) or a SACK-driven recovery (RFC 6675) plug in without changing the sender.
 *
 * <p>The sender keeps the sequence state (SND.UNA, SND.NXT), decides which ACKs are duplicates
 * (RFC 5681 section 2: no data, no window change, ACK == SND.UNA while data is outstanding) and does
 * the retransmitting the answers ask for. "Flight size" is RFC 5681's FlightSize: bytes sent and not
 * yet cumulatively acknowledged, counted after the event being reported.
 *
 * <p>All calls allocate nothing. Thread-compatible: owned by the stack's thread.
 */
public interface CongestionControl {
    /** Linux's TCP_INFINITE_SSTHRESH: no slow start threshold yet (RFC 5681 section 3.1: "arbitrarily high"). */
    int INFINITE_SSTHRESH = Integer.MAX_VALUE;

    /** The name {@code ss -i} prints and {@code TCP_CONGESTION} takes ("reno", "cubic"). */
    String name();

    /**
     * An ACK advanced SND.UNA to {@code ack}, acknowledging {@code bytesAcked} new bytes.
     *
     * @param cwndLimited true when the sender used the whole window since the previous ACK (not
     *                    held back by the application or the peer's window); the window grows only
     *                    then (RFC 7661 section 4.5, as Linux's {@code tcp_is_cwnd_limited})
     * @return true when the sender must retransmit the first unacknowledged segment now (a NewReno
     *         partial acknowledgement, RFC 6582 section 3.2)
     */
    boolean onAck(long nowNs, int ack, int bytesAcked, int flightSizeBytes, boolean cwndLimited);

    /**
     * A duplicate ACK (RFC 5681 section 2) arrived; {@code ack} is SND.UNA, {@code sndNxt} the
     * highest sequence number sent plus one.
     *
     * @return true when the sender must fast-retransmit the segment at SND.UNA now (RFC 5681
     *         section 3.2; this call has then entered recovery)
     */
    boolean onDupAck(long nowNs, int ack, int sndNxt, int flightSizeBytes);

    /** An RTT sample (already filtered by Karn's algorithm); for algorithms that use delay. */
    void onRttSample(long nowNs, long rttNs);

    /**
     * Loss was detected by other means than the duplicate ACK count (SACK scoreboard, RACK):
     * reduce the window and enter recovery until {@code sndNxt} is acknowledged.
     */
    void enterRecovery(long nowNs, int sndNxt, int flightSizeBytes);

    /** Everything up to the recovery point is acknowledged: leave recovery (RFC 6582 section 3.2 full ACK). */
    void exitRecovery(long nowNs, int flightSizeBytes);

    /**
     * The retransmission timer expired (RFC 5681 section 3.1): ssthresh drops (once per loss
     * episode) and the window collapses to the loss window, one segment.
     */
    void onRetransmissionTimeout(long nowNs, int sndNxt, int flightSizeBytes);

    /** The sender's maximum segment size changed (path MTU discovery, MSS option). */
    void setSmss(int smssBytes);

    int smssBytes();

    /** The congestion window in bytes. */
    int cwndBytes();

    /** The slow start threshold in bytes; {@link #INFINITE_SSTHRESH} until the first loss. */
    int ssthreshBytes();

    /** cwnd &lt; ssthresh (RFC 5681 section 3.1). */
    boolean inSlowStart();

    CongestionControlState state();

    /** Duplicate ACKs counted since the last new ACK. */
    int dupAcks();

    /**
     * SACK-based recovery (Linux's tcp_enter_recovery with PRR): ssthresh falls as on a loss and
     * the state becomes RECOVERY, but cwnd is left for {@link #setReducedCwnd} to set per ACK.
     */
    void enterSackRecovery(long nowNs, int flightSizeBytes);

    /**
     * An ECN echo in the Open or Disorder state (tcp_enter_cwr): ssthresh falls as on a loss and
     * the state becomes CWR; cwnd is then reduced by PRR ({@link #setReducedCwnd}).
     */
    void enterCwr(long nowNs, int flightSizeBytes);

    /** PRR (RFC 6937) sets cwnd during recovery, at least one segment. */
    void setReducedCwnd(int cwndBytes);

    /** Recovery is over (tcp_end_cwnd_reduction): cwnd = ssthresh, state OPEN. */
    void endSackRecovery(long nowNs);

    /**
     * A loss that is not congestion (tcp_non_congestion_loss_retransmit: SYN data the SYN-ACK did
     * not acknowledge): the state becomes LOSS until SND.UNA reaches {@code sndNxt}, cwnd stays and
     * ssthresh is tcp_current_ssthresh's.
     */
    void enterNonCongestionLoss(int sndNxt);

    /**
     * The reduction was not needed (tcp_undo_cwnd_reduction): cwnd back to at least
     * {@code priorCwndBytes} (the algorithms' undo_cwnd, max(cwnd, loss_cwnd)) and ssthresh to at
     * least {@code priorSsthreshBytes}, unless that is 0; the state becomes OPEN.
     */
    void undo(int priorCwndBytes, int priorSsthreshBytes);

    /** OPEN or DISORDER (TCP_CA_Disorder: SACKs or duplicate ACKs without loss yet), outside recovery. */
    void setDisorder(boolean disorder);

    /**
     * RFC 2861 / Linux's tcp_cwnd_restart: after {@code idleNs} without sending, ssthresh keeps
     * 3/4 of cwnd at least and cwnd halves per RTO of idleness, down to {@code restartCwndBytes}.
     */
    void restartAfterIdle(long nowNs, int restartCwndBytes, long idleNs, long rtoNs);
}
