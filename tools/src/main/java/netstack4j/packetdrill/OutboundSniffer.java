package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the packets a {@code >} line is compared with, as packetdrill's
 * {@code do_outbound_script_packet} (run_packet.c): without {@code --strict_segments}
 * consecutive TCP segments of one connection are read until their payload reaches what the line
 * expects (a script written for TSO/GSO output, {@code 1:10001(10000)}, matches ten segments of
 * 1000), each checked against the one before it ({@code verify_packet_fragments}), and merged
 * ({@code aggregate_packets}: the last segment's headers and time, the first one's sequence
 * number and CWR flag). With the flag, or for UDP and ICMP, one packet per line.
 *
 * <p>Thread-compatible: used by the script's process only.
 */
final class OutboundSniffer {
    /** What a line got: the packet to compare, or packetdrill's error. */
    record Sniffed(ScriptDevice.Captured packet, String error) {
    }

    private final PacketPlayer player;
    private final boolean strictSegments;

    OutboundSniffer(PacketPlayer player, boolean strictSegments) {
        this.player = player;
        this.strictSegments = strictSegments;
    }

    /** @param next the next packet the stack sent, waiting for it; null when none came in time */
    Sniffed sniff(EventBody expected, Supplier<ScriptDevice.Captured> liveNext) {
        // sniff_outbound_live_packet: a live packet that cannot be the socket under test's (here:
        // one of another transport than the line's) is discarded, not compared.
        int proto = expected instanceof TcpPacketEvent ? Packets.TCP : expected instanceof UdpPacketEvent ? Packets.UDP : -1;
        Supplier<ScriptDevice.Captured> next = () -> {
            while (true) {
                ScriptDevice.Captured c = liveNext.get();
                if (c != null && player.stale(c.ip())) {
                    continue; // another socket's: not the socket under test's (find_socket_for_live_packet)
                }
                if (c == null || proto < 0 || c.ip().length < 20 || (c.ip()[9] & 0xff) == proto) {
                    return c;
                }
            }
        };
        if (!(expected instanceof TcpPacketEvent tcp)) {
            ScriptDevice.Captured c = next.get();
            return c == null ? timedOut(expected) : new Sniffed(c, null);
        }
        int expectedPayload = tcp.seq().map(r -> (int) r.length()).orElse(0);
        List<ScriptDevice.Captured> sniffed = new ArrayList<>();
        int total = 0;
        do {
            ScriptDevice.Captured c = next.get();
            if (c == null) {
                return timedOut(expected);
            }
            int payload = tcpPayload(c.ip());
            if (!sniffed.isEmpty()) {
                byte[] prev = sniffed.getLast().ip();
                if (!sameTuple(prev, c.ip())) {
                    // A packet of another flow: start anew, as packetdrill discards what it had.
                    sniffed.clear();
                    total = 0;
                } else {
                    String bad = fragmentMismatch(prev, c.ip(), payload, total, expectedPayload);
                    if (bad != null) {
                        return new Sniffed(null, bad);
                    }
                }
            }
            sniffed.add(c);
            total += payload;
        } while (total < expectedPayload && !strictSegments);
        if (total != expectedPayload) {
            return new Sniffed(null, "live packet payload: expected " + expectedPayload + " bytes vs actual " + total + " bytes");
        }
        return new Sniffed(sniffed.size() == 1 ? sniffed.getFirst() : aggregate(sniffed), null);
    }

    private static Sniffed timedOut(EventBody expected) {
        return new Sniffed(null, "Timed out waiting for packet: expected " + ScriptPrinter.print(expected));
    }

    static boolean isTcp(byte[] ip) {
        return ip.length >= 20 && (ip[9] & 0xff) == Packets.TCP;
    }

    private static int ihl(byte[] ip) {
        return (ip[0] & 0x0f) * 4;
    }

    private static int doff(byte[] ip) {
        return (ip[ihl(ip) + 12] & 0xf0) >>> 2;
    }

    static int tcpPayload(byte[] ip) {
        if (!isTcp(ip)) {
            return 0;
        }
        return Packets.get16(ip, 2) - ihl(ip) - doff(ip);
    }

