package netstack4j.tcp;

import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.SocketInfo;
import netstack4j.time.DeadlineHeap;
import netstack4j.wire.Ipv4Address;

/**
 * A connection in TIME-WAIT (RFC 9293 section 3.6), kept as Linux keeps it: not the whole
 * connection but a small entry with the 4-tuple and the few numbers TIME-WAIT still needs
 * (Linux's {@code inet_timewait_sock} and {@code tcp_timewait_sock}, made by
 * {@code tcp_time_wait}). Buffers, timers and congestion state are gone; what is left answers
 * segments for 2 MSL ({@link TimeWaitTable}) and holds the port. It is its own deadline in the
 * table's heap, so no timer object is allocated per entry.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class TimeWaitSocket extends DeadlineHeap.Entry implements ConnectionTable.Member<TimeWaitSocket> {
    final int localIp;
    final int localPort;
    final int remoteIp;
    final int remotePort;
    /** tw_snd_nxt: the sequence number of our ACKs (our FIN acknowledged, so SND.MAX). */
    final int sndNxt;
    /** tw_rcv_nxt: past the peer's FIN. */
    final int rcvNxt;
    /** tw_rcv_wnd: the window field of our ACKs (already scaled down). */
    final int rcvWnd;
    /** Timestamps were negotiated: our ACKs carry them (tw_ts_offset, tw_ts_recent). */
    final boolean tsOk;
    final int tsOffset;
    final int tsRecent;
    /** N31: a new socket with SO_REUSEADDR may bind over this entry. */
    final boolean reuseAddress;
    /** tw_last_oow_ack_time (tcp_oow_rate_limited), or Long.MIN_VALUE. */
    long lastOowAckNs = Long.MIN_VALUE;
    private TimeWaitSocket nextInBucket;
    private boolean gone;

    TimeWaitSocket(TcpConnection c) {
        this.localIp = c.localIp;
        this.localPort = c.localPort;
        this.remoteIp = c.remoteIp;
        this.remotePort = c.remotePort;
        this.sndNxt = c.sender.sndMax;
        this.rcvNxt = c.receiver.rcvNxt;
        this.rcvWnd = c.receiver.selectWindow() >>> c.opts.rcvWscale;
        this.tsOk = c.opts.tsOk;
        this.tsOffset = c.opts.tsOffset;
        this.tsRecent = c.opts.tsRecent;
        this.reuseAddress = c.reuseAddress;
    }

    /** The entry ended: 2 MSL passed, a RST or a new SYN took the 4-tuple, or the stack closed. */
    public boolean isGone() {
        return gone;
    }

    void markGone() {
        gone = true;
    }

    @Override
    public int localIp() {
        return localIp;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public int remoteIp() {
        return remoteIp;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public TimeWaitSocket nextInBucket() {
        return nextInBucket;
    }

    @Override
    public void nextInBucket(TimeWaitSocket next) {
        nextInBucket = next;
    }

    public Ipv4SocketAddress local() {
        return new Ipv4SocketAddress(new Ipv4Address(localIp), localPort);
    }

    public Ipv4SocketAddress remote() {
        return new Ipv4SocketAddress(new Ipv4Address(remoteIp), remotePort);
    }

    /** When the entry ends unless a segment restarts its timer. */
    public long expiresAtNs() {
        return deadlineNs();
    }

    /** What {@code ss -tino} shows of it: the state, the addresses and the timewait timer, nothing queued. */
    public SocketInfo info(long nowNs) {
        return new SocketInfo(TcpState.TIME_WAIT, 0, 0, local(), remote(), "timewait",
                Math.max(0, deadlineNs() - nowNs), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, rcvWnd, 0, 0, 0, CongestionControlState.OPEN, "", new SocketInfo.Skmem(0, 0, 0, 0, 0, 0, 0), "",
                SocketInfo.Extra.NONE);
    }

    @Override
    public String toString() {
        return new Ipv4Address(localIp) + ":" + localPort + "-" + new Ipv4Address(remoteIp) + ":" + remotePort;
    }
}
