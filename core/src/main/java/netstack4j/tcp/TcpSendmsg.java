package netstack4j.tcp;

import netstack4j.socket.MessageFlags;

/**
 * The write path, as Linux's {@code tcp_sendmsg_locked} and {@code tcp_push}: copies the
 * application's bytes into SendQ's skbs ({@link WriteQueue}), marks PSH, and pushes the sender.
 *
 * <p>One application call may take several {@link #write} calls when it waits for space in
 * between (a blocking send): {@code continuation} says that bytes of the same call were copied
 * before, which Linux's single call knows as {@code copied != 0}.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TcpSendmsg {
    /** How the sender treats a partial segment when pushed (Linux's nonagle argument). */
    enum Push {
        /** The socket's own setting: Nagle, TCP_NODELAY or TCP_CORK (tp->nonagle). */
        NORMAL,
        /** TCP_NAGLE_PUSH: send partial segments now. */
        PUSH,
        /** TCP_NAGLE_PUSH for at most one skb (tcp_push_one). */
        ONE,
        /** TCP_NAGLE_CORK: MSG_MORE holds partial segments. */
        CORK
    }

    private TcpSendmsg() {
    }

    /**
     * tcp_xmit_size_goal: how large an skb grows, at most GSO_MAX_SIZE bounded by half the
     * largest window the peer offered (tcp_bound_to_half_wnd), in whole segments of {@code mss}.
     */
    static int sizeGoal(int mss, int maxSndWnd) {
        int goal = WriteQueue.GSO_MAX_SIZE;
        int cutoff = maxSndWnd > 536 ? maxSndWnd >> 1 : maxSndWnd; // TCP_MSS_DEFAULT
        if (cutoff > 0 && goal > cutoff) {
            goal = Math.max(cutoff, 68 - 20);
        }
        return Math.max(goal / mss * mss, mss);
    }

    /**
     * Copies up to {@code len} bytes of {@code b[off..]} into SendQ.
     *
     * @param flags MSG_MORE and MSG_EOR are used
     * @return the bytes taken; fewer than {@code len} when the send buffer is full
     */
    static int write(TcpSender s, byte[] b, int off, int len, int flags, boolean continuation, long nowNs) {
        WriteQueue q = s.skbs;
        SendBuffer buf = s.buffer;
        boolean truesize = !s.c.settings.windowsBufferRounding();
        int mss = s.segmentMss();
        int goal = sizeGoal(mss, s.maxSndWnd);
        long sentHigh = s.sentHighPosition();
        ZeroCopy zc = q.zc;
        int uarg = zc == null ? -1 : zc.sending;
        int copied = 0;
        boolean full = false;
        boolean newSegment = false;
        while (copied < len) {
            int last = q.count() - 1;
            long tailLen = last < 0 ? 0 : q.end(last) - q.startOf(last);
            boolean appendable = !newSegment && last >= 0 && q.startOf(last) >= sentHigh
                    && !q.marked(last, WriteQueue.EOR) && tailLen < goal;
            newSegment = false;
            if (!appendable) {
                if (!memoryFree(s, truesize)) {
                    full = true;
                    break; // wait_for_space
                }
                // tcp_stream_alloc_skb: the skb's truesize is scheduled (sk_wmem_schedule), but the
                // first skb of empty queues is forced (tcp_rtx_and_write_queues_empty).
                if (truesize && q.count() > 0 && !s.c.memory.wmemSchedule(WriteQueue.SKB_OVERHEAD, nowNs)) {
                    full = true;
                    break; // wait_for_space
                }
                q.addSkb();
                s.restartIfIdle(nowNs); // tcp_skb_entail's tcp_slow_start_after_idle_check
                tailLen = 0;
            }
            int copy = (int) Math.min(len - copied, goal - tailLen);
            if (!truesize) {
                copy = Math.min(copy, buf.free()); // Windows: SO_SNDBUF counts bytes
            }
            if (copy <= 0) {
                full = true;
                break;
            }
            if (q.tailFrags() > 0 || uarg >= 0) {
                copy = fragmentLimited(q, zc, uarg, copy);
                if (copy == 0) {
                    q.markPush(); // -EEXIST / -EMSGSIZE, or no fragment left: tcp_mark_push, new_segment
                    newSegment = true;
                    continue;
                }
            }
            if (truesize && !copyScheduled(s, q, copy, nowNs)) {
                q.dropEmptyTail(); // wait_for_space: tcp_remove_empty_skb
                full = true;
                break;
            }
            int n = buf.write(b, off + copied, copy);
            if (n <= 0) {
                q.dropEmptyTail(); // tcp_remove_empty_skb
                full = true;
                break;
            }
            if (!continuation && copied == 0) {
                q.clearTailPush(); // the write continues this skb: its old mark goes
            }
            q.extendTail(n);
            if (uarg >= 0) {
                q.addZeroCopyFrags(uarg, zc.fragsUsed, zc.pagePadding);
                zc.callCopied += n;
            } else {
                q.addCopyFrag();
            }
            copied += n;
            if (tailLen + n < goal) {
                continue;
            }
            // A full skb goes out as soon as it may (tcp_sendmsg_locked after each full skb).
            if (q.forcedPush(s.maxSndWnd)) {
                q.markPush();
                s.push(nowNs, Push.PUSH);
            } else if (q.count() - 1 == s.sendHeadIndex()) {
                s.push(nowNs, Push.ONE);
            }
        }
        if (full) {
            q.noSpace = true; // SOCK_NOSPACE: tcp_check_space wakes the writer
            // wait_for_space: what was copied goes out now, PSH on it, whatever MSG_MORE said.
            if (copied > 0 || continuation) {
                markPushIfUnsent(s);
                s.push(nowNs, Push.PUSH);
            }
            return copied;
        }
        if ((flags & MessageFlags.MSG_EOR) != 0 && q.count() > 0) {
            q.markTailEor();
        }
        if (copied > 0 || continuation) {
            TxTimestamps.onWrite(s.c); // tcp_tx_timestamp before tcp_push, as at tcp_sendmsg_locked's out
        }
        // tcp_push: PSH on the tail unless MSG_MORE (or a forced push), then push as the socket
        // says, corked for MSG_MORE.
        boolean more = (flags & MessageFlags.MSG_MORE) != 0;
        if (!more || q.forcedPush(s.maxSndWnd)) {
            markPushIfUnsent(s);
        }
        s.push(nowNs, more ? Push.CORK : Push.NORMAL);
        return copied;
    }

    /**
     * The bytes of {@code copy} that may go into the tail skb given its page fragments (0: it
     * takes none and a new skb is due). A zerocopy send ({@code uarg} >= 0) never joins an skb
     * of another notification (skb_zerocopy_iter_stream's -EEXIST) and takes the fragments its
     * iovec elements need, up to MAX_SKB_FRAGS (-EMSGSIZE when none fit); a copy after zerocopy
     * fragments needs one more fragment (tcp_sendmsg_locked's skb_can_coalesce check against
     * sysctl_max_skb_frags).
     */
    private static int fragmentLimited(WriteQueue q, ZeroCopy zc, int uarg, int copy) {
        int frags = q.tailFrags() & ~WriteQueue.FRAG_COPY;
        if (uarg < 0) {
            boolean coalesce = (q.tailFrags() & WriteQueue.FRAG_COPY) != 0;
            return coalesce || frags < ZeroCopy.MAX_SKB_FRAGS ? copy : 0;
        }
        int tail = q.tailUarg();
        if (tail >= 0 && tail != uarg) {
            return 0;
        }
        return zc.fit(copy, ZeroCopy.MAX_SKB_FRAGS - frags);
    }

    /**
     * tcp_sendmsg_locked's {@code sk_wmem_schedule(sk, copy)} before bytes are copied into the
     * tail skb. Linux's writer refused here sleeps a random 2..200 ms (sk_stream_wait_memory's
     * vm_wait) and tries again; that retry is not modelled, so the copy into the only skb of
     * otherwise empty queues is forced as that skb was: a socket with nothing queued always
     * makes progress, one with data queued waits for its ACKs.
     */
    private static boolean copyScheduled(TcpSender s, WriteQueue q, int copy, long nowNs) {
        return q.count() == 1 && q.end(0) == q.startOf(0) || s.c.memory.wmemSchedule(copy, nowNs);
    }

    /** tcp_push marks tcp_write_queue_tail: an skb not yet sent (none when all went out). */
    private static void markPushIfUnsent(TcpSender s) {
        WriteQueue q = s.skbs;
        int last = q.count() - 1;
        if (last >= 0 && q.end(last) > s.sentHighPosition()) {
            q.markPush();
        }
    }

    /** sk_stream_memory_free: a new skb may be started while the memory queued is below SO_SNDBUF. */
    static boolean memoryFree(TcpSender s, boolean truesize) {
        if (!streamMemoryFree(s, 0)) {
            return false;
        }
        if (!truesize) {
            return s.buffer.free() > 0;
        }
        return s.skbs.queuedMemory(true) < s.c.sndBufReported;
    }

    /**
     * tcp_stream_memory_free: fewer unsent bytes than TCP_NOTSENT_LOWAT ({@code wake} 1, for
     * waking and polling: fewer than half of it).
     */
    static boolean streamMemoryFree(TcpSender s, int wake) {
        return ((long) s.unsentBytes() << wake) < s.c.effectiveNotsentLowat();
    }

    /**
     * __sk_stream_is_writeable: room for a writer, the free space at least half of what is
     * queued (sk_stream_wspace >= sk_stream_min_wspace) and a new skb allowed.
     */
    static boolean writeable(TcpSender s) {
        boolean truesize = !s.c.settings.windowsBufferRounding();
        if (!streamMemoryFree(s, 1)) {
            return false;
        }
        if (!truesize) {
            int free = s.buffer.free();
            return free > 0 && free >= s.buffer.size() / 2;
        }
        long queued = s.skbs.queuedMemory(true);
        return s.c.sndBufReported - queued >= queued >> 1 && queued < s.c.sndBufReported;
    }
}
