package netstack4j.socket;

import netstack4j.tcp.CongestionControlState;
import netstack4j.tcp.TcpState;

/**
 * A TCP socket's state as {@code ss -tinm} shows it and Linux's {@code TCP_INFO} reports it. Times
 * are nanoseconds; {@link #tcpInfoField} converts to tcp_info's units (microseconds).
 *
 * @param timer          the timer {@code ss -o} shows ("on", "persist", "timewait", "keepalive", "delack") or null
 * @param timerExpiresNs time left on it
 * @param timerCount     retransmissions or probes counted by it
 * @param retransmits    current backoff (tcpi_retransmits)
 * @param unacked        segments sent and not acknowledged (estimate: bytes / mss, rounded up)
 * @param caState        congestion-control state (tcpi_ca_state)
 * @param options        tcpi_options as text ("" while SACK, timestamps and window scaling are off)
 */
public record SocketInfo(TcpState state, int recvQ, int sendQ, Ipv4SocketAddress local, Ipv4SocketAddress remote,
                         String timer, long timerExpiresNs, int timerCount,
                         long rtoNs, long srttNs, long rttvarNs, long atoNs, int mss, int rcvMss,
                         int cwnd, int ssthresh, long bytesAcked, long bytesReceived,
                         long segsOut, long segsIn, long dataSegsOut, long dataSegsIn,
                         int retransmits, int probes, long totalRetrans, int unacked, int lost, int sacked,
                         int sndWnd, int rcvWnd, int rcvSpace, long lastDataSentNs, long lastAckRecvNs,
                         CongestionControlState caState, String congestionControl, Skmem skmem, String options,
                         Extra extra) {

    /**
     * The rest of {@code struct tcp_info} (include/uapi/linux/tcp.h): segments retransmitted and
     * not yet acknowledged ({@code tcpi_retrans}), the reordering degree, the minimum RTT, the
     * pacing rate (bytes/s), the times since the last data sent and received and the last ACK
     * received, our advertised MSS, the path MTU and the window shifts; the payload bytes sent,
     * retransmissions included ({@code tcpi_bytes_sent}), and retransmitted
     * ({@code tcpi_bytes_retrans}); the DSACKs received ({@code tcpi_dsack_dups}, one per ACK
     * carrying one).
     */
    public record Extra(int retransOut, int reordering, long minRttNs, long pacingRate, long sinceDataSentNs,
                        long sinceDataRecvNs, long sinceAckRecvNs, int advmss, int pmtu, int sndWscale, int rcvWscale,
                        int reordSeen, long busyNs, long rwndLimitedNs, long sndbufLimitedNs, long delivered,
                        long bytesSent, long bytesRetrans, long dsackDups) {
        /** For sockets without a connection (TIME-WAIT entries). */
        public static final Extra NONE = new Extra(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@code skmem:(r…,rb…,t…,tb…,f…,w…,o…,bl…,d…)}: memory charged and limits. */
    public record Skmem(long rmemAlloc, int rcvbuf, long wmemAlloc, int sndbuf, long wmemQueued, long drops,
                        long forwardAlloc) {
    }

    /** Linux's numeric tcpi_state. */
    public int tcpiState() {
        return state.linuxState();
    }

    /**
     * Linux's tcpi_options bits (tcp_get_info, include/uapi/linux/tcp.h): TCPI_OPT_TIMESTAMPS 1,
     * TCPI_OPT_SACK 2, TCPI_OPT_WSCALE 4, TCPI_OPT_ECN 8, from the options the connection
     * negotiated ({@link #options}, as ss prints them: {@code ts sack wscale:7,8 ecn}).
     */
    public int tcpiOptions() {
        int bits = 0;
        for (String o : options.split(" ")) {
            if (o.equals("ts")) {
                bits |= 1;
            } else if (o.equals("sack")) {
                bits |= 2;
            } else if (o.startsWith("wscale:")) {
                bits |= 4;
            } else if (o.equals("ecn")) {
                bits |= 8;
            } else if (o.equals("ecnseen")) {
                bits |= 16; // TCPI_OPT_ECN_SEEN
            } else if (o.equals("fastopen")) {
                bits |= 32; // TCPI_OPT_SYN_DATA
            }
        }
        return bits;
    }

    /**
     * Two lines like {@code ss -tinmo}: the socket line, and (except in TIME-WAIT, for which
     * the kernel reports no memory or TCP information) the detail line as {@link SsFormat} writes it.
     */
    public String formatSs() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-10s %-6d %-6d %s %s", state.ssName(), recvQ, sendQ,
                local == null ? "*:*" : local.toString(), remote == null ? "*:*" : remote.toString()));
        if (timer != null) {
            b.append(" timer:(").append(timer).append(',').append(SsFormat.msTimer(timerExpiresNs / 1_000_000)).append(',')
                    .append(timerCount).append(')');
        }
        if (state == TcpState.TIME_WAIT) {
            return b.toString(); // a timewait entry has no socket memory or tcp_info for ss to show
        }
        return b.append("\n\t ").append(SsFormat.skmem(this)).append(SsFormat.tcpInfo(this, true)).toString();
    }

    /**
     * A {@code tcp_info} field by its C name, in its C units (times in microseconds), for
     * packetdrill's {@code TCP_INFO} checks.
     *
     * @throws IllegalArgumentException for a name this stack does not report
     */
    public long tcpInfoField(String name) {
        return switch (name) {
            case "tcpi_state" -> tcpiState();
            case "tcpi_ca_state" -> caState.linuxValue();
            case "tcpi_retransmits" -> retransmits;
            case "tcpi_probes" -> probes;
            case "tcpi_backoff" -> retransmits;
            case "tcpi_options" -> tcpiOptions();
            case "tcpi_snd_mss" -> mss;
            case "tcpi_rcv_mss" -> rcvMss;
            case "tcpi_unacked" -> unacked;
            case "tcpi_sacked" -> sacked;
            case "tcpi_lost" -> lost;
            case "tcpi_rtt" -> srttNs / 1000;
            case "tcpi_rttvar" -> rttvarNs / 1000;
            case "tcpi_rto" -> rtoNs / 1000;
            case "tcpi_ato" -> atoNs / 1000;
            case "tcpi_snd_ssthresh" -> ssthresh;
            case "tcpi_snd_cwnd" -> cwnd;
            case "tcpi_rcv_space" -> rcvSpace;
            case "tcpi_total_retrans" -> totalRetrans;
            case "tcpi_bytes_acked" -> bytesAcked;
            case "tcpi_bytes_received" -> bytesReceived;
            case "tcpi_segs_out" -> segsOut;
            case "tcpi_segs_in" -> segsIn;
            case "tcpi_data_segs_in" -> dataSegsIn;
            case "tcpi_data_segs_out" -> dataSegsOut;
            case "tcpi_delivered" -> extra.delivered();
            case "tcpi_snd_wnd" -> sndWnd;
            case "tcpi_retrans" -> extra.retransOut();
            case "tcpi_reordering" -> extra.reordering();
            case "tcpi_reord_seen" -> extra.reordSeen();
            case "tcpi_busy_time" -> extra.busyNs() / 1000;
            case "tcpi_rwnd_limited" -> extra.rwndLimitedNs() / 1000;
            case "tcpi_sndbuf_limited" -> extra.sndbufLimitedNs() / 1000;
            case "tcpi_fackets" -> 0; // FACK is gone from Linux (4.18); the field stays 0
            case "tcpi_min_rtt" -> extra.minRttNs() / 1000;
            case "tcpi_pacing_rate" -> extra.pacingRate();
            case "tcpi_last_data_sent" -> extra.sinceDataSentNs() / 1_000_000;
            case "tcpi_last_data_recv" -> extra.sinceDataRecvNs() / 1_000_000;
            case "tcpi_last_ack_recv" -> extra.sinceAckRecvNs() / 1_000_000;
            case "tcpi_advmss" -> extra.advmss();
            case "tcpi_pmtu" -> extra.pmtu();
            case "tcpi_snd_wscale" -> extra.sndWscale();
            case "tcpi_rcv_wscale" -> extra.rcvWscale();
            case "tcpi_bytes_sent" -> extra.bytesSent();
            case "tcpi_bytes_retrans" -> extra.bytesRetrans();
            case "tcpi_dsack_dups" -> extra.dsackDups();
            default -> throw new IllegalArgumentException("tcp_info has no field " + name + " in this stack");
        };
    }
}
