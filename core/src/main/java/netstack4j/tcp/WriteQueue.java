package netstack4j.tcp;

import java.util.Arrays;

/**
 * SendQ as Linux holds it: a list of skbs (its {@code tcp_rtx_queue} of sent ones and its
 * {@code sk_write_queue} of unsent ones), kept here as boundaries over {@link SendBuffer}'s byte
 * stream, each with its PSH and EOR marks, and the memory they are charged.
 *
 * <ul>
 *   <li><b>Where writes go</b> ({@code tcp_sendmsg_locked}): a write appends to the unsent tail
 *       skb until it holds the size goal ({@code tcp_xmit_size_goal}: 64 KiB bounded by half the
 *       largest window the peer offered, in whole MSS), then starts a new one. A tail marked EOR
 *       (MSG_EOR, {@code tcp_skb_can_collapse_to}) or already sent takes nothing more.</li>
 *   <li><b>PSH</b>: the tail of each write is marked ({@code tcp_push}'s {@code tcp_mark_push})
 *       unless MSG_MORE, and so is every full skb once more than half the largest window was
 *       written since the last mark ({@code forced_push}); appending to a marked tail clears the
 *       mark first. Splitting an skb moves the mark to the second part ({@code tso_fragment}).
 *       The sender never builds a segment across two skbs.</li>
 *   <li><b>Memory</b> ({@code sk_wmem_queued}): each skb costs its bytes plus
 *       {@link #SKB_OVERHEAD}; a new skb may be started only while that is below SO_SNDBUF
 *       ({@code sk_stream_memory_free}), so the last one may overshoot, and a writer that found
 *       no room resumes once a third of the buffer is free ({@code __sk_stream_is_writeable}).
 *       Sending a part of an skb splits it and so costs another overhead, as Linux's
 *       {@code tso_fragment} allocates a new skb.</li>
 * </ul>
 * Under a personality without Linux's accounting (Windows) SO_SNDBUF counts bytes only.
 *
 * <p>Once SO_ZEROCOPY is on ({@link #zc} set), each skb also records the MSG_ZEROCOPY
 * notification it holds ({@code skb_zcopy}), its page fragments and the page bytes those charge
 * beyond the data; freeing an skb releases its notification ({@link ZeroCopy#release}).
 *
 * <p>Allocation-free in steady state: the boundaries live in a ring that grows only when more
 * skbs are queued than ever before. Thread-compatible: owned by the stack's thread.
 */
final class WriteQueue {
    /**
     * The truesize of an skb beyond its data: SKB_TRUESIZE(skb_end_offset) of the 1 KiB head
     * {@code tcp_stream_alloc_skb} allocates for MAX_TCP_HEADER on x86-64 (704 bytes of head, 256
     * of struct sk_buff, 320 of skb_shared_info). Linux's scripts pin it: epoll_out_edge's
     * partial writes take 7 skbs of 16000 bytes, not 8, under a 239616-byte buffer.
     */
    static final int SKB_OVERHEAD = 1280;
    /** sk_gso_max_size: GSO_LEGACY_MAX_SIZE less MAX_TCP_HEADER + 1 (sk_setup_caps). */
    static final int GSO_MAX_SIZE = 65536 - 321;
    static final byte PSH = 1;
    static final byte EOR = 2;

    /** Skb ends as stream positions, oldest first, in a ring of power-of-two size. */
    private long[] ends = new long[4];
    private byte[] marks = new byte[4];
    private int head;
    private int count;
    /** Stream position where the first skb begins: SND.UNA's, as acknowledged bytes are trimmed. */
    private long start;
    /** Stream position of the last PSH mark (tp->pushed_seq, with write_seq the buffer's end). */
    private long pushedPos;
    /** A writer found no room (SOCK_NOSPACE); cleared when the buffer becomes writable again. */
    boolean noSpace;

