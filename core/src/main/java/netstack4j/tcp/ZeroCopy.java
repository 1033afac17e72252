package netstack4j.tcp;

/**
 * MSG_ZEROCOPY as Linux's TCP does it (Documentation/networking/msg_zerocopy.rst,
 * net/core/skbuff.c {@code msg_zerocopy_*}): SO_ZEROCOPY enables it on a socket, each send with
 * MSG_ZEROCOPY gets a notification id, and once every skb that carried the send's data has been
 * freed (acknowledged or purged) the socket's {@link ErrorQueue} reports the range of ids
 * completed, for {@code recvmsg(MSG_ERRQUEUE)}.
 *
 * <p>This stack always copies the application's bytes, so every completion carries
 * SO_EE_CODE_ZEROCOPY_COPIED, as Linux reports when its data had to be copied after all. What
 * the application sees of the mechanism is otherwise Linux's:
 * <ul>
 *   <li><b>Ids</b> ({@code sk_zckey}, {@code msg_zerocopy_alloc}): a send of at least one byte
 *       takes the next id; a send that fails without copying anything gives it back
 *       ({@code net_zcopy_put_abort}), so a failed send consumes no id.</li>
 *   <li><b>Extending</b> ({@code msg_zerocopy_realloc}): a send whose unsent tail skb already
 *       carries the newest notification joins it (one more id in its range) while the range is
 *       below USHRT_MAX - 1 ids and 512 KiB; several sends then complete as one range.</li>
 *   <li><b>Skbs</b> ({@code skb_zerocopy_iter_stream}): zerocopy data never joins an skb of
 *       another notification ({@code -EEXIST}); each iovec element becomes page fragments of its
 *       own, at most {@link #MAX_SKB_FRAGS} per skb, and a full skb is marked PSH and closed
 *       ({@code tcp_mark_push}); each fragment charges whole pages to sk_wmem_queued. This is in
 *       {@link TcpSendmsg} and {@link WriteQueue}.</li>
 *   <li><b>Completion</b> ({@code __msg_zerocopy_callback}): when the send call has returned and
 *       the last skb holding the notification is freed; nothing is reported for a socket the
 *       application closed ({@code SOCK_DEAD}). The report wakes pollers with EPOLLERR
 *       ({@code sk_error_report}).</li>
 * </ul>
 * One send call at a time carries a notification; a zerocopy send that starts while another
 * call of the same socket is still in progress (waiting for space) is sent as a plain copy.
 *
 * <p>Allocation-free once grown: notifications live in a ring indexed by their serial number.
 * Thread-compatible: owned by the stack's thread.
 */
public final class ZeroCopy {
    /** MAX_SKB_FRAGS: page fragments one skb holds. */
    static final int MAX_SKB_FRAGS = 17;
    /** msg_zerocopy_realloc's byte_limit: bytes one notification covers at most. */
    private static final int BYTE_LIMIT = 1 << 19;
    /** USHRT_MAX - 1: ids one notification covers at most. */
    private static final int ID_LIMIT = 65534;

    private final TcpConnection c;
    /** SOCK_ZEROCOPY. */
    private boolean enabled;
    /** sk_zckey: the next notification id. */
    private int nextId;

    // Notifications not yet completed, by serial: slot = serial & (ids.length - 1).
    private int[] ids = new int[4];
    private int[] lens = new int[4];
    private int[] bytes = new int[4];
    /** Skbs holding each notification. */
    private int[] skbs = new int[4];
    private boolean[] held = new boolean[4];
    private boolean[] done = new boolean[4];
    /** Serial of the oldest live notification, and one past the newest. */
    private int oldest;
    private int next;

    /** The notification of the send call in progress (a serial), or -1. */
    int sending = -1;
    /** Its iovec element lengths (null: one element), and the bytes of the call copied so far. */
    private int[] iov;
    private int iovTotal;
    int callCopied;

    private ZeroCopy(TcpConnection c) {
        this.c = c;
    }

    // ------------------------------------------------------------------ the socket layer's calls

    /** setsockopt(SO_ZEROCOPY). */
    public static void setEnabled(TcpConnection c, boolean on) {
        if (on || c.sender.skbs.zc != null) {
            of(c).enabled = on;
        }
    }

    /** getsockopt(SO_ZEROCOPY). */
    public static boolean enabled(TcpConnection c) {
        ZeroCopy z = c.sender.skbs.zc;
        return z != null && z.enabled;
    }

    private static ZeroCopy of(TcpConnection c) {
        WriteQueue q = c.sender.skbs;
        if (q.zc == null) {
            q.zc = new ZeroCopy(c);
        }
        return q.zc;
    }

    /**
     * The start of a send with MSG_ZEROCOPY of {@code size} bytes (tcp_sendmsg_locked): takes a
     * notification id unless the socket has SO_ZEROCOPY off, the send is empty, or another call
     * is sending. {@code iovLengths} (null: one element) are the lengths of the call's iovec
     * elements. Every call must be matched by {@link #endSend}.
     */
    public static void beginSend(TcpConnection c, int size, int[] iovLengths) {
        ZeroCopy z = c.sender.skbs.zc;
        if (z == null || !z.enabled || size <= 0 || z.sending >= 0) {
            return;
        }
        z.iov = iovLengths;
        z.iovTotal = size;
        z.callCopied = 0;
        z.sending = z.realloc(size);
    }

