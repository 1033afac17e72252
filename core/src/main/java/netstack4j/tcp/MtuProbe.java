package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.wire.TcpFlags;

/**
 * Packetization-layer path MTU discovery (RFC 4821) as Linux does it, and the MSS kept in step
 * with the path MTU ({@code tcp_sync_mss}, {@code tcp_current_mss}).
 *
 * <ul>
 *   <li><b>The route a connection holds</b> ({@code sk_dst_cache}): its MTU is read again only
 *       when a route changed (rt_genid) and the connection next transmits
 *       ({@code __sk_dst_check} in {@code ip_queue_xmit}); before each round of sending the MSS is
 *       synced when that MTU differs from the one it was computed for ({@code icsk_pmtu_cookie}).</li>
 *   <li><b>Search range</b> ({@code tcp_mtup_init}, with {@code net.ipv4.tcp_mtu_probing} 2):
 *       from the MTU of {@code tcp_base_mss} to the peer's MSS plus headers; while probing is on,
 *       the MSS is at most that of the range's low end.</li>
 *   <li><b>A probe</b> ({@code tcp_mtu_probe}): one segment of the range's middle, sent before
 *       the other new data when the connection is in Open state with a congestion window of at
 *       least 11, the range is wider than {@code tcp_probe_threshold}, and enough data waits:
 *       the probe and reordering + 1 segments after it. Sending it takes one segment off the
 *       window (it counts as two).</li>
 *   <li><b>Outcome</b>: acknowledged, it raises the low end to its size and the window shrinks to
 *       keep the bytes in flight ({@code tcp_mtup_probe_success}, TCPMTUPSuccess); found lost by
 *       SACK while not in recovery, it lowers the high end below it ({@code tcp_mtup_probe_failed},
 *       TCPMTUPFail) and the data is resent at the MSS without a window reduction.</li>
 * </ul>
 * Not modelled: probing mode 1 (only after a black hole, tcp_mtu_probing in tcp_write_timeout:
 * mode 1 probes nothing here), the probe timer (tcp_probe_interval) and the failure of a probe
 * on a connection without SACK (Reno's duplicate ACKs enter recovery as usual). Thread-compatible: owned by the connection's stack.
 */
final class MtuProbe {
    /** tcp_mtu_probe's result: nothing to do (send as usual), a probe sent, or wait (send nothing now). */
    static final int NONE = -1;
    static final int WAIT = 0;
    static final int SENT = 1;

    private final TcpSender s;
    private boolean enabled;
    private int searchHigh;
    private int searchLow;
    /** The MTU of the probe in flight, 0 when none (icsk_mtup.probe_size). */
    private int probeSize;
    private int probeSeqStart;
    private int probeSeqEnd;
    /** The path MTU the MSS was last synced to (icsk_pmtu_cookie). */
    private int pmtuCookie;
    /** The MTU of the route the connection holds, and the routing generation it was read at. */
    private int dstMtu;
    private int dstGeneration;
    /** rx_opt.mss_clamp: the peer's MSS option, lowered by TCP_MAXSEG; 0 before the handshake. */
    private int mssClamp;

    MtuProbe(TcpSender s) {
        this.s = s;
    }

    void setMssClamp(int mss) {
        mssClamp = mss;
    }

    /** tcp_mtup_init, at establishment: the route's MTU is the one the MSS stands for now. */
    void init() {
        TcpSettings.LossSettings l = s.c.settings.loss();
        int clamp = mssClamp > 0 ? mssClamp : 65495;
        enabled = l.mtuProbing() > 1;
        searchHigh = clamp + 40;
        searchLow = mssToMtu(l.baseMss());
        probeSize = 0;
        dstGeneration = s.c.layer.routeGeneration();
        dstMtu = s.c.layer.pathMtuFor(s.c.remoteIp);
        pmtuCookie = dstMtu;
    }

    /** tcp_current_mss, before a round of sending: the MSS follows the held route's MTU. */
    void currentMss() {
        if (dstMtu != 0 && dstMtu != pmtuCookie) {
            sync(dstMtu);
        }
    }

    /** After a transmission (ip_queue_xmit's __sk_dst_check): a route changed since, so the route is looked up again. */
    void afterTransmit() {
        int g = s.c.layer.routeGeneration();
        if (g != dstGeneration && dstMtu != 0) {
            dstGeneration = g;
            dstMtu = s.c.layer.pathMtuFor(s.c.remoteIp);
        }
    }

    /**
     * The path MTU fell to {@code pmtu} (an ICMP fragmentation-needed, tcp_v4_mtu_reduced): the
     * MSS follows through tcp_sync_mss, so the search range's high end falls with it and the
     * MSS is remembered as computed for {@code pmtu}; {@code mss} is the MSS the path allows.
     */
    void pathMtuReduced(int pmtu, int mss) {
        if (dstMtu == 0) {
            s.setMss(mss); // before establishment: no probing state yet
            return;
        }
        dstMtu = pmtu;
        sync(pmtu);
        if (s.mss > mss) {
            s.setMss(mss);
        }
    }

