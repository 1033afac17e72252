package netstack4j.tcp;

/**
 * The loss-recovery machinery every window-based algorithm shares: duplicate ACK counting, fast
 * retransmit and NewReno fast recovery with its "recover" point (RFC 5681 section 3.2, RFC 6582
 * section 3.2), the retransmission-timeout response (RFC 5681 section 3.1) and the
 * {@link CongestionControlState} that {@code ss} shows. A subclass supplies only the algorithm's
 * own parts: how the window grows on new ACKs ({@link #increaseWindow}) and how far ssthresh falls
 * on loss ({@link #ssthreshAfterLoss}). NewReno is one such subclass; CUBIC (RFC 9438) is another
 * without touching this class or the sender.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public abstract class AbstractCongestionControl implements CongestionControl {
    /**
     * Duplicate ACKs that signal loss: RFC 5681 section 3.2 ("three duplicate ACKs"); Linux's
     * net.ipv4.tcp_reordering default is the same 3.
     */
    public static final int DUP_ACK_THRESHOLD = 3;
    /** The largest window this class will grow to (Linux clamps with snd_cwnd_clamp). */
    protected static final int MAX_CWND_BYTES = Integer.MAX_VALUE / 2;

    private int smss;
    private int cwnd;
    private int ssthresh = INFINITE_SSTHRESH;
    private CongestionControlState state = CongestionControlState.OPEN;
    private int dupAcks;
    /** RFC 6582's "recover", kept as the sequence number after it (SND.NXT when loss was detected). */
    private int recover;
    /** False until the first recovery or timeout; RFC 6582 section 3.2 step 1 sets recover to the ISN,
     * which every cumulative ACK covers, and this flag plays that role without knowing the ISN. */
    private boolean recoverSet;

    /**
     * @param smssBytes      the sender's maximum segment size
     * @param initialCwndBytes the initial window (RFC 5681 section 3.1, RFC 6928)
     */
    protected AbstractCongestionControl(int smssBytes, int initialCwndBytes) {
        if (smssBytes <= 0 || initialCwndBytes < smssBytes) {
            throw new IllegalArgumentException("need smss > 0 and an initial window of at least one segment: "
                    + smssBytes + " " + initialCwndBytes);
        }
        this.smss = smssBytes;
        this.cwnd = Math.min(initialCwndBytes, MAX_CWND_BYTES);
    }

    /** Grows the window for {@code bytesAcked} newly acknowledged bytes outside fast recovery. */
    protected abstract void increaseWindow(long nowNs, int bytesAcked);

    /**
     * The new ssthresh after a loss detected at {@code nowNs} with {@code flightSizeBytes} in flight;
     * {@code timeout} tells a retransmission timeout from fast retransmit.
     */
    protected abstract int ssthreshAfterLoss(long nowNs, int flightSizeBytes, boolean timeout);

    @Override
    public boolean onAck(long nowNs, int ack, int bytesAcked, int flightSizeBytes, boolean cwndLimited) {
        if (bytesAcked < 0 || flightSizeBytes < 0) {
            throw new IllegalArgumentException("negative byte count: " + bytesAcked + " " + flightSizeBytes);
        }
        dupAcks = 0;
        switch (state) {
            case RECOVERY -> {
                if (SeqNum.ge(ack, recover)) {
                    // RFC 6582 section 3.2 step 3, full acknowledgement: leave fast recovery.
                    exitRecovery(nowNs, flightSizeBytes);
                    return false;
                }
                // RFC 6582 section 3.2 step 3, partial acknowledgement: deflate the window by the
                // amount acknowledged, add back one SMSS if at least one SMSS was acknowledged, and
                // retransmit the first unacknowledged segment.
                int deflated = cwnd - bytesAcked + (bytesAcked >= smss ? smss : 0);
                cwnd = Math.max(smss, deflated);
                return true;
            }
            case CWR -> {
                // tcp_cong_control: no growth while the window is being reduced (tcp_in_cwnd_reduction).
                return false;
            }
            case LOSS -> {
                // RFC 5681 section 3.1: after a timeout, slow start from the loss window; the episode
                // ends when everything outstanding at the timeout is acknowledged (as Linux leaves
                // TCP_CA_Loss once SND.UNA passes high_seq).
                if (cwndLimited) {
                    increaseWindow(nowNs, bytesAcked);
                }
                if (SeqNum.ge(ack, recover)) {
                    state = CongestionControlState.OPEN;
                }
                return false;
            }
            default -> {
                // RFC 5681 section 3.1: slow start or congestion avoidance.
                state = CongestionControlState.OPEN;
                if (cwndLimited) {
                    increaseWindow(nowNs, bytesAcked);
                }
                return false;
            }
        }
    }

    @Override
    public boolean onDupAck(long nowNs, int ack, int sndNxt, int flightSizeBytes) {
        dupAcks++;
        switch (state) {
            case RECOVERY -> {
                // RFC 5681 section 3.2 step 4 (RFC 6582 section 3.2): each further duplicate ACK
                // means a segment left the network; inflate the window by one SMSS.
                cwnd = Math.min(MAX_CWND_BYTES, cwnd + smss);
                return false;
            }
            case LOSS -> {
                // After a timeout the duplicates are expected (the retransmissions fill holes);
                // no fast retransmit until the loss episode is over (RFC 6582 section 3.2 step 4).
                return false;
            }
            default -> {
                if (dupAcks < DUP_ACK_THRESHOLD) {
                    if (state != CongestionControlState.CWR) {
                        state = CongestionControlState.DISORDER;
                    }
                    return false;
                }
                // RFC 6582 section 3.2 step 2: enter fast retransmit only if the cumulative ACK covers
                // more than "recover", so duplicates caused by our own retransmissions of an earlier
                // episode do not trigger a second reduction (as Linux holds Reno's state until an
                // ACK above high_seq).
                if (recoverSet && !SeqNum.gt(ack, recover)) {
                    state = CongestionControlState.DISORDER;
                    return false;
                }
                enterRecovery(nowNs, sndNxt, flightSizeBytes);
                return true;
            }
        }
    }

    @Override
    public void enterRecovery(long nowNs, int sndNxt, int flightSizeBytes) {
        // RFC 5681 section 3.2 step 2: ssthresh per equation (4); step 3: cwnd = ssthresh + 3 SMSS,
        // the three segments the duplicate ACKs say have left the network.
        // RFC 6582 section 3.2 step 2: recover = the highest sequence number sent.
        ssthresh = ssthreshAfterLoss(nowNs, flightSizeBytes, false);
        cwnd = Math.min(MAX_CWND_BYTES, ssthresh + DUP_ACK_THRESHOLD * smss);
        recover = sndNxt;
        recoverSet = true;
        state = CongestionControlState.RECOVERY;
        onWindowReduced(nowNs);
    }

    @Override
    public void exitRecovery(long nowNs, int flightSizeBytes) {
        if (state != CongestionControlState.RECOVERY) {
            return;
        }
        // RFC 6582 section 3.2 step 3, full acknowledgement, option (1):
        // cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS), which avoids a burst when little is in flight.
        cwnd = Math.max(smss, Math.min(ssthresh, Math.max(flightSizeBytes, smss) + smss));
        state = CongestionControlState.OPEN;
        dupAcks = 0;
    }

    @Override
    public void onRetransmissionTimeout(long nowNs, int sndNxt, int flightSizeBytes) {
        // RFC 5681 section 3.1: ssthresh per equation (4), but only when the segment has not already
        // been retransmitted by the timer (repeated timeouts of one episode keep it), as Linux's
        // tcp_enter_loss lowers ssthresh only when not already in TCP_CA_Loss.
        if (state != CongestionControlState.LOSS) {
            ssthresh = ssthreshAfterLoss(nowNs, flightSizeBytes, true);
        }
        // RFC 5681 section 3.1: cwnd = LW, the loss window of one full-sized segment.
        cwnd = smss;
        // RFC 6582 section 3.2 step 4: after a timeout, recover = the highest sequence number sent.
        recover = sndNxt;
        recoverSet = true;
        dupAcks = 0;
        state = CongestionControlState.LOSS;
        onWindowReduced(nowNs);
    }

    @Override
    public void enterNonCongestionLoss(int sndNxt) {
        if (state == CongestionControlState.LOSS) {
            return;
        }
        if (state != CongestionControlState.CWR && state != CongestionControlState.RECOVERY && ssthresh != INFINITE_SSTHRESH) {
            ssthresh = Math.max(ssthresh, (cwnd >> 1) + (cwnd >> 2)); // tcp_current_ssthresh
        }
        recover = sndNxt;
        recoverSet = true;
        dupAcks = 0;
        state = CongestionControlState.LOSS;
    }

    @Override
    public void enterSackRecovery(long nowNs, int flightSizeBytes) {
        boolean reducing = state == CongestionControlState.CWR; // tcp_enter_recovery keeps a CWR reduction
        state = CongestionControlState.RECOVERY;
        dupAcks = 0;
        if (!reducing) {
            ssthresh = ssthreshAfterLoss(nowNs, flightSizeBytes, false);
            onWindowReduced(nowNs);
        }
    }

    @Override
    public void enterCwr(long nowNs, int flightSizeBytes) {
        if (state != CongestionControlState.OPEN && state != CongestionControlState.DISORDER) {
            return;
        }
        ssthresh = ssthreshAfterLoss(nowNs, flightSizeBytes, false);
        state = CongestionControlState.CWR;
        onWindowReduced(nowNs);
    }

    @Override
    public void setReducedCwnd(int cwndBytes) {
        setCwnd(cwndBytes);
    }

    @Override
    public void endSackRecovery(long nowNs) {
        if (state != CongestionControlState.RECOVERY && state != CongestionControlState.CWR) {
            return;
        }
        if (ssthresh != INFINITE_SSTHRESH) {
            setCwnd(ssthresh);
        }
        state = CongestionControlState.OPEN;
    }

    @Override
    public void undo(int priorCwndBytes, int priorSsthreshBytes) {
        if (priorSsthreshBytes > 0) {
            setCwnd(Math.max(cwnd, priorCwndBytes));
            if (priorSsthreshBytes > ssthresh) {
                ssthresh = priorSsthreshBytes;
            }
        }
        state = CongestionControlState.OPEN;
        dupAcks = 0;
        recoverSet = false;
    }

    @Override
    public void restartAfterIdle(long nowNs, int restartCwndBytes, long idleNs, long rtoNs) {
        if (state == CongestionControlState.OPEN || state == CongestionControlState.DISORDER) {
            // tcp_current_ssthresh: max(ssthresh, 3/4 cwnd) outside a window reduction.
            int threeQuarters = (cwnd >> 1) + (cwnd >> 2);
            ssthresh = ssthresh == INFINITE_SSTHRESH ? Math.max(threeQuarters, 2 * smss)
                    : Math.max(ssthresh, threeQuarters);
        }
        int restart = Math.min(restartCwndBytes, cwnd);
        int w = cwnd;
        for (long delta = idleNs - rtoNs; delta > 0 && w > restart; delta -= rtoNs) {
            w >>= 1;
        }
        setCwnd(Math.max(w, restart));
    }

    @Override
    public void setDisorder(boolean disorder) {
        if (state == CongestionControlState.OPEN || state == CongestionControlState.DISORDER) {
            state = disorder ? CongestionControlState.DISORDER : CongestionControlState.OPEN;
        }
    }

    /** Called after a loss reduced the window; subclasses reset their per-epoch state here. */
    protected void onWindowReduced(long nowNs) {
    }

    @Override
    public void onRttSample(long nowNs, long rttNs) {
    }

    @Override
    public void setSmss(int smssBytes) {
        if (smssBytes <= 0) {
            throw new IllegalArgumentException("smss must be > 0: " + smssBytes);
        }
        // Linux counts snd_cwnd and snd_ssthresh in segments, so a new MSS (the peer's SYN-ACK
        // option after tcp_init_cwnd, a PMTU change via tcp_sync_mss) keeps the segment counts and
        // the byte figures follow.
        long segs = Math.max(1, ((long) cwnd + smss / 2) / smss);
        if (ssthresh != INFINITE_SSTHRESH) {
            long threshSegs = Math.max(2, ((long) ssthresh + smss / 2) / smss);
            ssthresh = (int) Math.min(MAX_CWND_BYTES, threshSegs * smssBytes);
        }
        this.smss = smssBytes;
        cwnd = (int) Math.min(MAX_CWND_BYTES, segs * smssBytes);
    }

    @Override
    public int smssBytes() {
        return smss;
    }

    @Override
    public int cwndBytes() {
        return cwnd;
    }

    @Override
    public int ssthreshBytes() {
        return ssthresh;
    }

    @Override
    public boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    @Override
    public CongestionControlState state() {
        return state;
    }

    @Override
    public int dupAcks() {
        return dupAcks;
    }

    /** Sets the window, for subclasses' growth rules; bounded to [SMSS, {@link #MAX_CWND_BYTES}]. */
    /** For algorithms that end slow start on their own (CUBIC's HyStart sets ssthresh = cwnd). */
    protected void setSsthresh(int ssthreshBytes) {
        ssthresh = Math.max(2 * smss, ssthreshBytes);
    }

    protected void setCwnd(int cwndBytes) {
        cwnd = Math.max(smss, Math.min(MAX_CWND_BYTES, cwndBytes));
    }

    /** As {@code ss -i} shows it: {@code reno cwnd:10 ssthresh:7} (in segments) plus the state. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append(" cwnd:").append(cwnd / smss);
        if (ssthresh != INFINITE_SSTHRESH) {
            sb.append(" ssthresh:").append(ssthresh / smss);
        }
        return sb.append(" ca_state:").append(state.name().toLowerCase(java.util.Locale.ROOT)).toString();
    }
}
