package netstack4j.packetdrill;

import java.util.Map;

/**
 * The Linux values of the symbolic constants scripts use in system calls ({@code AF_INET},
 * {@code SO_RCVBUF}, {@code EPOLLIN}, …), from the kernel's uapi headers.
 */
final class CConstants {
    private CConstants() {
    }

    static final int SOL_SOCKET = 1;
    static final int SOL_IP = 0;
    static final int SOL_TCP = 6;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int SIOCINQ = 0x541B;
    static final int SIOCOUTQ = 0x5411;
    static final int SIOCOUTQNSD = 0x894B;

    private static final Map<String, Long> VALUES = Map.ofEntries(
            Map.entry("AF_UNSPEC", 0L), Map.entry("AF_INET", 2L), Map.entry("AF_INET6", 10L),
            Map.entry("PF_INET", 2L), Map.entry("SOCK_STREAM", 1L), Map.entry("SOCK_DGRAM", 2L),
            Map.entry("SOCK_RAW", 3L), Map.entry("SOCK_NONBLOCK", 0x800L),
            Map.entry("IPPROTO_IP", 0L), Map.entry("IPPROTO_ICMP", 1L), Map.entry("IPPROTO_TCP", 6L),
            Map.entry("IPPROTO_UDP", 17L), Map.entry("SOL_SOCKET", 1L), Map.entry("SOL_IP", 0L),
            Map.entry("SOL_TCP", 6L), Map.entry("SOL_UDP", 17L),
            Map.entry("SO_REUSEADDR", 2L), Map.entry("SO_TYPE", 3L), Map.entry("SO_ERROR", 4L),
            Map.entry("SO_BROADCAST", 6L), Map.entry("SO_SNDBUF", 7L), Map.entry("SO_RCVBUF", 8L),
            Map.entry("SO_KEEPALIVE", 9L), Map.entry("SO_LINGER", 13L), Map.entry("SO_REUSEPORT", 15L),
            Map.entry("SO_RCVLOWAT", 18L), Map.entry("SO_RCVTIMEO", 20L), Map.entry("SO_SNDTIMEO", 21L),
            Map.entry("SO_ACCEPTCONN", 30L), Map.entry("SO_SNDBUFFORCE", 32L), Map.entry("SO_RCVBUFFORCE", 33L),
            Map.entry("IP_TOS", 1L), Map.entry("IP_TTL", 2L), Map.entry("IP_MTU_DISCOVER", 10L),
            Map.entry("IP_PMTUDISC_DONT", 0L), Map.entry("IP_PMTUDISC_WANT", 1L), Map.entry("IP_PMTUDISC_DO", 2L),
            Map.entry("IP_PMTUDISC_PROBE", 3L),
            Map.entry("TCP_NODELAY", 1L), Map.entry("TCP_MAXSEG", 2L), Map.entry("TCP_CORK", 3L),
            Map.entry("TCP_KEEPIDLE", 4L), Map.entry("TCP_KEEPINTVL", 5L), Map.entry("TCP_KEEPCNT", 6L),
            Map.entry("TCP_SYNCNT", 7L), Map.entry("TCP_LINGER2", 8L), Map.entry("TCP_DEFER_ACCEPT", 9L),
            Map.entry("TCP_WINDOW_CLAMP", 10L), Map.entry("TCP_INFO", 11L), Map.entry("TCP_QUICKACK", 12L),
            Map.entry("TCP_CONGESTION", 13L), Map.entry("TCP_USER_TIMEOUT", 18L),
            Map.entry("TCP_FASTOPEN", 23L), Map.entry("TCP_NOTSENT_LOWAT", 25L),
            Map.entry("F_GETFL", 3L), Map.entry("F_SETFL", 4L), Map.entry("O_RDONLY", 0L), Map.entry("O_WRONLY", 1L),
            Map.entry("O_RDWR", 2L), Map.entry("O_NONBLOCK", 0x800L),
            Map.entry("MSG_OOB", 1L), Map.entry("MSG_PEEK", 2L), Map.entry("MSG_TRUNC", 0x20L),
            Map.entry("MSG_DONTWAIT", 0x40L), Map.entry("MSG_EOR", 0x80L), Map.entry("MSG_WAITALL", 0x100L),
            Map.entry("MSG_NOSIGNAL", 0x4000L), Map.entry("MSG_MORE", 0x8000L), Map.entry("MSG_ZEROCOPY", 0x4000000L),
            Map.entry("SHUT_RD", 0L), Map.entry("SHUT_WR", 1L), Map.entry("SHUT_RDWR", 2L),
            Map.entry("POLLIN", 0x1L), Map.entry("POLLPRI", 0x2L), Map.entry("POLLOUT", 0x4L), Map.entry("POLLERR", 0x8L),
            Map.entry("POLLHUP", 0x10L), Map.entry("POLLNVAL", 0x20L), Map.entry("POLLRDNORM", 0x40L),
            Map.entry("POLLRDBAND", 0x80L), Map.entry("POLLWRNORM", 0x100L), Map.entry("POLLWRBAND", 0x200L),
            Map.entry("POLLRDHUP", 0x2000L),
            Map.entry("EPOLLIN", 0x1L), Map.entry("EPOLLPRI", 0x2L), Map.entry("EPOLLOUT", 0x4L), Map.entry("EPOLLERR", 0x8L),
            Map.entry("EPOLLHUP", 0x10L), Map.entry("EPOLLRDNORM", 0x40L), Map.entry("EPOLLWRNORM", 0x100L),
            Map.entry("EPOLLRDHUP", 0x2000L), Map.entry("EPOLLEXCLUSIVE", 1L << 28), Map.entry("EPOLLONESHOT", 1L << 30),
            Map.entry("EPOLLET", 1L << 31),
            Map.entry("EPOLL_CTL_ADD", 1L), Map.entry("EPOLL_CTL_DEL", 2L), Map.entry("EPOLL_CTL_MOD", 3L),
            Map.entry("SIOCINQ", 0x541BL), Map.entry("FIONREAD", 0x541BL), Map.entry("SIOCOUTQ", 0x5411L),
            Map.entry("TIOCOUTQ", 0x5411L), Map.entry("SIOCOUTQNSD", 0x894BL), Map.entry("FIONBIO", 0x5421L),
            Map.entry("TCP_CA_Open", 0L), Map.entry("TCP_CA_Disorder", 1L), Map.entry("TCP_CA_CWR", 2L),
            Map.entry("TCP_CA_Recovery", 3L), Map.entry("TCP_CA_Loss", 4L),
            Map.entry("TCP_ESTABLISHED", 1L), Map.entry("TCP_SYN_SENT", 2L), Map.entry("TCP_SYN_RECV", 3L),
            Map.entry("TCP_FIN_WAIT1", 4L), Map.entry("TCP_FIN_WAIT2", 5L), Map.entry("TCP_TIME_WAIT", 6L),
            Map.entry("TCP_CLOSE", 7L), Map.entry("TCP_CLOSE_WAIT", 8L), Map.entry("TCP_LAST_ACK", 9L),
            Map.entry("TCP_LISTEN", 10L), Map.entry("TCP_CLOSING", 11L),
            Map.entry("TCPI_OPT_TIMESTAMPS", 1L), Map.entry("TCPI_OPT_SACK", 2L), Map.entry("TCPI_OPT_WSCALE", 4L),
            Map.entry("TCPI_OPT_ECN", 8L), Map.entry("TCPI_OPT_SYN_DATA", 32L), Map.entry("NULL", 0L),
            // Known to packetdrill (symbols_linux.c) for features the stack lacks: the calls that
            // use them are then refused by name rather than the script failing on a bad symbol.
            Map.entry("MSG_FASTOPEN", 0x20000000L), Map.entry("MSG_ERRQUEUE", 0x2000L),
            Map.entry("TCP_MD5SIG", 14L), Map.entry("TCP_CC_INFO", 26L), Map.entry("TCP_FASTOPEN_CONNECT", 30L),
            Map.entry("TCP_FASTOPEN_KEY", 33L), Map.entry("TCP_FASTOPEN_NO_COOKIE", 34L), Map.entry("TCP_INQ", 36L),
            Map.entry("TCP_CM_INQ", 36L), Map.entry("TCP_INFINITE_SSTHRESH", 0x7fffffffL),
            Map.entry("SO_TIMESTAMPING", 37L), Map.entry("SCM_TIMESTAMPING", 37L), Map.entry("SO_MARK", 36L),
            Map.entry("SO_MEMINFO", 55L), Map.entry("SO_ZEROCOPY", 60L), Map.entry("SO_MAX_PACING_RATE", 47L),
            Map.entry("SO_EE_ORIGIN_TIMESTAMPING", 4L), Map.entry("SO_EE_ORIGIN_ZEROCOPY", 5L),
            Map.entry("SO_EE_CODE_ZEROCOPY_COPIED", 1L), Map.entry("SCM_TSTAMP_SND", 0L),
            Map.entry("SCM_TSTAMP_SCHED", 1L), Map.entry("SCM_TSTAMP_ACK", 2L),
            Map.entry("SOF_TIMESTAMPING_TX_SOFTWARE", 1L << 1), Map.entry("SOF_TIMESTAMPING_SOFTWARE", 1L << 4),
            Map.entry("SOF_TIMESTAMPING_OPT_ID", 1L << 7), Map.entry("SOF_TIMESTAMPING_TX_SCHED", 1L << 8),
            Map.entry("SOF_TIMESTAMPING_TX_ACK", 1L << 9), Map.entry("IP_RECVERR", 11L), Map.entry("IP_FREEBIND", 15L),
            Map.entry("SOL_IPV6", 41L), Map.entry("IPV6_RECVERR", 25L),
            // packetdrill's names for cmsg levels and types (symbols_linux.c).
            Map.entry("CMSG_LEVEL_IP", 0L), Map.entry("CMSG_TYPE_RECVERR", 11L), Map.entry("ENOMSG", 42L));

    /** The name of option {@code value} at {@code level} (SOL_SOCKET, SOL_IP, SOL_TCP), for messages. */
    static String optionName(long level, long value) {
        String prefix = level == SOL_SOCKET ? "SO_" : level == SOL_TCP ? "TCP_" : level == SOL_IP ? "IP_" : null;
        if (prefix != null) {
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(VALUES).entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getValue() == value && !e.getKey().startsWith("TCP_CA_")
                        && !e.getKey().equals("TCP_INFINITE_SSTHRESH")) {
                    return e.getKey();
                }
            }
        }
        return "level " + level + " option " + value;
    }

    /** The value of {@code name}, or null when it is not a known constant. */
    static Long value(String name) {
        return VALUES.get(name);
    }
}
