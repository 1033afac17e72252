package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;

/**
 * One connection's share of the stack's TCP memory ({@link TcpMemory}, net.ipv4.tcp_mem), as
 * Linux accounts a socket: what RecvQ and its out-of-order data hold (the pages of the
 * {@link ReceiveBuffer}, {@code sk_rmem_alloc}) and what SendQ's skbs cost
 * ({@link WriteQueue#queuedMemory}, {@code sk_wmem_queued}) are charged to the socket's forward
 * allocation ({@code sk_forward_alloc}), which raises the stack-wide count in whole pages.
 *
 * <ul>
 *   <li><b>Before memory is taken</b> the allocation is scheduled: received data by
 *       {@link #receive} (tcp_try_rmem_schedule, pruning out-of-order data when refused),
 *       SendQ growth by {@link #wmemSchedule} (sk_wmem_schedule, shrinking SO_SNDBUF when
 *       refused). A refused allocation takes nothing.</li>
 *   <li><b>After every event</b> {@link #sync} charges what the queues grew by (growth that was
 *       not scheduled is forced, as sk_forced_mem_schedule) and uncharges what they shrank by
 *       (a read, an ACK, a purge), giving whole free pages back at once (sk_mem_reclaim).</li>
 * </ul>
 * Allocation-free. Thread-compatible: owned by the stack's thread.
 */
final class SocketMemory {
    /** SOCK_MIN_SNDBUF: twice TCP_SKB_MIN_TRUESIZE (2048 bytes and a 256-byte struct sk_buff). */
    static final int SOCK_MIN_SNDBUF = 2 * (2048 + 256);

    private final TcpConnection c;
    private final TcpMemory stack;
    private final TcpMemory.Socket account;
    /** Bytes charged: sk_rmem_alloc + sk_wmem_queued as of the last {@link #sync}. */
    private long charged;
    private boolean closed;

    SocketMemory(TcpConnection c) {
        this.c = c;
        this.stack = c.layer.memory();
        this.account = stack.newSocket(); // tcp_init_sock: sk_sockets_allocated_inc
    }

    /** sk_rmem_alloc: the pages RecvQ and the out-of-order data hold. */
    long rmemAlloc() {
        return c.receiver.buffer.allocatedBytes();
    }

    /** sk_wmem_queued: SendQ's skbs with their truesize (bytes only under the Windows personality). */
    long wmemQueued() {
        return c.sender.skbs.queuedMemory(!c.settings.windowsBufferRounding());
    }

    /** sk_forward_alloc. */
    long forwardAlloc() {
        return account.forwardAlloc();
    }

    boolean underPressure() {
        return stack.underPressure();
    }

    /**
     * Charges or uncharges what the queues changed by since the last call: growth not scheduled
     * is forced (sk_forced_mem_schedule), freed bytes go back (sk_mem_uncharge, sk_mem_reclaim).
     */
    void sync(long nowNs) {
        if (closed) {
            return;
        }
        long now = rmemAlloc() + wmemQueued();
        if (now > charged) {
            account.forceCharge(now - charged);
        } else if (now < charged) {
            account.uncharge((int) (charged - now), nowNs);
        }
        charged = now;
    }

    /** The socket, holding nothing now, is destroyed (tcp_v4_destroy_sock, sk_sockets_allocated_dec). */
    void close(long nowNs) {
        sync(nowNs);
        closed = true;
        account.close(nowNs);
    }

    boolean closed() {
        return closed;
    }

    /** Bytes charged as of the last {@link #sync}. */
    long charged() {
        return charged;
    }

    /**
     * Room for a segment of {@code len} bytes at {@code offsetFromRcvNxt}, before it is queued:
     * tcp_data_queue and tcp_data_queue_ofo's tcp_try_rmem_schedule. In-order data for an empty
     * RecvQ is always taken (tcp_data_queue's sk_forced_mem_schedule), so a reader that drained
     * its queue always makes progress. Otherwise a refused allocation prunes (tcp_prune_queue),
     * then drops out-of-order data beyond the segment until the allocation fits
     * (tcp_prune_ofo_queue); in-order data, acknowledged already, is never dropped.
     *
     * @return false when the segment must be dropped
     */
    boolean receive(int offsetFromRcvNxt, int len, long nowNs) {
        ReceiveBuffer buf = c.receiver.buffer;
        long need = buf.memoryNeeded(offsetFromRcvNxt, len);
        if (need == 0 || offsetFromRcvNxt <= 0 && buf.readable() == 0) {
            return true;
        }
        if (rmemSchedule(need, nowNs)) {
            return true;
        }
        pruneQueue();
        while (!rmemSchedule(buf.memoryNeeded(offsetFromRcvNxt, len), nowNs)) {
            if (!pruneOutOfOrder(offsetFromRcvNxt, nowNs)) {
                // Nothing left to prune: the segment is dropped (counted as tcp_prune_queue's
                // RcvPruned, which kernels before tcp_can_ingest counted on this failure).
                c.layer.counters().increment(Counter.TcpExtRcvPruned);
                return false;
            }
        }
        return true;
    }

