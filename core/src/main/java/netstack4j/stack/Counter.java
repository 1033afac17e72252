package netstack4j.stack;

/**
 * The stack's SNMP/MIB counters, named exactly as Linux {@code nstat} names them, with the text
 * {@code netstat -s} prints for each. RFC 4293 (IP-MIB), RFC 4113 (UDP-MIB), RFC 4022 (TCP-MIB);
 * the {@code TcpExt}/{@code IpExt} ones are Linux's own ({@code /proc/net/netstat}).
 */
public enum Counter {
    IpForwarding(Group.Ip, "Forwarding: %d"),
    IpInReceives(Group.Ip, "%d total packets received"),
    IpInHdrErrors(Group.Ip, "%d with invalid headers"),
    IpInAddrErrors(Group.Ip, "%d with invalid addresses"),
    IpForwDatagrams(Group.Ip, "%d forwarded"),
    IpInUnknownProtos(Group.Ip, "%d with unknown protocol"),
    IpInDiscards(Group.Ip, "%d incoming packets discarded"),
    IpInDelivers(Group.Ip, "%d incoming packets delivered"),
    IpOutRequests(Group.Ip, "%d requests sent out"),
    IpOutDiscards(Group.Ip, "%d outgoing packets dropped"),
    IpOutNoRoutes(Group.Ip, "%d dropped because of missing route"),
    IpReasmTimeout(Group.Ip, "%d fragments dropped after timeout"),
    IpReasmReqds(Group.Ip, "%d reassemblies required"),
    IpReasmOKs(Group.Ip, "%d packets reassembled ok"),
    IpReasmFails(Group.Ip, "%d packet reassemblies failed"),
    IpFragOKs(Group.Ip, "%d fragments received ok"),
    IpFragFails(Group.Ip, "%d fragments failed"),
    IpFragCreates(Group.Ip, "%d fragments created"),

    IcmpInMsgs(Group.Icmp, "%d ICMP messages received"),
    IcmpInErrors(Group.Icmp, "%d input ICMP message failed"),
    IcmpInCsumErrors(Group.Icmp, "%d input ICMP checksum errors"),
    IcmpInDestUnreachs(Group.Icmp, "destination unreachable: %d"),
    IcmpInTimeExcds(Group.Icmp, "timeout in transit: %d"),
    IcmpInEchos(Group.Icmp, "echo requests: %d"),
    IcmpInEchoReps(Group.Icmp, "echo replies: %d"),
    IcmpOutMsgs(Group.Icmp, "%d ICMP messages sent"),
    IcmpOutErrors(Group.Icmp, "%d ICMP messages failed"),
    IcmpOutDestUnreachs(Group.Icmp, "destination unreachable sent: %d"),
    IcmpOutTimeExcds(Group.Icmp, "time exceeded sent: %d"),
    IcmpOutEchos(Group.Icmp, "echo requests sent: %d"),
    IcmpOutEchoReps(Group.Icmp, "echo replies sent: %d"),

    TcpActiveOpens(Group.Tcp, "%d active connection openings"),
    TcpPassiveOpens(Group.Tcp, "%d passive connection openings"),
    TcpAttemptFails(Group.Tcp, "%d failed connection attempts"),
    TcpEstabResets(Group.Tcp, "%d connection resets received"),
    TcpCurrEstab(Group.Tcp, "%d connections established"),
    TcpInSegs(Group.Tcp, "%d segments received"),
    TcpOutSegs(Group.Tcp, "%d segments sent out"),
    TcpRetransSegs(Group.Tcp, "%d segments retransmitted"),
    TcpInErrs(Group.Tcp, "%d bad segments received"),
    TcpOutRsts(Group.Tcp, "%d resets sent"),
    TcpInCsumErrors(Group.Tcp, "%d InCsumErrors"),

    UdpInDatagrams(Group.Udp, "%d packets received"),
    UdpNoPorts(Group.Udp, "%d packets to unknown port received"),
    UdpInErrors(Group.Udp, "%d packet receive errors"),
    UdpOutDatagrams(Group.Udp, "%d packets sent"),
    UdpRcvbufErrors(Group.Udp, "%d receive buffer errors"),
    UdpSndbufErrors(Group.Udp, "%d send buffer errors"),
    UdpInCsumErrors(Group.Udp, "%d InCsumErrors"),
    UdpIgnoredMulti(Group.Udp, "%d IgnoredMulti"),

