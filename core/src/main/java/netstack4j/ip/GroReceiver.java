package netstack4j.ip;

import netstack4j.link.FrameHandler;
import netstack4j.link.Gro;
import netstack4j.link.Gso;
import netstack4j.link.NetworkDevice;
import netstack4j.stack.NetStack;
import netstack4j.wire.Checksum;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;

/**
 * Generic receive offload for TCP/IPv4, between the devices and {@link Ipv4Layer} as Linux's
 * {@code napi_gro_receive} is between a driver's poll and {@code __netif_receive_skb}: on a
 * device with GRO on, in-order segments of one flow that arrive in the same receive batch are
 * merged into one packet that goes up once, marked with the gso size of its first segment (which
 * TCP uses to measure rcv_mss and count segments) and with its checksum verified
 * (CHECKSUM_UNNECESSARY: every segment's was checked here before it merged). The merge rules are
 * {@link Gro}'s ({@code inet_gro_receive}, {@code tcp_gro_receive}); at most
 * {@value #MAX_HELD} flows are held at once ({@code MAX_GRO_SKBS}), the oldest going up when a
 * ninth arrives; the end of the batch ({@link #onBatchEnd}, {@code napi_gro_flush}) sends up
 * everything held. A frame that cannot merge (not TCP/IPv4 without options, no payload, a bad
 * checksum, not for one of this host's addresses, GRO off, or a device that does not end its
 * receive batches, {@link NetworkDevice#endsReceiveBatches}) first sends up what its device holds,
 * so that nothing is reordered, and then goes up itself as before.
 *
 * <p>Aggregates are built in one 64 KiB buffer per held flow, allocated the first time that
 * flow slot merges and reused: only traffic for this host merges, and TCP copies what it keeps
 * (the buffer is free again once {@link Ipv4Layer#onFrame} returns). Forwarded traffic is not
 * merged (Linux would merge it and cut it again with GSO on the way out).
 *
 * <p>Thread-compatible: owned by the stack's thread, like the {@link Ipv4Layer} it feeds.
 */
final class GroReceiver implements FrameHandler {
    /** MAX_GRO_SKBS: flows held at once per batch. */
    static final int MAX_HELD = 8;
    private static final int ETH = EthernetPacket.HEADER_LENGTH;
    /** The largest IP packet an aggregate may become (the IPv4 total length field). */
    private static final int MAX_IP = 65535;

    private final NetStack stack;
    private final Ipv4Layer ip;
    /** Held flows in arrival order, then the free slots. */
    private final Held[] slots = new Held[MAX_HELD];
    private int held;

    /** One held flow: its first frame as it came until a second segment merges, then the aggregate. */
    private static final class Held {
        NetworkDevice device;
        PacketBuffer first;
        /** The aggregate (Ethernet header included); allocated once per slot, reused. */
        PacketBuffer merged;
        boolean merging;
        int payload;
        int gsoSize;
        int segments;
    }

    GroReceiver(NetStack stack, Ipv4Layer ip) {
        this.stack = stack;
        this.ip = ip;
        for (int i = 0; i < MAX_HELD; i++) {
            slots[i] = new Held();
        }
    }

    @Override
    public boolean holdsFrames() {
        return held > 0;
    }

    @Override
    public void onFrame(NetworkDevice device, PacketBuffer frame) {
        byte[] a = frame.array();
        int ipOff = frame.offset() + ETH;
        int ipLen = frame.length() - ETH;
        if (!device.features().gro() || !device.endsReceiveBatches() || !candidate(device, frame)) {
            flush(device);
            ip.onFrame(device, frame);
            return;
        }
        Held h = find(device, a, ipOff);
        if (h != null) {
            PacketBuffer hb = h.merging ? h.merged : h.first;
            int decision = Gro.decide(hb.array(), hb.offset() + ETH, hb.length() - ETH, h.payload, h.gsoSize, a, ipOff, ipLen);
            if (decision != Gro.FLUSH_HELD) {
                append(h, frame);
                if (decision == Gro.MERGE_AND_FLUSH) {
                    deliver(h);
                }
                return;
            }
            deliver(h);
        }
        int payload = payload(a, ipOff);
        if (Gro.flushesAlone(a, ipOff, ipLen) || Gso.getShort(a, ipOff + 2) + payload > MAX_IP) {
            ip.onFrame(device, frame); // could not take another segment of its size anyway
            return;
        }
        hold(device, frame, payload);
    }

    @Override
    public void onBatchEnd(NetworkDevice device) {
        flush(device);
    }

    /** Sends up everything {@code device} holds, oldest first. */
    private void flush(NetworkDevice device) {
        for (int i = 0; i < held; ) {
            if (slots[i].device == device) {
                deliver(slots[i]); // removes slot i: the next one moves into it
            } else {
                i++;
            }
        }
    }