    /** MSG_ZEROCOPY state, null until SO_ZEROCOPY is first set. */
    ZeroCopy zc;
    /** Transmit timestamp requests (SO_TIMESTAMPING), null until first set. */
    TxTimestamps stamps;
    /**
     * The socket's error queue, null until its first record: kept here because both of its
     * producers (zerocopy completions, transmit timestamps) follow this queue's skbs.
     */
    ErrorQueue errors;
    /**
     * Per skb, allocated with the first zerocopy skb: the notification serial + 1 it holds (0:
     * none), its fragment count (bit 7: the last fragment is copied data, which a copy may
     * extend), and the page bytes charged beyond its data.
     */
    private int[] uargs;
    private byte[] frags;
    private int[] padding;
    private long paddingTotal;
    static final int FRAG_COPY = 0x80;

    int count() {
        return count;
    }

    long start() {
        return start;
    }

    long end(int i) {
        return ends[(head + i) & (ends.length - 1)];
    }

    long startOf(int i) {
        return i == 0 ? start : end(i - 1);
    }

    boolean marked(int i, byte mark) {
        return (marks[(head + i) & (marks.length - 1)] & mark) != 0;
    }

    private void setMarks(int i, int m) {
        marks[(head + i) & (marks.length - 1)] = (byte) m;
    }

    /** The stream position after the last queued byte (write_seq). */
    long endPos() {
        return count == 0 ? start : end(count - 1);
    }

