package netstack4j.packetdrill;

import java.util.Map;
import netstack4j.wire.Checksum;
import netstack4j.wire.Ipv4Address;

/**
 * Raw IPv4 packets as the runner injects them: header fields written byte by byte so that a
 * script can set any of them, checksums correct.
 *
 * <p>Stateless; safe from any thread.
 */
final class Packets {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;

    private Packets() {
    }

    /** An IPv4 packet around {@code payload} (a transport header whose checksum is still zero). */
    static byte[] ipv4(int protocol, Ipv4Address src, Ipv4Address dst, int tos, int ttl, byte[] payload,
                       int checksumOffset) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        p[1] = (byte) tos;
        put16(p, 2, p.length);
        put16(p, 6, 0x4000); // DF, as Linux sends and packetdrill injects
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        src.write(p, 12);
        dst.write(p, 16);
        put16(p, 10, Checksum.compute(p, 0, 20));
        System.arraycopy(payload, 0, p, 20, payload.length);
        if (checksumOffset >= 0) {
            int sum = Checksum.pseudoHeaderSum(src, dst, protocol, payload.length);
            int c = Checksum.fold(Checksum.sum(p, 20, payload.length, sum));
            if (protocol == UDP && c == 0) {
                c = 0xffff;
            }
            put16(p, 20 + checksumOffset, c);
        }
        return p;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int get16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
    }

    static long get32(byte[] b, int off) {
        return ((long) get16(b, off) << 16 | get16(b, off + 2)) & 0xffffffffL;
    }

    /** The TOS byte a script's {@code [tos N]} / {@code [ect0]} fields ask for (0 when none). */
    static int tos(Map<String, String> ipFields) {
        int tos = 0;
        String t = ipFields.get("tos");
        if (t != null) {
            tos = (int) parseNumber(t);
        }
        String ecn = ipFields.get("ecn");
        if (ecn != null) {
            tos = tos & ~3 | ecnCodepoint(ecn);
        }
        return tos;
    }

    static int ecnCodepoint(String name) {
        return switch (name) {
            case "noecn" -> 0;
            case "ect1" -> 1;
            case "ect0" -> 2;
            case "ce" -> 3;
            default -> throw new UnsupportedFeature("IP field [" + name + "]");
        };
    }

    static long parseNumber(String text) {
        String t = text.trim();
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new UnsupportedFeature("number '" + text + "'");
        }
    }

    /** Whether the IPv4 header checksum and the transport checksum of {@code ip} are right. */
    static String checksumError(byte[] ip) {
        int ihl = (ip[0] & 0x0f) * 4;
        if (Checksum.compute(ip, 0, ihl) != 0) {
            return "bad IPv4 header checksum";
        }
        int protocol = ip[9] & 0xff;
        int total = get16(ip, 2);
        int len = total - ihl;
        if (protocol == TCP || protocol == UDP) {
            if (protocol == UDP && get16(ip, ihl + 6) == 0) {
                return null;
            }
            Ipv4Address src = Ipv4Address.read(ip, 12);
            Ipv4Address dst = Ipv4Address.read(ip, 16);
            int sum = Checksum.pseudoHeaderSum(src, dst, protocol, len);
            if (Checksum.fold(Checksum.sum(ip, ihl, len, sum)) != 0) {
                return protocol == TCP ? "bad TCP checksum" : "bad UDP checksum";
            }
        } else if (protocol == ICMP && Checksum.compute(ip, ihl, len) != 0) {
            return "bad ICMP checksum";
        }
        return null;
    }
}
