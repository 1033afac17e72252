package netstack4j.packetdrill;

import netstack4j.wire.Ipv4Address;

/**
 * A one-line, packetdrill-like description of a captured IPv4 packet, for failure messages and
 * {@code --verbose}: {@code 192.168.0.1:8080 > 192.0.2.1:40000 S. 123:123(0) ack 1 win 65535},
 * {@code udp (20)}, {@code icmp type 3 code 3}. Sequence numbers are as on the wire.
 *
 * <p>Stateless; safe from any thread.
 */
final class PacketSummary {
    private PacketSummary() {
    }

    static String describe(byte[] ip) {
        if (ip.length < 20) {
            return "runt IPv4 packet of " + ip.length + " bytes";
        }
        int ihl = (ip[0] & 0x0f) * 4;
        int protocol = ip[9] & 0xff;
        String src = Ipv4Address.read(ip, 12).toString();
        String dst = Ipv4Address.read(ip, 16).toString();
        int total = Math.min(Packets.get16(ip, 2), ip.length);
        switch (protocol) {
            case Packets.TCP -> {
                int off = ihl;
                int flags = ip[off + 13] & 0xff;
                int dataOffset = (ip[off + 12] & 0xf0) >>> 2;
                int len = total - ihl - dataOffset;
                long seq = Packets.get32(ip, off + 4);
                StringBuilder b = new StringBuilder();
                b.append(src).append(':').append(Packets.get16(ip, off)).append(" > ").append(dst).append(':')
                        .append(Packets.get16(ip, off + 2)).append(' ').append(flagLetters(flags)).append(' ')
                        .append(seq).append(':').append((seq + len) & 0xffffffffL).append('(').append(len).append(')');
                if ((flags & PacketPlayer.ACK) != 0) {
                    b.append(" ack ").append(Packets.get32(ip, off + 8));
                }
                b.append(" win ").append(Packets.get16(ip, off + 14));
                return b.toString();
            }
            case Packets.UDP -> {
                return src + ":" + Packets.get16(ip, ihl) + " > " + dst + ":" + Packets.get16(ip, ihl + 2)
                        + " udp (" + (Packets.get16(ip, ihl + 4) - 8) + ")";
            }
            case Packets.ICMP -> {
                return src + " > " + dst + " icmp type " + (ip[ihl] & 0xff) + " code " + (ip[ihl + 1] & 0xff);
            }
            default -> {
                return src + " > " + dst + " protocol " + protocol + " (" + (total - ihl) + ")";
            }
        }
    }

    static String flagLetters(int flags) {
        StringBuilder b = new StringBuilder();
        String letters = "FSRP.UEW";
        int[] order = {1, 0, 2, 3, 5, 6, 7, 4};
        for (int i : order) {
            if ((flags & (1 << i)) != 0) {
                b.append(letters.charAt(i));
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }
}