    /** The skb holding stream position {@code pos} (in [start, endPos)), by binary search. */
    int indexOf(long pos) {
        int lo = 0;
        int hi = count - 1;
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

    /** Queues a new, empty skb at the tail. */
    void addSkb() {
        if (count == ends.length) {
            grow();
        }
        long at = endPos();
        int slot = (head + count) & (ends.length - 1);
        ends[slot] = at;
        marks[slot] = 0;
        if (uargs != null) {
            uargs[slot] = 0;
            frags[slot] = 0;
            padding[slot] = 0;
        }
        count++;
    }

    /** Removes the tail skb if nothing was copied into it. */
    void dropEmptyTail() {
        if (count > 0 && end(count - 1) == startOf(count - 1)) {
            count--;
        }
    }

    /** Appends {@code n} bytes to the tail skb. */
    void extendTail(int n) {
        int slot = (head + count - 1) & (ends.length - 1);
        ends[slot] += n;
    }

    /** The notification serial the tail skb holds if it is unsent (tcp_write_queue_tail), or -1. */
    int unsentTailUarg(long sentHigh) {
        if (uargs == null || count == 0 || startOf(count - 1) < sentHigh) {
            return -1;
        }
        return uargs[(head + count - 1) & (ends.length - 1)] - 1;
    }

    /** The notification serial the tail skb holds, or -1. */
    int tailUarg() {
        return uargs == null || count == 0 ? -1 : uargs[(head + count - 1) & (ends.length - 1)] - 1;
    }

    /** The tail skb's fragments as {@link #frags} keeps them (0 when none are counted). */
    int tailFrags() {
        return uargs == null || count == 0 ? 0 : frags[(head + count - 1) & (ends.length - 1)] & 0xff;
    }

    /**
     * Zerocopy data went into the tail skb: it holds notification {@code serial}
     * (skb_zcopy_set, once), {@code n} more fragments and {@code pad} more page bytes.
     */
    void addZeroCopyFrags(int serial, int n, int pad) {
        if (uargs == null) {
            uargs = new int[ends.length];
            frags = new byte[ends.length];
            padding = new int[ends.length];
        }
        int slot = (head + count - 1) & (ends.length - 1);
        if (uargs[slot] == 0) {
            uargs[slot] = serial + 1;
            zc.hold(serial);
        }
        frags[slot] = (byte) ((frags[slot] & ~FRAG_COPY) + n);
        padding[slot] += pad;
        paddingTotal += pad;
    }

    /** Copied data went into the tail skb after zerocopy fragments: one more fragment unless the last is copied. */
    void addCopyFrag() {
        int slot = (head + count - 1) & (ends.length - 1);
        if (uargs != null && frags[slot] != 0 && (frags[slot] & FRAG_COPY) == 0) {
            frags[slot] = (byte) ((frags[slot] + 1) | FRAG_COPY);
        }
    }

    /** Frees skb slot {@code slot}'s zerocopy hold and charge (the skb is gone). */
    private void freeZeroCopy(int slot) {
        if (uargs == null) {
            return;
        }
        paddingTotal -= padding[slot];
        padding[slot] = 0;
        int u = uargs[slot];
        uargs[slot] = 0;
        if (u != 0) {
            zc.release(u - 1);
        }
    }

    /** tcp_mark_push: PSH on the tail skb; the write position becomes the pushed one. */
    void markPush() {
        if (count > 0) {
            setMarks(count - 1, marks[(head + count - 1) & (marks.length - 1)] | PSH);
        }
        pushedPos = endPos();
    }

    void clearTailPush() {
        int slot = (head + count - 1) & (marks.length - 1);
        marks[slot] &= ~PSH;
    }

    void markTailEor() {
        int slot = (head + count - 1) & (marks.length - 1);
        marks[slot] |= EOR;
    }

    /** forced_push: more than half the largest window written since the last PSH. */
    boolean forcedPush(int maxWindow) {
        return endPos() > pushedPos + (maxWindow >> 1);
    }

    /**
     * Splits skb {@code i} at stream position {@code at} (strictly inside it), as tso_fragment and
     * tcp_fragment do: PSH and EOR stay with the second part.
     */
    void split(int i, long at) {
        if (count == ends.length) {
            grow();
        }
        int mask = ends.length - 1;
        for (int j = count; j > i; j--) {
            ends[(head + j) & mask] = ends[(head + j - 1) & mask];
            marks[(head + j) & mask] = marks[(head + j - 1) & mask];
            if (uargs != null) {
                uargs[(head + j) & mask] = uargs[(head + j - 1) & mask];
                frags[(head + j) & mask] = frags[(head + j - 1) & mask];
                padding[(head + j) & mask] = padding[(head + j - 1) & mask];
            }
        }
        count++;
        ends[(head + i) & mask] = at;
        marks[(head + i) & mask] = 0;
        if (uargs != null) {
            // Both parts hold the notification (skb_zcopy_clone); the page charge stays with
            // the first part, as tso_fragment moves only the data's truesize.
            int second = (head + i + 1) & mask;
            padding[second] = 0;
            if (uargs[second] != 0) {
                zc.hold(uargs[second] - 1);
            }
        }
    }

    /** SND.UNA reached stream position {@code pos}: skbs wholly below it are freed, the next trimmed. */
    void acknowledged(long pos) {
        if (stamps != null) {
            stamps.acknowledged(pos, count > 0 ? end(0) - start : 0);
        }
        while (count > 0 && end(0) <= pos) {
            int freed = head;
            head = (head + 1) & (ends.length - 1);
            count--;
            freeZeroCopy(freed); // after the skb left: a completion may look at the queue
        }
        start = Math.max(start, pos);
        if (count == 0) {
            start = pos;
        }
    }

    /** Everything queued is gone (reset, abort): nothing is left, the next byte starts at {@code pos}. */
    void purge(long pos) {
        if (stamps != null) {
            stamps.clear();
        }
        for (int j = 0; j < count; j++) {
            freeZeroCopy((head + j) & (ends.length - 1));
        }
        head = 0;
        count = 0;
        start = pos;
        pushedPos = Math.max(pushedPos, pos);
    }

    /** sk_wmem_queued: the bytes of every skb plus each one's overhead (none under Windows' accounting). */
    long queuedMemory(boolean truesize) {
        return (endPos() - start) + (truesize ? (long) count * SKB_OVERHEAD + paddingTotal : 0);
    }

    private void grow() {
        int n = ends.length;
        long[] e = new long[n * 2];
        byte[] m = new byte[n * 2];
        int[] u = uargs == null ? null : new int[n * 2];
        byte[] f = uargs == null ? null : new byte[n * 2];
        int[] p = uargs == null ? null : new int[n * 2];
        for (int j = 0; j < count; j++) {
            int from = (head + j) & (n - 1);
            e[j] = ends[from];
            m[j] = marks[from];
            if (u != null) {
                u[j] = uargs[from];
                f[j] = frags[from];
                p[j] = padding[from];
            }
        }
        ends = e;
        marks = m;
        uargs = u;
        frags = f;
        padding = p;
        head = 0;
    }

    @Override
    public String toString() {
        long[] shown = new long[count];
        for (int j = 0; j < count; j++) {
            shown[j] = end(j);
        }
        return "WriteQueue[start=" + start + " ends=" + Arrays.toString(shown) + "]";
    }
}
