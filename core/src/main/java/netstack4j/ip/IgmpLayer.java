package netstack4j.ip;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import netstack4j.link.LoopbackDevice;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.time.Timer;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.IgmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Options;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MacAddress;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.PacketBuffer;

/**
 * IGMPv2, the host side (RFC 2236; RFC 1112 for host group membership): the groups each
 * interface has joined (counted per socket that asked), an unsolicited membership report on the
 * first join and one repeat after a random delay, answers to general and group-specific queries
 * after a random delay up to the query's maximum response time, suppression when another member
 * reports first, and a leave message when the last user leaves and this host was the last to
 * report. Every random delay comes from the stack's seeded generator.
 *
 * <p>Every message goes out with TTL 1, the IP Router Alert option (RFC 2113) and TOS 0xc0, as
 * Linux's igmp_send_report builds it. Version 3 reports (RFC 3376) are not sent; a version 3
 * query is answered with version 2 reports, as RFC 3376 section 7.2.1 allows an older host.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class IgmpLayer implements TransportProtocol {
    /** 224.0.0.1, every multicast host's group: always joined, never reported (RFC 2236 section 6). */
    public static final Ipv4Address ALL_HOSTS = Ipv4Address.of(224, 0, 0, 1);
    /** 224.0.0.2, where leave messages go (RFC 2236 section 3). */
    public static final Ipv4Address ALL_ROUTERS = Ipv4Address.of(224, 0, 0, 2);
    /** RFC 2236 section 8.10, Linux IGMP_V2_UNSOLICITED_REPORT_INTERVAL: 10 s. */
    static final long UNSOLICITED_REPORT_INTERVAL_NS = 10_000_000_000L;
    /** RFC 2236 section 4: a query with maximum response time 0 is version 1 and means 10 s (100 tenths). */
    static final int V1_MAX_RESPONSE_TENTHS = 100;
    /** Linux sysctl_igmp_max_memberships: groups one socket may join. */
    public static final int MAX_MEMBERSHIPS = 20;
    private static final long TENTH_NS = 100_000_000L;
    /** RFC 2113: Router Alert, type 148 (copied, class 0, number 20), length 4, value 0. */
    private static final Ipv4Options ROUTER_ALERT = new Ipv4Options(new byte[] {(byte) 0x94, 4, 0, 0});

    /** One group joined on one interface. */
    private final class Group {
        final NetInterface iface;
        final Ipv4Address address;
        int users;
        /** Whether this host sent the last report for the group (RFC 2236 section 3, "flag"). */
        boolean lastReporter;
        /** Unsolicited repeats still to send after the first report. */
        int unsolicited;
        final Timer timer;

        Group(NetInterface iface, Ipv4Address address) {
            this.iface = iface;
            this.address = address;
            this.timer = new Timer("igmp report " + address, this::timerFired);
        }

        /** The delay timer expired: report (RFC 2236 section 3, "Delaying Member" to "Idle Member"). */
        void timerFired() {
            sendMessage(iface, IgmpMessage.report(address), address);
            lastReporter = true;
            if (unsolicited > 0) {
                unsolicited--;
                startTimer(this, UNSOLICITED_REPORT_INTERVAL_NS);
            }
        }
    }

    private final NetStack stack;
    private final Ipv4Layer ip;
    /** Joined groups by (interface index, group), ordered so queries are answered deterministically. */
    private final TreeMap<Long, Group> groups = new TreeMap<>();

    IgmpLayer(NetStack stack, Ipv4Layer ip) {
        this.stack = stack;
        this.ip = ip;
    }

    private static long key(NetInterface iface, int group) {
        return ((long) iface.index() << 32) | (group & 0xffff_ffffL);
    }

    /**
     * One more user of {@code group} on {@code iface} (IP_ADD_MEMBERSHIP). The first sends a
     * report at once and one more after a random delay up to the unsolicited report interval
     * (RFC 2236 section 3: "repeat the Report once or twice after short delays").
     */
    public void join(NetInterface iface, Ipv4Address group) {
        Group g = groups.get(key(iface, group.value()));
        if (g != null) {
            g.users++;
            return;
        }
        g = new Group(iface, group);
        g.users = 1;
        groups.put(key(iface, group.value()), g);
        stack.trace(TraceEvent.Kind.IGMP, iface.name(), "join " + group);
        if (group.equals(ALL_HOSTS) || iface.device() instanceof LoopbackDevice) {
            return;
        }
        sendMessage(iface, IgmpMessage.report(group), group);
        g.lastReporter = true;
        g.unsolicited = 0;
        startTimer(g, UNSOLICITED_REPORT_INTERVAL_NS);
    }

    /** One user less (IP_DROP_MEMBERSHIP or close); the last one leaves the group (RFC 2236 section 3). */
    public void leave(NetInterface iface, Ipv4Address group) {
        long k = key(iface, group.value());
        Group g = groups.get(k);
        if (g == null || --g.users > 0) {
            return;
        }
        groups.remove(k);
        stack.timers().cancel(g.timer);
        stack.trace(TraceEvent.Kind.IGMP, iface.name(), "leave " + group);
        // RFC 2236 section 3: a host SHOULD send a Leave when it was the last to report; Linux
        // igmp_group_dropped sends it only then (im->reporter).
        if (g.lastReporter && !group.equals(ALL_HOSTS) && !(iface.device() instanceof LoopbackDevice)) {
            sendMessage(iface, IgmpMessage.leave(group), ALL_ROUTERS);
        }
    }

    /** Whether {@code iface} receives datagrams for {@code group}: joined, or the all-hosts group (RFC 1112 section 4). */
    public boolean isMember(NetInterface iface, int group) {
        return group == ALL_HOSTS.value() || groups.containsKey(key(iface, group));
    }

    /**
     * Whether {@code iface}'s filter lets a frame to {@code mac} in: the MAC of a joined group or
     * of all-hosts (RFC 1112 section 6.4; 32 groups share a MAC, so IP filters again).
     */
    public boolean acceptsMac(NetInterface iface, MacAddress mac) {
        if (mac.equals(MacAddress.multicast(ALL_HOSTS.value()))) {
            return true;
        }
        for (Group g : groups.subMap(key(iface, 0), true, key(iface, -1), true).values()) {
            if (MacAddress.multicast(g.address.value()).equals(mac)) {
                return true;
            }
        }
        return false;
    }

    /** A group joined on an interface and how many sockets asked for it. */
    public record Membership(Ipv4Address group, int users) {
    }

    /**
     * The groups {@code iface} receives, as {@code ip maddr show} lists them: those joined, in
     * address order, then all-hosts (joined by every multicast-capable interface, RFC 1112 section 4).
     */
    public List<Membership> memberships(NetInterface iface) {
        List<Membership> out = new ArrayList<>();
        for (Group g : groups.subMap(key(iface, 0), true, key(iface, -1), true).values()) {
            if (!g.address.equals(ALL_HOSTS)) {
                out.add(new Membership(g.address, g.users));
            }
        }
        out.add(new Membership(ALL_HOSTS, 1));
        return out;
    }

    // ---------------------------------------------------------------- input

    @Override
    public void receive(NetInterface iface, Ipv4Packet ipv, PacketBuffer packet, boolean linkBroadcast) {
        IgmpMessage m;
        try {
            m = IgmpMessage.parse(ipv.array(), ipv.payloadOffset(), ipv.payloadLength());
        } catch (MalformedPacketException e) {
            stack.drop(DropReason.IGMP_MALFORMED, iface.name(), packet);
            return;
        }
        stack.buffers().recycle(packet);
        if (m.isQuery()) {
            query(iface, m);
        } else if (m.isReport()) {
            // RFC 2236 section 3: another member reported: stop our timer, we are no longer the last reporter.
            Group g = groups.get(key(iface, m.group().value()));
            if (g != null && g.timer.isArmed() && g.unsolicited == 0) {
                stack.timers().cancel(g.timer);
                g.lastReporter = false;
                stack.trace(TraceEvent.Kind.IGMP, iface.name(), "report for " + m.group() + " from " + ipv.source() + ": ours suppressed");
            }
        }
    }

    /**
     * RFC 2236 section 3: a general query starts a timer for every joined group but all-hosts, a
     * group-specific one for its group; a timer already running stays unless the new maximum is
     * shorter than what is left; each delay is random in [0, max response time].
     */
    private void query(NetInterface iface, IgmpMessage q) {
        int tenths = q.maxResponseTenths() == 0 ? V1_MAX_RESPONSE_TENTHS : q.maxResponseTenths();
        long maxNs = tenths * TENTH_NS;
        stack.trace(TraceEvent.Kind.IGMP, iface.name(), q.toString());
        for (Group g : groups.subMap(key(iface, 0), true, key(iface, -1), true).values()) {
            if (g.address.equals(ALL_HOSTS) || !q.group().isAny() && !q.group().equals(g.address)) {
                continue;
            }
            g.unsolicited = 0;
            if (g.timer.isArmed() && g.timer.deadlineNs() - stack.nowNs() <= maxNs) {
                continue;
            }
            startTimer(g, maxNs);
        }
    }

    private void startTimer(Group g, long maxNs) {
        long delay = maxNs <= 0 ? 0 : stack.random().nextLong(maxNs + 1);
        stack.timers().schedule(g.timer, stack.nowNs() + delay);
    }

    @Override
    public void icmpError(IcmpError error) {
        // RFC 1122 section 3.2.2: no ICMP error is sent about IGMP to a group; nothing to do.
    }

    // ---------------------------------------------------------------- output

    /** Sends {@code m} to {@code destination} out of {@code iface}: TTL 1, Router Alert, TOS 0xc0 (Linux igmp_send_report). */
    private void sendMessage(NetInterface iface, IgmpMessage m, Ipv4Address destination) {
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + ROUTER_ALERT.length();
        PacketBuffer b = stack.buffers().acquire(PacketBuffer.DEFAULT_HEADROOM, headerLength + IgmpMessage.LENGTH);
        if (b == null) {
            stack.drop(DropReason.NO_BUFFER, "igmp");
            return;
        }
        int at = b.append(headerLength + IgmpMessage.LENGTH);
        new Ipv4Header(0xc0, headerLength + IgmpMessage.LENGTH, ip.nextIdentification(), false, false, 0, 1,
                IpProtocol.IGMP, iface.address(), destination, ROUTER_ALERT).emit(b.array(), at);
        m.emit(b.array(), at + headerLength);
        stack.counters().increment(Counter.IpOutRequests);
        stack.trace(TraceEvent.Kind.IGMP, iface.name(), "send " + m);
        ip.outputMulticast(iface, destination.value(), b);
    }
}
