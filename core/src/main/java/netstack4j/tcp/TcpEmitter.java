package netstack4j.tcp;

import netstack4j.wire.Checksum;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.BufferPool;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpPacket;

/**
 * Builds outgoing TCP segments directly into a {@link PacketBuffer} (RFC 9293 section 3.1 layout,
 * field offsets from {@link TcpPacket}), without header records or option lists: the data path's
 * one allocation per segment is the buffer the IP layer and the device take ownership of. The
 * options come from a reused {@link SegmentOptions}, in Linux's order.
 *
 * <p>Stateless; safe from any thread.
 */
final class TcpEmitter {
    private TcpEmitter() {
    }

    /**
     * A segment with {@code payloadLength} bytes of room after the header; the caller copies the
     * payload to {@code buffer.offset() + headerLength(options)} and then calls {@link #finish}.
     *
     * @param window the 16-bit window field as sent (already scaled down)
     * @return the buffer, or null when the pool's limit is reached (see {@link BufferPool#acquire})
     */
    static PacketBuffer allocate(BufferPool pool, int sourcePort, int destinationPort, int seq, int ack, int flags,
                                 int window, SegmentOptions options, int payloadLength) {
        int header = headerLength(options);
        PacketBuffer b = pool.acquire(PacketBuffer.DEFAULT_HEADROOM, header + payloadLength);
        if (b == null) {
            return null;
        }
        int at = b.append(header + payloadLength);
        byte[] a = b.array();
        put16(a, at + TcpPacket.SOURCE_PORT, sourcePort);
        put16(a, at + TcpPacket.DESTINATION_PORT, destinationPort);
        put32(a, at + TcpPacket.SEQUENCE_NUMBER, seq);
        put32(a, at + TcpPacket.ACKNOWLEDGMENT_NUMBER, ack);
        a[at + TcpPacket.DATA_OFFSET] = (byte) ((header / 4) << 4);
        a[at + TcpPacket.FLAGS] = (byte) flags;
        put16(a, at + TcpPacket.WINDOW, Math.min(window, 0xffff));
        put16(a, at + TcpPacket.CHECKSUM, 0);
        put16(a, at + TcpPacket.URGENT_POINTER, 0);
        options.write(a, at + TcpPacket.OPTIONS);
        return b;
    }

    /** Header length of a segment built with {@code options}. */
    static int headerLength(SegmentOptions options) {
        return TcpPacket.MIN_HEADER_LENGTH + options.length();
    }

    /**
     * Leaves the checksum (RFC 9293 section 3.1: over the pseudo-header, header and payload) to be
     * completed on the way out, the pseudo-header part in place ({@link PacketBuffer#checksumPartial}).
     */
    static void finish(PacketBuffer b, int sourceIp, int destinationIp) {
        // CHECKSUM_PARTIAL, as tcp_v4_send_check leaves it: the field holds the pseudo-header sum
        // and the device (or skb_checksum_help before a device that cannot) adds the segment.
        int pseudo = Checksum.pseudoHeaderSum(sourceIp, destinationIp, IpProtocol.TCP, b.length());
        put16(b.array(), b.offset() + TcpPacket.CHECKSUM, ~Checksum.fold(pseudo) & 0xffff);
        b.setChecksumPartial(true);
    }

    private static void put16(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 8);
        a[at + 1] = (byte) v;
    }

    private static void put32(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 24);
        a[at + 1] = (byte) (v >>> 16);
        a[at + 2] = (byte) (v >>> 8);
        a[at + 3] = (byte) v;
    }
}
