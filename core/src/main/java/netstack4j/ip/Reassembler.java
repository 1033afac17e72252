package netstack4j.ip;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.time.Timer;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;

/**
 * IPv4 fragment reassembly (RFC 791 section 3.2, "reassembly procedure"; RFC 815 for the idea of
 * holes). Fragments are keyed by source, destination, protocol and identification. A datagram is
 * handed on only once every byte has arrived (N29). Limits, as Linux enforces them:
 * <ul>
 *   <li>a datagram not complete within {@code ipfrag_time} (30 s) is dropped; if its first fragment
 *       had arrived, ICMP time exceeded (fragment reassembly) goes to the sender (RFC 792,
 *       RFC 1122 section 3.3.2);</li>
 *   <li>the memory held by incomplete datagrams is bounded by {@code ipfrag_high_thresh}; past it
 *       new fragments are dropped;</li>
 *   <li>overlapping fragments: an exact duplicate is ignored; any other overlap discards the whole
 *       datagram (as Linux does since 4.19, and as RFC 5722 requires for IPv6);</li>
 *   <li>a datagram that would exceed 65535 bytes is discarded (the "ping of death").</li>
 * </ul>
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class Reassembler {
    /** Called when a datagram times out with its first fragment present. */
    public interface TimeoutHandler {
        void timedOut(NetInterface iface, PacketBuffer firstFragment);
    }

    private final NetStack stack;
    private final TimeoutHandler timeoutHandler;
    private final Map<Key, Datagram> queues = new HashMap<>();
    private long memoryBytes;

    public Reassembler(NetStack stack, TimeoutHandler timeoutHandler) {
        this.stack = stack;
        this.timeoutHandler = timeoutHandler;
    }

    private record Key(int source, int destination, int protocol, int identification) {
    }

    private final class Datagram {
        final Key key;
        final NetInterface iface;
        /** Fragment payloads by byte offset. */
        final TreeMap<Integer, byte[]> fragments = new TreeMap<>();
        /** The first fragment's whole IP packet (header + payload), kept for its header. */
        PacketBuffer first;
        int totalLength = -1;
        int received;
        long memory;
        final Timer timer;

        Datagram(Key key, NetInterface iface) {
            this.key = key;
            this.iface = iface;
            this.timer = new Timer("ipfrag", this::expire);
        }

        void expire() {
            Reassembler.this.expire(this);
        }
    }

    /** Bytes held by incomplete datagrams. */
    public long memoryBytes() {
        return memoryBytes;
    }

    public int pendingDatagrams() {
        return queues.size();
    }

    /**
     * Adds one fragment (the whole IP packet in {@code packet}, viewed by {@code ip}). Returns the
     * reassembled datagram as a complete IP packet once the last missing piece arrives, else null.
     */
    public PacketBuffer add(NetInterface iface, Ipv4Packet ip, PacketBuffer packet) {
        retained = false;
        PacketBuffer whole = addFragment(iface, ip, packet);
        if (!retained) {
            stack.buffers().recycle(packet); // its payload was copied, or it was refused
        }
        return whole;
    }

    /** Set by {@link #addFragment} when it keeps the packet itself (the first fragment's header). */
    private boolean retained;

    private PacketBuffer addFragment(NetInterface iface, Ipv4Packet ip, PacketBuffer packet) {
        stack.counters().increment(Counter.IpReasmReqds);
        Key key = new Key(ip.sourceInt(), ip.destinationInt(), ip.protocol(), ip.identification());
        int offset = ip.fragmentOffset();
        int length = ip.payloadLength();
        boolean last = !ip.moreFragments();
        String where = iface.name();

        if (offset + length > 65535 - ip.headerLength()) {
            Datagram d = queues.get(key);
            if (d != null) {
                discard(d);
            }
            fail(DropReason.IP_REASM_TOO_BIG, where);
            return null;
        }
        // RFC 791: every fragment but the last carries a multiple of 8 bytes.
        if (!last && (length & 7) != 0 || length == 0 && !last) {
            fail(DropReason.IP_BAD_HEADER, where);
            return null;
        }
        Datagram d = queues.get(key);
        if (d == null) {
            if (memoryBytes + packet.length() > stack.config().ipfragHighThreshBytes()) {
                fail(DropReason.IP_REASM_MEMORY, where);
                return null;
            }
            d = new Datagram(key, iface);
            queues.put(key, d);
            stack.timers().schedule(d.timer, stack.nowNs() + stack.config().ipfragTimeNs());
        }
        if (last) {
            int total = offset + length;
            if (d.totalLength >= 0 && d.totalLength != total || d.received > 0 && d.fragments.lastKey() + d.fragments.lastEntry().getValue().length > total) {
                discard(d);
                fail(DropReason.IP_REASM_OVERLAP, where);
                return null;
            }
            d.totalLength = total;
        } else if (d.totalLength >= 0 && offset + length > d.totalLength) {
            discard(d);
            fail(DropReason.IP_REASM_OVERLAP, where);
            return null;
        }
        byte[] existing = d.fragments.get(offset);
        if (existing != null && existing.length == length) {
            // An exact duplicate (a retransmission, or the network duplicated it): ignore it.
            return null;
        }
        var below = d.fragments.floorEntry(offset + length - 1);
        if (below != null && below.getKey() + below.getValue().length > offset) {
            discard(d);
            fail(DropReason.IP_REASM_OVERLAP, where);
            return null;
        }
        if (memoryBytes + packet.length() > stack.config().ipfragHighThreshBytes()) {
            discard(d);
            fail(DropReason.IP_REASM_MEMORY, where);
            return null;
        }
        byte[] data = new byte[length];
        System.arraycopy(ip.array(), ip.payloadOffset(), data, 0, length);
        d.fragments.put(offset, data);
        d.received += length;
        d.memory += packet.length();
        memoryBytes += packet.length();
        if (offset == 0) {
            d.first = packet;
            retained = true;
        }
        if (d.totalLength < 0 || d.received < d.totalLength || d.first == null) {
            return null;
        }
        return complete(d);
    }

    private PacketBuffer complete(Datagram d) {
        release(d);
        Ipv4Packet firstView = new Ipv4Packet().wrap(d.first.array(), d.first.offset(), d.first.length());
        int hlen = firstView.headerLength();
        PacketBuffer out = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, hlen + d.totalLength);
        int at = out.append(hlen + d.totalLength);
        byte[] a = out.array();
        System.arraycopy(d.first.array(), d.first.offset(), a, at, hlen);
        for (var f : d.fragments.entrySet()) {
            System.arraycopy(f.getValue(), 0, a, at + hlen + f.getKey(), f.getValue().length);
        }
        int total = hlen + d.totalLength;
        a[at + 2] = (byte) (total >>> 8);
        a[at + 3] = (byte) total;
        // Clear MF and the fragment offset, keep DF (RFC 791: the reassembled header is the first's).
        a[at + 6] &= 0x40;
        a[at + 7] = 0;
        new Ipv4Packet().wrap(a, at, total).updateChecksum();
        stack.buffers().recycle(d.first);
        d.first = null;
        stack.counters().increment(Counter.IpReasmOKs);
        if (stack.tracing()) {
            stack.trace(TraceEvent.Kind.REASSEMBLY, d.iface.name(), "reassembled id " + d.key.identification()
                    + " from " + d.fragments.size() + " fragments, " + d.totalLength + " bytes");
        }
        return out;
    }

    private void expire(Datagram d) {
        release(d);
        stack.counters().increment(Counter.IpReasmTimeout);
        stack.counters().increment(Counter.IpReasmFails);
        stack.drop(DropReason.IP_REASM_TIMEOUT, d.iface.name());
        if (d.first != null) {
            timeoutHandler.timedOut(d.iface, d.first);
            stack.buffers().recycle(d.first);
            d.first = null;
        }
    }

    private void discard(Datagram d) {
        release(d);
        if (d.first != null) {
            stack.buffers().recycle(d.first);
            d.first = null;
        }
    }

    private void release(Datagram d) {
        queues.remove(d.key);
        stack.timers().cancel(d.timer);
        memoryBytes -= d.memory;
        d.memory = 0;
    }

    private void fail(DropReason reason, String where) {
        stack.counters().increment(Counter.IpReasmFails);
        stack.drop(reason, where);
    }
}
