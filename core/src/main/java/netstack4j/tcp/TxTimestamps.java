package netstack4j.tcp;

import netstack4j.socket.Errno;

/**
 * Transmit timestamps as Linux's TCP gives them (SO_TIMESTAMPING,
 * Documentation/networking/timestamping.rst): the last byte of each send is stamped
 * ({@code tcp_tx_timestamp}: the unsent tail skb's last byte becomes its {@code tskey}), and
 * the socket's error queue then gets a record when that byte is handed to the device
 * (SCM_TSTAMP_SCHED at the queueing discipline, SCM_TSTAMP_SND at the driver; here both at
 * transmission, every transmission) and when it is cumulatively acknowledged (SCM_TSTAMP_ACK,
 * {@code tcp_ack_tstamp}). Each record has ee_errno ENOMSG, ee_origin
 * SO_EE_ORIGIN_TIMESTAMPING, ee_info the type and, with OPT_ID, ee_data the byte's offset from
 * {@code sk_tskey} (SND.UNA when OPT_ID was set, or the write position with OPT_ID_TCP); its
 * time is the stack clock's, reported in SCM_TIMESTAMPING when SOF_TIMESTAMPING_SOFTWARE is
 * set. Without OPT_TSONLY the record's data is the segment's payload (Linux's carries the whole
 * packet), so a reader with a small buffer sees MSG_TRUNC.
 *
 * <p>Refused with EOPNOTSUPP: receive timestamps (RX_SOFTWARE), OPT_CMSG, OPT_STATS,
 * OPT_PKTINFO and BIND_PHC, which this stack cannot deliver. Hardware flags are accepted and
 * produce nothing, as on a device without hardware timestamping.
 *
 * <p>Allocation-free once grown. Thread-compatible: owned by the stack's thread.
 */
public final class TxTimestamps {
    static final int TX_HARDWARE = 1;
    static final int TX_SOFTWARE = 1 << 1;
    static final int RX_SOFTWARE = 1 << 3;
    static final int SOFTWARE = 1 << 4;
    static final int OPT_ID = 1 << 7;
    static final int TX_SCHED = 1 << 8;
    static final int TX_ACK = 1 << 9;
    static final int OPT_CMSG = 1 << 10;
    static final int OPT_TSONLY = 1 << 11;
    static final int OPT_STATS = 1 << 12;
    static final int OPT_PKTINFO = 1 << 13;
    static final int BIND_PHC = 1 << 15;
    static final int OPT_ID_TCP = 1 << 16;
    /** SOF_TIMESTAMPING_MASK. */
    static final int MASK = (OPT_ID_TCP << 1) - 1;
    private static final int UNSUPPORTED = RX_SOFTWARE | OPT_CMSG | OPT_STATS | OPT_PKTINFO | BIND_PHC;
    /** SOF_TIMESTAMPING_TX_RECORD_MASK less the hardware bit. */
    private static final int RECORD = TX_SOFTWARE | TX_SCHED | TX_ACK;
    static final int SCM_TSTAMP_SND = 0;
    static final int SCM_TSTAMP_SCHED = 1;
    static final int SCM_TSTAMP_ACK = 2;
    private static final int ENOMSG = 42;

    private final TcpConnection c;
    /** sk_tsflags. */
    private int flags;
    /** sk_tskey as a stream position. */
    private long keyBase;
    /** Stamped bytes not yet acknowledged, oldest first: stream position and what to record. */
    private long[] positions = new long[4];
    private int[] wants = new int[4];
    private int head;
    private int count;

    private TxTimestamps(TcpConnection c) {
        this.c = c;
    }

    /** setsockopt(SO_TIMESTAMPING) (sock_set_timestamping); returns the error, or null. */
    public static Errno set(TcpConnection c, int val) {
        if ((val & ~MASK) != 0 || (val & OPT_ID_TCP) != 0 && (val & OPT_ID) == 0) {
            return Errno.EINVAL;
        }
        if ((val & UNSUPPORTED) != 0) {
            return Errno.EOPNOTSUPP;
        }
        WriteQueue q = c.sender.skbs;
        if (q.stamps == null) {
            if (val == 0) {
                return null;
            }
            q.stamps = new TxTimestamps(c);
        }
        TxTimestamps t = q.stamps;
        if ((val & OPT_ID) != 0 && (t.flags & OPT_ID) == 0) {
            TcpState s = c.state();
            if (s == TcpState.CLOSED || s == TcpState.LISTEN) {
                return Errno.EINVAL; // no sequence space to key on yet
            }
            t.keyBase = (val & OPT_ID_TCP) != 0 ? q.endPos() : c.bytesAcked;
        }
        t.flags = val;
        return null;
    }

