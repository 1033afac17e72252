package netstack4j.ip;

import netstack4j.socket.Errno;
import netstack4j.wire.Ipv4Address;

/**
 * An ICMP error about a datagram this host sent, as handed to the transport that sent it
 * (RFC 1122 section 3.2.2.1: "the ICMP error message MUST be passed to the transport layer").
 *
 * @param type                ICMP type (3 destination unreachable, 11 time exceeded)
 * @param code                ICMP code
 * @param reporter            who sent the ICMP message (a router, or the destination)
 * @param nextHopMtu          for fragmentation needed, the next-hop MTU (RFC 1191); else 0
 * @param originalSource      source address of the datagram that caused it
 * @param originalDestination destination address of that datagram
 * @param originalProtocol    its IP protocol
 * @param originalTransport   the first bytes of its transport header (at least 8)
 * @param errno               the error a socket reports, as Linux's {@code icmp_err_convert}
 * @param fatal               whether Linux treats it as a hard error for connected sockets
 */
public record IcmpError(int type, int code, Ipv4Address reporter, int nextHopMtu,
                        Ipv4Address originalSource, Ipv4Address originalDestination, int originalProtocol,
                        byte[] originalTransport, Errno errno, boolean fatal) {

    /** Source port of the original transport header (UDP/TCP). */
    public int originalSourcePort() {
        return ((originalTransport[0] & 0xff) << 8) | (originalTransport[1] & 0xff);
    }

    /** Destination port of the original transport header (UDP/TCP). */
    public int originalDestinationPort() {
        return ((originalTransport[2] & 0xff) << 8) | (originalTransport[3] & 0xff);
    }

    /** A text like ping prints: {@code Destination Port Unreachable}. */
    public String describe() {
        if (type == 11) {
            return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
        }
        if (type != 3) {
            return "ICMP type " + type + " code " + code;
        }
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set (mtu = " + nextHopMtu + ")";
            case 5 -> "Source Route Failed";
            case 6 -> "Destination Net Unknown";
            case 7 -> "Destination Host Unknown";
            case 9, 10, 13 -> "Communication prohibited by filter";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }

    /** Linux's {@code icmp_err_convert} table for destination unreachable codes. */
    public static Errno unreachableErrno(int code) {
        return switch (code) {
            case 0, 6, 9, 11 -> Errno.ENETUNREACH;
            case 1, 10, 12, 13, 14, 15 -> Errno.EHOSTUNREACH;
            case 2 -> Errno.ENOPROTOOPT;
            case 3 -> Errno.ECONNREFUSED;
            case 4 -> Errno.EMSGSIZE;
            case 5 -> Errno.EOPNOTSUPP;
            case 7, 8 -> Errno.EHOSTDOWN;
            default -> Errno.EHOSTUNREACH;
        };
    }

    /** Whether Linux's {@code icmp_err_convert} marks the unreachable code fatal. */
    public static boolean unreachableFatal(int code) {
        return code != 4 && code != 5;
    }
}
