package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.time.Timer;

/**
 * What must hold of a stack's TCP state between any two events, whatever arrived: the fuzz
 * targets call {@link #check} after every step. Each rule is one the engine relies on (and each
 * failure message names the rule and the connection):
 * <ul>
 *   <li>sequence space: SND.UNA &lt;= SND.NXT &lt;= SND.MAX, wrap-safe (RFC 9293 section 3.3.1);
 *       what is in flight is SendQ plus SYN and FIN at most; SendQ starts at SND.UNA (one before
 *       it while the SYN is unacknowledged, one after once the FIN is); the FIN comes after all
 *       the data; RCV.NXT - IRS - 1 is the data delivered in order (plus one for the FIN);</li>
 *   <li>windows and sizes: RCV.WND and SND.WND fit 16 bits (no window scaling), RecvQ and SendQ
 *       within their capacities, the send MSS within [48, 1460];</li>
 *   <li>memory (N2): each socket is charged exactly what its queues hold in chunks, never more
 *       than its capacity needs; the stack total is the sum over its sockets; a closed socket
 *       that no application can reach any more holds nothing (Linux's tcp_done and
 *       inet_csk_destroy_sock free its queues);</li>
 *   <li>state: the shut-down direction and FIN flags agree with the state (RFC 9293 section
 *       3.3.2's diagram); TcpCurrEstab counts the ESTABLISHED and CLOSE-WAIT connections (as
 *       Linux's tcp_set_state); a connection out of CLOSED is in the tables, one in CLOSED is
 *       not; the listener's SYN-queue length is its children in the queue;</li>
 *   <li>TIME-WAIT entries (Linux's timewait sockets): within tcp_max_tw_buckets, each ending
 *       within 2 MSL from now (none is left past its deadline), none beside an open connection
 *       of the same 4-tuple;</li>
 *   <li>timers, armed only when they mean something: none in CLOSED, LISTEN or TIME-WAIT (whose
 *       entry keeps the deadline); retransmission only with something unacknowledged (RFC 6298 section
 *       5.2); never both retransmission and persist; delayed ACK only with an ACK pending; the
 *       2 MSL timer only in TIME-WAIT or an orphaned FIN-WAIT-2; keepalive only with SO_KEEPALIVE.</li>
 * </ul>
 */
final class StackInvariants {
    private StackInvariants() {
    }

    static void check(FuzzHost host) {
        host.observe();
        long charged = 0;
        int established = 0;
        for (TcpConnection c : host.seen) {
            connection(c);
            charged += c.chargedBytes;
            if (c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT) {
                established++;
            }
        }
        for (TcpConnection c : host.seen) {
            require(c.state != TcpState.CLOSED || c.chargedBytes == 0 || reachable(host, c), c,
                    c.chargedBytes + " bytes charged to a closed connection no application can reach");
        }
        require(host.tcp.memoryBytes() == charged, null,
                "stack socket memory " + host.tcp.memoryBytes() + " is not the sum over its sockets " + charged);
        tcpMem(host);
        long currEstab = host.stack.counters().get(Counter.TcpCurrEstab);
        require(currEstab == established, null,
                "TcpCurrEstab " + currEstab + " but " + established + " connections are ESTABLISHED or CLOSE-WAIT");
        for (TcpConnection c : host.tcp.connections()) {
            require(c.state != TcpState.CLOSED || c.remotePort == 0, c, "a CLOSED connection is still in the tables");
            require(c.state != TcpState.TIME_WAIT, c, "a connection in TIME-WAIT is still in the tables");
        }
        timeWaitEntries(host);
        if (host.listener != null && host.listener.connection().listenQueue != null) {
            listener(host, host.listener.connection());
        }
    }

    /**
     * tcp_memory_allocated: every socket's charge plus its forward allocation is whole pages, the
     * forward allocation less than one (sk_mem_reclaim after each event), and the stack's pages
     * their sum.
     */
    private static void tcpMem(FuzzHost host) {
        long bytes = 0;
        for (TcpConnection c : host.seen) {
            SocketMemory m = c.memory;
            require(m.forwardAlloc() >= 0 && m.forwardAlloc() < TcpMemory.PAGE_SIZE, c,
                    "forward allocation " + m.forwardAlloc() + " not reclaimed");
            require((m.charged() + m.forwardAlloc()) % TcpMemory.PAGE_SIZE == 0, c,
                    "charge " + m.charged() + " and forward allocation " + m.forwardAlloc() + " are not whole pages");
            require(m.charged() == (m.closed() ? 0 : m.rmemAlloc() + m.wmemQueued()), c,
                    "tcp_mem charge " + m.charged() + " but the queues hold " + (m.rmemAlloc() + m.wmemQueued()));
            bytes += m.charged() + m.forwardAlloc();
        }
        require(host.tcp.memory().allocatedPages() * TcpMemory.PAGE_SIZE == bytes, null,
                "tcp_memory_allocated " + host.tcp.memory().allocatedPages() + " pages but the sockets hold " + bytes + " bytes");
    }

