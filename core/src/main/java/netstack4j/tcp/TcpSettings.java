package netstack4j.tcp;

/**
 * The TCP tunables of one stack's personality, named after the Linux sysctls (and socket option
 * defaults) they mirror. Each value's source is given in {@link #linux()}; {@link #windows()}
 * changes only what the notes (NOTES.md) describe for Windows.
 *
 * @param rmemMin               net.ipv4.tcp_rmem[0]
 * @param rmemDefault           net.ipv4.tcp_rmem[1]: the SO_RCVBUF a new socket reports
 * @param rmemMax               net.ipv4.tcp_rmem[2]
 * @param wmemMin               net.ipv4.tcp_wmem[0]
 * @param wmemDefault           net.ipv4.tcp_wmem[1]: the SO_SNDBUF a new socket reports
 * @param wmemMax               net.ipv4.tcp_wmem[2]: ceiling of send-buffer autotuning
 * @param initialRtoNs          TCP_TIMEOUT_INIT (RFC 6298 section 2.1)
 * @param minRtoNs              TCP_RTO_MIN
 * @param maxRtoNs              TCP_RTO_MAX
 * @param retries2              net.ipv4.tcp_retries2: retransmissions before ETIMEDOUT (as a time, see {@link #retransmitLimitNs})
 * @param synRetries            net.ipv4.tcp_syn_retries
 * @param synackRetries         net.ipv4.tcp_synack_retries
 * @param timeWaitNs            TCP_TIMEWAIT_LEN (2 MSL)
 * @param finTimeoutNs          net.ipv4.tcp_fin_timeout: FIN_WAIT_2 lifetime of an orphaned socket
 * @param keepaliveIdleNs       net.ipv4.tcp_keepalive_time
 * @param keepaliveIntervalNs   net.ipv4.tcp_keepalive_intvl
 * @param keepaliveProbes       net.ipv4.tcp_keepalive_probes
 * @param delackMinNs           TCP_DELACK_MIN and TCP_ATO_MIN
 * @param delackMaxNs           TCP_DELACK_MAX
 * @param maxQuickAcks          TCP_MAX_QUICKACKS: ACKs sent at once at connection start
 * @param initialCwndSegments   TCP_INIT_CWND (RFC 6928)
 * @param challengeAckLimit     net.ipv4.tcp_challenge_ack_limit: per second, per stack
 * @param invalidRatelimitNs    net.ipv4.tcp_invalid_ratelimit: per socket
 * @param defaultMss            TCP_MSS_DEFAULT: the peer's MSS when its SYN has none (RFC 9293 section 3.7.1)
 * @param windowsBufferRounding Windows rounds SO_SNDBUF/SO_RCVBUF (N1) instead of doubling
 * @param syncookies            net.ipv4.tcp_syncookies: 0 never, 1 when the SYN queue is full (Linux's default), 2 always
 * @param resetKeepsReceived    Linux: a reset leaves received data readable, and after the peer's FIN a read
 *                              returns 0 before any error (tcp_reset, tcp_recvmsg); Windows drops it and
 *                              reports the error at once (N37)
 * @param lingerTimeoutResets   Windows: SO_LINGER's time running out resets the connection (N36); Linux
 *                              returns from close and keeps sending the FIN
 * @param orphanRetries         net.ipv4.tcp_orphan_retries: probes of a closed (orphaned) socket; 0 means 8
 *                              (Linux's tcp_orphan_retries)
 * @param maxTwBuckets          net.ipv4.tcp_max_tw_buckets: TIME_WAIT entries per stack, beyond which a
 *                              closing connection skips TIME_WAIT (TCPTimeWaitOverflow)
 * @param windowScaling         net.ipv4.tcp_window_scaling: offer RFC 7323 window scaling
 * @param timestamps            net.ipv4.tcp_timestamps: offer RFC 7323 timestamps (with a random offset per connection)
 * @param sack                  net.ipv4.tcp_sack: offer RFC 2018 selective acknowledgements
 * @param dsack                 net.ipv4.tcp_dsack: report duplicates with RFC 2883 D-SACK blocks
 * @param congestionControl     net.ipv4.tcp_congestion_control: the algorithm of new sockets ({@link CongestionControls})
 * @param loss                  loss detection, probing and burst sizing ({@link LossSettings})
 * @param tcpMem                net.ipv4.tcp_mem: the stack-wide limits of TCP memory ({@link TcpMemory})
 */