    /**
     * Whether the frame may be held: Ethernet to this device's address, IPv4 without options and not fragmented, for one
     * of this host's addresses, TCP with payload and a correct checksum (a damaged segment goes
     * up alone for TCP to count as TcpInCsumErrors).
     */
    private boolean candidate(NetworkDevice device, PacketBuffer frame) {
        byte[] a = frame.array();
        int off = frame.offset();
        int len = frame.length();
        if (len < ETH + 40 || Gso.getShort(a, off + 12) != EtherType.IPV4) {
            return false;
        }
        long dstMac = (long) Gso.getShort(a, off) << 32 | Gso.getInt(a, off + 2) & 0xffff_ffffL;
        if (dstMac != device.macAddress().value()) {
            return false; // broadcast, multicast or another host's: Ipv4Layer judges it alone
        }
        int ipOff = off + ETH;
        if (!Gro.isPlainTcp4(a, ipOff, len - ETH) || payload(a, ipOff) == 0 || Checksum.compute(a, ipOff, 20) != 0) {
            return false;
        }
        int dst = Gso.getInt(a, ipOff + 16);
        if (!stack.isLocalAddress(dst) || (dst >>> 24) == 127) {
            return false;
        }
        int tcpLen = Gso.getShort(a, ipOff + 2) - 20;
        if (frame.checksumPartial()) {
            return true; // from a peer that never damages packets (a veth): trusted as TCP will
        }
        int pseudo = Checksum.pseudoHeaderSum(Gso.getInt(a, ipOff + 12), dst, 6, tcpLen);
        return Checksum.fold(Checksum.sum(a, ipOff + 20, tcpLen, pseudo)) == 0;
    }

    private Held find(NetworkDevice device, byte[] a, int ipOff) {
        for (int i = 0; i < held; i++) {
            Held h = slots[i];
            PacketBuffer hb = h.merging ? h.merged : h.first;
            int hOff = hb.offset() + ETH;
            byte[] b = hb.array();
            if (h.device == device && Gso.getInt(b, hOff + 12) == Gso.getInt(a, ipOff + 12)
                    && Gso.getInt(b, hOff + 16) == Gso.getInt(a, ipOff + 16) && Gso.getInt(b, hOff + 20) == Gso.getInt(a, ipOff + 20)) {
                return h;
            }
        }
        return null;
    }

    private void hold(NetworkDevice device, PacketBuffer frame, int payload) {
        if (held == MAX_HELD) {
            deliver(slots[0]); // gro_flush_oldest
        }
        Held h = slots[held++];
        h.device = device;
        h.first = frame;
        h.merging = false;
        h.payload = payload;
        h.gsoSize = payload;
        h.segments = 1;
    }

    /** Appends the payload of {@code frame} to {@code h} (tcp_gro_receive's skb_gro_receive), and frees the frame. */
    private void append(Held h, PacketBuffer frame) {
        if (!h.merging) {
            if (h.merged == null) {
                h.merged = PacketBuffer.allocate(0, ETH + MAX_IP);
            }
            PacketBuffer f = h.first;
            int length = ETH + Gso.getShort(f.array(), f.offset() + ETH + 2); // without Ethernet padding
            h.merged.setBounds(0, length);
            System.arraycopy(f.array(), f.offset(), h.merged.array(), 0, length);
            stack.buffers().recycle(f);
            h.first = null;
            h.merging = true;
        }
        byte[] a = frame.array();
        int ipOff = frame.offset() + ETH;
        int headers = 20 + (a[ipOff + 32] >>> 4 & 0x0f) * 4;
        int len = payload(a, ipOff);
        PacketBuffer m = h.merged;
        System.arraycopy(a, ipOff + headers, m.array(), m.append(len), len);
        // tcp_gro_receive: the aggregate carries the PSH and FIN of what merged into it.
        m.array()[m.offset() + ETH + 33] |= (byte) (a[ipOff + 33] & (TcpFlags.PSH | TcpFlags.FIN));
        h.payload += len;
        h.segments++;
        stack.buffers().recycle(frame);
    }

    /** Sends {@code h} up (an aggregate with its IP length, header checksum and gso size set) and frees its slot. */
    private void deliver(Held h) {
        int at = indexOf(h);
        System.arraycopy(slots, at + 1, slots, at, held - at - 1);
        slots[--held] = h;
        NetworkDevice device = h.device;
        h.device = null;
        if (!h.merging) {
            PacketBuffer f = h.first;
            h.first = null;
            f.setChecksumUnnecessary(true); // checked by candidate() when it was held
            ip.onFrame(device, f);
            return;
        }
        PacketBuffer m = h.merged;
        byte[] b = m.array();
        int ipOff = m.offset() + ETH;
        int total = m.length() - ETH;
        b[ipOff + 2] = (byte) (total >>> 8);
        b[ipOff + 3] = (byte) total;
        b[ipOff + 10] = 0;
        b[ipOff + 11] = 0;
        int sum = Checksum.compute(b, ipOff, 20);
        b[ipOff + 10] = (byte) (sum >>> 8);
        b[ipOff + 11] = (byte) sum;
        m.setGso(h.gsoSize, h.segments);
        m.setChecksumUnnecessary(true);
        h.merging = false;
        ip.onFrame(device, m);
        // Nothing kept the aggregate (local TCP copies its payload): ready for the slot's next merge.
        m.setGso(0, 1);
        m.setChecksumUnnecessary(false);
    }

    private int indexOf(Held h) {
        for (int i = 0; i < held; i++) {
            if (slots[i] == h) {
                return i;
            }
        }
        throw new IllegalStateException("not held");
    }

    private static int payload(byte[] a, int ipOff) {
        return Gso.getShort(a, ipOff + 2) - 20 - (a[ipOff + 32] >>> 4 & 0x0f) * 4;
    }
}