    /**
     * The end of the send call begun by {@link #beginSend} (tcp_sendmsg_locked's
     * {@code net_zcopy_put}, or {@code net_zcopy_put_abort} when nothing was copied).
     */
    public static void endSend(TcpConnection c, int copied) {
        ZeroCopy z = c.sender.skbs.zc;
        if (z == null || z.sending < 0) {
            return;
        }
        int s = z.sending;
        z.sending = -1;
        z.iov = null;
        int slot = z.slot(s);
        if (copied <= 0) {
            z.nextId--; // msg_zerocopy_put_abort: the id is not consumed
            z.lens[slot]--;
        }
        z.held[slot] = false;
        z.maybeComplete(s);
    }

    // ------------------------------------------------------------------ the write path's calls

    /** Copies the socket's setting to a listener's child (sk_clone copies sk_flags). */
    static void inherit(TcpConnection child, TcpConnection listener) {
        if (enabled(listener)) {
            of(child).enabled = true;
        }
    }

    /**
     * How many of the {@code want} bytes at the call's current position fit in {@code room}
     * fragments, each iovec element taking its own fragments of up to a page
     * ({@code __zerocopy_sg_from_iter}); {@link #fragsUsed} tells the fragments taken and
     * {@link #pagePadding} the bytes their whole pages charge beyond the data.
     */
    int fit(int want, int room) {
        int pos = callCopied;
        int got = 0;
        int frags = 0;
        int padding = 0;
        int elemStart = 0;
        int e = 0;
        while (got < want && frags < room) {
            int elemLen = iov == null ? iovTotal : iov[e];
            int elemEnd = elemStart + elemLen;
            if (pos + got >= elemEnd) {
                elemStart = elemEnd;
                e++;
                if (iov != null && e >= iov.length) {
                    break;
                }
                continue;
            }
            int piece = Math.min(want - got, elemEnd - (pos + got));
            int need = (piece + TcpMemory.PAGE_SIZE - 1) / TcpMemory.PAGE_SIZE;
            if (need > room - frags) {
                piece = (room - frags) * TcpMemory.PAGE_SIZE;
                need = room - frags;
            }
            got += piece;
            frags += need;
            padding += need * TcpMemory.PAGE_SIZE - piece;
        }
        fragsUsed = frags;
        pagePadding = padding;
        return got;
    }

    /** What the last {@link #fit} took: fragments, and page bytes beyond the data. */
    int fragsUsed;
    int pagePadding;

    /**
     * A MSG_FASTOPEN send's SYN took {@code n} bytes of the call: the SYN's data skb holds its
     * notification (tcp_send_syn_data's skb_zcopy_set); the data is copied, not fragments.
     */
    static void synData(TcpConnection c, int n) {
        ZeroCopy z = c.sender.skbs.zc;
        if (z != null && z.sending >= 0) {
            c.sender.skbs.addZeroCopyFrags(z.sending, 0, 0);
            z.callCopied += n;
        }
    }

    /** An skb now holds notification {@code serial} (skb_zcopy_set, or a split's clone). */
    void hold(int serial) {
        skbs[slot(serial)]++;
    }

    /** An skb holding notification {@code serial} was freed. */
    void release(int serial) {
        int s = slot(serial);
        skbs[s]--;
        maybeComplete(serial);
    }

    // ------------------------------------------------------------------ internals

    /** msg_zerocopy_realloc: extends the notification of the unsent tail skb, or allocates one. */
    private int realloc(int size) {
        int tail = c.sender.skbs.unsentTailUarg(c.sender.sentHighPosition());
        if (tail >= 0) {
            int s = slot(tail);
            if (!done[s] && lens[s] < ID_LIMIT && bytes[s] + (long) size <= BYTE_LIMIT && ids[s] + lens[s] == nextId) {
                lens[s]++;
                bytes[s] += size;
                nextId++;
                held[s] = true;
                return tail;
            }
        }
        if (next - oldest == ids.length) {
            grow();
        }
        int serial = next++;
        int s = slot(serial);
        ids[s] = nextId++;
        lens[s] = 1;
        bytes[s] = size;
        skbs[s] = 0;
        held[s] = true;
        done[s] = false;
        return serial;
    }

    private void maybeComplete(int serial) {
        int s = slot(serial);
        if (held[s] || skbs[s] > 0 || done[s]) {
            return;
        }
        done[s] = true;
        if (lens[s] > 0 && !c.appClosed) {
            ErrorQueue.of(c).addZeroCopy(ids[s], ids[s] + lens[s] - 1, ErrorQueue.CODE_ZEROCOPY_COPIED);
            c.readiness.signal(); // sk_error_report
        }
        while (oldest != next && done[slot(oldest)]) {
            oldest++;
        }
    }

    private int slot(int serial) {
        return serial & (ids.length - 1);
    }

    private void grow() {
        int n = ids.length;
        int[] i2 = new int[n * 2];
        int[] l2 = new int[n * 2];
        int[] b2 = new int[n * 2];
        int[] k2 = new int[n * 2];
        boolean[] h2 = new boolean[n * 2];
        boolean[] d2 = new boolean[n * 2];
        for (int serial = oldest; serial != next; serial++) {
            int from = serial & (n - 1);
            int to = serial & (2 * n - 1);
            i2[to] = ids[from];
            l2[to] = lens[from];
            b2[to] = bytes[from];
            k2[to] = skbs[from];
            h2[to] = held[from];
            d2[to] = done[from];
        }
        ids = i2;
        lens = l2;
        bytes = b2;
        skbs = k2;
        held = h2;
        done = d2;
    }
}