public record TcpSettings(
        int rmemMin, int rmemDefault, int rmemMax,
        int wmemMin, int wmemDefault, int wmemMax,
        long initialRtoNs, long minRtoNs, long maxRtoNs,
        int retries2, int synRetries, int synackRetries,
        long timeWaitNs, long finTimeoutNs,
        long keepaliveIdleNs, long keepaliveIntervalNs, int keepaliveProbes,
        long delackMinNs, long delackMaxNs, int maxQuickAcks,
        int initialCwndSegments,
        int challengeAckLimit, long invalidRatelimitNs,
        int defaultMss,
        boolean windowsBufferRounding,
        int syncookies,
        boolean resetKeepsReceived,
        boolean lingerTimeoutResets,
        int orphanRetries,
        int maxTwBuckets,
        boolean windowScaling,
        boolean timestamps,
        boolean sack,
        boolean dsack,
        String congestionControl,
        LossSettings loss,
        MemLimits tcpMem) {

    /**
     * net.ipv4.tcp_mem "min pressure max", in pages of {@link TcpMemory#PAGE_SIZE}: below min the
     * stack is not under pressure, above pressure it is, above max allocations are refused.
     */
    public record MemLimits(long minPages, long pressurePages, long maxPages) {
        /**
         * The stack's host has this much memory for buffers; Linux sizes tcp_mem from it at boot
         * (tcp_init_mem). 4 GiB, a small virtual machine: tcp_mem "49152 65536 98304".
         */
        public static final long HOST_BUFFER_BYTES = 4L << 30;

        public MemLimits {
            if (minPages < 0 || minPages > pressurePages || pressurePages > maxPages) {
                throw new IllegalArgumentException("tcp_mem must be three ordered page counts: " + minPages + " "
                        + pressurePages + " " + maxPages);
            }
        }

        /** tcp_init_mem for a host with {@code bufferBytes} of free buffer memory. */
        public static MemLimits initMem(long bufferBytes) {
            long[] m = TcpMemory.initMem(bufferBytes);
            return new MemLimits(m[0], m[1], m[2]);
        }

        long[] toArray() {
            return new long[] {minPages, pressurePages, maxPages};
        }

        /** As sysctl prints it: {@code "49152 65536 98304"}. */
        @Override
        public String toString() {
            return minPages + " " + pressurePages + " " + maxPages;
        }
    }

    /**
     * The sysctls of loss recovery and sending bursts (Documentation/networking/ip-sysctl.rst).
     *
     * @param recovery          net.ipv4.tcp_recovery: bit 0x1 RACK loss detection (else RFC 6675's
     *                          duplicate threshold); 0x2 a static RACK reordering window; 0x4 no
     *                          duplicate-threshold shortcut while RACK waits
     * @param earlyRetrans      net.ipv4.tcp_early_retrans: 3 or 4 send tail loss probes (RFC 8985 section 7)
     * @param reordering        net.ipv4.tcp_reordering: the initial reordering degree (dupthresh)
     * @param minTsoSegs        net.ipv4.tcp_min_tso_segs: the smallest transmission unit, in segments
     * @param pacingSsRatio     net.ipv4.tcp_pacing_ss_ratio: pacing rate in slow start, percent of cwnd/srtt
     * @param pacingCaRatio     net.ipv4.tcp_pacing_ca_ratio: the same in congestion avoidance
     * @param slowStartAfterIdle net.ipv4.tcp_slow_start_after_idle: restart the window after an idle RTO (RFC 2861)
     * @param ecn               net.ipv4.tcp_ecn: 0 no ECN, 1 request it in our SYNs and accept it, 2 accept
     *                          it when a peer's SYN requests it (RFC 3168)
     * @param notsentLowat      net.ipv4.tcp_notsent_lowat: unsent bytes above which a socket is not
     *                          writable, for sockets without TCP_NOTSENT_LOWAT (default UINT_MAX: no limit)
     * @param mtuProbing        net.ipv4.tcp_mtu_probing: 0 off, 1 after a black hole (not modelled), 2 always
     * @param baseMss           net.ipv4.tcp_base_mss: the MSS at the low end of the probing range (1024)
     * @param probeThreshold    net.ipv4.tcp_probe_threshold: the narrowest range still probed, in bytes (8)
     */
    public record LossSettings(int recovery, int earlyRetrans, int reordering, int minTsoSegs, int pacingSsRatio,
                               int pacingCaRatio, boolean slowStartAfterIdle, int ecn, long notsentLowat,
                               int mtuProbing, int baseMss, int probeThreshold) {
        /** Linux's defaults. */
        public static final LossSettings LINUX = new LossSettings(1, 3, 3, 2, 200, 120, true, 2, 0xFFFFFFFFL, 0, 1024, 8);

        public LossSettings {
            if (reordering < 1 || minTsoSegs < 1 || pacingSsRatio < 0 || pacingCaRatio < 0 || ecn < 0 || ecn > 2
                    || notsentLowat < 0 || notsentLowat > 0xFFFFFFFFL || mtuProbing < 0 || mtuProbing > 2 || baseMss < 48
                    || probeThreshold < 0) {
                throw new IllegalArgumentException("reordering and tcp_min_tso_segs must be >= 1, pacing ratios >= 0,"
                        + " tcp_ecn 0, 1 or 2, tcp_notsent_lowat an unsigned 32-bit value, tcp_mtu_probing 0, 1 or 2,"
                        + " tcp_base_mss at least 48, tcp_probe_threshold at least 0");
            }
        }

        /** These settings with net.ipv4.tcp_ecn = {@code mode}. */
        public LossSettings withEcn(int mode) {
            return new LossSettings(recovery, earlyRetrans, reordering, minTsoSegs, pacingSsRatio, pacingCaRatio,
                    slowStartAfterIdle, mode, notsentLowat, mtuProbing, baseMss, probeThreshold);
        }

        public boolean rack() {
            return (recovery & 1) != 0;
        }

        public boolean lossProbes() {
            return earlyRetrans == 3 || earlyRetrans == 4;
        }
    }

    public TcpSettings {
        java.util.Objects.requireNonNull(tcpMem, "tcpMem");
        if (CongestionControls.create(congestionControl, 1460, 1) == null) {
            throw new IllegalArgumentException("no congestion control named " + congestionControl
                    + " (available: " + String.join(" ", CongestionControls.AVAILABLE) + ")");
        }
    }

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** Linux's defaults (Documentation/networking/ip-sysctl.rst, include/net/tcp.h). */
    public static TcpSettings linux() {
        return new TcpSettings(
                4096, 131072, 6291456,        // tcp_rmem "4096 131072 6291456"
                4096, 16384, 4194304,         // tcp_wmem "4096 16384 4194304"
                1 * S, 200 * MS, 120 * S,     // TCP_TIMEOUT_INIT, TCP_RTO_MIN, TCP_RTO_MAX
                15, 6, 5,                     // tcp_retries2, tcp_syn_retries, tcp_synack_retries
                60 * S, 60 * S,               // TCP_TIMEWAIT_LEN, tcp_fin_timeout
                7200 * S, 75 * S, 9,          // tcp_keepalive_time, _intvl, _probes
                40 * MS, 200 * MS, 16,        // TCP_DELACK_MIN (= TCP_ATO_MIN), TCP_DELACK_MAX, TCP_MAX_QUICKACKS
                10,                           // TCP_INIT_CWND
                1000, 500 * MS,               // tcp_challenge_ack_limit (1000 until 6.0), tcp_invalid_ratelimit
                536,                          // TCP_MSS_DEFAULT
                false,
                1,                            // tcp_syncookies
                true, false,                  // tcp_reset purges the write queue only; linger timeout: no RST
                0, 262144,                    // tcp_orphan_retries; tcp_max_tw_buckets (Linux sizes it from memory: half the established hash)
                true, true, true, true,       // tcp_window_scaling, tcp_timestamps, tcp_sack, tcp_dsack
                "cubic",                      // tcp_congestion_control (CONFIG_DEFAULT_TCP_CONG)
                LossSettings.LINUX,
                MemLimits.initMem(MemLimits.HOST_BUFFER_BYTES)); // tcp_mem as tcp_init_mem sizes it
    }

    /**
     * Windows, where the notes differ: buffer sizes are rounded, not doubled (N1), and the default
     * send/receive buffers are 64 KiB (N1); a reset drops received data (N37); a linger time that
     * runs out resets (N36). Timers stay Linux's (the notes say nothing of them).
     */
    public static TcpSettings windows() {
        TcpSettings l = linux();
        // MinRto(ms) 300 in Get-NetTCPSetting's profiles (Set-NetTCPSetting -MinRtoMs takes 20..300):
        // Windows keeps the RFC 6298 floor of its own, not Linux's TCP_RTO_MIN of 200 ms.
        return new TcpSettings(l.rmemMin, 65536, 1 << 30, l.wmemMin, 65536, 1 << 30,
                l.initialRtoNs, 300 * MS, l.maxRtoNs, l.retries2, l.synRetries, l.synackRetries,
                l.timeWaitNs, l.finTimeoutNs, l.keepaliveIdleNs, l.keepaliveIntervalNs, l.keepaliveProbes,
                l.delackMinNs, l.delackMaxNs, l.maxQuickAcks, l.initialCwndSegments,
                l.challengeAckLimit, l.invalidRatelimitNs, l.defaultMss, true, l.syncookies, false, true,
                l.orphanRetries, l.maxTwBuckets,
                // Windows 10/11 (netsh int tcp show global): window scaling and SACK on, RFC 1323
                // timestamps off unless the peer starts them.
                true, false, true, l.dsack,
                "cubic",  // CUBIC is Windows' default since Windows 10 1709
                l.loss, l.tcpMem);
    }

    /**
     * How the RTO is computed: RFC 6298 as written (SRTT + 4 RTTVAR, Windows), or Linux's
     * tcp_rtt_estimator with its mdev_max. The Windows personality is the one that rounds buffers.
     */
    public RttEstimator.Formula rtoFormula() {
        return windowsBufferRounding ? RttEstimator.Formula.RFC6298 : RttEstimator.Formula.LINUX;
    }

    /** These settings with net.ipv4.tcp_max_tw_buckets = {@code n}. */
    public TcpSettings withMaxTwBuckets(int n) {
        return new TcpSettings(rmemMin, rmemDefault, rmemMax, wmemMin, wmemDefault, wmemMax,
                initialRtoNs, minRtoNs, maxRtoNs, retries2, synRetries, synackRetries,
                timeWaitNs, finTimeoutNs, keepaliveIdleNs, keepaliveIntervalNs, keepaliveProbes,
                delackMinNs, delackMaxNs, maxQuickAcks, initialCwndSegments,
                challengeAckLimit, invalidRatelimitNs, defaultMss, windowsBufferRounding, syncookies,
                resetKeepsReceived, lingerTimeoutResets, orphanRetries, n, windowScaling, timestamps, sack, dsack,
                congestionControl, loss, tcpMem);
    }

    /** These settings with other loss, ECN and burst settings ({@link LossSettings}). */
    public TcpSettings withLoss(LossSettings l) {
        return new TcpSettings(rmemMin, rmemDefault, rmemMax, wmemMin, wmemDefault, wmemMax,
                initialRtoNs, minRtoNs, maxRtoNs, retries2, synRetries, synackRetries,
                timeWaitNs, finTimeoutNs, keepaliveIdleNs, keepaliveIntervalNs, keepaliveProbes,
                delackMinNs, delackMaxNs, maxQuickAcks, initialCwndSegments,
                challengeAckLimit, invalidRatelimitNs, defaultMss, windowsBufferRounding, syncookies,
                resetKeepsReceived, lingerTimeoutResets, orphanRetries, maxTwBuckets, windowScaling, timestamps, sack,
                dsack, congestionControl, java.util.Objects.requireNonNull(l), tcpMem);
    }

    /** These settings with net.ipv4.tcp_mem = {@code limits}. */
    public TcpSettings withTcpMem(MemLimits limits) {
        return new TcpSettings(rmemMin, rmemDefault, rmemMax, wmemMin, wmemDefault, wmemMax,
                initialRtoNs, minRtoNs, maxRtoNs, retries2, synRetries, synackRetries,
                timeWaitNs, finTimeoutNs, keepaliveIdleNs, keepaliveIntervalNs, keepaliveProbes,
                delackMinNs, delackMaxNs, maxQuickAcks, initialCwndSegments,
                challengeAckLimit, invalidRatelimitNs, defaultMss, windowsBufferRounding, syncookies,
                resetKeepsReceived, lingerTimeoutResets, orphanRetries, maxTwBuckets, windowScaling, timestamps, sack,
                dsack, congestionControl, loss, java.util.Objects.requireNonNull(limits));
    }

    /**
     * Linux's tcp_orphan_retries: how many probes an orphaned socket may send; 0 means 8 while the
     * backed-off RTO is still below TCP_RTO_MAX ({@code alive}), else none.
     */
    public int orphanRetries(boolean alive) {
        return orphanRetries == 0 && alive ? 8 : orphanRetries;
    }

    /**
     * How long retransmissions may go on before the connection times out, as Linux's
     * {@code tcp_model_timeout()}: the time {@code boundary} doublings of {@code rtoBaseNs} take,
     * the doubling capped at TCP_RTO_MAX. tcp_retries2 = 15 from 200 ms gives 924.6 s;
     * tcp_syn_retries = 6 from 1 s gives 127 s.
     */
    public long retransmitLimitNs(int boundary, long rtoBaseNs) {
        int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(maxRtoNs / rtoBaseNs); // ilog2
        if (boundary <= linearBackoffThresh) {
            return ((2L << boundary) - 1) * rtoBaseNs;
        }
        return ((2L << linearBackoffThresh) - 1) * rtoBaseNs + (long) (boundary - linearBackoffThresh) * maxRtoNs;
    }
}
