package netstack4j.tcp;

/**
 * A socket's error queue ({@code sk_error_queue}): the {@code struct sock_extended_err} records
 * that {@code recvmsg(MSG_ERRQUEUE)} returns, oldest first, each with the time it was taken
 * (a transmit timestamp; -1 for none) and the length of the data Linux's record would carry
 * (the packet a timestamp is about; 0 for a zerocopy completion or with OPT_TSONLY). Its
 * producers are MSG_ZEROCOPY completion ({@link ZeroCopy}) and transmit timestamps
 * ({@link TxTimestamps}).
 *
 * <ul>
 *   <li><b>Merging</b> ({@code __msg_zerocopy_callback}): a zerocopy completion whose range
 *       continues the one at the tail (its {@code ee_info} one past the tail's {@code ee_data})
 *       extends that record instead of queueing another, while the merged range stays below
 *       2^32 ids; the tail keeps its {@code ee_code}.</li>
 *   <li><b>Limit</b> ({@code sock_queue_err_skb}): Linux refuses a record when the socket's
 *       receive memory is exhausted; here the queue holds at most {@link #LIMIT} records and a
 *       record beyond that is dropped and counted ({@link #dropped()}).</li>
 * </ul>
 * Allocation-free once grown: the records live in parallel arrays used as a ring.
 * Thread-compatible: owned by the stack's thread.
 */
public final class ErrorQueue {
    /** sock_extended_err.ee_origin of a transmit timestamp. */
    static final int ORIGIN_TIMESTAMPING = 4;
    /** sock_extended_err.ee_origin of a MSG_ZEROCOPY completion. */
    static final int ORIGIN_ZEROCOPY = 5;
    /** ee_code bit: the data was copied, not sent from the user's pages. */
    static final int CODE_ZEROCOPY_COPIED = 1;
    /** Records held at most before new ones are dropped. */
    static final int LIMIT = 1024;

    private int[] errnos = new int[4];
    private byte[] origins = new byte[4];
    private byte[] types = new byte[4];
    private byte[] codes = new byte[4];
    private int[] infos = new int[4];
    private int[] datas = new int[4];
    private long[] times = new long[4];
    private int[] lengths = new int[4];
    private int head;
    private int count;
    private long dropped;

    /** The connection's queue, created at its first record. */
    static ErrorQueue of(TcpConnection c) {
        WriteQueue q = c.sender.skbs;
        if (q.errors == null) {
            q.errors = new ErrorQueue();
        }
        return q.errors;
    }

    /** The error queue has a record (tcp_poll's EPOLLERR). */
    public static boolean pending(TcpConnection c) {
        ErrorQueue q = c.sender.skbs.errors;
        return q != null && !q.isEmpty();
    }

    /**
     * recvmsg(MSG_ERRQUEUE) ({@code ip_recv_error}): the oldest record as
     * {@code {ee_errno, ee_origin, ee_type, ee_code, ee_info, ee_data, time ns (-1: none), length}},
     * removed from the queue, or null when the queue is empty. Pollers are woken again while
     * records remain ({@code sock_dequeue_err_skb}).
     */
    public static long[] take(TcpConnection c) {
        ErrorQueue q = c.sender.skbs.errors;
        if (q == null || q.isEmpty()) {
            return null;
        }
        long[] e = {q.headErrno(), q.headOrigin(), q.headType(), q.headCode(), Integer.toUnsignedLong(q.headInfo()),
                Integer.toUnsignedLong(q.headData()), q.headTime(), q.headLength()};
        q.pop();
        if (!q.isEmpty()) {
            c.readiness.signal();
        }
        return e;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    long dropped() {
        return dropped;
    }

    /**
     * Queues a zerocopy completion for ids {@code lo..hi} (inclusive), merged into the tail as
     * {@code __msg_zerocopy_callback} does.
     */
    void addZeroCopy(int lo, int hi, int code) {
        if (count > 0) {
            int t = slot(count - 1);
            if (origins[t] == ORIGIN_ZEROCOPY && lo == datas[t] + 1
                    && Integer.toUnsignedLong(hi - infos[t]) + 1 < (1L << 32)) {
                datas[t] = hi;
                return;
            }
        }
        add(0, ORIGIN_ZEROCOPY, 0, code, lo, hi, -1, 0);
    }

    void add(int errno, int origin, int type, int code, int info, int data, long timeNs, int length) {
        if (count == LIMIT) {
            dropped++;
            return;
        }
        if (count == errnos.length) {
            grow();
        }
        int s = slot(count++);
        errnos[s] = errno;
        origins[s] = (byte) origin;
        types[s] = (byte) type;
        codes[s] = (byte) code;
        infos[s] = info;
        datas[s] = data;
        times[s] = timeNs;
        lengths[s] = length;
    }

    /** The oldest record's fields; valid while {@link #isEmpty()} is false. */
    int headErrno() {
        return errnos[head];
    }

    int headOrigin() {
        return origins[head] & 0xff;
    }

    int headType() {
        return types[head] & 0xff;
    }

    int headCode() {
        return codes[head] & 0xff;
    }

    int headInfo() {
        return infos[head];
    }

    int headData() {
        return datas[head];
    }

    long headTime() {
        return times[head];
    }

    int headLength() {
        return lengths[head];
    }

    /** Removes the oldest record ({@code sock_dequeue_err_skb}). */
    void pop() {
        head = (head + 1) & (errnos.length - 1);
        count--;
    }

    void clear() {
        head = 0;
        count = 0;
    }

    private int slot(int i) {
        return (head + i) & (errnos.length - 1);
    }

    private void grow() {
        int n = errnos.length;
        int[] e = new int[n * 2];
        byte[] o = new byte[n * 2];
        byte[] t = new byte[n * 2];
        byte[] c = new byte[n * 2];
        int[] in = new int[n * 2];
        int[] d = new int[n * 2];
        long[] tm = new long[n * 2];
        int[] ln = new int[n * 2];
        for (int j = 0; j < count; j++) {
            int s = slot(j);
            e[j] = errnos[s];
            o[j] = origins[s];
            t[j] = types[s];
            c[j] = codes[s];
            in[j] = infos[s];
            d[j] = datas[s];
            tm[j] = times[s];
            ln[j] = lengths[s];
        }
        errnos = e;
        origins = o;
        types = t;
        codes = c;
        infos = in;
        datas = d;
        times = tm;
        lengths = ln;
        head = 0;
    }
}
