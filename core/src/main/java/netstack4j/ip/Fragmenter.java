package netstack4j.ip;

import java.util.ArrayList;
import java.util.List;
import netstack4j.wire.Ipv4Options;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;

/**
 * IPv4 fragmentation (RFC 791 section 3.2, "fragmentation procedure"; RFC 1122 section 3.3.2):
 * cuts one IP packet into fragments that fit {@code mtu}. Every fragment but the last carries a
 * multiple of 8 payload bytes; the first keeps all options, later ones only those whose copied
 * flag is set.
 */
public final class Fragmenter {
    private Fragmenter() {
    }

    /**
     * Fragments the IP packet viewed by {@code ip} (whose DF bit the caller has checked) into new
     * buffers, each a complete IP packet with headroom for the link header.
     */
    public static List<PacketBuffer> fragment(Ipv4Packet ip, int mtu) {
        int hlen = ip.headerLength();
        byte[] a = ip.array();
        int hdrAt = ip.offset();
        byte[] laterOptions = Ipv4Options.copiedOnFragment(
                new Ipv4Options(java.util.Arrays.copyOfRange(a, ip.optionsOffset(), ip.optionsOffset() + ip.optionsLength()))).bytes();
        int laterHlen = 20 + laterOptions.length;
        int payload = ip.payloadLength();
        int baseOffset = ip.fragmentOffset();
        boolean originalMf = ip.moreFragments();
        List<PacketBuffer> out = new ArrayList<>();
        int done = 0;
        while (done < payload) {
            int h = done == 0 ? hlen : laterHlen;
            int room = (mtu - h) & ~7;
            if (room <= 0) {
                throw new IllegalArgumentException("MTU " + mtu + " too small to fragment");
            }
            int len = Math.min(room, payload - done);
            boolean more = done + len < payload || originalMf;
            PacketBuffer f = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, h + len);
            int at = f.append(h + len);
            byte[] b = f.array();
            System.arraycopy(a, hdrAt, b, at, 20);
            if (done == 0) {
                System.arraycopy(a, hdrAt + 20, b, at + 20, hlen - 20);
            } else {
                System.arraycopy(laterOptions, 0, b, at + 20, laterOptions.length);
            }
            b[at] = (byte) (0x40 | (h / 4));
            int total = h + len;
            b[at + 2] = (byte) (total >>> 8);
            b[at + 3] = (byte) total;
            int off8 = (baseOffset + done) / 8;
            b[at + 6] = (byte) ((more ? 0x20 : 0) | (off8 >>> 8));
            b[at + 7] = (byte) off8;
            System.arraycopy(a, ip.payloadOffset() + done, b, at + h, len);
            new Ipv4Packet().wrap(b, at, total).updateChecksum();
            out.add(f);
            done += len;
        }
        return out;
    }
}
