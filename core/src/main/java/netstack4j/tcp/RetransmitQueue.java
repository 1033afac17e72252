package netstack4j.tcp;

/**
 * What is in flight, segment by segment, as Linux keeps its retransmission queue (tcp_rtx_queue,
 * one skb per transmission unit with {@code TCP_SKB_CB(skb)->sacked} and {@code skb_mstamp_ns}):
 * for every sent and not yet cumulatively acknowledged range of the stream, when it was last
 * sent and whether it is SACKed, marked lost, or retransmitted. RACK (RFC 8985) reads the send
 * times; the sender's pipe (RFC 6675 section 4, Linux's {@code tcp_packets_in_flight}) is
 * {@code outstanding - sacked - lost + retransmitted}, from the counters kept here.
 *
 * <p>Ranges are stream positions (bytes acknowledged so far plus the offset from SND.UNA), so they
 * never wrap. Records live in a ring of parallel arrays that doubles when full, so steady-state
 * operation allocates nothing. Thread-compatible: owned by the stack's thread.
 */
final class RetransmitQueue {
    static final byte SACKED = 1;
    static final byte LOST = 2;
    /** Retransmitted and neither acknowledged nor marked lost again since (TCPCB_SACKED_RETRANS). */
    static final byte RETRANS = 4;
    /** Retransmitted at least once (TCPCB_EVER_RETRANS). */
    static final byte EVER_RETRANS = 8;

    private long[] start = new long[8];
    private long[] end = new long[8];
    private long[] sentNs = new long[8];
    /** Transmission order: a counter that orders sends at the same instant (RACK's tie-break). */
    private long[] order = new long[8];
    private long transmissions;
    private byte[] flags = new byte[8];
    private int head;
    private int count;

    private long sackedBytes;
    private long lostBytes;
    private long retransBytes;

    int size() {
        return count;
    }

    private int slot(int i) {
        return (head + i) & (start.length - 1);
    }

    long start(int i) {
        return start[slot(i)];
    }

    long end(int i) {
        return end[slot(i)];
    }

    long sentNs(int i) {
        return sentNs[slot(i)];
    }

    long order(int i) {
        return order[slot(i)];
    }

    boolean has(int i, byte flag) {
        return (flags[slot(i)] & flag) != 0;
    }

    private long sampleFirstNs;
    private long sampleLastNs;

    /**
     * Before an ACK that moves SND.UNA to {@code pos} drops them: the send times of the oldest and
     * the newest segments it acknowledges that were not SACKed before. False when there are none,
     * or when one was ever retransmitted (Linux's FLAG_RETRANS_DATA_ACKED: no RTT sample).
     */
    boolean sampleAcked(long pos) {
        boolean any = false;
        for (int i = 0; i < count && start(i) < pos; i++) {
            int s = slot(i);
            if ((flags[s] & SACKED) != 0) {
                continue;
            }
            if ((flags[s] & EVER_RETRANS) != 0) {
                return false;
            }
            if (!any) {
                sampleFirstNs = sentNs[s];
                any = true;
            }
            sampleLastNs = sentNs[s];
        }
        return any;
    }

    long sampleFirstNs() {
        return sampleFirstNs;
    }

    long sampleLastNs() {
        return sampleLastNs;
    }

    /** Segments with {@code flag} set (tcp_info's tcpi_lost, tcpi_sacked, tcpi_retrans count segments). */
    int countFlag(byte flag) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if ((flags[slot(i)] & flag) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Bytes of SACKed segments below {@code pos}. */
    long sackedBytesBelow(long pos) {
        long n = 0;
        for (int i = 0; i < count && start(i) < pos; i++) {
            if ((flags[slot(i)] & SACKED) != 0) {
                n += Math.min(end(i), pos) - start(i);
            }
        }
        return n;
    }

    long sackedBytes() {
        return sackedBytes;
    }

    long lostBytes() {
        return lostBytes;
    }

    long retransBytes() {
        return retransBytes;
    }

    /** The end of the highest range sent, or {@code fallback} when nothing is outstanding. */
    /** Records wholly below {@code pos} and not SACKed: the segments an ACK to {@code pos} delivers (tcp_clean_rtx_queue's acked_pcount). */
    int unsackedSegmentsBelow(long pos) {
        int n = 0;
        for (int i = 0; i < count && end(i) <= pos; i++) {
            if ((flags[slot(i)] & SACKED) == 0) {
                n++;
            }
        }
        return n;
    }

    long highEnd(long fallback) {
        return count == 0 ? fallback : end(count - 1);
    }

    /**
     * [from, to) was sent at {@code nowNs}: new data is appended; a range sent before is a
     * retransmission, marked {@link #RETRANS} with its send time renewed (tcp_retransmit_skb).
     */
    void sent(long from, long to, long nowNs) {
        if (to <= from) {
            return;
        }
        long high = highEnd(from);
        if (from >= high) {
            append(from, to, nowNs, (byte) 0);
            return;
        }
        if (to > high) {
            sent(high, to, nowNs); // the part beyond what was ever sent is new data
            to = high;
        }
        split(from);
        split(to);
        for (int i = indexOf(from); i < count && start(i) < to; i++) {
            int s = slot(i);
            byte f = flags[s];
            if ((f & SACKED) != 0) {
                continue; // the peer has it; only a sender bug would resend it
            }
            account(s, -1);
            flags[s] = (byte) (f | RETRANS | EVER_RETRANS);
            account(s, +1);
            sentNs[s] = nowNs;
            order[s] = ++transmissions;
        }
    }

    /** Forgets every lost mark (tcp_undo_cwnd_reduction with unmark_loss): the losses were not real. */
    void clearLost() {
        clearFlag(LOST);
    }

    /** Forgets every SACK mark (tcp_timeout_mark_lost on reneging): the receiver no longer holds that data. */
    void clearSacked() {
        clearFlag(SACKED);
    }

    private void clearFlag(byte flag) {
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            if ((flags[s] & flag) != 0) {
                account(s, -1);
                flags[s] &= (byte) ~flag;
                account(s, +1);
            }
        }
    }

