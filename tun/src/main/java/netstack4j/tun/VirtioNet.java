package netstack4j.tun;

import netstack4j.wire.Checksum;

/**
 * The {@code virtio_net_hdr} that a TUN/TAP device opened with {@code IFF_VNET_HDR} puts in front
 * of every packet ({@code <linux/virtio_net.h>}, the legacy layout, native byte order), and what
 * the receiving side must do with the offloads {@code TUNSETOFFLOAD} allowed the kernel to leave
 * to it: finish a checksum the kernel left partial ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}, as
 * Linux's {@code skb_checksum_help} does) and cut a TCP super-segment into segments of
 * {@code gso_size} bytes of payload ({@code VIRTIO_NET_HDR_GSO_TCPV4}, as {@code tcp_gso_segment}
 * and {@code inet_gso_segment} do in software).
 *
 * <pre>
 *  0        1          2          4           6            8             10
 *  | flags  | gso_type | hdr_len  | gso_size  | csum_start | csum_offset |
 * </pre>
 *
 * <p>Thread-safe (stateless).
 */
final class VirtioNet {
    static final int HEADER_BYTES = 10;
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    /** gso_type bit: the super-segment had CWR set (RFC 3168), only its first segment keeps it. */
    static final int GSO_ECN = 0x80;

    private VirtioNet() {
    }

    /** Receives one segment cut from a super-segment: {@code b[off, off+len)}, reused after the call. */
    interface SegmentSink extends netstack4j.link.Gso.SegmentSink {
    }

    /**
     * Finishes a partial checksum in place: the field at {@code csumStart + csumOffset} holds the
     * pseudo-header sum, and the checksum covers everything from {@code csumStart} to the end.
     * Offsets are relative to {@code off}. False when they point outside the packet.
     */
    static boolean completeChecksum(byte[] b, int off, int len, int csumStart, int csumOffset) {
        int field = csumStart + csumOffset;
        if (csumStart < 0 || field + 2 > len) {
            return false;
        }
        int c = Checksum.fold(Checksum.sum(b, off + csumStart, len - csumStart, 0));
        b[off + field] = (byte) (c >>> 8);
        b[off + field + 1] = (byte) c;
        return true;
    }

    /**
     * Cuts the IPv4/TCP super-segment at {@code pkt[off, off+len)} (after {@code linkHeader}
     * bytes of Ethernet, or none) into segments of at most {@code gsoSize} bytes of payload, each
     * with its own IP length, identification (+1 per segment) and header checksum, sequence number
     * and TCP checksum; FIN and PSH stay on the last segment only, CWR on the first only. Each is
     * built in {@code out} and handed to {@code sink}. Returns the number of segments, or -1 for a
     * packet that is not IPv4/TCP with whole headers.
     */
    static int segmentTcp4(byte[] pkt, int off, int len, int linkHeader, int gsoSize, byte[] out, SegmentSink sink) {
        return netstack4j.link.Gso.segmentTcp4(pkt, off, len, linkHeader, gsoSize, out, sink);
    }

    static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