    /** sk_rmem_schedule: forward allocation for {@code size} more bytes of received data. */
    private boolean rmemSchedule(long size, long nowNs) {
        sync(nowNs);
        return size <= 0 || account.schedule((int) size, TcpMemory.Kind.RECV, wmemQueued(), rmemAlloc(), nowNs);
    }

    /**
     * tcp_prune_queue's first steps: counted (PruneCalled); a socket holding its whole SO_RCVBUF
     * clamps its window to two segments (tcp_clamp_window), one under memory pressure to four
     * (tcp_adjust_rcv_ssthresh). tcp_collapse and tcp_collapse_ofo_queue, which copy skbs into
     * fewer pages, have nothing to gain here: received bytes are already packed into pages.
     */
    private void pruneQueue() {
        c.layer.counters().increment(Counter.TcpExtPruneCalled);
        TcpReceiver r = c.receiver;
        if (rmemAlloc() >= c.rcvBufReported) {
            r.clampRcvSsthresh(2 * r.advMss); // tcp_clamp_window
        } else if (underPressure()) {
            r.clampRcvSsthresh(4 * r.advMss); // tcp_adjust_rcv_ssthresh
        }
    }

    /**
     * tcp_prune_ofo_queue: the out-of-order data at or beyond the segment goes, highest first;
     * counted (OfoPruned), the SACK state reset (tcp_sack_reset: we no longer hold what we
     * reported) and the freed pages reclaimed.
     */
    private boolean pruneOutOfOrder(int offsetFromRcvNxt, long nowNs) {
        if (c.receiver.buffer.pruneOutOfOrder(offsetFromRcvNxt) == 0) {
            return false;
        }
        c.layer.counters().increment(Counter.TcpExtOfoPruned);
        c.layer.drop(DropReason.TCP_OFO_QUEUE_PRUNE);
        c.sacks.clear();
        sync(nowNs);
        return true;
    }

    /**
     * sk_wmem_schedule for {@code size} more bytes of SendQ. When __sk_mem_raise_allocated
     * refuses a stream socket's send memory (suppress_allocation), SO_SNDBUF shrinks to half of
     * what is queued (sk_stream_moderate_sndbuf) and the allocation still succeeds when the
     * socket is at or over that buffer ("fail only if socket is under its sndbuf"): the writer
     * then waits for the buffer, not for memory.
     */
    boolean wmemSchedule(int size, long nowNs) {
        sync(nowNs);
        long queued = wmemQueued();
        if (account.schedule(size, TcpMemory.Kind.SEND, queued, rmemAlloc(), nowNs)) {
            return true;
        }
        moderateSndbuf(queued);
        return queued + size >= c.sndBufReported;
    }

    /** sk_stream_moderate_sndbuf: an unlocked SO_SNDBUF falls to half of what is queued, at least SOCK_MIN_SNDBUF. */
    private void moderateSndbuf(long queued) {
        if (c.sndBufLocked || c.settings.windowsBufferRounding()) {
            return;
        }
        int val = (int) Math.max(Math.min(c.sndBufReported, queued >> 1), SOCK_MIN_SNDBUF);
        if (val < c.sndBufReported) {
            c.sndBufReported = val;
            c.sender.buffer.setCapacity(c.sendCapacity(val));
        }
    }

    /**
     * tcp_should_expand_sndbuf's memory checks: SO_SNDBUF does not grow under pressure, nor while
     * the stack holds tcp_mem[0] pages or more.
     */
    boolean sndbufMayGrow() {
        return !stack.underPressure() && !stack.atOrAboveMin();
    }
}