    /** getsockopt(SO_TIMESTAMPING). */
    public static int get(TcpConnection c) {
        TxTimestamps t = c.sender.skbs.stamps;
        return t == null ? 0 : t.flags;
    }

    /** Whether records carry a software time for SCM_TIMESTAMPING (SOF_TIMESTAMPING_SOFTWARE). */
    public static boolean reportsSoftware(TcpConnection c) {
        return (get(c) & SOFTWARE) != 0;
    }

    /**
     * The end of a send call that copied data (tcp_tx_timestamp): the last byte of the unsent
     * tail skb is stamped; a later send into the same skb moves the stamp to its new last byte.
     */
    public static void onWrite(TcpConnection c) {
        WriteQueue q = c.sender.skbs;
        TxTimestamps t = q.stamps;
        if (t == null || (t.flags & RECORD) == 0 || q.count() == 0) {
            return;
        }
        int last = q.count() - 1;
        long skbStart = q.startOf(last);
        if (skbStart < c.sender.sentHighPosition() || q.end(last) == skbStart) {
            return; // tcp_write_queue_tail is empty: everything went out already
        }
        long pos = q.end(last) - 1;
        int want = t.flags & RECORD;
        if (t.count > 0 && t.positions[t.slot(t.count - 1)] >= skbStart) {
            int s = t.slot(t.count - 1);
            t.positions[s] = pos;
            t.wants[s] |= want;
            return;
        }
        if (t.count == t.positions.length) {
            t.grow();
        }
        int s = t.slot(t.count++);
        t.positions[s] = pos;
        t.wants[s] = want;
    }

    /** Stream bytes [from, to) were transmitted: SCHED and SND records for stamped bytes in them. */
    void sent(long from, long to, long nowNs) {
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            long p = positions[s];
            if (p >= to) {
                break;
            }
            if (p >= from) {
                int len = (int) (to - from);
                if ((wants[s] & TX_SCHED) != 0) {
                    record(SCM_TSTAMP_SCHED, p, nowNs, len);
                }
                if ((wants[s] & TX_SOFTWARE) != 0) {
                    record(SCM_TSTAMP_SND, p, nowNs, len);
                }
            }
        }
    }

    /** SND.UNA reached stream position {@code pos}: ACK records for the stamped bytes below it. */
    void acknowledged(long pos, long skbLength) {
        while (count > 0 && positions[head] < pos) {
            if ((wants[head] & TX_ACK) != 0) {
                record(SCM_TSTAMP_ACK, positions[head], c.nowNs(), (int) Math.min(skbLength, Integer.MAX_VALUE));
            }
            head = (head + 1) & (positions.length - 1);
            count--;
        }
    }

    /** The write queue was purged: its stamps go with it, unreported. */
    void clear() {
        head = 0;
        count = 0;
    }

    private void record(int type, long pos, long nowNs, int len) {
        int key = (flags & OPT_ID) != 0 ? (int) (pos - keyBase) : 0;
        ErrorQueue.of(c).add(ENOMSG, ErrorQueue.ORIGIN_TIMESTAMPING, 0, 0, type, key, nowNs,
                (flags & OPT_TSONLY) != 0 ? 0 : len);
        c.readiness.signal(); // sk_error_report
    }

    private int slot(int i) {
        return (head + i) & (positions.length - 1);
    }

    private void grow() {
        int n = positions.length;
        long[] p = new long[n * 2];
        int[] w = new int[n * 2];
        for (int j = 0; j < count; j++) {
            p[j] = positions[slot(j)];
            w[j] = wants[slot(j)];
        }
        positions = p;
        wants = w;
        head = 0;
    }
}
