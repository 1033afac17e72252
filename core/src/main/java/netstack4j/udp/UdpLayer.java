package netstack4j.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import netstack4j.ip.IcmpError;
import netstack4j.ip.Ipv4Layer;
import netstack4j.ip.NetInterface;
import netstack4j.ip.TransportProtocol;
import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.UdpHeader;
import netstack4j.wire.UdpPacket;

/**
 * UDP (RFC 768, RFC 1122 section 4.1): the port table, demultiplexing of received datagrams to
 * sockets, receive-buffer accounting with drops counted as {@code UdpRcvbufErrors} (N30), ICMP
 * port unreachable for datagrams nobody wants, and ICMP errors passed to the socket that sent
 * the datagram (ECONNREFUSED on a connected socket, as Linux does).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class UdpLayer implements TransportProtocol {
    /** Largest UDP payload over IPv4: 65535 − 20 (IP) − 8 (UDP). */
    public static final int MAX_PAYLOAD = 65507;
    /**
     * Memory charged per queued datagram beyond its bytes: Linux charges {@code skb->truesize},
     * the data plus {@code struct sk_buff} and {@code skb_shared_info} (about 576 bytes on x86-64).
     */
    public static final int SKB_OVERHEAD = 576;
    /** Linux SOCK_MIN_RCVBUF and SOCK_MIN_SNDBUF (2048 + skb overhead, and twice that). */
    public static final int MIN_RCVBUF = 2304;
    public static final int MIN_SNDBUF = 4608;

    private final NetStack stack;
    private final Ipv4Layer ip;
    private final Counters counters;
    /** Bound endpoints by local port, each list in bind order. Ordered so iteration is deterministic. */
    private final TreeMap<Integer, List<UdpEndpoint>> ports = new TreeMap<>();
    private final UdpPacket view = new UdpPacket();
    private long bindCounter;

    public UdpLayer(NetStack stack) {
        this.stack = stack;
        this.ip = stack.ip();
        this.counters = stack.counters();
        ip.register(IpProtocol.UDP, this);
    }

    /** A new, unbound endpoint with the stack's default buffer sizes. */
    public UdpEndpoint open() {
        return new UdpEndpoint(stack.runtime().newWaitQueue(), stack.config().ipDefaultTtl(),
                stack.config().udpRmemDefault(), stack.config().udpWmemDefault());
    }

    // ---------------------------------------------------------------- binding

    /**
     * Binds {@code ep} to {@code address:port} (port 0: an ephemeral port). Linux rules: the
     * address must be ours or the wildcard (EADDRNOTAVAIL); a port held by another socket on an
     * overlapping address is EADDRINUSE unless both set SO_REUSEADDR (N31).
     */
    public Errno bind(UdpEndpoint ep, Ipv4Address address, int port) {
        if (ep.isBound()) {
            return Errno.EINVAL;
        }
        if (port < 0 || port > 65535) {
            return Errno.EINVAL;
        }
        // Linux inet_bind also accepts a multicast address (RTN_MULTICAST): the socket then gets only that group.
        if (!address.isAny() && !ip.isLocal(address) && !address.isBroadcast() && !address.isMulticast()) {
            return Errno.EADDRNOTAVAIL;
        }
        if (port == 0) {
            port = ephemeralPort(ep, address);
            if (port < 0) {
                return Errno.EADDRINUSE;
            }
        } else if (conflicts(ep, address, port)) {
            return Errno.EADDRINUSE;
        }
        ep.localAddress = address;
        ep.localPort = port;
        ep.bindOrder = ++bindCounter;
        ports.computeIfAbsent(port, k -> new ArrayList<>()).add(ep);
        return null;
    }

    private boolean conflicts(UdpEndpoint ep, Ipv4Address address, int port) {
        List<UdpEndpoint> holders = ports.get(port);
        if (holders == null) {
            return false;
        }
        for (UdpEndpoint other : holders) {
            boolean overlap = address.isAny() || other.localAddress.isAny() || other.localAddress.equals(address);
            if (overlap && !(ep.reuseAddress && other.reuseAddress)) {
                return true;
            }
        }
        return false;
    }

    /** Linux udp_lib_get_port: start at a random point of ip_local_port_range and scan. */
    private int ephemeralPort(UdpEndpoint ep, Ipv4Address address) {
        return netstack4j.stack.LocalPorts.pickFree(stack, ports::containsKey);
    }

    /** Connects {@code ep} (binding it first if needed): fixes the peer for send and filters receive. */
    public Errno connect(UdpEndpoint ep, Ipv4Address address, int port) {
        if (port <= 0 || port > 65535) {
            return Errno.EINVAL;
        }
        if (address.isAny()) {
            // Linux treats connect to INADDR_ANY as connect to the loopback address.
            address = Ipv4Address.LOOPBACK;
        }
        if (address.isBroadcast() && !ep.broadcast) {
            // Linux: connecting or sending to a broadcast address needs SO_BROADCAST.
            return Errno.EACCES;
        }
        if (ip.routeFor(address) == null) {
            return Errno.ENETUNREACH;
        }
        if (!ep.isBound()) {
            Errno e = bind(ep, Ipv4Address.ANY, 0);
            if (e != null) {
                return e;
            }
        }
        ep.remoteAddress = address;
        ep.remotePort = port;
        return null;
    }

    public void disconnect(UdpEndpoint ep) {
        ep.remoteAddress = Ipv4Address.ANY;
        ep.remotePort = 0;
    }

    public void close(UdpEndpoint ep) {
        if (ep.closed) {
            return;
        }
        ep.closed = true;
        for (int i = ep.membershipGroups.size() - 1; i >= 0; i--) {
            ip.igmp().leave(ep.membershipInterfaces.get(i), ep.membershipGroups.get(i));
        }
        ep.membershipGroups.clear();
        ep.membershipInterfaces.clear();
        if (ep.isBound()) {
            List<UdpEndpoint> l = ports.get(ep.localPort);
            if (l != null) {
                l.remove(ep);
                if (l.isEmpty()) {
                    ports.remove(ep.localPort);
                }
            }
        }
        UdpEndpoint.Datagram d;
        while ((d = ep.poll()) != null) {
            release(d);
        }
        ep.readers.wakeAll();
        ep.readiness.signal();
    }

    /**
     * IP_ADD_MEMBERSHIP: {@code ep} joins {@code group} on the interface with address
     * {@code ifAddress}, or with ANY the one the route to the group uses (Linux ip_mc_join_group):
     * EINVAL for a group that is not multicast, ENODEV without such an interface, EADDRINUSE when
     * already joined there, ENOBUFS past igmp_max_memberships (20).
     */
    public Errno join(UdpEndpoint ep, Ipv4Address group, Ipv4Address ifAddress) {
        if (!group.isMulticast()) {
            return Errno.EINVAL;
        }
        NetInterface iface = ip.multicastInterface(group.value(), ifAddress.value());
        if (iface == null) {
            return Errno.ENODEV;
        }
        for (int i = 0; i < ep.membershipGroups.size(); i++) {
            if (ep.membershipGroups.get(i).equals(group) && ep.membershipInterfaces.get(i) == iface) {
                return Errno.EADDRINUSE;
            }
        }
        if (ep.membershipGroups.size() >= netstack4j.ip.IgmpLayer.MAX_MEMBERSHIPS) {
            return Errno.ENOBUFS;
        }
        ep.membershipGroups.add(group);
        ep.membershipInterfaces.add(iface);
        ip.igmp().join(iface, group);
        return null;
    }

    /** IP_DROP_MEMBERSHIP: EADDRNOTAVAIL when {@code ep} has not joined {@code group} there (Linux ip_mc_leave_group). */
    public Errno leave(UdpEndpoint ep, Ipv4Address group, Ipv4Address ifAddress) {
        if (!group.isMulticast()) {
            return Errno.EINVAL;
        }
        NetInterface iface = ip.multicastInterface(group.value(), ifAddress.value());
        for (int i = 0; i < ep.membershipGroups.size(); i++) {
            if (ep.membershipGroups.get(i).equals(group) && (iface == null || ep.membershipInterfaces.get(i) == iface)) {
                NetInterface joined = ep.membershipInterfaces.remove(i);
                ep.membershipGroups.remove(i);
                ip.igmp().leave(joined, group);
                return null;
            }
        }
        return Errno.EADDRNOTAVAIL;
    }

    /** Every bound endpoint, ordered by port then bind order ({@code ss -u -a}). */
    public List<UdpEndpoint> endpoints() {
        List<UdpEndpoint> all = new ArrayList<>();
        ports.values().forEach(all::addAll);
        return all;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends one datagram from {@code ep} to {@code dst:dport}: binds an ephemeral port if
     * needed, builds the UDP header with the pseudo-header checksum, hands it to IP.
     */
    public Errno send(UdpEndpoint ep, Ipv4Address dst, int dport, byte[] data, int off, int len) {
        if (len > MAX_PAYLOAD) {
            return Errno.EMSGSIZE;
        }
        if (dport <= 0 || dport > 65535) {
            return Errno.EINVAL;
        }
        if ((dst.isBroadcast() || ip.isSubnetBroadcast(dst)) && !ep.broadcast) {
            return Errno.EACCES;
        }
        if (!ep.isBound()) {
            Errno e = bind(ep, Ipv4Address.ANY, 0);
            if (e != null) {
                return e;
            }
        }
        PacketBuffer b = stack.buffers().acquire(PacketBuffer.DEFAULT_HEADROOM, UdpHeader.HEADER_LENGTH + len);
        if (b == null) {
            stack.drop(DropReason.NO_BUFFER, "udp");
            return Errno.ENOBUFS; // as Linux when the skb cannot be allocated
        }
        int at = b.append(UdpHeader.HEADER_LENGTH + len);
        System.arraycopy(data, off, b.array(), at + UdpHeader.HEADER_LENGTH, len);
        if (dst.isMulticast()) {
            return sendMulticast(ep, dst, dport, b, at, len);
        }
        var route = ip.routeFor(dst);
        if (route == null) {
            counters.increment(Counter.IpOutNoRoutes);
            stack.buffers().recycle(b);
            return Errno.ENETUNREACH;
        }
        Ipv4Address src = ep.localAddress.isAny() ? new Ipv4Address(ip.sourceFor(route, dst.value())) : ep.localAddress;
        new UdpHeader(ep.localPort, dport).emit(b.array(), at, len, src, dst);
        Errno e = ip.send(src, dst, IpProtocol.UDP, b, ep.ttl, ep.tos, ep.pmtuMode);
        if (e == null) {
            counters.increment(Counter.UdpOutDatagrams);
        }
        return e;
    }

    /** To a group: out of IP_MULTICAST_IF's interface, with IP_MULTICAST_TTL and IP_MULTICAST_LOOP (RFC 1112 section 6.1). */
    private Errno sendMulticast(UdpEndpoint ep, Ipv4Address group, int dport, PacketBuffer b, int at, int len) {
        NetInterface out = ip.multicastInterface(group.value(), ep.multicastInterface.value());
        if (out == null) {
            counters.increment(Counter.IpOutNoRoutes);
            stack.buffers().recycle(b);
            return Errno.ENETUNREACH;
        }
        Ipv4Address src = ep.localAddress.isAny() || ep.localAddress.isMulticast() ? out.address() : ep.localAddress;
        new UdpHeader(ep.localPort, dport).emit(b.array(), at, len, src, group);
        Errno e = ip.sendMulticast(src.value(), group.value(), IpProtocol.UDP, b, ep.multicastTtl, ep.tos,
                out.address().value(), ep.multicastLoop);
        if (e == null) {
            counters.increment(Counter.UdpOutDatagrams);
        }
        return e;
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public void receive(NetInterface iface, Ipv4Packet ipv, PacketBuffer packet, boolean broadcast) {
        UdpPacket udp = view.wrap(ipv.array(), ipv.payloadOffset(), ipv.payloadLength());
        // RFC 768: the UDP length covers header and data. Longer than what IP delivered, or below
        // 8, is an error (Linux __udp4_lib_rcv: short_packet); shorter is trimmed to it, as Linux
        // does (pskb_trim_rcsum), so bytes after the datagram are ignored.
        if (udp.check() != null) {
            counters.increment(Counter.UdpInErrors);
            stack.drop(DropReason.UDP_MALFORMED, iface.name(), packet);
            return;
        }
        Ipv4Address src = ipv.source();
        Ipv4Address dst = ipv.destination();
        if (!udp.verifyChecksum(src, dst)) {
            counters.increment(Counter.UdpInCsumErrors);
            counters.increment(Counter.UdpInErrors);
            stack.drop(DropReason.UDP_CSUM, iface.name(), packet);
            return;
        }
        int sport = udp.sourcePort();
        int dport = udp.destinationPort();
        List<UdpEndpoint> candidates = ports.get(dport);
        if (broadcast) {
            // Every matching socket gets the datagram (Linux's __udp4_lib_mcast_deliver clones the
            // skb for all but the last): copies for the others, the frame itself for the last.
            List<UdpEndpoint> targets = new java.util.ArrayList<>();
            if (candidates != null) {
                for (UdpEndpoint ep : candidates) {
                    if (matches(ep, dst, src, sport, true)) {
                        targets.add(ep);
                    }
                }
            }
            if (targets.isEmpty()) {
                counters.increment(Counter.UdpIgnoredMulti);
                stack.buffers().recycle(packet);
                return;
            }
            for (int i = 0; i < targets.size(); i++) {
                enqueue(iface, targets.get(i), i == targets.size() - 1 ? packet : packet.copy(), udp, src, sport, dst);
            }
            return;
        }
        UdpEndpoint ep = lookup(candidates, dst, src, sport);
        if (ep == null) {
            // RFC 1122 4.1.3.1: no socket on the port: ICMP port unreachable.
            counters.increment(Counter.UdpNoPorts);
            stack.drop(DropReason.UDP_NO_SOCKET, iface.name());
            ip.icmp().sendUnreachable(ipv, IcmpMessage.UnreachableCode.PORT, 0, false);
            stack.buffers().recycle(packet);
            return;
        }
        enqueue(iface, ep, packet, udp, src, sport, dst);
    }

    private static boolean matches(UdpEndpoint ep, Ipv4Address dst, Ipv4Address src, int sport, boolean broadcast) {
        // Linux __udp4_lib_mcast_deliver: a socket bound to an address gets only datagrams to it;
        // a wildcard socket gets every joined group's datagrams on its port (IP_MULTICAST_ALL, on by default).
        if (dst.isMulticast() && !ep.localAddress.isAny() && !ep.localAddress.equals(dst)) {
            return false;
        }
        if (!ep.localAddress.isAny() && !ep.localAddress.equals(dst) && !broadcast) {
            return false;
        }
        return !ep.isConnected() || (ep.remoteAddress.equals(src) && ep.remotePort == sport);
    }

    /**
     * The best socket for a unicast datagram: the most specific match (connected beats bound to
     * the address beats wildcard, as Linux's compute_score); among equals the most recent binder,
     * as N31 describes for SO_REUSEADDR.
     */
    private static UdpEndpoint lookup(List<UdpEndpoint> candidates, Ipv4Address dst, Ipv4Address src, int sport) {
        if (candidates == null) {
            return null;
        }
        UdpEndpoint best = null;
        int bestScore = -1;
        for (UdpEndpoint ep : candidates) {
            if (!matches(ep, dst, src, sport, false)) {
                continue;
            }
            int score = (ep.localAddress.isAny() ? 0 : 2) + (ep.isConnected() ? 4 : 0);
            if (score > bestScore || score == bestScore && ep.bindOrder > best.bindOrder) {
                best = ep;
                bestScore = score;
            }
        }
        return best;
    }

    private void enqueue(NetInterface iface, UdpEndpoint ep, PacketBuffer packet, UdpPacket udp,
                         Ipv4Address src, int sport, Ipv4Address dst) {
        int len = udp.payloadLength();
        int truesize = truesize(packet.length());
        if (!admits(ep, truesize)) {
            counters.increment(Counter.UdpRcvbufErrors);
            counters.increment(Counter.UdpInErrors);
            ep.drops++;
            stack.drop(DropReason.UDP_RCVBUF_FULL, iface.name(), packet);
            return;
        }
        ep.receiveQueue.addLast(new UdpEndpoint.Datagram(packet, udp.payloadOffset(), len, src, sport, dst, truesize));
        ep.receiveMemory += truesize;
        counters.increment(Counter.UdpInDatagrams);
        ep.readers.wakeAll();
        ep.readiness.signal();
    }

    /**
     * Whether a datagram charged {@code truesize} fits. Linux (__udp_enqueue_schedule_skb) admits
     * it while the memory already charged does not exceed SO_RCVBUF, so one datagram larger than
     * the buffer still gets into an empty queue; Windows refuses any datagram that does not fit
     * in the space left, so a buffer smaller than the datagram always fails (N30).
     */
    private boolean admits(UdpEndpoint ep, int truesize) {
        if (stack.config().personality() == Personality.WINDOWS) {
            return ep.receiveMemory + truesize <= ep.receiveBufferBytes;
        }
        return ep.receiveMemory <= ep.receiveBufferBytes;
    }

    /** A datagram the application has copied out (or that a closing socket discards): its frame is free. */
    public void release(UdpEndpoint.Datagram d) {
        stack.buffers().recycle(d.buffer());
    }

    /** Memory charged for an IP packet of {@code ipLength} bytes (data rounded to 64 plus skb overhead). */
    public static int truesize(int ipLength) {
        int data = (ipLength + 14 + 63) & ~63;
        return data + SKB_OVERHEAD;
    }

    @Override
    public void icmpError(IcmpError error) {
        List<UdpEndpoint> candidates = ports.get(error.originalSourcePort());
        if (candidates == null) {
            return;
        }
        for (UdpEndpoint ep : candidates) {
            boolean addressOk = ep.localAddress.isAny() || ep.localAddress.equals(error.originalSource());
            // Linux __udp4_lib_err: without IP_RECVERR only hard errors on connected sockets are reported.
            if (addressOk && ep.isConnected() && error.fatal()
                    && ep.remoteAddress.equals(error.originalDestination())
                    && ep.remotePort == error.originalDestinationPort()) {
                ep.pendingError = error.errno();
                stack.trace(TraceEvent.Kind.SOCKET, "udp", ep + ": " + error.errno() + " from ICMP " + error.describe());
                ep.readers.wakeAll();
                ep.readiness.signal();
                return;
            }
        }
    }
}
