package netstack4j.tcp;

import netstack4j.wire.TcpPacket;

/**
 * What the handshake negotiated of RFC 7323 (window scaling, timestamps) and RFC 2018 (SACK),
 * and the timestamp state that follows: Linux's {@code struct tcp_options_received}
 * ({@code tp->rx_opt}) and {@code tp->tsoffset}.
 *
 * <p>Before the handshake completes the {@code …Ok} flags say what we offer; the peer's SYN or
 * SYN-ACK then leaves only what both sides sent (RFC 7323 sections 2.2 and 3.2, RFC 2018
 * section 2), as Linux's tcp_rcv_synsent_state_process and tcp_openreq_init do.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class OptionState {
    /** TCP_MAX_WSCALE (RFC 7323 section 2.3: a shift above 14 is used as 14). */
    static final int MAX_WSCALE = 14;
    /** TCPOLEN_TSTAMP_ALIGNED: what the timestamps option takes from every segment's payload. */
    static final int TIMESTAMPS_BYTES = 12;
    /** TCP_PAWS_24DAYS (RFC 7323 section 5.5): a ts_recent this old no longer rejects anything. */
    static final long PAWS_24_DAYS_NS = 24L * 24 * 3600 * 1_000_000_000L;
    /** TCP_PAWS_WINDOW: a TSval one tick behind ts_recent still passes (Linux's tcp_paws_discard). */
    static final int PAWS_WINDOW = 1;
    static final long NO_STAMP = Long.MIN_VALUE;
    private static final long TS_TICK_NS = 1_000_000L; // TCP_TS_HZ = 1000

    boolean wscaleOk;
    boolean tsOk;
    boolean sackOk;
    /** The peer's shift: SEG.WND << sndWscale is its window (RFC 7323 section 2.3). */
    int sndWscale;
    /** Our shift: the window we send is RCV.WND >> rcvWscale. */
    int rcvWscale;
    /** TS.Recent (RFC 7323 section 4.3): the TSval to echo. */
    int tsRecent;
    /** When ts_recent was stored (Linux's ts_recent_stamp), or NO_STAMP. */
    long tsRecentStampNs = NO_STAMP;
    /** Random per connection (tcp_timestamps = 1), so TSval reveals nothing of the host's clock. */
    int tsOffset;

    /** Whether the segment being processed carried timestamps, and their values. */
    boolean sawTimestamp;
    int rcvTsVal;
    int rcvTsEcr;

    /** What we offer in a SYN, from the tcp_window_scaling, tcp_timestamps and tcp_sack sysctls. */
    void offer(TcpSettings s, int rcvWscale, int tsOffset) {
        wscaleOk = s.windowScaling();
        tsOk = s.timestamps();
        sackOk = s.sack();
        this.rcvWscale = wscaleOk ? rcvWscale : 0;
        this.tsOffset = tsOffset;
    }

    /** Keeps only what the peer's SYN (or SYN-ACK) also carried. */
    void negotiate(TcpPacket syn, long nowNs) {
        int ws = syn.windowScale();
        wscaleOk &= ws >= 0;
        if (wscaleOk) {
            sndWscale = Math.min(ws, MAX_WSCALE);
        } else {
            sndWscale = 0;
            rcvWscale = 0;
        }
        sackOk &= syn.sackPermitted();
        tsOk &= syn.hasTimestamps();
        if (tsOk) {
            tsRecent = syn.tsVal();
            tsRecentStampNs = nowNs;
        }
    }

    /** Linux's tcp_time_stamp_ts: a millisecond clock plus the connection's offset. */
    int tsVal(long nowNs) {
        return tsVal(nowNs, tsOffset);
    }

    /** TSval at {@code nowNs} for a connection whose offset is {@code tsOffset}. */
    static int tsVal(long nowNs, int tsOffset) {
        return (int) (nowNs / TS_TICK_NS) + tsOffset;
    }

    /** Milliseconds from {@code tsEcr} (one of our TSvals echoed) to now. */
    long msSince(int tsEcr, long nowNs) {
        return (tsVal(nowNs) - tsEcr) & 0xffffffffL;
    }

    /** Reads the timestamps of a segment of an established connection (tcp_fast_parse_options). */
    void parse(TcpPacket seg) {
        sawTimestamp = tsOk && seg.hasTimestamps();
        if (sawTimestamp) {
            rcvTsVal = seg.tsVal();
            rcvTsEcr = seg.tsEcr();
        }
    }

    /**
     * Linux's tcp_paws_discard (RFC 7323 section 5.3): a segment whose TSval is older than
     * ts_recent is a duplicate from an earlier wrap of the sequence space, unless ts_recent is
     * more than 24 days old (section 5.5).
     */
    boolean pawsReject(long nowNs) {
        if (!sawTimestamp || tsRecentStampNs == NO_STAMP) {
            return false;
        }
        if (tsRecent - rcvTsVal <= PAWS_WINDOW) {
            return false;
        }
        return nowNs - tsRecentStampNs < PAWS_24_DAYS_NS;
    }

    /**
     * Linux's tcp_replace_ts_recent (RFC 7323 section 4.3): an acceptable segment at or below
     * the last ACK sent updates TS.Recent, unless its TSval is older.
     */
    void replaceTsRecent(int seq, int rcvWup, long nowNs) {
        if (sawTimestamp && !SeqNum.gt(seq, rcvWup)
                && (tsRecentStampNs == NO_STAMP || rcvTsVal - tsRecent >= 0 || nowNs - tsRecentStampNs >= PAWS_24_DAYS_NS)) {
            tsRecent = rcvTsVal;
            tsRecentStampNs = nowNs;
        }
    }

    /**
     * Our window scale as Linux's tcp_select_initial_window picks it: large enough for the
     * largest receive space the socket could grow to (tcp_rmem[2], rmem_max, or a locked
     * SO_RCVBUF as the clamp).
     */
    static int receiveWscale(long space) {
        int ilog2 = 63 - Long.numberOfLeadingZeros(Math.max(1, space));
        return Math.max(0, Math.min(MAX_WSCALE, ilog2 - 15));
    }
}
