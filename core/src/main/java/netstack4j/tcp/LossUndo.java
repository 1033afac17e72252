package netstack4j.tcp;

/**
 * Undoing a window reduction that was not needed, as Linux does on SACK connections
 * (tcp_input.c): a recovery or timeout episode remembers the window before it
 * ({@code tcp_init_undo}: undo_marker, prior_cwnd, prior_ssthresh) and counts its
 * retransmissions (undo_retrans). The reduction is undone when
 * <ul>
 *   <li>every retransmission came back as a DSACK (RFC 2883 section 4.2, tcp_try_undo_dsack):
 *       the originals had arrived;</li>
 *   <li>an ACK echoes a timestamp older than the first retransmission (the Eifel detection of
 *       RFC 3522, tcp_packet_delayed): it acknowledges an original;</li>
 *   <li>after a timeout, F-RTO (RFC 5682 section 3.1, tcp_process_loss with tcp_frto=2) finds
 *       that data never retransmitted was acknowledged after the first ACK.</li>
 * </ul>
 * Undoing restores {@code max(cwnd, prior_cwnd)} and the larger ssthresh
 * (tcp_undo_cwnd_reduction), forgets the lost marks, and returns to the Open state.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class LossUndo {
    /** An episode may be undone (tp->undo_marker != 0). */
    private boolean marked;
    /** Retransmissions not yet answered by a DSACK; -1 while none was sent (tp->undo_retrans). */
    private int retrans = -1;
    private int priorCwnd;
    /** 0 when the window is not to be restored (tp->prior_ssthresh). */
    private int priorSsthresh;
    /** The TSval of the episode's first retransmission (tp->retrans_stamp), or -1. */
    private long firstRetransTsVal = -1;
    /** F-RTO is watching this timeout (tp->frto). */
    boolean frto;

    /**
     * tcp_init_undo at the start of an episode: {@code cwnd} and {@code ssthresh} before the
     * reduction; {@code restoreWindow} false when the window is not to be given back (an ECN
     * echo started it, or a CWR reduction was already under way).
     */
    void start(int cwnd, int ssthresh, boolean restoreWindow, int retransOut) {
        marked = true;
        retrans = retransOut > 0 ? retransOut : -1;
        priorCwnd = cwnd;
        priorSsthresh = restoreWindow ? Math.max(ssthresh, (cwnd >> 1) + (cwnd >> 2)) : 0; // tcp_current_ssthresh
        firstRetransTsVal = -1;
    }

    boolean marked() {
        return marked;
    }

    /** A segment was retransmitted with timestamp value {@code tsVal} (-1 without timestamps). */
    void onRetransmit(long tsVal) {
        if (!marked) {
            return;
        }
        retrans = Math.max(retrans, 0) + 1;
        if (firstRetransTsVal < 0) {
            firstRetransTsVal = tsVal;
        }
    }

    /** A DSACK reported a duplicate: one retransmission was not needed (tcp_check_dsack). */
    void onDsack() {
        if (marked && retrans > 0) {
            retrans--;
        }
    }

    /** Every retransmission was answered by a DSACK (tcp_try_undo_dsack's condition). */
    boolean allDsacked() {
        return marked && retrans == 0;
    }

    /**
     * tcp_packet_delayed: the ACK echoes {@code tsEcr} (-1 without timestamps), older than the
     * first retransmission, so it answers an original.
     */
    boolean packetDelayed(long tsEcr) {
        return firstRetransTsVal >= 0 && tsEcr >= 0 && (int) (tsEcr - firstRetransTsVal) < 0;
    }

    /** tcp_may_undo: nothing was really retransmitted, or the ACK answers an original. */
    boolean mayUndo(long tsEcr) {
        return marked && (retrans == 0 || packetDelayed(tsEcr));
    }

    /** The episode is over, undone or not (undo_marker cleared). */
    void clear() {
        marked = false;
        frto = false;
        retrans = -1;
        firstRetransTsVal = -1;
    }

    int priorCwnd() {
        return priorCwnd;
    }

    int priorSsthresh() {
        return priorSsthresh;
    }
}
