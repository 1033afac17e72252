package netstack4j.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import netstack4j.ip.IcmpError;
import netstack4j.ip.Ipv4Layer;
import netstack4j.ip.NetInterface;
import netstack4j.ip.PmtuMode;
import netstack4j.ip.Route;
import netstack4j.ip.TransportProtocol;
import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * TCP's place in the stack (RFC 9293): demultiplexing of arriving segments to connections (by
 * 4-tuple, {@link ConnectionTable}) and listeners (by port), port binding with Linux's conflict
 * rules and RFC 6056 ephemeral ports ({@link EphemeralPorts}), resets for segments that match
 * nothing (RFC 9293 section 3.10.7.1, N42), listeners' SYN handling (section 3.10.7.2, N16), ICMP
 * errors, the stack-wide challenge ACK limit, and the socket memory total.
 *
 * <p>Malformed or hostile segments never throw: each is counted (TcpInErrs, TcpInCsumErrors) and
 * dropped with a {@link DropReason}.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class TcpLayer implements TransportProtocol {
    private SynCookies synCookies;
    private final NetStack stack;
    private final Ipv4Layer ip;
    private final Counters counters;
    private TcpSettings settings;
    /** The egress queueing discipline is fq: transmissions leave at their paced departure times ({@link Pacing}). */
    private boolean fqPacing;
    private final ConnectionTable<TcpConnection> established = new ConnectionTable<>();
    private final TimeWaitTable timeWait = new TimeWaitTable(this);
    private final SegmentOptions cookieOptions = new SegmentOptions();
    private final FastOpen fastOpen = new FastOpen(this);
    /** Linux's tcp_tw_isn: the ISN a SYN that reopened a TIME-WAIT pair asks for, or null. */
    private Integer timeWaitIsn;
    /** Listeners by port, chained through {@link TcpConnection#nextInBucket} for different addresses. */
    /** net.core.somaxconn, Linux's default since 5.4. */
    static final int SOMAXCONN = 4096;
    private final TcpConnection[] listeners = new TcpConnection[65536];
    /** Every bound socket by local port, in bind order (Linux's bhash). */
    private final TreeMap<Integer, List<TcpConnection>> bound = new TreeMap<>();
    private final IsnGenerator isnGenerator;
    private final EphemeralPorts ephemeralPorts;
    private final TcpPacket view = new TcpPacket();
    private long nextId;
    private long memoryBytes;
    /** tcp_memory_allocated against net.ipv4.tcp_mem, and the pressure state (one per stack, as Linux's tcp_prot). */
    private final TcpMemory memory;
    private long challengeWindowStartNs = Long.MIN_VALUE;
    private int challengeAcksInWindow;
    /** Test hook: when set, every ISN is this value (to cross the 2^32 wrap on purpose). */
    private Integer fixedIsn;

    public TcpLayer(NetStack stack, TcpSettings settings) {
        this.stack = stack;
        this.ip = stack.ip();
        this.counters = stack.counters();
        this.settings = settings;
        this.memory = new TcpMemory(settings.tcpMem().toArray(), settings.rmemMin(), settings.wmemMin(), counters);
        this.isnGenerator = new IsnGenerator(stack.random(), IsnGenerator.LINUX_TICK_NS);
        this.ephemeralPorts = new EphemeralPorts(stack.config().ephemeralPortLow(), stack.config().ephemeralPortHigh(),
                stack.random());
        ip.register(IpProtocol.TCP, this);
    }

    public TcpSettings settings() {
        return settings;
    }

    /**
     * Changes the TCP tunables, as a {@code sysctl -w net.ipv4.tcp_*} does while the host runs:
     * sockets created from now on (connecting, listening, and the children of a listener) use
     * the new values; those already open keep theirs, as Linux fixes most of them per socket at
     * creation or handshake.
     */
    public void setSettings(TcpSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        // tcp_mem, tcp_rmem[0] and tcp_wmem[0] are read at each allocation: they apply at once.
        memory.setLimits(settings.tcpMem().toArray());
        memory.setMinimums(settings.rmemMin(), settings.wmemMin());
    }

    /** The stack's TCP memory: pages allocated, limits, pressure (/proc/net/sockstat's {@code mem}). */
    public TcpMemory memory() {
        return memory;
    }

    public NetStack stack() {
        return stack;
    }

    /** TCP Fast Open (RFC 7413): net.ipv4.tcp_fastopen, its keys and the client's cookie cache. */
    public FastOpen fastOpen() {
        return fastOpen;
    }

    Counters counters() {
        return counters;
    }

    /** A new, unbound, CLOSED endpoint (socket(AF_INET, SOCK_STREAM, 0)). */
    public TcpConnection open() {
        return new TcpConnection(this, ++nextId);
    }

    /** Socket memory charged to all TCP sockets of this stack (N2). */
    public long memoryBytes() {
        return memoryBytes;
    }

    void charge(long delta) {
        memoryBytes += delta;
    }

    /** Test hook: every later ISN is {@code isn} (null restores RFC 6528 ISNs). */
    public void setFixedIsnForTesting(Integer isn) {
        this.fixedIsn = isn;
    }

    int isn(int localIp, int localPort, int remoteIp, int remotePort) {
        if (timeWaitIsn != null) {
            int isn = timeWaitIsn;
            timeWaitIsn = null;
            return isn;
        }
        if (fixedIsn != null) {
            return fixedIsn;
        }
        return isnGenerator.isn(stack.nowNs(), localIp, localPort, remoteIp, remotePort);
    }

    /** MSS to cap sending: path MTU of the route (its mtu metric, else the device's) minus 40 (N17: 1460 on 1500). */
    int mssFor(int remoteIp) {
        return Math.max(88, Math.min(pathMtuFor(remoteIp), 65535) - 40);
    }

    /** dst_mtu toward {@code remoteIp}: the route's mtu metric or device MTU, lowered by a learned path MTU. */
    int pathMtuFor(int remoteIp) {
        Route r = ip.routeFor(remoteIp);
        return r == null ? 576 : ip.pathMtu(remoteIp, r.mtuOr(r.iface().mtu()));
    }

    /** The MSS to advertise (dst_metric_advmss): the route's advmss metric, else the path MSS. */
    int advertisedMssFor(int remoteIp) {
        Route r = ip.routeFor(remoteIp);
        return r != null && r.advmss() > 0 ? Math.max(88, Math.min(r.advmss(), 65495)) : mssFor(remoteIp);
    }

    /** tcp_init_cwnd: the route's initcwnd metric, else net.ipv4 TCP_INIT_CWND (settings). */
    int initialCwndFor(int remoteIp) {
        Route r = ip.routeFor(remoteIp);
        return r != null && r.initcwnd() > 0 ? r.initcwnd() : settings.initialCwndSegments();
    }

    /** rt_genid: changes whenever a route does, so that a connection reads its route's metrics again. */
    int routeGeneration() {
        return stack.routes().generation();
    }

    // ------------------------------------------------------------------ binding

    /**
     * bind(2) as Linux's inet_csk_get_port: the address must be ours or the wildcard
     * (EADDRNOTAVAIL); a port held on an overlapping address is EADDRINUSE unless both sockets set
     * SO_REUSEADDR and the holder is not listening; a TIME_WAIT holder yields to SO_REUSEADDR (N31).
     * Port 0 picks a free port of ip_local_port_range (EADDRINUSE when none is free, N44).
     */
    public Errno bind(TcpConnection c, Ipv4Address address, int port) {
        if (c.bound || c.state() != TcpState.CLOSED) {
            return Errno.EINVAL;
        }
        if (port < 0 || port > 65535) {
            return Errno.EINVAL;
        }
        if (!address.isAny() && !ip.isLocal(address)) {
            return Errno.EADDRNOTAVAIL;
        }
        if (port == 0) {
            port = freePort(c, address.value());
            if (port < 0) {
                return Errno.EADDRINUSE;
            }
        } else if (conflicts(c, address.value(), port)) {
            return Errno.EADDRINUSE;
        }
        c.localIp = address.value();
        c.localPort = port;
        c.explicitlyBound = true;
        addBound(c);
        return null;
    }

    private void addBound(TcpConnection c) {
        c.bound = true;
        bound.computeIfAbsent(c.localPort, k -> new ArrayList<>(1)).add(c);
    }

    private boolean conflicts(TcpConnection c, int address, int port) {
        if (!c.reuseAddress && timeWait.holds(address, port)) {
            return true; // N31: only SO_REUSEADDR binds over a TIME-WAIT holder
        }
        List<TcpConnection> holders = bound.get(port);
        if (holders == null) {
            return false;
        }
        for (TcpConnection o : holders) {
            boolean overlap = address == 0 || o.localIp == 0 || o.localIp == address;
            if (!overlap) {
                continue;
            }
            if (o.state() == TcpState.TIME_WAIT && c.reuseAddress) {
                continue; // N31
            }
            if (c.reuseAddress && o.reuseAddress && o.state() != TcpState.LISTEN) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * inet_csk_find_open_port: a port of ip_local_port_range that no socket or TIME-WAIT entry
     * holds on an overlapping address, so each local address has the whole range (a client with
     * several addresses gets that many more connections, N44).
     */
    private int freePort(TcpConnection c, int address) {
        return netstack4j.stack.LocalPorts.pickFree(stack, p -> portTaken(address, p));
    }

    private boolean portTaken(int address, int port) {
        if (timeWait.holds(address, port)) {
            return true;
        }
        List<TcpConnection> holders = bound.get(port);
        if (holders == null) {
            return false;
        }
        for (TcpConnection o : holders) {
            if (address == 0 || o.localIp == 0 || o.localIp == address) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ connect / listen / accept

    /** connect(2): picks the source address and (RFC 6056) port, then sends the SYN. */
    public Errno connect(TcpConnection c, Ipv4Address address, int port) {
        if (port <= 0 || port > 65535) {
            return Errno.EINVAL;
        }
        if (address.isAny()) {
            address = Ipv4Address.LOOPBACK; // as Linux: connect to INADDR_ANY means loopback
        }
        Route route = ip.routeFor(address);
        if (route == null) {
            return Errno.ENETUNREACH;
        }
        int remoteIp = address.value();
        int localIp = c.localIp != 0 ? c.localIp : ip.sourceFor(route, remoteIp);
        if (!c.bound) {
            int p = ephemeralPorts.select(localIp, remoteIp, port, this::portInUse);
            if (p == EphemeralPorts.EXHAUSTED) {
                return Errno.EADDRNOTAVAIL; // N44
            }
            c.localPort = p;
            addBound(c);
        } else if (established.get(localIp, c.localPort, remoteIp, port) != null
                || timeWait.get(localIp, c.localPort, remoteIp, port) != null) {
            return Errno.EADDRNOTAVAIL;
        }
        c.localIp = localIp;
        c.remoteIp = remoteIp;
        c.remotePort = port;
        established.put(c);
        c.openActive();
        return null;
    }

    private boolean portInUse(int localIp, int localPort, int remoteIp, int remotePort) {
        List<TcpConnection> holders = bound.get(localPort);
        if (holders != null) {
            for (TcpConnection o : holders) {
                if (o.explicitlyBound || o.isListening()) {
                    return true; // as Linux: ports taken by bind() are not shared with connect()
                }
            }
        }
        // A TIME-WAIT entry with the same 4-tuple is not reused (tcp_tw_reuse = 2: loopback only).
        return established.get(localIp, localPort, remoteIp, remotePort) != null
                || timeWait.get(localIp, localPort, remoteIp, remotePort) != null;
    }

    /** listen(2): LISTEN with a SYN queue and an accept queue of {@code backlog} (N16). */
    public Errno listen(TcpConnection c, int backlog) {
        if (c.isListening()) {
            // Linux's inet_listen on a listening socket only updates sk_max_ack_backlog: the SYN
            // and accept queues, and the connections in them, stay.
            c.listenQueue.backlog = clampBacklog(backlog);
            return null;
        }
        if (c.state() != TcpState.CLOSED) {
            return Errno.EINVAL;
        }
        if (!c.bound) {
            Errno e = bind(c, Ipv4Address.ANY, 0);
            if (e != null) {
                return e;
            }
        } else {
            for (TcpConnection o : bound.get(c.localPort)) {
                boolean overlap = c.localIp == 0 || o.localIp == 0 || o.localIp == c.localIp;
                if (o != c && overlap && o.isListening()) {
                    return Errno.EADDRINUSE;
                }
            }
        }
        c.listenQueue = new ListenQueue(clampBacklog(backlog));
        fastOpen.onListen(c, clampBacklog(backlog));
        c.moveTo(TcpState.LISTEN);
        c.nextInBucket = listeners[c.localPort];
        listeners[c.localPort] = c;
        return null;
    }

    /**
     * As Linux's __sys_listen: the backlog is capped at net.core.somaxconn (4096) as an unsigned
     * number, so a negative backlog means somaxconn.
     */
    private static int clampBacklog(int backlog) {
        return Integer.compareUnsigned(backlog, SOMAXCONN) > 0 ? SOMAXCONN : backlog;
    }

    /** The next established connection of {@code listener}, or null. */
    public TcpConnection accept(TcpConnection listener) {
        ListenQueue q = listener.listenQueue;
        TcpConnection child = q == null ? null : q.acceptQueue.pollFirst();
        if (child != null) {
            child.parent = null; // accepted: the application owns it now
        }
        return child;
    }

    /** Closes a listener: its queued children are reset (as Linux's inet_csk_listen_stop). */
    void closeListener(TcpConnection l) {
        removeListener(l);
        ListenQueue q = l.listenQueue;
        l.listenQueue = null;
        for (TcpConnection child : established.snapshot()) {
            if (child.parent == l && child.state() != TcpState.CLOSED) {
                child.appClosed = true;
                child.abort(child.state() != TcpState.SYN_RECEIVED || FastOpen.passive(child));
            }
        }
        if (q != null) {
            for (TcpConnection child : q.acceptQueue) {
                child.close(); // one reset before accept is destroyed with its queues (Linux's inet_child_forget)
            }
            q.acceptQueue.clear();
        }
        l.moveTo(TcpState.CLOSED);
    }

    private void removeListener(TcpConnection l) {
        TcpConnection prev = null;
        for (TcpConnection x = listeners[l.localPort]; x != null; prev = x, x = x.nextInBucket) {
            if (x == l) {
                if (prev == null) {
                    listeners[l.localPort] = x.nextInBucket;
                } else {
                    prev.nextInBucket = x.nextInBucket;
                }
                x.nextInBucket = null;
                return;
            }
        }
    }

    /** Called when a connection reaches CLOSED: it leaves every table (and frees its port). */
    void unhash(TcpConnection c) {
        if (c.isListening()) {
            removeListener(c);
        } else if (c.remotePort != 0) {
            established.remove(c);
        }
        if (c.inSynQueue && c.parent != null && c.parent.listenQueue != null) {
            c.parent.listenQueue.synQueueLength--;
        }
        c.inSynQueue = false;
        FastOpen.onUnhash(c);
        if (c.bound) {
            List<TcpConnection> l = bound.get(c.localPort);
            if (l != null) {
                l.remove(c);
                if (l.isEmpty()) {
                    bound.remove(c.localPort);
                }
            }
            c.bound = false;
        }
    }

    TcpConnection listenerFor(int localIp, int localPort) {
        TcpConnection any = null;
        for (TcpConnection l = listeners[localPort]; l != null; l = l.nextInBucket) {
            if (l.localIp == localIp) {
                return l;
            }
            if (l.localIp == 0) {
                any = l;
            }
        }
        return any;
    }

    /** Every connection and listener, ordered by local port then remote ({@code ss -ta}). */
    public List<TcpConnection> connections() {
        List<TcpConnection> all = new ArrayList<>();
        for (List<TcpConnection> l : bound.values()) {
            all.addAll(l);
        }
        all.sort((a, b) -> {
            int x = Integer.compare(a.localPort, b.localPort);
            if (x != 0) {
                return x;
            }
            x = Integer.compareUnsigned(a.remoteIp, b.remoteIp);
            return x != 0 ? x : Integer.compare(a.remotePort, b.remotePort);
        });
        return all;
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public void receive(NetInterface iface, Ipv4Packet ipv, PacketBuffer packet, boolean linkBroadcast) {
        try {
            inboundGsoSize = packet.gsoSize();
            inboundGsoSegments = packet.gsoSegments();
            // CHECKSUM_UNNECESSARY (GRO checked every segment) or CHECKSUM_PARTIAL (it came from a
            // peer over a veth or lo, which never damage a packet): skb_csum_unnecessary.
            inboundChecksumVerified = packet.checksumUnnecessary() || packet.checksumPartial();
            receiveSegment(iface, ipv, linkBroadcast);
        } finally {
            // The payload has been copied into the receive buffer (or the segment refused):
            // nothing refers to the frame any more.
            stack.buffers().recycle(packet);
        }
    }

    /** The IP ECN field of the segment being processed (RFC 3168 section 5), for {@link Ecn}. */
    int inboundEcn;
    /** The gso size of the segment being processed when it is a GRO aggregate (skb_shinfo gso_size), else 0. */
    int inboundGsoSize;
    /** The segments a GRO aggregate being processed merged (gso_segs), else 1. */
    int inboundGsoSegments;
    /** The segment being processed is a GRO aggregate whose segments' checksums were verified. */
    private boolean inboundChecksumVerified;

    private void receiveSegment(NetInterface iface, Ipv4Packet ipv, boolean linkBroadcast) {
        inboundEcn = ipv.ecn();
        TcpPacket seg = view.wrap(ipv.array(), ipv.payloadOffset(), ipv.payloadLength());
        if (seg.check() != null) {
            counters.increment(Counter.TcpInErrs);
            drop(DropReason.TCP_MALFORMED);
            return;
        }
        int src = ipv.sourceInt();
        int dst = ipv.destinationInt();
        if (!inboundChecksumVerified && !seg.verifyChecksum(src, dst)) {
            counters.increment(Counter.TcpInSegs); // tcp_v4_rcv counts InSegs "even if it's bad"
            counters.increment(Counter.TcpInCsumErrors);
            counters.increment(Counter.TcpInErrs);
            drop(DropReason.TCP_CSUM);
            return;
        }
        if (linkBroadcast || dst == -1 || (dst & 0xf0000000) == 0xe0000000) {
            drop(DropReason.TCP_OTHER); // RFC 1122 section 4.2.3.10: no TCP to broadcast/multicast
            return;
        }
        counters.increment(Counter.TcpInSegs);
        TcpConnection c = established.get(dst, seg.destinationPort(), src, seg.sourcePort());
        if (c != null) {
            c.onSegment(seg);
            return;
        }
        TimeWaitSocket tw = timeWait.get(dst, seg.destinationPort(), src, seg.sourcePort());
        if (tw != null) {
            timeWait.onSegment(tw, seg, dst, src);
            return;
        }
        toListener(seg, dst, src);
    }

    /** A SYN that reopened a TIME-WAIT pair: the new connection's ISN is {@code isn} (tcp_tw_isn). */
    void toListenerWithIsn(TcpPacket seg, int dst, int src, int isn) {
        timeWaitIsn = isn;
        try {
            toListener(seg, dst, src);
        } finally {
            timeWaitIsn = null;
        }
    }

    /**
     * Linux's tcp_time_wait: {@code c} leaves the tables and a small entry takes its 4-tuple and
     * port for 2 MSL; null when tcp_max_tw_buckets is reached (TCPTimeWaitOverflow).
     */
    TimeWaitSocket enterTimeWait(TcpConnection c) {
        unhash(c);
        return timeWait.enter(c);
    }

    /** The TIME-WAIT entries, as {@code ss -tan state time-wait} lists them. */
    public List<TimeWaitSocket> timeWaitSockets() {
        return timeWait.snapshot();
    }

    /** How many TIME-WAIT entries the stack holds. */
    public int timeWaitCount() {
        return timeWait.size();
    }

    /**
     * Linux's __tcp_oow_rate_limited: whether an answer last sent at {@code lastNs}
     * (Long.MIN_VALUE: never) is less than tcp_invalid_ratelimit ago; counts {@code skipped} if so.
     * The caller records {@code nowNs} when it answers.
     */
    boolean invalidRatelimited(long lastNs, long nowNs, Counter skipped) {
        if (lastNs != Long.MIN_VALUE && nowNs - lastNs < settings.invalidRatelimitNs()) {
            counters.increment(skipped);
            return true;
        }
        return false;
    }

    boolean tracing() {
        return stack.trace().enabled();
    }

    /** RFC 9293 section 3.10.7.2 (LISTEN), or 3.10.7.1 (no socket) when no one listens. */
    void toListener(TcpPacket seg, int dst, int src) {
        TcpConnection l = listenerFor(dst, seg.destinationPort());
        if (l == null) {
            drop(DropReason.TCP_NO_SOCKET);
            resetFor(seg, dst, src);
            return;
        }
        int flags = seg.flags();
        if ((flags & TcpFlags.RST) != 0) {
            drop(DropReason.TCP_OTHER); // first: an incoming RST is ignored
            return;
        }
        if ((flags & (TcpFlags.ACK | TcpFlags.SYN)) == TcpFlags.ACK && cookieAck(l, seg, dst, src)) {
            return; // the final ACK of a handshake answered with a SYN cookie
        }
        if ((flags & TcpFlags.ACK) != 0) {
            drop(DropReason.TCP_INVALID_ACK); // second: any ACK gets <SEQ=SEG.ACK><CTL=RST>
            sendReset(dst, seg.destinationPort(), src, seg.sourcePort(), seg.acknowledgmentNumber(), 0, false);
            return;
        }
        if ((flags & TcpFlags.SYN) == 0) {
            drop(DropReason.TCP_OTHER); // fourth: other text or control is dropped
            return;
        }
        ListenQueue q = l.listenQueue;
        // As Linux's tcp_conn_request: a full SYN queue (or tcp_syncookies=2) answers with a SYN
        // cookie, or drops the SYN when cookies are off; a full accept queue drops it either way.
        int syncookies = settings.syncookies();
        boolean synQueueFull = q.synQueueLength >= Math.max(1, q.backlog);
        boolean wantCookie = false;
        if (syncookies == 2 || synQueueFull) {
            if (syncookies == 0) {
                counters.increment(Counter.TcpExtTCPReqQFullDrop);
                counters.increment(Counter.TcpExtListenDrops);
                drop(DropReason.TCP_LISTEN_OVERFLOW);
                return;
            }
            counters.increment(Counter.TcpExtTCPReqQFullDoCookies);
            wantCookie = true;
        }
        if (q.acceptQueueFull()) {
            counters.increment(Counter.TcpExtListenOverflows);
            counters.increment(Counter.TcpExtListenDrops);
            drop(DropReason.TCP_LISTEN_OVERFLOW);
            return;
        }
        if (wantCookie) {
            sendCookie(l, seg, dst, src);
            return;
        }
        FastOpenState fo = fastOpen.onListenerSyn(l, seg, dst, src); // tcp_try_fastopen
        TcpConnection child = newChild(l, seg, dst, src);
        child.fastOpen = fo;
        child.segsIn++;
        child.openPassive(seg);
        if (fo != null && fo.passive) {
            fastOpen.childCreated(l, child);
        }
        child.afterEvent();
    }

    /** A connection for {@code seg}'s 4-tuple, a child of listener {@code l}, in its SYN queue. */
    private TcpConnection newChild(TcpConnection l, TcpPacket seg, int dst, int src) {
        TcpConnection child = open();
        child.inheritFrom(l);
        child.parent = l;
        child.localIp = dst;
        child.localPort = l.localPort;
        child.remoteIp = src;
        child.remotePort = seg.sourcePort();
        child.inSynQueue = true;
        child.appClosed = false;
        l.listenQueue.synQueueLength++;
        addBound(child);
        established.put(child);
        return child;
    }

    private SynCookies cookies() {
        if (synCookies == null) {
            // Keyed lazily so that stacks that never see a SYN flood draw nothing from the generator.
            synCookies = new SynCookies(stack.random());
        }
        return synCookies;
    }

    /** A SYN-ACK whose sequence number is a SYN cookie; no state is kept (RFC 4987 section 3.6). */
    private void sendCookie(TcpConnection l, TcpPacket syn, int dst, int src) {
        long now = stack.nowNs();
        int mss = mssFor(src);
        int advMss = l.userMss > 0 ? Math.min(l.userMss, mss) : mss;
        int peerMss = syn.mss() > 0 ? syn.mss() : settings.defaultMss();
        int cookie = cookies().encode(dst, l.localPort, src, syn.sourcePort(), syn.sequenceNumber(),
                Math.min(peerMss, mss), now);
        int window = TcpConnection.initialWindow(l.receiver.buffer.capacity(), advMss);
        // No window scale, SACK or timestamps: the cookie keeps only the MSS (as Linux's cookies
        // without tcp_timestamps, which has nowhere else to keep them).
        cookieOptions.mss = advMss;
        PacketBuffer b = TcpEmitter.allocate(stack.buffers(), l.localPort, syn.sourcePort(), cookie,
                SeqNum.add(syn.sequenceNumber(), 1), TcpFlags.SYN | TcpFlags.ACK, window, cookieOptions, 0);
        if (b == null) {
            drop(DropReason.NO_BUFFER);
            return;
        }
        TcpEmitter.finish(b, dst, src);
        l.listenQueue.lastOverflowNs = now;
        counters.increment(Counter.TcpExtSyncookiesSent);
        transmit(b, dst, src);
    }

    /**
     * The final ACK of a handshake we answered with a cookie (Linux's cookie_v4_check): valid,
     * the connection is created established; invalid (or no recent overflow), false, and the
     * caller answers as for any ACK to a listener.
     */
    private boolean cookieAck(TcpConnection l, TcpPacket seg, int dst, int src) {
        ListenQueue q = l.listenQueue;
        long now = stack.nowNs();
        if (settings.syncookies() == 0 || !q.recentOverflow(now)) {
            return false;
        }
        int cookie = SeqNum.add(seg.acknowledgmentNumber(), -1);
        int peerIsn = SeqNum.add(seg.sequenceNumber(), -1);
        int mss = cookies().decode(dst, l.localPort, src, seg.sourcePort(), peerIsn, cookie, now);
        if (mss == 0) {
            counters.increment(Counter.TcpExtSyncookiesFailed);
            return false;
        }
        counters.increment(Counter.TcpExtSyncookiesRecv);
        if (q.acceptQueueFull()) {
            // As Linux's tcp_v4_syn_recv_sock: no room to accept it; the ACK is dropped.
            counters.increment(Counter.TcpExtListenOverflows);
            counters.increment(Counter.TcpExtListenDrops);
            drop(DropReason.TCP_LISTEN_OVERFLOW);
            return true;
        }
        TcpConnection child = newChild(l, seg, dst, src);
        child.openFromCookie(seg, cookie, mss);
        child.onSegment(seg);
        return true;
    }

    /** Tells the neighbour table that {@code remoteIp}'s next hop is reachable (forward progress). */
    void confirmNeighbour(int remoteIp) {
        ip.confirmNeighbour(remoteIp);
    }

    /** RFC 9293 section 3.10.7.1: the reset for a segment that belongs to no connection (N42). */
    void resetFor(TcpPacket seg, int localIp, int remoteIp) {
        int flags = seg.flags();
        if ((flags & TcpFlags.RST) != 0) {
            return; // an incoming RST is discarded
        }
        if ((flags & TcpFlags.ACK) != 0) {
            sendReset(localIp, seg.destinationPort(), remoteIp, seg.sourcePort(), seg.acknowledgmentNumber(), 0, false);
        } else {
            int len = seg.payloadLength() + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
            sendReset(localIp, seg.destinationPort(), remoteIp, seg.sourcePort(), 0,
                    SeqNum.add(seg.sequenceNumber(), len), true);
        }
    }

    void sendReset(int localIp, int localPort, int remoteIp, int remotePort, int seq, int ack, boolean withAck) {
        int flags = TcpFlags.RST | (withAck ? TcpFlags.ACK : 0);
        PacketBuffer b = TcpEmitter.allocate(stack.buffers(), localPort, remotePort, seq, withAck ? ack : 0, flags, 0,
                SegmentOptions.NONE, 0);
        if (b == null) {
            drop(DropReason.NO_BUFFER);
            return;
        }
        TcpEmitter.finish(b, localIp, remoteIp);
        counters.increment(Counter.TcpOutRsts);
        transmit(b, localIp, remoteIp);
    }

    void transmit(PacketBuffer b, int localIp, int remoteIp) {
        transmit(b, localIp, remoteIp, 0);
    }

    /** Sends a TCP segment with the IP TOS byte {@code tos} (its low bits the ECN field). */
    void transmit(PacketBuffer b, int localIp, int remoteIp, int tos) {
        transmit(b, localIp, remoteIp, tos, PmtuMode.WANT);
    }

    /** Sends a TCP segment with the socket's IP_MTU_DISCOVER mode (DF unless DONT). */
    void transmit(PacketBuffer b, int localIp, int remoteIp, int tos, PmtuMode pmtu) {
        counters.add(Counter.TcpOutSegs, b.gsoSegments()); // a super-segment counts the segments it becomes (tcp_skb_pcount)
        Errno e = ip.send(localIp, remoteIp, IpProtocol.TCP, b,
                stack.config().ipDefaultTtl(), tos, pmtu);
        if (e != null && stack.trace().enabled()) {
            stack.trace(TraceEvent.Kind.SOCKET, "tcp", "send failed: " + e);
        }
    }

    void drop(DropReason reason) {
        stack.drop(reason, "tcp");
    }

    /** RFC 5961 section 7 as Linux: at most tcp_challenge_ack_limit challenge ACKs per second per stack. */
    boolean challengeAckAllowed(long nowNs) {
        if (challengeWindowStartNs == Long.MIN_VALUE || nowNs - challengeWindowStartNs >= 1_000_000_000L) {
            challengeWindowStartNs = nowNs;
            challengeAcksInWindow = 0;
        }
        return ++challengeAcksInWindow <= settings.challengeAckLimit();
    }

    // ------------------------------------------------------------------ ICMP

    /**
     * RFC 1122 section 4.2.3.9 and RFC 5927, as Linux's tcp_v4_err: a hard error fails a connection
     * that is still opening (EHOSTUNREACH, ENETUNREACH, ECONNREFUSED); fragmentation needed lowers the
     * MSS and resends (RFC 1191); other errors are remembered as soft errors.
     */
    @Override
    public void icmpError(IcmpError error) {
        byte[] t = error.originalTransport();
        if (t.length < 8) {
            return;
        }
        TcpConnection c = established.get(error.originalSource().value(), error.originalSourcePort(),
                error.originalDestination().value(), error.originalDestinationPort());
        if (c == null) {
            return;
        }
        int seq = (t[4] & 0xff) << 24 | (t[5] & 0xff) << 16 | (t[6] & 0xff) << 8 | (t[7] & 0xff);
        if (!SeqNum.inWindow(seq, c.sender.sndUna, Math.max(1, SeqNum.diff(c.sender.sndMax, c.sender.sndUna)))
                && c.state() != TcpState.SYN_SENT) {
            counters.increment(Counter.TcpExtOutOfWindowIcmps); // as Linux's tcp_v4_err
            return; // RFC 5927 section 4.1: the quoted sequence number must be in flight
        }
        if (error.type() == 3 && error.code() == 4) {
            // As Linux's tcp_v4_mtu_reduced: the MSS follows the path MTU the IP layer learned
            // (bounded below by min_pmtu, RFC 5927 section 7.1), not the raw MTU field.
            int mss = c.sender.mssForPath();
            if (mss < c.sender.mss) {
                c.sender.mtuProbe.pathMtuReduced(pathMtuFor(c.remoteIp), mss); // tcp_v4_mtu_reduced -> tcp_sync_mss
                c.sender.onPathMtuReduced(stack.nowNs());
                c.afterEvent();
            }
            return;
        }
        // tcp_v4_err: a hard error fails a connection still opening, a Fast Open child too.
        if ((c.state() == TcpState.SYN_SENT || FastOpen.passive(c)) && error.fatal()) {
            c.fail(error.errno());
            c.afterEvent();
        } else if (c.pendingError == null && c.state() == TcpState.SYN_SENT) {
            c.pendingError = error.errno();
        }
    }

    /**
     * Whether the device's queueing discipline paces as Linux's sch_fq does ({@code tc qdisc
     * replace dev DEV root fq}): TCP transmissions then leave at their departure times.
     */
    public void setFqPacing(boolean on) {
        this.fqPacing = on;
    }

    public boolean fqPacing() {
        return fqPacing;
    }
}
