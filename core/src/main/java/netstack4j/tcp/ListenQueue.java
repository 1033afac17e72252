package netstack4j.tcp;

import java.util.ArrayDeque;

/**
 * A listener's state: its SYN queue length and its accept queue (N16), as Linux's
 * request_sock_queue and sk_ack_backlog.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class ListenQueue {
    /** sk_max_ack_backlog: listen() on a listening socket changes it. */
    int backlog;
    final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    int synQueueLength;

    /** When a SYN cookie was last sent (Linux's tcp_synq_overflow stamp), or Long.MIN_VALUE. */
    long lastOverflowNs = Long.MIN_VALUE;

    ListenQueue(int backlog) {
        this.backlog = backlog;
    }

    /** Linux's !tcp_synq_no_recent_overflow: cookies are only checked within 2 minutes of one sent. */
    boolean recentOverflow(long nowNs) {
        return lastOverflowNs != Long.MIN_VALUE && nowNs - lastOverflowNs < SynCookies.MAX_AGE * SynCookies.TICK_NS;
    }

    /** As Linux's sk_acceptq_is_full: more than backlog entries. */
    boolean acceptQueueFull() {
        return acceptQueue.size() > backlog;
    }

    void established(TcpConnection child) {
        synQueueLength--;
        acceptQueue.addLast(child);
        TcpConnection l = child.parent;
        l.readers.wakeAll();
        l.readiness.signal();
    }
}
