package netstack4j.ip;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netstack4j.link.LoopbackDevice;
import netstack4j.link.NetworkDevice;
import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.trace.PacketFormatter;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.Checksum;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Options;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MacAddress;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.PacketBuffer;

/**
 * The IPv4 layer of one stack (RFC 791, RFC 1122 section 3, RFC 1812 for forwarding): frames in
 * from the devices, validation, local delivery with reassembly, forwarding with TTL and ICMP,
 * output with routing, path MTU and fragmentation, and the neighbour table below it.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class Ipv4Layer {
    /** How long a learned path MTU is kept (Linux net.ipv4.route.mtu_expires, 600 s). */
    static final long PMTU_EXPIRES_NS = 600_000_000_000L;
    /** The smallest path MTU accepted from ICMP (Linux net.ipv4.route.min_pmtu, 552). */
    static final int MIN_PMTU = 552;

    private final NetStack stack;
    private final Counters counters;
    private final NeighbourTable neighbours;
    /** Where devices hand their frames: GRO first, then {@link #onFrame}. */
    private final GroReceiver gro;
    private final Reassembler reassembler;
    private final IcmpLayer icmp;
    private final IgmpLayer igmp;
    private final TransportProtocol[] transports = new TransportProtocol[256];
    private final LongKeyMap<long[]> pathMtu = new LongKeyMap<>();
    private final EthernetPacket ethView = new EthernetPacket();
    private final ArpPacket arpView = new ArpPacket();
    private final Ipv4Packet inView = new Ipv4Packet();
    private final Ipv4Packet outView = new Ipv4Packet();
    private int nextIdentification;

    public Ipv4Layer(NetStack stack) {
        this.stack = stack;
        this.counters = stack.counters();
        this.neighbours = new NeighbourTable(stack, this::neighbourUnreachable);
        this.gro = new GroReceiver(stack, this);
        this.reassembler = new Reassembler(stack, this::reassemblyTimedOut);
        this.icmp = new IcmpLayer(stack, this);
        this.igmp = new IgmpLayer(stack, this);
        transports[IpProtocol.IGMP] = igmp;
        this.nextIdentification = stack.random().nextInt(65536);
    }

    public NeighbourTable neighbours() {
        return neighbours;
    }

    public Reassembler reassembler() {
        return reassembler;
    }

    public IcmpLayer icmp() {
        return icmp;
    }

    /** Group membership (IGMPv2) of this host's interfaces. */
    public IgmpLayer igmp() {
        return igmp;
    }

    /** The next IP identification (RFC 791 section 3.2), for packets built outside {@link #send}. */
    int nextIdentification() {
        return nextIdentifications(1);
    }

    /** The first of {@code n} consecutive identifications (ip_select_ident_segs). */
    private int nextIdentifications(int n) {
        int id = nextIdentification;
        nextIdentification = (nextIdentification + n) & 0xffff;
        return id;
    }

    /** Registers the handler for IP protocol {@code protocol} (UDP, TCP). */
    public void register(int protocol, TransportProtocol handler) {
        if (transports[protocol] != null) {
            throw new IllegalStateException("protocol " + protocol + " already registered");
        }
        transports[protocol] = handler;
    }

    public void interfaceAdded(NetInterface iface) {
        // Nothing to announce: Linux sends no gratuitous ARP on address add (arp_notify=0).
    }

    // ---------------------------------------------------------------- input

    /** A frame from {@code device}; the stack owns it from now on. */
    /**
     * The handler a device is given for what it receives: GRO ({@link GroReceiver}) merges what
     * it can and passes everything on to {@link #onFrame}.
     */
    public netstack4j.link.FrameHandler receiver() {
        return gro;
    }

    public void onFrame(NetworkDevice device, PacketBuffer frame) {
        NetInterface iface = interfaceOf(device);
        if (iface == null) {
            stack.buffers().recycle(frame);
            return;
        }
        if (!iface.isUp()) {
            stack.drop(DropReason.LINK_DOWN, iface.name(), frame);
            return;
        }
        if (stack.trace().enabled()) {
            stack.trace(TraceEvent.Kind.PACKET_IN, iface.name(),
                    PacketFormatter.format(frame.array(), frame.offset(), frame.length()));
        }
        EthernetPacket eth = ethView.wrap(frame.array(), frame.offset(), frame.length());
        if (eth.check() != null) {
            stack.drop(DropReason.ETHERNET_TRUNCATED, iface.name(), frame);
            return;
        }
        long dst = eth.destinationLong();
        boolean linkBroadcast = MacAddress.isBroadcast(dst);
        if (!linkBroadcast && MacAddress.isMulticast(dst) && !(device instanceof LoopbackDevice)
                && !igmp.acceptsMac(iface, new MacAddress(dst))) {
            // RFC 1112 section 6.4: the interface takes in only the group MACs of joined groups.
            stack.drop(DropReason.ETHERNET_MCAST_NOT_JOINED, iface.name(), frame);
            return;
        }
        if (!linkBroadcast && !MacAddress.isMulticast(dst) && dst != iface.macAddress().value() && !(device instanceof LoopbackDevice)) {
            stack.drop(DropReason.ETHERNET_NOT_FOR_US, iface.name(), frame);
            return;
        }
        int type = eth.etherType();
        if (type == EtherType.ARP) {
            receiveArp(iface, eth);
            stack.buffers().recycle(frame); // parsed into a record: nothing refers to the frame
        } else if (type == EtherType.IPV4) {
            frame.trimFront(EthernetPacket.HEADER_LENGTH);
            input(iface, frame, linkBroadcast);
        } else {
            stack.drop(DropReason.ETHERNET_UNKNOWN_TYPE, iface.name(), frame);
        }
    }

    private void receiveArp(NetInterface iface, EthernetPacket eth) {
        ArpPacket view = arpView.wrap(eth.array(), eth.payloadOffset(), eth.payloadLength());
        ArpMessage m;
        try {
            m = view.check() == null ? ArpMessage.parse(view) : null;
        } catch (MalformedPacketException e) {
            m = null;
        }
        if (m == null || iface.device() instanceof LoopbackDevice) {
            stack.drop(DropReason.ARP_MALFORMED, iface.name());
            return;
        }
        neighbours.receive(iface, m);
    }

    /** An IP packet (buffer at the IP header) received on {@code iface}. RFC 1122 section 3.2.1. */
    void input(NetInterface iface, PacketBuffer packet, boolean linkBroadcast) {
        counters.increment(Counter.IpInReceives);
        byte[] a = packet.array();
        int len = packet.length();
        String where = iface.name();
        // RFC 1122 3.2.1.1-3.2.1.2 and RFC 1812 5.2.2: validate before anything else, in the order
        // and with the counters of Linux's ip_rcv_core: a header that is not all there, a bad
        // version or IHL is a header error; then the checksum; only then is a Total Length beyond
        // the frame "truncated".
        int at = packet.offset();
        if (len < 20) {
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_TRUNCATED, where, packet);
            return;
        }
        if ((a[at] & 0xf0) != 0x40) {
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_BAD_VERSION, where, packet);
            return;
        }
        int ihl = (a[at] & 0x0f) * 4;
        if (ihl < 20 || ihl > len) {
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_BAD_HEADER, where, packet);
            return;
        }
        Ipv4Packet ip = inView.wrap(a, at, len);
        if (!ip.verifyChecksum()) {
            // Linux counts a checksum error as both InCsumErrors and InHdrErrors.
            counters.increment(Counter.IpExtInCsumErrors);
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_CSUM, where, packet);
            return;
        }
        if (ip.totalLength() > len) {
            counters.increment(Counter.IpExtInTruncatedPkts);
            stack.drop(DropReason.IP_TRUNCATED, where, packet);
            return;
        }
        if (ip.check() != null) {
            if (ip.totalLength() >= ihl && stack.isLocalAddress(ip.destinationInt())
                    && ip.fragmentOffset() + ip.totalLength() - ihl > Ipv4Packet.MAX_TOTAL_LENGTH) {
                // RFC 791 3.2: no datagram exceeds 65535 bytes. A fragment ending beyond that is
                // a reassembly failure (Linux ip_frag_reasm "Oversized IP packet"): the reassembler
                // drops it with its whole queue and counts IpReasmFails.
                reassembler.add(iface, ip, packet);
                return;
            }
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_BAD_HEADER, where, packet);
            return;
        }
        packet.setLength(ip.totalLength());
        ip.wrap(a, packet.offset(), packet.length());
        // The addresses as ints: the data path makes no address objects.
        int src = ip.sourceInt();
        int dst = ip.destinationInt();
        // RFC 1122 3.2.1.3: a source that is broadcast or multicast is discarded ("martian").
        if (Ipv4Address.isBroadcast(src) || Ipv4Address.isMulticast(src) || src == iface.subnet().broadcastInt() && iface.subnet().length() < 31
                || (!(iface.device() instanceof LoopbackDevice) && (Ipv4Address.isLoopback(src) || stack.isLocalAddress(src)))) {
            counters.increment(Counter.IpInAddrErrors);
            stack.drop(DropReason.IP_BAD_SOURCE, where, packet);
            return;
        }
        boolean broadcast = Ipv4Address.isBroadcast(dst) || isSubnetBroadcast(dst);
        if (broadcast) {
            counters.increment(Counter.IpExtInBcastPkts);
        }
        if (Ipv4Address.isMulticast(dst)) {
            // RFC 1112 section 7.2: deliver to the host only for a group joined on the interface it
            // came in on. Never forwarded: this stack has no multicast routing (Linux forwards
            // multicast only with a multicast routing daemon, ip_mr_input), so a group stays on its LAN.
            if (!igmp.isMember(iface, dst)) {
                stack.drop(DropReason.IP_MCAST_NOT_JOINED, where, packet);
                return;
            }
            counters.increment(Counter.IpExtInMcastPkts);
            deliverLocal(iface, ip, packet, true);
            return;
        }
        if (broadcast || stack.isLocalAddress(dst)) {
            deliverLocal(iface, ip, packet, linkBroadcast || broadcast);
        } else if (stack.config().ipForward() && !Ipv4Address.isMulticast(dst)) {
            forward(iface, ip, packet, linkBroadcast);
        } else {
            // Linux: with forwarding off a packet for another host is unreachable: InAddrErrors, no ICMP.
            counters.increment(Counter.IpInAddrErrors);
            stack.drop(DropReason.IP_NOT_FOR_US, where, packet);
        }
    }

    private void deliverLocal(NetInterface iface, Ipv4Packet ip, PacketBuffer packet, boolean broadcast) {
        if (ip.moreFragments() || ip.fragmentOffset() != 0) {
            PacketBuffer whole = reassembler.add(iface, ip, packet);
            if (whole == null) {
                return;
            }
            packet = whole;
            ip = new Ipv4Packet().wrap(whole.array(), whole.offset(), whole.length());
        }
        int protocol = ip.protocol();
        if (protocol == IpProtocol.ICMP) {
            counters.increment(Counter.IpInDelivers);
            icmp.input(iface, ip, packet, broadcast);
            stack.buffers().recycle(packet); // ICMP keeps records, not the packet
            return;
        }
        TransportProtocol t = transports[protocol];
        if (t == null) {
            // RFC 1122 3.2.2.1: protocol unreachable (not for broadcasts, RFC 1122 3.2.2).
            counters.increment(Counter.IpInUnknownProtos);
            stack.drop(DropReason.IP_UNKNOWN_PROTOCOL, iface.name());
            if (!broadcast) {
                icmp.sendUnreachable(ip, IcmpMessage.UnreachableCode.PROTOCOL, 0, false);
            }
            stack.buffers().recycle(packet);
            return;
        }
        counters.increment(Counter.IpInDelivers);
        t.receive(iface, ip, packet, broadcast); // the transport owns the packet now
    }

    /** RFC 1812 section 5.2: forward a packet for another host. */
    private void forward(NetInterface in, Ipv4Packet ip, PacketBuffer packet, boolean linkBroadcast) {
        if (linkBroadcast) {
            // RFC 1812 5.3.4: a router must not forward a link-layer broadcast to another link.
            counters.increment(Counter.IpInAddrErrors);
            stack.drop(DropReason.IP_NOT_FOR_US, in.name(), packet);
            return;
        }
        // RFC 1812 5.3.1: TTL reaching zero on forwarding is answered with time exceeded.
        if (ip.ttl() <= 1) {
            counters.increment(Counter.IpInHdrErrors);
            stack.drop(DropReason.IP_TTL_EXPIRED, in.name());
            icmp.sendTimeExceeded(ip, 0);
            stack.buffers().recycle(packet);
            return;
        }
        Route route = stack.routes().lookup(ip.destination());
        if (route == null || route.iface().device() instanceof LoopbackDevice) {
            counters.increment(Counter.IpExtInNoRoutes);
            stack.drop(DropReason.IP_NO_ROUTE, in.name());
            icmp.sendUnreachable(ip, IcmpMessage.UnreachableCode.NET, 0, false);
            stack.buffers().recycle(packet);
            return;
        }
        NetInterface out = route.iface();
        int mtu = out.mtu();
        if (ip.totalLength() > mtu && ip.dontFragment()) {
            // RFC 1191 section 4: fragmentation needed, with the next-hop MTU.
            counters.increment(Counter.IpFragFails);
            stack.drop(DropReason.IP_FRAG_NEEDED, out.name());
            icmp.sendUnreachable(ip, IcmpMessage.UnreachableCode.FRAGMENTATION_NEEDED, mtu, false);
            stack.buffers().recycle(packet);
            return;
        }
        ip.setTtl(ip.ttl() - 1);
        ip.updateChecksum();
        counters.increment(Counter.IpForwDatagrams);
        if (stack.tracing()) {
            stack.trace(TraceEvent.Kind.ROUTE, out.name(), "forward " + ip.source() + " > " + ip.destination()
                    + " via " + route.nextHop(ip.destination()) + " ttl " + ip.ttl());
        }
        transmit(out, route.nextHop(ip.destinationInt()), ip, packet);
    }

    // ---------------------------------------------------------------- output

    /**
     * Sends a locally generated datagram. {@code payload} holds the transport header and data,
     * with headroom for the IP and link headers; this layer owns it afterwards.
     *
     * @param source   the source address, or {@link Ipv4Address#ANY} for the outgoing interface's
     * @return null when the datagram was sent or queued for neighbour resolution, else the
     *         error the caller reports (ENETUNREACH, EMSGSIZE, EINVAL)
     */
    public Errno send(Ipv4Address source, Ipv4Address destination, int protocol, PacketBuffer payload,
                      int ttl, int tos, PmtuMode pmtu) {
        return send(source.value(), destination.value(), protocol, payload, ttl, tos, pmtu);
    }

    /** {@link #send(Ipv4Address, Ipv4Address, int, PacketBuffer, int, int, PmtuMode)} on raw addresses: the allocation-free path. */
    public Errno send(int source, int destination, int protocol, PacketBuffer payload, int ttl, int tos, PmtuMode pmtu) {
        if ((destination & 0xf000_0000) == 0xe000_0000) {
            // A group is not routed through a gateway: it goes to the group's MAC on the LAN (RFC 1112 section 6).
            return sendMulticast(source, destination, protocol, payload, ttl, tos, 0, false);
        }
        counters.increment(Counter.IpOutRequests);
        Route route = routeFor(destination);
        if (route == null) {
            counters.increment(Counter.IpOutNoRoutes);
            stack.buffers().recycle(payload);
            return Errno.ENETUNREACH;
        }
        NetInterface out = route.iface();
        int src = source != 0 ? source : sourceFor(route, destination);
        int total = 20 + payload.length();
        if (total > 65535) {
            counters.increment(Counter.IpOutDiscards);
            stack.buffers().recycle(payload);
            return Errno.EMSGSIZE;
        }
        int mtu = pathMtu(destination, route.mtuOr(out.mtu())); // ip_dst_mtu_maybe_forward: the route's mtu metric first
        // A TCP super-segment is judged by the segments it will be cut into
        // (skb_gso_validate_network_len), each one's header and gso size of payload.
        int gsoSize = payload.gsoSize();
        int tcpHeader = gsoSize > 0 ? (payload.array()[payload.offset() + 12] >>> 4 & 0x0f) * 4 : 0;
        int segmentTotal = gsoSize > 0 ? Math.min(total, 20 + tcpHeader + gsoSize) : total;
        boolean df = switch (pmtu) {
            case DO -> true;
            case DONT -> false;
            case WANT -> segmentTotal <= mtu;
        };
        if ((df || gsoSize > 0) && segmentTotal > mtu) {
            counters.increment(Counter.IpOutDiscards);
            stack.buffers().recycle(payload);
            return Errno.EMSGSIZE;
        }
        // ip_select_ident_segs: a super-segment takes one identification per segment it becomes.
        int id = nextIdentifications(payload.gsoSegments());
        int at = payload.prepend(20);
        Ipv4Header.emit(payload.array(), at, tos, total, id, df, ttl, protocol, src, destination);
        Ipv4Packet ip = outView.wrap(payload.array(), at, payload.length());
        transmit(out, route.nextHop(destination), ip, payload, mtu);
        return null;
    }

    /**
     * Sends a locally generated datagram to multicast {@code group} (RFC 1112 section 6): out of
     * the interface with address {@code ifAddress} (IP_MULTICAST_IF) or else the one the route to
     * the group leaves by, to the group's MAC, with {@code ttl} (IP_MULTICAST_TTL, 1 by default);
     * with {@code loop} (IP_MULTICAST_LOOP) a copy is delivered here too when this host is a
     * member (RFC 1112 section 6.1, Linux ip_mc_output).
     */
    public Errno sendMulticast(int source, int group, int protocol, PacketBuffer payload, int ttl, int tos,
                               int ifAddress, boolean loop) {
        counters.increment(Counter.IpOutRequests);
        NetInterface out = multicastInterface(group, ifAddress);
        if (out == null) {
            counters.increment(Counter.IpOutNoRoutes);
            stack.buffers().recycle(payload);
            return Errno.ENETUNREACH;
        }
        int total = 20 + payload.length();
        if (total > 65535) {
            counters.increment(Counter.IpOutDiscards);
            stack.buffers().recycle(payload);
            return Errno.EMSGSIZE;
        }
        int src = source != 0 ? source : out.address().value();
        int at = payload.prepend(20);
        Ipv4Header.emit(payload.array(), at, tos, total, nextIdentification(), false, ttl, protocol, src, group);
        if (loop && igmp.isMember(out, group)) {
            PacketBuffer copy = payload.copy();
            counters.increment(Counter.IpInReceives);
            counters.increment(Counter.IpExtInMcastPkts);
            deliverLocal(out, new Ipv4Packet().wrap(copy.array(), copy.offset(), copy.length()), copy, true);
        }
        Ipv4Packet ip = outView.wrap(payload.array(), at, payload.length());
        counters.increment(Counter.IpExtOutMcastPkts);
        transmit(out, group, ip, payload, out.mtu());
        return null;
    }

    /**
     * The interface multicast to {@code group} leaves by: the one holding {@code ifAddress} when
     * given, else the one the route to the group uses (Linux ip_mc_find_dev), or null.
     */
    public NetInterface multicastInterface(int group, int ifAddress) {
        if (ifAddress != 0) {
            for (NetInterface i : stack.interfaces()) {
                if (i.address().value() == ifAddress) {
                    return i;
                }
            }
            return null;
        }
        Route route = stack.routes().lookup(group);
        return route == null ? null : route.iface();
    }

    /** An IGMP message built by {@link IgmpLayer}, to {@code destination} (a group) out of {@code out}. */
    void outputMulticast(NetInterface out, int destination, PacketBuffer packet) {
        counters.increment(Counter.IpExtOutMcastPkts);
        linkOutput(out, destination, packet);
    }

    /** Sends an already built IP packet (used for ICMP errors to ourselves and re-injection). */
    void sendBuilt(PacketBuffer packet) {
        Ipv4Packet ip = new Ipv4Packet().wrap(packet.array(), packet.offset(), packet.length());
        Route route = routeFor(ip.destination());
        if (route == null) {
            counters.increment(Counter.IpOutNoRoutes);
            stack.buffers().recycle(packet);
            return;
        }
        transmit(route.iface(), route.nextHop(ip.destinationInt()), ip, packet);
    }

    /**
     * The source address for a datagram to {@code destination} along {@code route} when the
     * socket chose none (RFC 1122 section 3.3.4.3; Linux's inet_select_addr): the outgoing
     * interface's address, except that a datagram to one of our own addresses, which leaves
     * through {@code lo}, keeps that address.
     */
    public int sourceFor(Route route, int destination) {
        NetInterface out = route.iface();
        return out.device() instanceof LoopbackDevice && (destination >>> 24) != 127 ? destination : out.address().value();
    }

    /**
     * The largest super-segment the device toward {@code dst} takes from TCP (sk_setup_caps:
     * its gso_max_size when it has TSO or GSO, sk_can_gso), 0 when it takes none. Traffic to
     * this host's own addresses goes through {@code lo}, whose MTU is large already.
     */
    public int gsoMaxSize(int dst) {
        if (stack.isLocalAddress(dst)) {
            return 0;
        }
        Route route = stack.routes().lookup(dst);
        if (route == null) {
            return 0;
        }
        netstack4j.link.Offloads f = route.iface().device().features();
        return f.canGso() ? f.gsoMaxSize() : 0;
    }

    /** An upper layer saw forward progress with {@code dst}: confirm the neighbour it goes through. */
    public void confirmNeighbour(int dst) {
        Route route = stack.routes().lookup(dst);
        if (route != null && !(route.iface().device() instanceof LoopbackDevice)) {
            neighbours.confirm(route.iface(), route.nextHop(dst));
        }
    }

    /** The route used for {@code dst}: local addresses go through {@code lo}, as Linux's local table does. */
    public Route routeFor(Ipv4Address dst) {
        return routeFor(dst.value());
    }

    /** {@link #routeFor(Ipv4Address)} on a raw address (no allocation for remote destinations). */
    public Route routeFor(int dstValue) {
        if (stack.isLocalAddress(dstValue) && (dstValue >>> 24) != 127) {
            Ipv4Address dst = new Ipv4Address(dstValue);
            NetInterface lo = stack.interfaceByName("lo");
            return new Route(new netstack4j.wire.Ipv4Prefix(dst, 32), null, lo);
        }
        return stack.routes().lookup(dstValue);
    }

    private void transmit(NetInterface out, int nextHop, Ipv4Packet ip, PacketBuffer packet) {
        transmit(out, nextHop, ip, packet, out.mtu());
    }

    private void transmit(NetInterface out, int nextHop, Ipv4Packet ip, PacketBuffer packet, int mtu) {
        if (packet.length() <= mtu || packet.gsoSize() > 0) {
            linkOutput(out, nextHop, packet);
            return;
        }
        if (packet.checksumPartial()) {
            // ip_do_fragment: fragments cannot be checksummed by the device, so software does it first.
            Checksum.completeTcp4(packet.array(), packet.offset());
            packet.setChecksumPartial(false);
        }
        List<PacketBuffer> fragments = Fragmenter.fragment(ip, mtu);
        counters.increment(Counter.IpFragOKs);
        counters.add(Counter.IpFragCreates, fragments.size());
        if (stack.tracing()) {
            stack.trace(TraceEvent.Kind.FRAGMENT, out.name(), "id " + ip.identification() + ": "
                    + ip.totalLength() + " bytes into " + fragments.size() + " fragments for mtu " + mtu);
        }
        stack.buffers().recycle(packet); // copied into the fragments
        for (PacketBuffer f : fragments) {
            linkOutput(out, nextHop, f);
        }
    }

    private void linkOutput(NetInterface out, int nextHop, PacketBuffer packet) {
        if (!out.isUp()) {
            counters.increment(Counter.IpOutDiscards);
            stack.drop(DropReason.LINK_DOWN, out.name(), packet);
            return;
        }
        if (out.device() instanceof LoopbackDevice lo) {
            int at = packet.prepend(EthernetPacket.HEADER_LENGTH);
            new EthernetHeader(MacAddress.ZERO, MacAddress.ZERO, EtherType.IPV4).emit(packet.array(), at);
            neighbours.transmitFrame(out, packet);
            return;
        }
        neighbours.send(out, nextHop, packet);
    }

    /** Traces an outgoing frame; called by every path that hands a frame to a device. */
    static void traceOut(NetStack stack, NetInterface out, PacketBuffer frame) {
        if (stack.trace().enabled()) {
            stack.trace(TraceEvent.Kind.PACKET_OUT, out.name(),
                    PacketFormatter.format(frame.array(), frame.offset(), frame.length()));
        }
    }

    // ---------------------------------------------------------------- path MTU (RFC 1191)

    /** The MTU toward {@code dst}: the learned path MTU if any and unexpired, else the link's. */
    public int pathMtu(Ipv4Address dst, int linkMtu) {
        return pathMtu(dst.value(), linkMtu);
    }

    /** {@link #pathMtu(Ipv4Address, int)} on a raw address (no allocation). */
    public int pathMtu(int dst, int linkMtu) {
        if (pathMtu.size() == 0) {
            return linkMtu;
        }
        long[] e = pathMtu.get(dst);
        if (e == null) {
            return linkMtu;
        }
        if (e[1] - stack.nowNs() <= 0) {
            pathMtu.remove(dst);
            return linkMtu;
        }
        return (int) Math.min(e[0], linkMtu);
    }

    /** RFC 1191 section 6.1: lower the path MTU toward {@code dst} from an ICMP fragmentation-needed. */
    private int pathMtuGeneration;

    void learnPathMtu(Ipv4Address dst, int mtu) {
        Route route = routeFor(dst);
        int current = pathMtu(dst, route != null ? route.iface().mtu() : Ipv4Packet.MAX_TOTAL_LENGTH);
        // RFC 1191 section 6.1: "A host MUST never reduce its estimate of the Path MTU below 68
        // octets" and MUST NOT increase it in response to a Datagram Too Big message (Linux
        // __ip_rt_update_pmtu ignores an MTU above the current one; below min_pmtu it uses 552).
        if (mtu > current) {
            return;
        }
        int m = Math.min(current, Math.max(mtu, MIN_PMTU));
        stack.trace(TraceEvent.Kind.ROUTE, "pmtu", "path MTU to " + dst + " is now " + m);
        pathMtu.put(dst.value(), new long[] {m, stack.nowNs() + PMTU_EXPIRES_NS});
        pathMtuGeneration++;
    }

    /**
     * Changes each time a path MTU is learned, so transports can check their segment size
     * cheaply before sending (the role of Linux's icsk_pmtu_cookie against dst_mtu).
     */
    public int pathMtuGeneration() {
        return pathMtuGeneration;
    }

    // ---------------------------------------------------------------- helpers

    TransportProtocol transport(int protocol) {
        return transports[protocol];
    }

    public boolean isLocal(Ipv4Address a) {
        return stack.isLocalAddress(a);
    }

    public boolean isSubnetBroadcast(Ipv4Address a) {
        return isSubnetBroadcast(a.value());
    }

    /** {@link #isSubnetBroadcast(Ipv4Address)} of a raw address (the data path's form). */
    public boolean isSubnetBroadcast(int a) {
        List<NetInterface> all = stack.interfaces();
        for (int k = 0; k < all.size(); k++) {
            NetInterface i = all.get(k);
            if (i.subnet().length() < 31 && i.subnet().broadcastInt() == a) {
                return true;
            }
        }
        return false;
    }

    private NetInterface interfaceOf(NetworkDevice device) {
        List<NetInterface> all = stack.interfaces();
        for (int k = 0; k < all.size(); k++) {
            NetInterface i = all.get(k);
            if (i.device() == device) {
                return i;
            }
        }
        return null;
    }

    private void neighbourUnreachable(NetInterface iface, PacketBuffer ipPacket) {
        // Linux arp_error_report: ICMP host unreachable to the packet's sender (maybe ourselves).
        Ipv4Packet ip = new Ipv4Packet().wrap(ipPacket.array(), ipPacket.offset(), ipPacket.length());
        if (ip.check() == null) {
            icmp.sendUnreachable(ip, IcmpMessage.UnreachableCode.HOST, 0, true);
        }
    }

    private void reassemblyTimedOut(NetInterface iface, PacketBuffer first) {
        Ipv4Packet ip = new Ipv4Packet().wrap(first.array(), first.offset(), first.length());
        icmp.sendTimeExceeded(ip, 1);
    }
}