    TcpExtTW(Group.TcpExt, "%d TCP sockets finished time wait in fast timer"),
    TcpExtDelayedACKs(Group.TcpExt, "%d delayed acks sent"),
    TcpExtTCPTimeouts(Group.TcpExt, "%d other TCP timeouts"),
    /** A first timeout in fast recovery on a SACK connection (tcp_retransmit_timer, LINUX_MIB_TCPSACKRECOVERYFAIL). */
    TcpExtTCPSackRecoveryFail(Group.TcpExt, "%d SACK retransmits failed"),
    /** A first timeout in fast recovery without SACK (LINUX_MIB_TCPRENORECOVERYFAIL). */
    TcpExtTCPRenoRecoveryFail(Group.TcpExt, "%d classic Reno fast retransmits failed"),
    /** A first timeout while still in the Loss state (LINUX_MIB_TCPLOSSFAILURES). */
    TcpExtTCPLossFailures(Group.TcpExt, "%d timeouts in loss state"),
    /** A first timeout with segments SACKed, before recovery (LINUX_MIB_TCPSACKFAILURES). */
    TcpExtTCPSackFailures(Group.TcpExt, "%d timeouts after SACK recovery"),
    /** The same without SACK, after duplicate ACKs (LINUX_MIB_TCPRENOFAILURES). */
    TcpExtTCPRenoFailures(Group.TcpExt, "%d timeouts after reno fast retransmit"),
    TcpExtListenOverflows(Group.TcpExt, "%d times the listen queue of a socket overflowed"),
    TcpExtListenDrops(Group.TcpExt, "%d SYNs to LISTEN sockets dropped"),
    TcpExtTCPChallengeACK(Group.TcpExt, "%d challenge ACKs sent"),
    /** Answers to out-of-window segments withheld by tcp_invalid_ratelimit (Linux tcp_oow_rate_limited). */
    TcpExtTCPACKSkippedSeq(Group.TcpExt, "TCPACKSkippedSeq: %d"),
    TcpExtTCPACKSkippedSynRecv(Group.TcpExt, "TCPACKSkippedSynRecv: %d"),
    TcpExtTCPACKSkippedTimeWait(Group.TcpExt, "TCPACKSkippedTimeWait: %d"),
    TcpExtTCPACKSkippedPAWS(Group.TcpExt, "TCPACKSkippedPAWS: %d"),
    TcpExtTCPDSACKRecv(Group.TcpExt, "TCPDSACKRecv: %d"),
    /** Fast recoveries entered on SACK information (tcp_enter_recovery, LINUX_MIB_TCPSACKRECOVERY). */
    TcpExtTCPSackRecovery(Group.TcpExt, "%d times recovered from packet loss by selective acknowledgements"),
    /** Segments resent by fast recovery (LINUX_MIB_TCPFASTRETRANS). */
    TcpExtTCPFastRetrans(Group.TcpExt, "%d fast retransmits"),
    /** Segments resent after a timeout (LINUX_MIB_TCPSLOWSTARTRETRANS). */
    TcpExtTCPSlowStartRetrans(Group.TcpExt, "%d retransmits in slow start"),
    /** Reordering detected from SACKs (tcp_check_sack_reordering, LINUX_MIB_TCPSACKREORDER). */
    TcpExtTCPSACKReorder(Group.TcpExt, "Detected reordering %d times using SACK"),
    /** Recoveries undone when all was acknowledged: the loss was not real (LINUX_MIB_TCPFULLUNDO). */
    TcpExtTCPFullUndo(Group.TcpExt, "%d congestion windows fully recovered without slow start"),
    /** Recoveries undone on a partial ACK the timestamps show was for an original (LINUX_MIB_TCPPARTIALUNDO). */
    TcpExtTCPPartialUndo(Group.TcpExt, "%d congestion windows partially recovered using Hoe heuristic"),
    /** Recoveries undone because every retransmission came back as a DSACK (LINUX_MIB_TCPDSACKUNDO). */
    TcpExtTCPDSACKUndo(Group.TcpExt, "%d congestion windows recovered without slow start by DSACK"),
    /** Timeouts undone (Eifel timestamps, DSACK or F-RTO, LINUX_MIB_TCPLOSSUNDO). */
    TcpExtTCPLossUndo(Group.TcpExt, "%d congestion windows recovered without slow start after partial ack"),
    /** Timeouts F-RTO found spurious (RFC 5682, LINUX_MIB_TCPSPURIOUSRTOS). */
    TcpExtTCPSpuriousRTOs(Group.TcpExt, "TCPSpuriousRTOs: %d"),
    /** Tail losses a probe repaired, the window then reduced once (tcp_process_tlp_ack, LINUX_MIB_TCPLOSSPROBERECOVERY). */
    TcpExtTCPLossProbeRecovery(Group.TcpExt, "TCPLossProbeRecovery: %d"),
    /** Path MTU probes acknowledged (LINUX_MIB_TCPMTUPSUCCESS, tcp_mtup_probe_success). */
    TcpExtTCPMTUPSuccess(Group.TcpExt, "TCPMTUPSuccess: %d"),
    /** Path MTU probes lost (LINUX_MIB_TCPMTUPFAIL, tcp_mtup_probe_failed). */
    TcpExtTCPMTUPFail(Group.TcpExt, "TCPMTUPFail: %d"),
    /** Tail loss probes sent (LINUX_MIB_TCPLOSSPROBES). */
    TcpExtTCPLossProbes(Group.TcpExt, "TCPLossProbes: %d"),
    /** Retransmissions RACK found lost again (LINUX_MIB_TCPLOSTRETRANSMIT). */
    TcpExtTCPLostRetransmit(Group.TcpExt, "TCPLostRetransmit: %d"),
    TcpExtPAWSEstab(Group.TcpExt, "%d packets rejected in established connections because of timestamp"),
    TcpExtTCPACKSkippedChallenge(Group.TcpExt, "TCPACKSkippedChallenge: %d"),
    TcpExtTCPWinProbe(Group.TcpExt, "TCPWinProbe: %d"),
    TcpExtTCPAbortOnTimeout(Group.TcpExt, "%d connections aborted due to timeout"),
    TcpExtTCPTimeWaitOverflow(Group.TcpExt, "TCPTimeWaitOverflow: %d"),
    TcpExtSyncookiesSent(Group.TcpExt, "%d SYN cookies sent"),
    TcpExtSyncookiesRecv(Group.TcpExt, "%d SYN cookies received"),
    TcpExtSyncookiesFailed(Group.TcpExt, "%d invalid SYN cookies received"),
    TcpExtTCPReqQFullDoCookies(Group.TcpExt, "TCPReqQFullDoCookies: %d"),
    TcpExtTCPReqQFullDrop(Group.TcpExt, "TCPReqQFullDrop: %d"),
    TcpExtPAWSActive(Group.TcpExt, "%d active connections rejected because of time stamp"),
    TcpExtOutOfWindowIcmps(Group.TcpExt, "%d ICMP packets dropped because they were out-of-window"),
    // TCP Fast Open (RFC 7413), Linux's LINUX_MIB_TCPFASTOPEN* (net/ipv4/tcp_fastopen.c).
    TcpExtTCPFastOpenActive(Group.TcpExt, "TCPFastOpenActive: %d"),
    TcpExtTCPFastOpenActiveFail(Group.TcpExt, "TCPFastOpenActiveFail: %d"),
    TcpExtTCPFastOpenPassive(Group.TcpExt, "TCPFastOpenPassive: %d"),
    TcpExtTCPFastOpenPassiveFail(Group.TcpExt, "TCPFastOpenPassiveFail: %d"),
    TcpExtTCPFastOpenPassiveAltKey(Group.TcpExt, "TCPFastOpenPassiveAltKey: %d"),
    TcpExtTCPFastOpenListenOverflow(Group.TcpExt, "TCPFastOpenListenOverflow: %d"),
    TcpExtTCPFastOpenCookieReqd(Group.TcpExt, "TCPFastOpenCookieReqd: %d"),
    TcpExtPruneCalled(Group.TcpExt, "%d packets pruned from receive queue because of socket buffer overrun"),
    TcpExtRcvPruned(Group.TcpExt, "%d packets pruned from receive queue"),
    TcpExtOfoPruned(Group.TcpExt, "%d packets dropped from out-of-order queue because of socket buffer overrun"),
    TcpExtTCPRcvQDrop(Group.TcpExt, "TCPRcvQDrop: %d"),
    TcpExtTCPOFODrop(Group.TcpExt, "TCPOFODrop: %d"),
    TcpExtTCPSACKReneging(Group.TcpExt, "TCPSACKReneging: %d"),
    TcpExtTCPMemoryPressures(Group.TcpExt, "TCPMemoryPressures: %d"),
    TcpExtTCPMemoryPressuresChrono(Group.TcpExt, "TCPMemoryPressuresChrono: %d"),

    IpExtInNoRoutes(Group.IpExt, "InNoRoutes: %d"),
    IpExtInTruncatedPkts(Group.IpExt, "InTruncatedPkts: %d"),
    IpExtInCsumErrors(Group.IpExt, "InCsumErrors: %d"),
    IpExtInBcastPkts(Group.IpExt, "InBcastPkts: %d"),
    IpExtOutBcastPkts(Group.IpExt, "OutBcastPkts: %d"),
    IpExtInMcastPkts(Group.IpExt, "InMcastPkts: %d"),
    IpExtOutMcastPkts(Group.IpExt, "OutMcastPkts: %d");

    /** The sections of {@code netstat -s}, in its order. */
    public enum Group { Ip, Icmp, Tcp, Udp, TcpExt, IpExt }

    private final Group group;
    private final String netstatFormat;

    Counter(Group group, String netstatFormat) {
        this.group = group;
        this.netstatFormat = netstatFormat;
    }

    public Group group() {
        return group;
    }

    /** The {@code netstat -s} line for {@code value}, without indentation. */
    public String netstatLine(long value) {
        return netstatFormat.replace("%d", Long.toString(value));
    }
}
