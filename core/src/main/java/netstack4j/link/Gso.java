package netstack4j.link;

import netstack4j.wire.Checksum;
import netstack4j.wire.TcpFlags;

/**
 * Software segmentation of a TCP/IPv4 super-segment, as Linux's {@code skb_gso_segment} with
 * {@code inet_gso_segment} and {@code tcp_gso_segment} do for a device without TSO (and as a TSO
 * device does in hardware): each segment gets a copy of the headers, at most {@code gsoSize}
 * bytes of payload, its own IP total length, identification (the first one's plus its index,
 * as {@code inet_gso_segment} numbers them) and header checksum, the sequence number advanced
 * by the payload before it, and its own TCP checksum; FIN and PSH stay on the last segment only,
 * CWR on the first only ({@code tcp_gso_segment}).
 *
 * <p>Stateless and allocation-free: every segment is built in the caller's {@code out} array and
 * handed to the sink, which must copy what it keeps. Safe from any thread.
 */
public final class Gso {

    private Gso() {
    }

    /** Receives one segment: {@code b[off, off+len)}, reused after the call. */
    @FunctionalInterface
    public interface SegmentSink {
        void segment(byte[] b, int off, int len);
    }

    /**
     * Cuts the IPv4/TCP super-segment at {@code pkt[off, off+len)} (after {@code linkHeader}
     * bytes of Ethernet, or none, copied in front of each segment) into segments of at most
     * {@code gsoSize} bytes of payload. Returns the number of segments, or -1 for a packet that
     * is not IPv4/TCP with whole headers, or an {@code out} too small for one segment.
     */
    public static int segmentTcp4(byte[] pkt, int off, int len, int linkHeader, int gsoSize, byte[] out, SegmentSink sink) {
        int ip = off + linkHeader;
        if (len < linkHeader + 20 || (pkt[ip] & 0xf0) != 0x40 || pkt[ip + 9] != 6 || gsoSize <= 0) {
            return -1;
        }
        int ihl = (pkt[ip] & 0x0f) * 4;
        int tcp = ip + ihl;
        if (ihl < 20 || linkHeader + ihl + 20 > len) {
            return -1;
        }
        int doff = ((pkt[tcp + 12] >>> 4) & 0x0f) * 4;
        int headers = linkHeader + ihl + doff;
        if (doff < 20 || headers > len || out.length < headers + Math.min(gsoSize, len - headers)) {
            return -1;
        }
        int payload = len - headers;
        int seq0 = getInt(pkt, tcp + 4);
        int id0 = getShort(pkt, ip + 4);
        int flags0 = pkt[tcp + 13] & 0xff;
        int src = getInt(pkt, ip + 12);
        int dst = getInt(pkt, ip + 16);
        int count = 0;
        for (int pos = 0; pos < payload || count == 0; pos += gsoSize) {
            int n = Math.min(gsoSize, payload - pos);
            boolean last = pos + n >= payload;
            System.arraycopy(pkt, off, out, 0, headers);
            System.arraycopy(pkt, off + headers + pos, out, headers, n);
            int oip = linkHeader;
            int otcp = oip + ihl;
            putShort(out, oip + 2, ihl + doff + n);
            putShort(out, oip + 4, id0 + count);
            putShort(out, oip + 10, 0);
            putShort(out, oip + 10, Checksum.compute(out, oip, ihl));
            putInt(out, otcp + 4, seq0 + pos);
            int flags = flags0;
            if (!last) {
                flags &= ~(TcpFlags.FIN | TcpFlags.PSH);
            }
            if (count > 0) {
                flags &= ~TcpFlags.CWR;
            }
            out[otcp + 13] = (byte) flags;
            putShort(out, otcp + 16, 0);
            int pseudo = Checksum.pseudoHeaderSum(src, dst, 6, doff + n);
            putShort(out, otcp + 16, Checksum.fold(Checksum.sum(out, otcp, doff + n, pseudo)));
            sink.segment(out, 0, headers + n);
            count++;
            if (n == 0) {
                break;
            }
        }
        return count;
    }

    /** How many segments {@code payload} bytes make at {@code gsoSize} each (skb_shinfo gso_segs); 1 for none. */
    public static int segments(int payload, int gsoSize) {
        return payload <= 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
    }

    /** The big-endian 16-bit value at {@code b[at]}. */
    public static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /** The big-endian 32-bit value at {@code b[at]}. */
    public static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