    /** tcp_sync_mss: the MSS for path MTU {@code pmtu}, at most the range's low end while probing. */
    private void sync(int pmtu) {
        if (enabled && searchHigh > pmtu) {
            searchHigh = pmtu;
        }
        int mss = mtuToMss(pmtu);
        pmtuCookie = pmtu;
        if (enabled) {
            mss = Math.min(mss, mtuToMss(searchLow));
        }
        if (mss != s.mss) {
            s.setMss(mss);
        }
    }

    /** tcp_mtu_probe: {@link #NONE}, {@link #WAIT} or {@link #SENT}. */
    int probe(long nowNs) {
        CongestionControl cc = s.cc;
        int mss = s.mss;
        int cwndSegments = cc.cwndBytes() / mss;
        if (!enabled || probeSize != 0 || !s.c.state.isSynchronized() || cc.state() != CongestionControlState.OPEN || cwndSegments < 11
                || s.sndNxt != s.sndMax || s.c.sackOptionBytes() > 0) {
            return NONE;
        }
        int probe = mtuToMss((searchHigh + searchLow) >> 1);
        int sizeNeeded = probe + (s.c.settings.loss().reordering() + 1) * mss;
        int interval = searchHigh - searchLow;
        if (probe > mtuToMss(searchHigh) || interval < s.c.settings.loss().probeThreshold()) {
            return NONE;
        }
        if (s.unsentBytes() < sizeNeeded || s.sndWnd < sizeNeeded) {
            return NONE; // not enough data waiting, or a window too small for it
        }
        if (SeqNum.diff(SeqNum.add(s.sndUna, s.sndWnd), SeqNum.add(s.sndNxt, sizeNeeded)) < 0) {
            return WAIT; // the window will open: send nothing until it has
        }
        int inFlightSegments = (s.inFlight() + mss - 1) / mss;
        if (inFlightSegments + 2 > cwndSegments) {
            return inFlightSegments == 0 ? NONE : WAIT;
        }
        int seq = s.sndNxt;
        s.transmit(nowNs, seq, SeqNum.diff(seq, s.bufSeq), probe, TcpFlags.ACK);
        cc.setReducedCwnd(cc.cwndBytes() - mss); // it counts as two packets
        probeSize = mssToMtu(probe);
        probeSeqStart = seq;
        probeSeqEnd = SeqNum.add(seq, probe);
        return SENT;
    }

    /** SND.UNA moved: a probe wholly acknowledged succeeded (tcp_mtup_probe_success). */
    void onAcked() {
        if (probeSize == 0 || SeqNum.gt(probeSeqEnd, s.sndUna)) {
            return;
        }
        CongestionControl cc = s.cc;
        int cwndSegments = cc.cwndBytes() / s.mss;
        cc.setReducedCwnd(Math.max(1, cwndSegments * mssToMtu(s.mss) / probeSize) * s.mss);
        searchLow = probeSize;
        probeSize = 0;
        s.c.layer.counters().increment(Counter.TcpExtTCPMTUPSuccess);
        sync(pmtuCookie);
    }

    /**
     * Loss was detected outside recovery with SND.UNA at the probe (tcp_fastretrans_alert): the
     * probe failed (tcp_mtup_probe_failed), the window gets back the segment the probe took, and
     * what is in flight is resent at the MSS without a congestion response (tcp_simple_retransmit).
     * True when that is what happened.
     */
    boolean failedAt(long nowNs) {
        CongestionControlState st = s.cc.state();
        if (probeSize == 0 || s.sndUna != probeSeqStart
                || st != CongestionControlState.OPEN && st != CongestionControlState.DISORDER) {
            return false;
        }
        searchHigh = probeSize - 1;
        probeSize = 0;
        s.c.layer.counters().increment(Counter.TcpExtTCPMTUPFail);
        s.cc.setReducedCwnd(s.cc.cwndBytes() + s.mss);
        s.recovery.simpleRetransmit(nowNs, s.mss);
        return true;
    }

    /** tcp_mtu_to_mss: payload of a segment filling {@code mtu}, capped by the peer's MSS, less timestamps. */
    private int mtuToMss(int mtu) {
        int mss = mtu - 40;
        if (mssClamp > 0 && mss > mssClamp) {
            mss = mssClamp;
        }
        return Math.max(48, mss - tsBytes());
    }

    /** tcp_mss_to_mtu. */
    private int mssToMtu(int mss) {
        return mss + tsBytes() + 40;
    }

    private int tsBytes() {
        return s.c.opts.tsOk ? OptionState.TIMESTAMPS_BYTES : 0;
    }
}
