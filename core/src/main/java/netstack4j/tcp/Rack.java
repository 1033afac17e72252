package netstack4j.tcp;

/**
 * RACK loss detection (RFC 8985, Linux's tcp_recovery.c): a segment is lost when a segment sent
 * after it was delivered and more than an RTT plus a reordering window has passed since it was
 * sent. Time-based, so it detects the loss of retransmissions and of the tail the way counting
 * duplicate ACKs cannot.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class Rack {
    /** Send time of the most recently sent segment delivered so far (rack.mstamp). */
    private long mstampNs = Long.MIN_VALUE;
    /** Its transmission order ({@link RetransmitQueue#order}), which ranks sends at the same instant as
     * rack.end_seq does for original transmissions, and also ranks a retransmission after them. */
    private long order;
    /** The RTT of that delivery (rack.rtt_us). */
    private long rttNs;
    /** The reordering window in multiples of min_rtt/4 (rack.reo_wnd_steps). */
    private int reoWndSteps = 1;
    /** Reordering was seen on this connection (tp->reord_seen): the window is no longer 0 in recovery. */
    boolean reorderingSeen;

    /**
     * tcp_rack_advance: the segment [.., end) sent at {@code sentNs} was delivered (SACKed or
     * cumulatively acknowledged). A retransmitted segment delivered faster than the minimum RTT
     * was delivered by its original transmission; its time says nothing (RFC 8985 section 6.2 step 2).
     */
    void delivered(long sentNs, long sentOrder, boolean everRetransmitted, long nowNs, long minRttNs) {
        long rtt = nowNs - sentNs;
        if (everRetransmitted && rtt < minRttNs) {
            return;
        }
        rttNs = rtt;
        if (sentAfter(sentNs, sentOrder, mstampNs, order)) {
            mstampNs = sentNs;
            order = sentOrder;
        }
    }

    /** RFC 8985's "sent after": later, or at the same time but sent after (tcp_rack_sent_after). */
    static boolean sentAfter(long t1, long order1, long t2, long order2) {
        return t1 > t2 || (t1 == t2 && order1 > order2);
    }

    /**
     * tcp_rack_reo_wnd: 0 when no reordering was seen and we are in recovery or three segments
     * are SACKed (so RACK acts as the duplicate-threshold rule, tcp_recovery's default), else
     * min_rtt / 4 per step, at most SRTT.
     */
    long reorderWindowNs(boolean inRecovery, long sackedSegments, int reordering, long minRttNs, long srttNs) {
        if (!reorderingSeen && (inRecovery || sackedSegments >= reordering)) {
            return 0;
        }
        long min = minRttNs == Long.MAX_VALUE ? srttNs : minRttNs;
        return Math.min((min >> 2) * reoWndSteps, srttNs);
    }

    /**
     * tcp_rack_detect_loss: marks lost every segment sent before the latest delivered one and
     * older than RTT + reordering window. Returns the time until the next segment would qualify
     * (for the reordering timer), or 0 when none waits; the number of newly lost bytes is added
     * to {@code lost[0]}.
     */
    long detectLoss(RetransmitQueue q, long nowNs, long reoWndNs, long[] lost) {
        if (mstampNs == Long.MIN_VALUE) {
            return 0;
        }
        long wait = 0;
        for (int i = 0; i < q.size(); i++) {
            if (q.has(i, RetransmitQueue.SACKED)
                    || (q.has(i, RetransmitQueue.LOST) && !q.has(i, RetransmitQueue.RETRANS))) {
                continue;
            }
            long sent = q.sentNs(i);
            if (!sentAfter(mstampNs, order, sent, q.order(i))) {
                continue;
            }
            long remaining = sent + rttNs + reoWndNs - nowNs;
            if (remaining <= 0) {
                long len = q.end(i) - q.start(i);
                if (q.markLost(i)) {
                    lost[0] += len;
                }
            } else {
                wait = Math.max(wait, remaining);
            }
        }
        return wait;
    }
}