    private static void connection(TcpConnection c) {
        TcpSender s = c.sender;
        TcpReceiver r = c.receiver;
        require(c.state != null, c, "no state");
        require(c.chargedBytes >= 0, c, "negative memory charge " + c.chargedBytes);
        long allocated = r.buffer.allocatedBytes() + s.buffer.allocatedBytes();
        require(c.chargedBytes == allocated, c, "charged " + c.chargedBytes + " but its queues hold " + allocated);
        require(r.buffer.allocatedBytes() <= chunksFor(r.buffer.capacity()), c,
                "RecvQ holds " + r.buffer.allocatedBytes() + " bytes of chunks for a capacity of " + r.buffer.capacity());
        require(s.buffer.allocatedBytes() <= chunksFor(s.buffer.capacity()), c,
                "SendQ holds " + s.buffer.allocatedBytes() + " bytes of chunks for a capacity of " + s.buffer.capacity());
        require(r.buffer.readable() <= r.buffer.capacity(), c,
                "RecvQ " + r.buffer.readable() + " beyond its capacity " + r.buffer.capacity());
        require(s.buffer.size() <= s.buffer.capacity(), c,
                "SendQ " + s.buffer.size() + " beyond its capacity " + s.buffer.capacity());
        timers(c);
        if (c.isListening()) {
            require(c.state == TcpState.LISTEN, c, "a listener in " + c.state);
            return;
        }
        // A connection entering TIME-WAIT leaves the tables to a TimeWaitSocket (as Linux's tcp_time_wait).
        boolean hashed = c.state != TcpState.CLOSED && c.state != TcpState.TIME_WAIT;
        require(!hashed || c.bound, c, "open but not bound");
        if (c.state == TcpState.CLOSED) {
            return;
        }
        sequenceSpace(c);
        stateFlags(c);
    }

    private static void sequenceSpace(TcpConnection c) {
        TcpSender s = c.sender;
        TcpReceiver r = c.receiver;
        require(SeqNum.le(s.sndUna, s.sndNxt), c, "SND.UNA " + u(s.sndUna) + " > SND.NXT " + u(s.sndNxt));
        require(SeqNum.le(s.sndNxt, s.sndMax), c, "SND.NXT " + u(s.sndNxt) + " > SND.MAX " + u(s.sndMax));
        int flight = SeqNum.diff(s.sndMax, s.sndUna);
        require(flight >= 0 && flight <= s.buffer.size() + 2, c,
                "in flight " + flight + " with " + s.buffer.size() + " bytes in SendQ");
        int head = SeqNum.diff(s.sndUna, s.bufSeq);
        require(head >= -1 && head <= 1, c, "SendQ starts " + head + " from SND.UNA");
        require(head != -1 || s.sndUna == s.iss, c, "SendQ starts before SND.UNA but the SYN is acknowledged");
        require(!s.finSent || s.finQueued, c, "FIN sent but never queued");
        if (s.finSent && SeqNum.le(s.sndUna, s.finSeq)) {
            require(s.finSeq == SeqNum.add(s.bufSeq, s.buffer.size()), c, "FIN at " + u(s.finSeq)
                    + " is not after the data (" + u(s.bufSeq) + " + " + s.buffer.size() + ")");
        }
        require(s.sndWnd >= 0 && s.sndWnd <= 0xffff, c, "SND.WND " + s.sndWnd + " does not fit 16 bits");
        require(s.mss >= 48 && s.mss <= 1460, c, "send MSS " + s.mss);
        require(s.cc.cwndBytes() > 0, c, "congestion window " + s.cc.cwndBytes());
        if (c.state == TcpState.SYN_SENT) {
            return; // nothing received yet: RCV.NXT is not set
        }
        int window = r.receiveWindow();
        require(window >= 0 && window <= TcpReceiver.MAX_UNSCALED_WINDOW, c, "RCV.WND " + window);
        int delivered = SeqNum.diff(r.rcvNxt, SeqNum.add(r.irs, 1));
        long expected = c.bytesReceived + (r.finReceived ? 1 : 0);
        require(delivered == (int) expected, c, "RCV.NXT is " + delivered + " past IRS + 1 but "
                + c.bytesReceived + " bytes" + (r.finReceived ? " and a FIN" : "") + " were delivered");
    }

