package netstack4j.tcp;

/**
 * The SACK blocks a receiver reports (RFC 2018 section 4), kept as Linux keeps
 * {@code selective_acks} and {@code duplicate_sack}: up to four blocks of out-of-order data,
 * the one holding the most recently received segment first, the others in the order they were
 * last reported; and a D-SACK block (RFC 2883 section 4) for a duplicate, reported once, first.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class SackBlocks {
    /** TCP_NUM_SACKS. */
    static final int MAX = 4;

    private final int[] start = new int[MAX];
    private final int[] end = new int[MAX];
    private int count;
    private boolean dsack;
    private int dsackStart;
    private int dsackEnd;

    int count() {
        return count;
    }

    boolean hasDsack() {
        return dsack;
    }

    /**
     * Out-of-order data [seq, endSeq) was queued (Linux's tcp_sack_new_ofo_skb): a block it
     * touches grows and moves to the front, merging with any others it now reaches; else a new
     * block goes first and the oldest falls off.
     */
    void onOutOfOrder(int seq, int endSeq) {
        for (int i = 0; i < count; i++) {
            if (!SeqNum.gt(start[i], endSeq) && !SeqNum.gt(seq, end[i])) {
                int s = SeqNum.min(start[i], seq);
                int e = SeqNum.max(end[i], endSeq);
                removeAt(i);
                insertFirst(s, e);
                coalesceFirst();
                return;
            }
        }
        if (count == MAX) {
            count--; // the oldest block is forgotten
        }
        insertFirst(seq, endSeq);
    }

    /** RCV.NXT advanced (Linux's tcp_sack_remove): blocks it covers are gone. */
    void onRcvNxt(int rcvNxt) {
        for (int i = 0; i < count; ) {
            if (!SeqNum.lt(rcvNxt, start[i])) {
                removeAt(i);
            } else {
                i++;
            }
        }
    }

    /** A duplicate [seq, endSeq) arrived (Linux's tcp_dsack_set): reported in the next ACK. */
    void onDuplicate(int seq, int endSeq) {
        dsack = true;
        dsackStart = seq;
        dsackEnd = endSeq;
    }

    void clear() {
        count = 0;
        dsack = false;
    }

    /**
     * Fills {@code o} with at most {@code max} blocks, the D-SACK block first, and forgets the
     * D-SACK block (it is reported once, as Linux's tcp_options_write does).
     */
    /** How many blocks {@link #fill} would report with room for {@code max}. */
    int reportable(int max) {
        return Math.min(count + (dsack ? 1 : 0), max);
    }

    void fill(SegmentOptions o, int max) {
        int n = 0;
        if (dsack && n < max) {
            o.sack[0] = dsackStart;
            o.sack[1] = dsackEnd;
            n++;
            dsack = false;
        }
        for (int i = 0; i < count && n < max; i++, n++) {
            o.sack[2 * n] = start[i];
            o.sack[2 * n + 1] = end[i];
        }
        o.sackBlocks = n;
    }

    private void insertFirst(int s, int e) {
        for (int i = count; i > 0; i--) {
            start[i] = start[i - 1];
            end[i] = end[i - 1];
        }
        start[0] = s;
        end[0] = e;
        count++;
    }

    private void removeAt(int i) {
        for (int j = i; j < count - 1; j++) {
            start[j] = start[j + 1];
            end[j] = end[j + 1];
        }
        count--;
    }

    /** Linux's tcp_sack_maybe_coalesce: the first block swallows others it now overlaps. */
    private void coalesceFirst() {
        for (int i = 1; i < count; ) {
            if (!SeqNum.gt(start[i], end[0]) && !SeqNum.gt(start[0], end[i])) {
                start[0] = SeqNum.min(start[0], start[i]);
                end[0] = SeqNum.max(end[0], end[i]);
                removeAt(i);
            } else {
                i++;
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("sack");
        if (dsack) {
            b.append(" dsack ").append(SeqNum.toString(dsackStart)).append(':').append(SeqNum.toString(dsackEnd));
        }
        for (int i = 0; i < count; i++) {
            b.append(' ').append(SeqNum.toString(start[i])).append(':').append(SeqNum.toString(end[i]));
        }
        return b.toString();
    }
}
