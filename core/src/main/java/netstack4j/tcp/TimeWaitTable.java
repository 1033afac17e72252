package netstack4j.tcp;

import java.util.List;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.time.DeadlineHeap;
import netstack4j.time.Timer;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * The stack's TIME-WAIT entries (Linux's timewait sockets in the established hash, and the
 * death row that ends them): a hash by 4-tuple, one deadline heap, and one stack timer armed at
 * the earliest deadline. At most net.ipv4.tcp_max_tw_buckets entries: past that a connection
 * skips TIME-WAIT, counted as TCPTimeWaitOverflow (Linux's tcp_time_wait when inet_twsk_alloc
 * fails). Segments for an entry are answered as Linux's tcp_timewait_state_process answers
 * them.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TimeWaitTable {
    private final TcpLayer layer;
    private final ConnectionTable<TimeWaitSocket> table = new ConnectionTable<>();
    private final DeadlineHeap<TimeWaitSocket> deadlines = new DeadlineHeap<>();
    private final Timer timer;
    private final SegmentOptions options = new SegmentOptions();
    /** Entries per local port, for bind(2) and ephemeral port choice; allocated with the first entry. */
    private int[] perPort;

    TimeWaitTable(TcpLayer layer) {
        this.layer = layer;
        this.timer = new Timer("tcp-timewait-death-row", this::expire);
    }

    int size() {
        return deadlines.size();
    }

    TimeWaitSocket get(int localIp, int localPort, int remoteIp, int remotePort) {
        return table.get(localIp, localPort, remoteIp, remotePort);
    }

    /**
     * An entry for {@code c}, which is entering TIME-WAIT, timed to end after 2 MSL; null when
     * the table is full (the caller closes the connection at once).
     */
    TimeWaitSocket enter(TcpConnection c) {
        if (size() >= layer.settings().maxTwBuckets()) {
            layer.counters().increment(Counter.TcpExtTCPTimeWaitOverflow);
            return null;
        }
        TimeWaitSocket tw = new TimeWaitSocket(c);
        table.put(tw);
        if (perPort == null) {
            perPort = new int[65536];
        }
        perPort[tw.localPort]++;
        reschedule(tw);
        return tw;
    }

    /** inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN). */
    private void reschedule(TimeWaitSocket tw) {
        deadlines.schedule(tw, layer.stack().nowNs() + layer.settings().timeWaitNs());
        armTimer();
    }

    private void armTimer() {
        TimeWaitSocket first = deadlines.peek();
        if (first == null) {
            layer.stack().timers().cancel(timer);
        } else if (!timer.isArmed() || timer.deadlineNs() != first.deadlineNs()) {
            layer.stack().timers().schedule(timer, first.deadlineNs());
        }
    }

    private void expire() {
        long now = layer.stack().nowNs();
        TimeWaitSocket tw;
        while ((tw = deadlines.peek()) != null && tw.deadlineNs() - now <= 0) {
            layer.counters().increment(Counter.TcpExtTW);
            kill(tw);
        }
        armTimer();
    }

    /** Removes {@code tw}: its 4-tuple and port are free again. */
    void kill(TimeWaitSocket tw) {
        if (tw.isGone()) {
            return;
        }
        table.remove(tw);
        deadlines.cancel(tw);
        perPort[tw.localPort]--;
        tw.markGone();
        if (layer.tracing()) {
            layer.stack().trace(TraceEvent.Kind.STATE, "tcp", tw + ": TIME_WAIT -> CLOSED");
        }
        armTimer();
    }

    boolean holdsPort(int port) {
        return perPort != null && perPort[port] > 0;
    }

    /** Whether an entry holds {@code port} on {@code address} (the wildcard overlaps every address). */
    boolean holds(int address, int port) {
        if (!holdsPort(port)) {
            return false;
        }
        if (address == 0) {
            return true;
        }
        for (TimeWaitSocket tw : table.snapshot()) {
            if (tw.localPort == port && tw.localIp == address) {
                return true;
            }
        }
        return false;
    }

    List<TimeWaitSocket> snapshot() {
        return table.snapshot();
    }

    /**
     * A segment for {@code tw}, as Linux's tcp_timewait_state_process (TIME-WAIT substate, no
     * timestamps so no PAWS): a RST at RCV.NXT ends the entry (tcp_rfc1337 = 0) and other RSTs
     * are ignored; a bare ACK at RCV.NXT restarts the 2 MSL timer silently; a SYN beyond RCV.NXT
     * opens a new connection through the listener with ISN = the old SND.NXT + 65537 (N40);
     * anything else is answered with an ACK, rate-limited by tcp_invalid_ratelimit unless it
     * carries data or a FIN (tcp_timewait_check_oow_rate_limit), and restarts the timer when it
     * has ACK set (a retransmitted FIN, RFC 9293 section 3.10.7.4).
     */
    void onSegment(TimeWaitSocket tw, TcpPacket seg, int dst, int src) {
        int flags = seg.flags();
        int seq = seg.sequenceNumber();
        boolean rst = (flags & TcpFlags.RST) != 0;
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean ack = (flags & TcpFlags.ACK) != 0;
        int segLen = seg.payloadLength() + (syn ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
        if (seq == tw.rcvNxt && (segLen == 0 || rst)) {
            if (rst) {
                kill(tw); // TIME-WAIT assassination (RFC 1337), as Linux with tcp_rfc1337 = 0
            } else {
                reschedule(tw);
            }
            return;
        }
        if (syn && !rst && !ack && SeqNum.gt(seq, tw.rcvNxt) && layer.listenerFor(dst, seg.destinationPort()) != null) {
            int isn = SeqNum.add(tw.sndNxt, 65535 + 2);
            kill(tw);
            layer.toListenerWithIsn(seg, dst, src, isn == 0 ? 1 : isn);
            return;
        }
        if (rst) {
            layer.drop(DropReason.TCP_INVALID_SEQUENCE);
            return;
        }
        if (ack) {
            reschedule(tw);
        }
        if (!oowRateLimited(tw, segLen > 0 && !syn)) {
            sendAck(tw);
        }
    }

    private boolean oowRateLimited(TimeWaitSocket tw, boolean dataWithoutSyn) {
        if (dataWithoutSyn) {
            return false;
        }
        long now = layer.stack().nowNs();
        if (layer.invalidRatelimited(tw.lastOowAckNs, now, Counter.TcpExtTCPACKSkippedTimeWait)) {
            return true;
        }
        tw.lastOowAckNs = now;
        return false;
    }

    /** Linux's tcp_v4_timewait_ack: SEQ = tw_snd_nxt, ACK = tw_rcv_nxt, the last window. */
    private void sendAck(TimeWaitSocket tw) {
        SegmentOptions o = options.clear();
        if (tw.tsOk) {
            o.timestamps = true; // tcp_v4_timewait_ack: tw_ts_offset and tw_ts_recent
            o.tsVal = OptionState.tsVal(layer.stack().nowNs(), tw.tsOffset);
            o.tsEcr = tw.tsRecent;
        }
        PacketBuffer b = TcpEmitter.allocate(layer.stack().buffers(), tw.localPort, tw.remotePort, tw.sndNxt,
                tw.rcvNxt, TcpFlags.ACK, tw.rcvWnd, o, 0);
        if (b == null) {
            layer.drop(DropReason.NO_BUFFER);
            return;
        }
        TcpEmitter.finish(b, tw.localIp, tw.remoteIp);
        layer.transmit(b, tw.localIp, tw.remoteIp);
    }
}