    private static void stateFlags(TcpConnection c) {
        TcpSender s = c.sender;
        switch (c.state) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT ->
                    require(!s.finSent, c, "FIN sent in " + c.state);
            case FIN_WAIT_1, CLOSING, LAST_ACK -> require(s.finQueued, c, c.state + " without a FIN queued");
            case FIN_WAIT_2, TIME_WAIT -> require(s.finSent && SeqNum.gt(s.sndUna, s.finSeq), c,
                    c.state + " but our FIN is not acknowledged");
            default -> {
            }
        }
        boolean finReceivedState = switch (c.state) {
            case CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT -> true;
            default -> false;
        };
        require(c.receiver.finReceived == finReceivedState, c,
                (c.receiver.finReceived ? "the peer's FIN received" : "no FIN received") + " in " + c.state);
    }

    private static void timers(TcpConnection c) {
        TcpTimers t = c.timers;
        switch (c.state) {
            case CLOSED, LISTEN -> {
                require(!any(t), c, c.state + " with a timer armed: " + armed(t));
                return;
            }
            case TIME_WAIT -> {
                require(!any(t), c, "TIME-WAIT (the TimeWaitSocket keeps the 2 MSL deadline) with timers " + armed(t));
                return;
            }
            default -> {
            }
        }
        boolean handshake = c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED;
        require(!t.retransmit.isArmed() || handshake || c.sender.hasOutstanding(), c,
                "retransmission timer armed with nothing outstanding");
        require(!(t.retransmit.isArmed() && t.persist.isArmed()), c, "retransmission and persist timers both armed");
        require(!t.delack.isArmed() || c.receiver.ackPending, c, "delayed-ACK timer armed with no ACK pending");
        require(!t.timewait.isArmed() || c.state == TcpState.FIN_WAIT_2 && c.appClosed, c,
                "2 MSL / FIN-WAIT-2 timer armed in " + c.state + (c.appClosed ? "" : " (not orphaned)"));
        require(!t.keepalive.isArmed() || c.keepAlive, c, "keepalive timer armed without SO_KEEPALIVE");
    }

    /** Every TIME-WAIT entry is live, ends within 2 MSL, and shares its 4-tuple with no open connection. */
    private static void timeWaitEntries(FuzzHost host) {
        var entries = host.tcp.timeWaitSockets();
        require(entries.size() <= host.tcp.settings().maxTwBuckets(), null,
                entries.size() + " TIME-WAIT entries beyond tcp_max_tw_buckets");
        for (TimeWaitSocket tw : entries) {
            long left = tw.expiresAtNs() - host.nowNs;
            require(!tw.isGone(), null, tw + ": a TIME-WAIT entry that ended is still listed");
            require(left > 0 && left <= host.tcp.settings().timeWaitNs(), null,
                    tw + ": TIME-WAIT entry ends in " + left + " ns");
            for (TcpConnection c : host.tcp.connections()) {
                require(c.isListening() || c.state == TcpState.CLOSED || c.localPort != tw.localPort
                        || c.remotePort != tw.remotePort || c.remoteIp != tw.remoteIp || c.localIp != tw.localIp, c,
                        "open while a TIME-WAIT entry holds its 4-tuple");
            }
        }
    }

    private static void listener(FuzzHost host, TcpConnection l) {
        ListenQueue q = l.listenQueue;
        int inSynQueue = 0;
        for (TcpConnection c : host.seen) {
            if (c.parent == l && c.inSynQueue) {
                inSynQueue++;
                require(c.state == TcpState.SYN_RECEIVED, c, "in the SYN queue in " + c.state);
            }
        }
        require(q.synQueueLength == inSynQueue, l,
                "SYN queue length " + q.synQueueLength + " but " + inSynQueue + " children are in it");
        require(q.acceptQueue.size() <= q.backlog + 1, l,
                "accept queue " + q.acceptQueue.size() + " beyond backlog " + q.backlog);
    }

    /** Whether an application can still read {@code c}: an open socket holds it, or a live listener queues it. */
    private static boolean reachable(FuzzHost host, TcpConnection c) {
        for (FuzzHost.Conversation v : host.conversations) {
            if (v.socket != null && !v.appClosed && v.socket.connection() == c) {
                return true;
            }
        }
        TcpConnection l = host.listener == null ? null : host.listener.connection();
        return l != null && l.listenQueue != null && l.listenQueue.acceptQueue.contains(c);
    }

    /** Chunks a buffer of {@code capacity} may hold: its span, plus one at each end. */
    private static long chunksFor(int capacity) {
        int chunk = SendBuffer.DEFAULT_CHUNK_BYTES;
        return ((long) capacity / chunk + 2) * chunk;
    }

    private static boolean any(TcpTimers t) {
        return t.retransmit.isArmed() || t.persist.isArmed() || t.delack.isArmed() || t.keepalive.isArmed()
                || t.timewait.isArmed();
    }

    private static String armed(TcpTimers t) {
        StringBuilder sb = new StringBuilder();
        for (Timer x : new Timer[] {t.retransmit, t.persist, t.delack, t.keepalive, t.timewait}) {
            if (x.isArmed()) {
                sb.append(x.name()).append(' ');
            }
        }
        return sb.toString().strip();
    }

    private static String u(int seq) {
        return Integer.toUnsignedString(seq);
    }

    private static void require(boolean ok, TcpConnection c, String what) {
        if (!ok) {
            throw new AssertionError((c == null ? "stack" : c + " " + c.state) + ": " + what);
        }
    }
}
