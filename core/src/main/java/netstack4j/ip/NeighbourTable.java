package netstack4j.ip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.time.Timer;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * The ARP cache (RFC 826) with the neighbour states Linux uses ({@code ip neigh}): an unknown
 * neighbour is INCOMPLETE while broadcast requests go out every {@code retrans_time}, packets for
 * it wait in a bounded queue; a reply makes it REACHABLE for {@code base_reachable_time} after the
 * last confirmation (a reply, or an upper layer's forward progress: {@link #confirm}), after
 * which it is STALE (or DELAY when just used). A request from a neighbour only makes it STALE.
 * A STALE neighbour is still used; its first use moves it to DELAY, and without a confirmation
 * within {@code delay_first_probe_time} to PROBE: unicast probes which, unanswered, remove it.
 * These are Linux's NUD states and neigh_timer_handler's rules (RFC 4861 section 7.3 has the
 * same machine for IPv6). When resolution fails the queued packets are dropped and their senders told with
 * ICMP host unreachable (RFC 1122 section 2.3.2.1, as Linux's {@code arp_error_report} does).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class NeighbourTable {
    /** Neighbour states, named as {@code ip neigh} prints them. */
    public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED, PERMANENT }

    /** Unused STALE entries are forgotten after this long (Linux gc_stale_time, 60 s). */
    static final long GC_STALE_TIME_NS = 60_000_000_000L;
    /** A used STALE neighbour waits this long for a confirmation before it is probed (Linux delay_first_probe_time). */
    static final long DELAY_PROBE_TIME_NS = 5_000_000_000L;
    /** Unicast probes of a STALE neighbour before it is given up (Linux ucast_solicit, 3). */
    static final int UCAST_SOLICIT = 3;
    /** Linux's neigh/default/gc_thresh3: the most entries the table holds. */
    static final int GC_THRESH3 = 1024;
    private long tableFulls;

    /** Called for each packet dropped because its neighbour could not be resolved. */
    public interface FailureHandler {
        void unresolved(NetInterface iface, PacketBuffer ipPacket);
    }

    private final NetStack stack;
    private final FailureHandler failureHandler;
    private final LongKeyMap<Entry> entries = new LongKeyMap<>();
    private final DeviceOutput output;

    public NeighbourTable(NetStack stack, FailureHandler failureHandler) {
        this.stack = stack;
        this.failureHandler = failureHandler;
        this.output = new DeviceOutput(stack);
    }

    /** A snapshot of one entry, as {@code ip neigh} shows it. */
    public record Neighbour(String ifname, Ipv4Address address, MacAddress mac, State state) {
        @Override
        public String toString() {
            return address + " dev " + ifname + (mac != null ? " lladdr " + mac : "") + " " + state;
        }
    }

    private final class Entry {
        final NetInterface iface;
        final Ipv4Address address;
        MacAddress mac;
        State state;
        int probesSent;
        long lastUsedNs;
        /** When a reply or an upper layer last confirmed the neighbour reachable (Linux neigh->confirmed). */
        long confirmedNs = Long.MIN_VALUE;
        long reachableNs;
        final ArrayDeque<PacketBuffer> pending = new ArrayDeque<>();
        int pendingBytes;
        final Timer timer;

        Entry(NetInterface iface, Ipv4Address address) {
            this.iface = iface;
            this.address = address;
            this.timer = new Timer("arp " + address, this::onTimer);
        }

        void onTimer() {
            NeighbourTable.this.onTimer(this);
        }
    }

    private static long key(NetInterface iface, Ipv4Address a) {
        return key(iface, a.value());
    }

    private static long key(NetInterface iface, int a) {
        return ((long) iface.index() << 32) | (a & 0xffffffffL);
    }

    /**
     * Sends the IP packet in {@code ipPacket} to {@code nextHop} on {@code iface}, resolving the
     * neighbour's MAC address first when needed. Takes ownership of the buffer.
     */
    public void send(NetInterface iface, Ipv4Address nextHop, PacketBuffer ipPacket) {
        send(iface, nextHop.value(), ipPacket);
    }

    /** {@link #send(NetInterface, Ipv4Address, PacketBuffer)} on a raw address (no allocation once resolved). */
    public void send(NetInterface iface, int nextHop, PacketBuffer ipPacket) {
        if ((nextHop & 0xf000_0000) == 0xe000_0000) {
            // RFC 1112 section 6.4: a group needs no resolution; its MAC is 01:00:5e + the low 23 bits.
            transmitIp(iface, MacAddress.multicast(nextHop), ipPacket);
            return;
        }
        if (nextHop == -1 || nextHop == iface.subnet().broadcastInt()) {
            stack.counters().increment(netstack4j.stack.Counter.IpExtOutBcastPkts);
            transmitIp(iface, MacAddress.BROADCAST, ipPacket);
            return;
        }
        long k = key(iface, nextHop);
        Entry e = entries.get(k);
        long now = stack.nowNs();
        if (e == null) {
            e = newEntry(k, iface, new Ipv4Address(nextHop));
            if (e == null) {
                stack.drop(DropReason.ARP_TABLE_FULL, iface.name(), ipPacket);
                return;
            }
            e.state = State.INCOMPLETE;
            enqueue(e, ipPacket);
            solicit(e);
            return;
        }
        e.lastUsedNs = now;
        switch (e.state) {
            case INCOMPLETE -> enqueue(e, ipPacket);
            case REACHABLE, DELAY, PROBE, PERMANENT -> transmitIp(iface, e.mac, ipPacket);
            case STALE -> {
                // Used at once; verified only if nothing confirms it within the delay (NUD_DELAY).
                transmitIp(iface, e.mac, ipPacket);
                e.state = State.DELAY;
                stack.timers().schedule(e.timer, now + DELAY_PROBE_TIME_NS);
            }
            case FAILED -> {
                e.state = State.INCOMPLETE;
                e.probesSent = 0;
                enqueue(e, ipPacket);
                solicit(e);
            }
        }
    }

    /**
     * Queues {@code p} until {@code e} resolves. As Linux's __neigh_event_send, each packet is
     * charged its truesize (the whole buffer it pins, not its length) against unres_qlen_bytes,
     * and the oldest queued packets are dropped to make room.
     */
    /**
     * A new entry, as Linux's neigh_alloc: at gc_thresh3 entries a forced collection
     * (neigh_forced_gc) first forgets those nobody waits on (FAILED, and STALE ones); if the
     * table is still full the neighbour is refused ("neighbor table overflow", table_fulls), so
     * a flood from spoofed addresses cannot grow the table, nor the packets queued in it,
     * without bound.
     */
    private Entry newEntry(long k, NetInterface iface, Ipv4Address address) {
        if (entries.size() >= GC_THRESH3) {
            List<Entry> unused = new ArrayList<>();
            for (Entry x : entries.values()) {
                if (x.state == State.FAILED || x.state == State.STALE) {
                    unused.add(x);
                }
            }
            for (Entry x : unused) {
                stack.timers().cancel(x.timer);
                entries.remove(key(x.iface, x.address));
            }
            if (entries.size() >= GC_THRESH3) {
                tableFulls++;
                return null;
            }
        }
        Entry e = new Entry(iface, address);
        entries.put(k, e);
        return e;
    }

    /** Neighbours refused because the table was full ({@code ip -s ntable}'s table_fulls). */
    public long tableFulls() {
        return tableFulls;
    }

    private void enqueue(Entry e, PacketBuffer p) {
        int limit = stack.config().arpUnresQlenBytes();
        int size = p.truesize();
        while (!e.pending.isEmpty() && e.pendingBytes + size > limit) {
            PacketBuffer old = e.pending.removeFirst();
            e.pendingBytes -= old.truesize();
            stack.drop(DropReason.ARP_QUEUE_FULL, e.iface.name(), old);
        }
        if (size > limit) {
            stack.drop(DropReason.ARP_QUEUE_FULL, e.iface.name(), p);
            return;
        }
        e.pending.addLast(p);
        e.pendingBytes += size;
    }

    /** Sends one ARP request for {@code e} (broadcast while INCOMPLETE, unicast when probing). */
    private void solicit(Entry e) {
        e.probesSent++;
        MacAddress to = e.state == State.PROBE ? e.mac : MacAddress.BROADCAST;
        sendArp(e.iface, ArpOperation.REQUEST, to, MacAddress.ZERO, e.address);
        stack.timers().schedule(e.timer, stack.nowNs() + stack.config().arpRetransTimeNs());
        traceArp(e.iface, "who-has " + e.address + " tell " + e.iface.address()
                + (to.isBroadcast() ? "" : " (unicast probe)") + ", try " + e.probesSent);
    }

    private void onTimer(Entry e) {
        switch (e.state) {
            case INCOMPLETE -> {
                if (e.probesSent < stack.config().arpMcastSolicit()) {
                    solicit(e);
                } else {
                    fail(e);
                }
            }
            case PROBE -> {
                if (e.probesSent < UCAST_SOLICIT) {
                    solicit(e);
                } else {
                    fail(e);
                }
            }
            case REACHABLE -> {
                long now = stack.nowNs();
                if (confirmedWithin(e, now, e.reachableNs)) {
                    // Confirmed since the timer was set: still reachable.
                    stack.timers().schedule(e.timer, e.confirmedNs + e.reachableNs);
                } else if (now - e.lastUsedNs < DELAY_PROBE_TIME_NS) {
                    e.state = State.DELAY;
                    stack.timers().schedule(e.timer, now + DELAY_PROBE_TIME_NS);
                } else {
                    e.state = State.STALE;
                    stack.timers().schedule(e.timer, now + GC_STALE_TIME_NS);
                    traceArp(e.iface, e.address + " is now STALE");
                }
            }
            case DELAY -> {
                long now = stack.nowNs();
                if (confirmedWithin(e, now, DELAY_PROBE_TIME_NS)) {
                    e.state = State.REACHABLE;
                    stack.timers().schedule(e.timer, e.confirmedNs + e.reachableNs);
                } else {
                    e.state = State.PROBE;
                    e.probesSent = 0;
                    solicit(e);
                }
            }
            case STALE, FAILED -> entries.remove(key(e.iface, e.address));
        }
    }

    /** Whether {@code e} was confirmed less than {@code windowNs} ago (never-confirmed entries were not). */
    private static boolean confirmedWithin(Entry e, long now, long windowNs) {
        return e.confirmedNs != Long.MIN_VALUE && now - e.confirmedNs < windowNs;
    }

    private void fail(Entry e) {
        e.state = State.FAILED;
        entries.remove(key(e.iface, e.address));
        traceArp(e.iface, "resolution of " + e.address + " failed after " + e.probesSent + " requests");
        List<PacketBuffer> dropped = new ArrayList<>(e.pending);
        e.pending.clear();
        e.pendingBytes = 0;
        for (PacketBuffer p : dropped) {
            stack.drop(DropReason.ARP_UNRESOLVED, e.iface.name());
            failureHandler.unresolved(e.iface, p);
            stack.buffers().recycle(p);
        }
    }

    /** Handles a received ARP message (RFC 826, "Packet Reception"). */
    public void receive(NetInterface iface, ArpMessage m) {
        Ipv4Address spa = m.senderProtocolAddress();
        Ipv4Address tpa = m.targetProtocolAddress();
        boolean forUs = tpa.equals(iface.address());
        boolean gratuitous = spa.equals(tpa);
        if (spa.isAny() || spa.isBroadcast() || spa.isMulticast() || m.senderHardwareAddress().isMulticast()) {
            stack.drop(DropReason.ARP_MALFORMED, iface.name());
            return;
        }
        // RFC 826: if the sender is already in the table, update its hardware address (merge).
        // As Linux's arp_process and neigh_update: a reply confirms the neighbour (REACHABLE); a
        // request only shows it exists (STALE) and leaves a valid entry with the same address as
        // it was.
        boolean reply = m.operation() == ArpOperation.REPLY;
        long k = key(iface, spa);
        Entry e = entries.get(k);
        boolean merged = false;
        if (e != null) {
            if (e.state != State.PERMANENT) { // an administrator's entry is not changed by ARP
                learn(e, m.senderHardwareAddress(), reply);
            }
            merged = true;
        }
        if (!forUs) {
            // A request for another host is ordinary broadcast traffic: consumed, not a drop.
            if (gratuitous) {
                traceArp(iface, "gratuitous ARP from " + spa + " is-at " + m.senderHardwareAddress());
            }
            return;
        }
        // RFC 826: "Am I the target protocol address? If Merge_flag is false, add the triplet."
        if (!merged) {
            e = newEntry(k, iface, spa);
            if (e == null) {
                stack.drop(DropReason.ARP_TABLE_FULL, iface.name());
                return;
            }
            learn(e, m.senderHardwareAddress(), reply);
        }
        if (m.operation() == ArpOperation.REQUEST) {
            traceArp(iface, "request who-has " + tpa + " tell " + spa + ": reply " + tpa + " is-at " + iface.macAddress());
            sendArp(iface, ArpOperation.REPLY, m.senderHardwareAddress(), m.senderHardwareAddress(), spa);
        } else {
            traceArp(iface, "reply " + spa + " is-at " + m.senderHardwareAddress());
        }
    }

    private void learn(Entry e, MacAddress mac, boolean confirmed) {
        long now = stack.nowNs();
        boolean valid = e.mac != null && e.state != State.INCOMPLETE && e.state != State.FAILED;
        boolean sameAddress = valid && e.mac.equals(mac);
        e.mac = mac;
        if (confirmed) {
            e.state = State.REACHABLE;
            e.probesSent = 0;
            e.confirmedNs = now;
            // Linux randomises reachable time in [base/2, 3*base/2] (neigh_rand_reach_time).
            long base = stack.config().arpReachableTimeNs();
            e.reachableNs = base / 2 + (base > 0 ? stack.random().nextLong(base) : 0);
            stack.timers().schedule(e.timer, now + e.reachableNs);
        } else if (!sameAddress) {
            // neigh_update(NUD_STALE): usable at once, verified on first use, forgotten if unused.
            e.state = State.STALE;
            e.probesSent = 0;
            stack.timers().schedule(e.timer, now + GC_STALE_TIME_NS);
        }
        while (!e.pending.isEmpty()) {
            PacketBuffer p = e.pending.removeFirst();
            transmitIp(e.iface, mac, p);
        }
        e.pendingBytes = 0;
    }

    /**
     * {@code ip neigh replace ADDRESS lladdr MAC dev IFACE nud permanent}: a static entry, never
     * probed, aged or changed by ARP.
     */
    public void addPermanent(NetInterface iface, Ipv4Address address, MacAddress mac) {
        long k = key(iface, address);
        Entry e = entries.get(k);
        if (e == null) {
            e = new Entry(iface, address);
            entries.put(k, e);
        }
        stack.timers().cancel(e.timer);
        e.mac = mac;
        e.state = State.PERMANENT;
        e.probesSent = 0;
        while (!e.pending.isEmpty()) {
            transmitIp(iface, mac, e.pending.removeFirst());
        }
        e.pendingBytes = 0;
    }

    /**
     * An upper layer saw forward progress with {@code address} (TCP's new ACKs, as Linux's
     * neigh_confirm from sk_dst_confirm): the neighbour is reachable, so the timers keep it
     * REACHABLE without probing.
     */
    public void confirm(NetInterface iface, int address) {
        Entry e = entries.get(key(iface, address));
        if (e != null && e.mac != null) {
            e.confirmedNs = stack.nowNs();
        }
    }

    /** Announces {@code iface}'s address with a gratuitous ARP request ({@code arping -U}). */
    public void announce(NetInterface iface) {
        traceArp(iface, "gratuitous ARP: " + iface.address() + " is-at " + iface.macAddress());
        sendArp(iface, ArpOperation.REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, iface.address());
    }

    private void sendArp(NetInterface iface, ArpOperation op, MacAddress ethDst, MacAddress tha, Ipv4Address tpa) {
        ArpMessage msg = new ArpMessage(op, iface.macAddress(), iface.address(), tha, tpa);
        PacketBuffer b = PacketBuffer.allocate(EthernetPacket.HEADER_LENGTH, ArpMessage.LENGTH);
        int at = b.append(ArpMessage.LENGTH);
        msg.emit(b.array(), at);
        int eth = b.prepend(EthernetPacket.HEADER_LENGTH);
        new EthernetHeader(ethDst, iface.macAddress(), EtherType.ARP).emit(b.array(), eth);
        transmitFrame(iface, b);
    }

    /** Hands a frame to the device, through software segmentation when it needs it ({@link DeviceOutput}). */
    void transmitFrame(NetInterface iface, PacketBuffer frame) {
        output.transmit(iface, frame);
    }

    private void transmitIp(NetInterface iface, MacAddress dst, PacketBuffer ipPacket) {
        int at = ipPacket.prepend(EthernetPacket.HEADER_LENGTH);
        byte[] a = ipPacket.array();
        dst.write(a, at);
        iface.macAddress().write(a, at + 6);
        a[at + 12] = (byte) (EtherType.IPV4 >>> 8);
        a[at + 13] = (byte) EtherType.IPV4;
        transmitFrame(iface, ipPacket);
    }

    /** The MAC address of {@code address} on {@code iface} if it is known and usable. */
    public MacAddress lookup(NetInterface iface, Ipv4Address address) {
        Entry e = entries.get(key(iface, address));
        return e == null || e.mac == null || e.state == State.INCOMPLETE ? null : e.mac;
    }

    /** The table as {@code ip neigh} would list it, sorted by interface then address. */
    public List<Neighbour> neighbours() {
        List<Neighbour> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new Neighbour(e.iface.name(), e.address, e.mac, e.state));
        }
        out.sort((a, b) -> a.ifname().equals(b.ifname()) ? a.address().compareTo(b.address()) : a.ifname().compareTo(b.ifname()));
        return out;
    }

    private void traceArp(NetInterface iface, String detail) {
        stack.trace(TraceEvent.Kind.ARP, iface.name(), detail);
    }
}