    /** Everything below {@code unaPos} is cumulatively acknowledged. */
    void acknowledged(long unaPos) {
        while (count > 0 && end(0) <= unaPos) {
            account(head, -1);
            head = slot(1);
            count--;
        }
        if (count > 0 && start(0) < unaPos) {
            account(head, -1);
            start[head] = unaPos;
            account(head, +1);
        }
    }

    /** Marks record {@code i} SACKed (tcp_sacktag_one clears LOST and RETRANS with their counts). */
    void markSacked(int i) {
        int s = slot(i);
        account(s, -1);
        flags[s] = (byte) ((flags[s] | SACKED) & ~(LOST | RETRANS));
        account(s, +1);
    }

    /**
     * Marks record {@code i} lost (tcp_mark_skb_lost): a lost retransmission is not in flight any
     * more either. Returns false when it was SACKed or already marked.
     */
    boolean markLost(int i) {
        int s = slot(i);
        byte f = flags[s];
        if ((f & SACKED) != 0 || ((f & LOST) != 0 && (f & RETRANS) == 0)) {
            return false;
        }
        account(s, -1);
        flags[s] = (byte) ((f | LOST) & ~RETRANS);
        account(s, +1);
        return true;
    }

    /** Cuts the record holding {@code pos} in two at {@code pos} (tcp_fragment); no-op at a boundary. */
    void split(long pos) {
        int i = indexOf(pos);
        if (i >= count || start(i) >= pos) {
            return;
        }
        grow();
        // Shift records i+1.. one slot up, then make record i+1 the upper half.
        for (int j = count; j > i + 1; j--) {
            copy(slot(j - 1), slot(j));
        }
        int lower = slot(i);
        int upper = slot(i + 1);
        start[upper] = pos;
        end[upper] = end[lower];
        sentNs[upper] = sentNs[lower];
        order[upper] = order[lower];
        flags[upper] = flags[lower];
        end[lower] = pos;
        count++;
    }

    /** The index of the first record whose end is above {@code pos} (count when none). */
    int indexOf(long pos) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (end(mid) <= pos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void append(long from, long to, long nowNs, byte f) {
        grow();
        int s = slot(count);
        start[s] = from;
        end[s] = to;
        sentNs[s] = nowNs;
        order[s] = ++transmissions;
        flags[s] = f;
        count++;
    }

    private void account(int s, int sign) {
        long len = (end[s] - start[s]) * sign;
        byte f = flags[s];
        if ((f & SACKED) != 0) {
            sackedBytes += len;
        }
        if ((f & LOST) != 0) {
            lostBytes += len;
        }
        if ((f & RETRANS) != 0) {
            retransBytes += len;
        }
    }

    private void copy(int from, int to) {
        start[to] = start[from];
        end[to] = end[from];
        sentNs[to] = sentNs[from];
        order[to] = order[from];
        flags[to] = flags[from];
    }

    private void grow() {
        if (count < start.length) {
            return;
        }
        int n = start.length * 2;
        long[] s = new long[n];
        long[] e = new long[n];
        long[] t = new long[n];
        long[] o = new long[n];
        byte[] f = new byte[n];
        for (int i = 0; i < count; i++) {
            int k = slot(i);
            s[i] = start[k];
            e[i] = end[k];
            t[i] = sentNs[k];
            o[i] = order[k];
            f[i] = flags[k];
        }
        start = s;
        end = e;
        sentNs = t;
        order = o;
        flags = f;
        head = 0;
    }
}
