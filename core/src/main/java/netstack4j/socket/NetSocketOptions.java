package netstack4j.socket;

import java.net.SocketOption;
import netstack4j.ip.PmtuMode;

/**
 * Socket options that {@link java.net.StandardSocketOptions} has no name for. Standard ones
 * (SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR, SO_BROADCAST, IP_TOS) are used under their JDK names.
 */
public final class NetSocketOptions {
    private NetSocketOptions() {
    }

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }

    /** IP_TTL: the TTL of unicast datagrams this socket sends (1..255). */
    public static final SocketOption<Integer> IP_TTL = new Option<>("IP_TTL", Integer.class);
    /** IP_MTU_DISCOVER: path MTU discovery mode. */
    public static final SocketOption<PmtuMode> IP_MTU_DISCOVER = new Option<>("IP_MTU_DISCOVER", PmtuMode.class);

    /** IP_ADD_MEMBERSHIP: join a multicast group (struct ip_mreq), set only. */
    public static final SocketOption<MembershipRequest> IP_ADD_MEMBERSHIP = new Option<>("IP_ADD_MEMBERSHIP", MembershipRequest.class);
    /** IP_DROP_MEMBERSHIP: leave a multicast group (struct ip_mreq), set only. */
    public static final SocketOption<MembershipRequest> IP_DROP_MEMBERSHIP = new Option<>("IP_DROP_MEMBERSHIP", MembershipRequest.class);
    /**
     * IP_MULTICAST_IF: the address of the interface multicast leaves by (struct in_addr; ANY: the
     * route's). {@link java.net.StandardSocketOptions#IP_MULTICAST_IF} names a JDK
     * {@code NetworkInterface}, which a simulated stack has not. IP_MULTICAST_TTL and
     * IP_MULTICAST_LOOP are used under their JDK names.
     */
    public static final SocketOption<netstack4j.wire.Ipv4Address> IP_MULTICAST_IF = new Option<>("IP_MULTICAST_IF", netstack4j.wire.Ipv4Address.class);

    /** TCP_CORK: hold partial segments until uncorked (N23). */
    public static final SocketOption<Boolean> TCP_CORK = new Option<>("TCP_CORK", Boolean.class);
    /** TCP_KEEPIDLE: seconds of idleness before the first keepalive probe (7200). */
    public static final SocketOption<Integer> TCP_KEEPIDLE = new Option<>("TCP_KEEPIDLE", Integer.class);
    /** TCP_KEEPINTVL: seconds between keepalive probes (75). */
    public static final SocketOption<Integer> TCP_KEEPINTVL = new Option<>("TCP_KEEPINTVL", Integer.class);
    /** TCP_KEEPCNT: unanswered probes before the connection is dropped (9). */
    public static final SocketOption<Integer> TCP_KEEPCNT = new Option<>("TCP_KEEPCNT", Integer.class);
    /** TCP_MAXSEG: the MSS (set before connect to lower the advertised MSS). */
    public static final SocketOption<Integer> TCP_MAXSEG = new Option<>("TCP_MAXSEG", Integer.class);
    /** TCP_QUICKACK: send ACKs at once (leaves interactive mode, N22). */
    public static final SocketOption<Boolean> TCP_QUICKACK = new Option<>("TCP_QUICKACK", Boolean.class);
    /** TCP_SYNCNT: SYN retransmissions before connect fails (tcp_syn_retries). */
    public static final SocketOption<Integer> TCP_SYNCNT = new Option<>("TCP_SYNCNT", Integer.class);
    /** TCP_CONGESTION: the congestion control algorithm by name ("reno", "cubic"); ENOENT for others. */
    public static final SocketOption<String> TCP_CONGESTION = new Option<>("TCP_CONGESTION", String.class);
    /**
     * TCP_NOTSENT_LOWAT: the socket is writable (and a write queues more) only while fewer unsent
     * bytes wait than this; 0 means net.ipv4.tcp_notsent_lowat.
     */
    public static final SocketOption<Integer> TCP_NOTSENT_LOWAT = new Option<>("TCP_NOTSENT_LOWAT", Integer.class);
    /** TCP_USER_TIMEOUT: milliseconds unacknowledged data may stay before ETIMEDOUT (0 = system rule). */
    public static final SocketOption<Integer> TCP_USER_TIMEOUT = new Option<>("TCP_USER_TIMEOUT", Integer.class);
    /** TCP_FASTOPEN: a listener's queue of Fast Open children awaiting their handshake (RFC 7413; 0 = off). */
    public static final SocketOption<Integer> TCP_FASTOPEN = new Option<>("TCP_FASTOPEN", Integer.class);
    /** TCP_FASTOPEN_CONNECT (0 or 1): connect returns at once when a cookie is cached; the first write sends SYN-data. */
    public static final SocketOption<Integer> TCP_FASTOPEN_CONNECT = new Option<>("TCP_FASTOPEN_CONNECT", Integer.class);
    /** TCP_FASTOPEN_NO_COOKIE (0 or 1): Fast Open without cookies on this socket. */
    public static final SocketOption<Integer> TCP_FASTOPEN_NO_COOKIE = new Option<>("TCP_FASTOPEN_NO_COOKIE", Integer.class);
    /** TCP_FASTOPEN_KEY: this listener's 16-byte cookie key (32: primary and backup), set only. */
    public static final SocketOption<byte[]> TCP_FASTOPEN_KEY = new Option<>("TCP_FASTOPEN_KEY", byte[].class);
    /** TCP_INFO: the {@link SocketInfo} snapshot (get only). */
    public static final SocketOption<SocketInfo> TCP_INFO = new Option<>("TCP_INFO", SocketInfo.class);
    /** SO_ERROR: the pending error, cleared when read (get only). */
    public static final SocketOption<Errno> SO_ERROR = new Option<>("SO_ERROR", Errno.class);
    /** SO_ACCEPTCONN: whether the socket listens (get only). */
    public static final SocketOption<Boolean> SO_ACCEPTCONN = new Option<>("SO_ACCEPTCONN", Boolean.class);
    /** SO_TYPE: SOCK_STREAM = 1, SOCK_DGRAM = 2 (get only). */
    public static final SocketOption<Integer> SO_TYPE = new Option<>("SO_TYPE", Integer.class);
    /** SO_ZEROCOPY: sends with MSG_ZEROCOPY report their completion on the error queue (TCP). */
    public static final SocketOption<Boolean> SO_ZEROCOPY = new Option<>("SO_ZEROCOPY", Boolean.class);
    /**
     * SO_MARK: the socket's fwmark, carried by its packets for policy routing and traffic control
     * (Linux). This stack has neither: the mark is kept, inherited by accepted sockets, and read back.
     */
    public static final SocketOption<Integer> SO_MARK = new Option<>("SO_MARK", Integer.class);
    /**
     * TCP_INQ: each recvmsg reports the bytes left to read in a TCP_CM_INQ control message
     * ({@link TcpSocket#inqHint()}), as Linux's tcp_recvmsg does.
     */
    public static final SocketOption<Boolean> TCP_INQ = new Option<>("TCP_INQ", Boolean.class);
    /**
     * SO_TIMESTAMPING: the SOF_TIMESTAMPING_* flags; transmit timestamps of the last byte of each
     * send arrive on the error queue ({@link TcpSocket#receiveError()}), as Linux's TCP.
     */
    public static final SocketOption<Integer> SO_TIMESTAMPING = new Option<>("SO_TIMESTAMPING", Integer.class);
}
