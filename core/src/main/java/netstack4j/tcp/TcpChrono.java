package netstack4j.tcp;

/**
 * How long a connection spent sending, and what limited it (Linux's tcp_chrono_start /
 * tcp_chrono_stop in tcp_output.c, reported as tcpi_busy_time, tcpi_rwnd_limited and
 * tcpi_sndbuf_limited): one clock runs at a time, the most specific reason winning, BUSY while
 * data is queued or in flight, RWND_LIMITED while the peer's window holds data back,
 * SNDBUF_LIMITED while the send buffer does.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TcpChrono {
    static final int UNSPEC = 0;
    static final int BUSY = 1;
    static final int RWND_LIMITED = 2;
    static final int SNDBUF_LIMITED = 3;

    private int type = UNSPEC;
    private long startNs;
    private final long[] totalNs = new long[3];

    /** tcp_chrono_start: a more specific reason than the running one takes over. */
    void start(int t, long nowNs) {
        if (t > type) {
            set(t, nowNs);
        }
    }

    /** tcp_chrono_stop: nothing queued or in flight stops the clock, else BUSY goes on. */
    void stop(int t, long nowNs, boolean queuesEmpty) {
        if (queuesEmpty) {
            set(UNSPEC, nowNs);
        } else if (t == type) {
            set(BUSY, nowNs);
        }
    }

    private void set(int t, long nowNs) {
        if (type != UNSPEC) {
            totalNs[type - 1] += nowNs - startNs;
        }
        startNs = nowNs;
        type = t;
    }

    /** Time spent under {@code t} so far, the running period included. */
    long ns(int t, long nowNs) {
        return totalNs[t - 1] + (type == t ? nowNs - startNs : 0);
    }

    /** tcpi_busy_time: the three together. */
    long busyNs(long nowNs) {
        return ns(BUSY, nowNs) + ns(RWND_LIMITED, nowNs) + ns(SNDBUF_LIMITED, nowNs);
    }
}