    private static boolean sameTuple(byte[] a, byte[] b) {
        if (!isTcp(a) || !isTcp(b)) {
            return false;
        }
        for (int i = 12; i < 20; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return Packets.get32(a, ihl(a)) == Packets.get32(b, ihl(b));
    }

    /**
     * verify_packet_fragments: the headers must agree (with the one before's sequence number
     * advanced by its payload), and every fragment but the last carries as much as the first.
     */
    private String fragmentMismatch(byte[] prev, byte[] cur, int curPayload, int sniffedPayload, int expectedTotal) {
        int p = ihl(prev);
        int c = ihl(cur);
        String bad = field("ipv4_header_length", p / 4, c / 4);
        bad = bad != null ? bad : field("ipv4_ttl", prev[8] & 0xff, cur[8] & 0xff);
        bad = bad != null ? bad : field("tcp_data_offset", doff(prev) / 4, doff(cur) / 4);
        int pf = prev[p + 13] & 0xff;
        int cf = cur[c + 13] & 0xff;
        String[] names = {null, "tcp_syn", "tcp_rst", null, "tcp_ack", "tcp_urg", "tcp_ece", null};
        for (int b = 0; b < 8 && bad == null; b++) {
            if (names[b] != null) {
                bad = field(names[b], pf >>> b & 1, cf >>> b & 1);
            }
        }
        long prevSeq = player.scriptSeq(Packets.get32(prev, p + 4));
        bad = bad != null ? bad : field("tcp_seq", (prevSeq + tcpPayload(prev)) & 0xffffffffL,
                player.scriptSeq(Packets.get32(cur, c + 4)));
        bad = bad != null ? bad : field("tcp_ack_seq", Packets.get32(prev, p + 8), Packets.get32(cur, c + 8));
        bad = bad != null ? bad : field("tcp_window", Packets.get16(prev, p + 14), Packets.get16(cur, c + 14));
        bad = bad != null ? bad : field("tcp_urg_ptr", Packets.get16(prev, p + 18), Packets.get16(cur, c + 18));
        if (bad != null) {
            return bad;
        }
        if (curPayload < expectedTotal - sniffedPayload && curPayload != tcpPayload(prev)) {
            return "fragment payload: expected " + tcpPayload(prev) + " bytes vs actual " + curPayload
                    + " bytes; total payload: expected " + expectedTotal + " bytes vs actual "
                    + (curPayload + sniffedPayload) + " bytes";
        }
        return null;
    }

    private static String field(String name, long expected, long actual) {
        return expected == actual ? null : "live packet field " + name + ": " + PacketPlayer.expectedVsActual(expected, actual);
    }

    /** aggregate_packets (packet.c): the last segment's headers, the first's seq and CWR, all payloads. */
    static ScriptDevice.Captured aggregate(List<ScriptDevice.Captured> parts) {
        byte[] first = parts.getFirst().ip();
        byte[] last = parts.getLast().ip();
        int ihl = ihl(last);
        int headers = doff(last);
        int payload = 0;
        for (ScriptDevice.Captured c : parts) {
            payload += tcpPayload(c.ip());
        }
        byte[] seg = new byte[headers + payload];
        System.arraycopy(last, ihl, seg, 0, headers);
        int at = headers;
        for (ScriptDevice.Captured c : parts) {
            byte[] ip = c.ip();
            int n = tcpPayload(ip);
            System.arraycopy(ip, ihl(ip) + doff(ip), seg, at, n);
            at += n;
        }
        Packets.put32(seg, 4, Packets.get32(first, ihl(first) + 4));
        seg[13] = (byte) ((seg[13] & 0x7f) | (first[ihl(first) + 13] & 0x80));
        Packets.put16(seg, 16, 0);
        byte[] ip = Packets.ipv4(Packets.TCP, netstack4j.wire.Ipv4Address.read(last, 12),
                netstack4j.wire.Ipv4Address.read(last, 16), last[1] & 0xff, last[8] & 0xff, seg, 16);
        return new ScriptDevice.Captured(parts.getLast().timeNs(), ip);
    }
}
