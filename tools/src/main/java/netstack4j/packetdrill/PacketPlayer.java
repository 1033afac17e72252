package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.wire.Ipv4Address;

/**
 * The remote side's view of the conversation: builds the packets {@code <} lines inject and
 * checks the ones the stack sends against {@code >} lines, mapping sequence numbers the way
 * packetdrill does. Inbound sequence numbers are sent as written (the script's inbound SYN
 * with seq 0 makes the remote ISN 0); the stack's ISN is learned from its first SYN or SYN-ACK,
 * after which its sequence numbers, and the acknowledgment numbers and SACK blocks the script
 * sends, are translated by the difference between its live ISN and the script's. TCP
 * timestamps: the stack's TS val is taken relative to its first one; the TS ecr a script
 * writes is mapped back the same way.
 *
 * <p>Thread-compatible: used by the script process only.
 */
final class PacketPlayer {
    static final Ipv4Address LOCAL = Ipv4Address.of(192, 168, 0, 1);
    static final Ipv4Address GATEWAY = Ipv4Address.of(192, 168, 0, 2);
    static final Ipv4Address REMOTE = Ipv4Address.of(192, 0, 2, 1);
    /** packetdrill's default port for bind, listen and connect ({@code --bind_port}, {@code --connect_port}). */
    static final int DEFAULT_PORT = 8080;
    /** The remote side's port for connections it opens and datagrams it sends. */
    static final int REMOTE_PORT = 40_000;
    private static final int REMOTE_TTL = 64;

    /** The stack's address and the remote side's ({@code --local_ip}, {@code --remote_ip}). */
    final Ipv4Address local;
    final Ipv4Address remote;
    /** packetdrill's {@code --bind_port} and {@code --connect_port}. */
    final int bindPort;
    final int connectPort;
    /** The local port of the script's connection or datagram socket (0 until known). */
    int localPort;
    /** The remote port of the script's connection. */
    int remotePort = REMOTE_PORT;
    private boolean localIsnKnown;
    /**
     * The remote side's ISN, from the last SYN the script injected (packetdrill's
     * live.remote_isn): sequence numbers in SYNs are absolute, in other segments relative to it
     * (remote_seq_script_to_live_offset); the stack's ACK numbers are compared the same way.
     */
    private long remoteIsn;
    /**
     * The socket under test listens (listen() since its last connection began), or sent its SYN
     * and waits for the answer: then an inbound SYN starts a connection and sets the remote ISN
     * (packetdrill's setup_new_child_socket, and the SYN-ACK of an active open); a SYN injected
     * into a connection does not.
     */
    boolean listening;
    private boolean activeSynSent;
    /** Connections the script's SYNs started at listeners: each after the first gets its own remote port. */
    private int passiveConnections;
    /** live local sequence number = script number + this. */
    private long localSeqOffset;
    /** The sequence number the script gave the stack's SYN or SYN-ACK ({@code > S. 1234:1234(0)}). */
    private long localScriptIsn;
    private boolean tsKnown;
    /** live TS val = script TS val + this. */
    private long tsOffset;
    private int tsTickUsecs;
    private boolean tsEcrScaled;
    private boolean injectingAck;
    /** Script TS val → the live TS val the stack sent in its place (packetdrill's ts_val_map). */
    private final Map<Long, Long> tsValMap = new java.util.HashMap<>();
    private long toleranceUsecs;
    private final java.util.Set<String> sent = new java.util.TreeSet<>();
    /**
     * The port pairs (local, remote) of connections an earlier socket() call left behind: their
     * packets are no longer the socket under test's, and packetdrill's sniff_outbound_live_packet
     * passes over them (find_socket_for_live_packet matches the socket under test only).
     */
    private final java.util.Set<Long> staleTuples = new java.util.HashSet<>();

    PacketPlayer() {
        this(LOCAL, REMOTE, DEFAULT_PORT, DEFAULT_PORT);
    }

    PacketPlayer(Ipv4Address local, Ipv4Address remote, int bindPort, int connectPort) {
        this.local = local;
        this.remote = remote;
        this.bindPort = bindPort;
        this.connectPort = connectPort;
    }

    /** socket(): a new socket under test; the last connection's packets stop counting. */
    void newTcpSocket() {
        listening = false;
        activeSynSent = false;
        if (localPort != 0) {
            staleTuples.add(tuple(localPort, remotePort));
        }
    }

    /** Whether {@code ip} is a TCP segment of a connection an earlier socket() call left behind. */
    boolean stale(byte[] ip) {
        if (staleTuples.isEmpty() || ip.length < 24 || (ip[9] & 0xff) != Packets.TCP) {
            return false;
        }
        int ihl = (ip[0] & 0x0f) * 4;
        return ip.length >= ihl + 4 && staleTuples.contains(tuple(Packets.get16(ip, ihl), Packets.get16(ip, ihl + 2)));
    }

    private static long tuple(int localPort, int remotePort) {
        return (long) localPort << 16 | remotePort;
    }

    // ------------------------------------------------------------------ inbound

    byte[] inbound(EventBody body) {
        return switch (body) {
            case TcpPacketEvent t -> tcp(t);
            case UdpPacketEvent u -> udp(u);
            case IcmpPacketEvent i -> icmp(i);
            default -> throw new IllegalArgumentException("not a packet: " + body);
        };
    }

    private byte[] udp(UdpPacketEvent u) {
        int sport = u.ports().map(PortPair::source).orElse(remotePort);
        int dport = u.ports().map(PortPair::destination).orElse(localPortOrDefault());
        byte[] d = new byte[8 + u.payloadLength()];
        Packets.put16(d, 0, sport);
        Packets.put16(d, 2, dport);
        Packets.put16(d, 4, d.length);
        return Packets.ipv4(Packets.UDP, remote, local, Packets.tos(u.ipFields()), ttl(u.ipFields()), d, 6);
    }

    private int localPortOrDefault() {
        return localPort != 0 ? localPort : bindPort;
    }

    private static int ttl(Map<String, String> ipFields) {
        String t = ipFields.get("ttl");
        return t == null ? REMOTE_TTL : (int) Packets.parseNumber(t);
    }

    private byte[] tcp(TcpPacketEvent t) {
        int flags = flags(t.flags());
        if ((flags & (SYN | ACK)) == SYN && listening && t.ports().isEmpty() && passiveConnections++ > 0) {
            // packetdrill's setup_new_child_socket: a new child, a new remote port (next_ephemeral_port).
            remotePort = REMOTE_PORT + passiveConnections - 1;
        }
        injectingAck = (flags & ACK) != 0;
        List<byte[]> opts = new ArrayList<>();
        int optLen = 0;
        if (t.options() instanceof TcpOptions.Listed listed) {
            for (TcpOptionSpec o : listed.options()) {
                byte[] b = optionBytes(o);
                opts.add(b);
                optLen += b.length;
            }
        } else {
            throw new UnsupportedFeature("<...> on an inbound packet", true);
        }
        if (optLen % 4 != 0 || optLen > 40) {
            throw new UnsupportedFeature("TCP options of " + optLen + " bytes (not a multiple of 4 up to 40)", true);
        }
        int payload = t.seq().map(r -> (int) r.length()).orElse(0);
        byte[] s = new byte[20 + optLen + payload];
        Packets.put16(s, 0, t.ports().map(PortPair::source).orElse(remotePort));
        Packets.put16(s, 2, t.ports().map(PortPair::destination).orElse(localPortOrDefault()));
        long seq = t.seq().map(SeqRange::start).orElse(0L);
        if ((flags & SYN) == 0) {
            seq = (seq + remoteIsn) & 0xffffffffL; // relative to the remote ISN
        } else if (listening && (flags & ACK) == 0 || activeSynSent) {
            remoteIsn = seq; // a SYN's numbers are absolute; this one starts the connection
            listening = false;
            activeSynSent = false;
            staleTuples.remove(tuple(t.ports().map(PortPair::destination).orElse(localPortOrDefault()),
                    t.ports().map(PortPair::source).orElse(remotePort)));
        }
        Packets.put32(s, 4, seq);
        long ack = t.ack().orElse(0);
        Packets.put32(s, 8, (flags & ACK) != 0 ? ack + localOffset((flags & SYN) != 0) : 0);
        s[12] = (byte) ((20 + optLen) / 4 << 4);
        s[13] = (byte) flags;
        Packets.put16(s, 14, (int) t.window().orElse(65535));
        Packets.put16(s, 18, (int) t.urgentPointer().orElse(0));
        int at = 20;
        for (byte[] b : opts) {
            System.arraycopy(b, 0, s, at, b.length);
            at += b.length;
        }
        return Packets.ipv4(Packets.TCP, remote, local, Packets.tos(t.ipFields()), ttl(t.ipFields()), s, 16);
    }

    /**
     * map_inbound_packet: an ACK's TS ecr is the live TS val the stack sent where the script wrote
     * that value; else, with {@code --tcp_ts_ecr_scaled}, interpolated from the first one; else
     * the script fails, since a well-behaved peer only echoes values it was sent.
     */
    private long liveEcr(long scriptEcr) {
        Long live = tsValMap.get(scriptEcr);
        if (live != null) {
            return live;
        }
        if (tsEcrScaled && tsKnown) {
            return (scriptEcr + tsOffset) & 0xffffffffL;
        }
        throw new ScriptFailure("unable to infer live TS ecr for script TS ecr " + scriptEcr
                + ";  no matching or preceding outbound TS val");
    }

    private byte[] optionBytes(TcpOptionSpec o) {
        return switch (o) {
            case TcpOptionSpec.Nop n -> new byte[] {1};
            case TcpOptionSpec.Eol e -> new byte[] {0};
            case TcpOptionSpec.Mss m -> new byte[] {2, 4, (byte) (m.bytes() >>> 8), (byte) m.bytes()};
            case TcpOptionSpec.WScale w -> new byte[] {3, 3, (byte) w.shift()};
            case TcpOptionSpec.SackOk s -> new byte[] {4, 2};
            case TcpOptionSpec.Sack s -> {
                byte[] b = new byte[2 + 8 * s.blocks().size()];
                b[0] = 5;
                b[1] = (byte) b.length;
                for (int i = 0; i < s.blocks().size(); i++) {
                    Packets.put32(b, 2 + 8 * i, s.blocks().get(i).left() + localOffset(false));
                    Packets.put32(b, 6 + 8 * i, s.blocks().get(i).right() + localOffset(false));
                }
                yield b;
            }
            case TcpOptionSpec.Timestamp ts -> {
                byte[] b = new byte[10];
                b[0] = 8;
                b[1] = 10;
                Packets.put32(b, 2, ts.value());
                Packets.put32(b, 6, injectingAck ? liveEcr(ts.echoReply()) : ts.echoReply());
                yield b;
            }
            case TcpOptionSpec.FastOpen f -> fastOpenBytes(f);
            default -> throw new UnsupportedFeature("TCP option " + optionName(o) + ": the stack lacks it", true);
        };
    }

    /** RFC 7413 section 4.1.1: kind 34, length, cookie; or kind 254, length, 0xF989, cookie (RFC 6994). */
    static byte[] fastOpenBytes(TcpOptionSpec.FastOpen f) {
        byte[] cookie = java.util.HexFormat.of().parseHex(f.cookieHex());
        int base = f.experimental() ? 4 : 2;
        byte[] b = new byte[base + cookie.length];
        b[0] = (byte) (f.experimental() ? 254 : 34);
        b[1] = (byte) b.length;
        if (f.experimental()) {
            b[2] = (byte) 0xf9;
            b[3] = (byte) 0x89;
        }
        System.arraycopy(cookie, 0, b, base, cookie.length);
        return b;
    }

    /** An option as the comparison of outbound packets spells it: {@code FO abcd}, {@code FOEXP}. */
    private static String fastOpenText(boolean experimental, byte[] s, int from, int to) {
        String hex = java.util.HexFormat.of().formatHex(s, from, to);
        return (experimental ? "FOEXP" : "FO") + (hex.isEmpty() ? "" : " " + hex);
    }

    /** A TCP option the stack lacks, named as scripts write it and with what it is. */
    static String optionName(TcpOptionSpec o) {
        return switch (o) {
            case TcpOptionSpec.FastOpen f -> (f.experimental() ? "FOEXP" : "FO") + " (TCP Fast Open, RFC 7413)";
            case TcpOptionSpec.Md5 m -> "md5 (TCP MD5 signature, RFC 2385)";
            default -> o.toString();
        };
    }

    private byte[] icmp(IcmpPacketEvent i) {
        int type;
        int code = 0;
        int rest = 0;
        switch (i.type()) {
            case "unreachable" -> {
                type = 3;
                code = unreachableCode(i.code().orElse("net_unreachable"));
                if (i.mtu().isPresent()) {
                    rest = (int) i.mtu().getAsLong();
                }
            }
            case "time_exceeded" -> type = 11;
            case "source_quench" -> type = 4;
            default -> throw new UnsupportedFeature("inbound ICMP type " + i.type());
        }
        byte[] quoted = quoted(i);
        byte[] m = new byte[8 + quoted.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Packets.put32(m, 4, rest & 0xffffL);
        System.arraycopy(quoted, 0, m, 8, quoted.length);
        Packets.put16(m, 2, netstack4j.wire.Checksum.compute(m, 0, m.length));
        return Packets.ipv4(Packets.ICMP, remote, local, 0, REMOTE_TTL, m, -1);
    }

    /** The packet an ICMP error quotes: built from the connection's current values. */
    private byte[] quoted(IcmpPacketEvent i) {
        IcmpPacketEvent.Embedded e = i.embedded().orElseThrow(
                () -> new UnsupportedFeature("an ICMP error without the quoted packet", true));
        byte[] transport = new byte[8];
        int protocol;
        int innerLength;
        switch (e) {
            case IcmpPacketEvent.EmbeddedTcp t -> {
                protocol = Packets.TCP;
                Packets.put16(transport, 0, localPortOrDefault());
                Packets.put16(transport, 2, remotePort);
                Packets.put32(transport, 4, t.seq().start() + localOffset(false));
                innerLength = 20 + (int) t.seq().length();
            }
            case IcmpPacketEvent.EmbeddedUdp u -> {
                protocol = Packets.UDP;
                Packets.put16(transport, 0, localPortOrDefault());
                Packets.put16(transport, 2, remotePort);
                Packets.put16(transport, 4, 8 + u.payloadLength());
                innerLength = 8 + u.payloadLength();
            }
            case IcmpPacketEvent.EmbeddedRaw r -> throw new UnsupportedFeature("an ICMP error quoting a raw packet", true);
        }
        byte[] ip = Packets.ipv4(protocol, local, remote, 0, 64, transport, -1);
        Packets.put16(ip, 2, 20 + innerLength);
        Packets.put16(ip, 10, 0);
        Packets.put16(ip, 10, netstack4j.wire.Checksum.compute(ip, 0, 20));
        return ip;
    }

    static int unreachableCode(String name) {
        return switch (name) {
            case "net_unreachable" -> 0;
            case "host_unreachable" -> 1;
            case "protocol_unreachable" -> 2;
            case "port_unreachable" -> 3;
            case "frag_needed" -> 4;
            case "source_route_failed" -> 5;
            case "net_unknown" -> 6;
            case "host_unknown" -> 7;
            case "source_host_isolated" -> 8;
            case "net_prohibited" -> 9;
            case "host_prohibited" -> 10;
            case "net_unreachable_for_tos" -> 11;
            case "host_unreachable_for_tos" -> 12;
            case "packet_filtered" -> 13;
            case "precedence_violation" -> 14;
            case "precedence_cutoff" -> 15;
            default -> throw new UnsupportedFeature("ICMP code " + name);
        };
    }

    // ------------------------------------------------------------------ outbound

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    static int flags(String letters) {
        int f = 0;
        for (char c : letters.toCharArray()) {
            f |= switch (c) {
                case 'F' -> FIN;
                case 'S' -> SYN;
                case 'R' -> RST;
                case 'P' -> PSH;
                case '.' -> ACK;
                case 'U' -> URG;
                case 'E' -> ECE;
                case 'W' -> CWR;
                default -> throw new UnsupportedFeature("TCP flag '" + c + "' in '" + letters + "'", true);
            };
        }
        return f;
    }

    /**
     * Checks a captured packet against a {@code >} line; returns null when it matches, else
     * packetdrill's description of the first difference.
     */
    String match(EventBody expected, byte[] ip) {
        String bad = Packets.checksumError(ip);
        if (bad != null) {
            return bad;
        }
        int protocol = ip[9] & 0xff;
        int ihl = (ip[0] & 0x0f) * 4;
        Map<String, String> ipFields = switch (expected) {
            case TcpPacketEvent t -> t.ipFields();
            case UdpPacketEvent u -> u.ipFields();
            case IcmpPacketEvent i -> i.ipFields();
            default -> Map.of();
        };
        String ipDiff = matchIp(ipFields, ip);
        if (ipDiff != null) {
            return ipDiff;
        }
        if (!Ipv4Address.read(ip, 12).equals(local) || !Ipv4Address.read(ip, 16).equals(remote)) {
            return "live packet addresses: expected " + local + " > " + remote + " vs actual "
                    + Ipv4Address.read(ip, 12) + " > " + Ipv4Address.read(ip, 16);
        }
        int want = switch (expected) {
            case TcpPacketEvent t -> Packets.TCP;
            case UdpPacketEvent u -> Packets.UDP;
            default -> Packets.ICMP;
        };
        if (protocol != want) {
            return "live packet field ipv4_protocol: " + expectedVsActual(want, protocol);
        }
        return switch (expected) {
            case TcpPacketEvent t -> matchTcp(t, ip, ihl);
            case UdpPacketEvent u -> matchUdp(u, ip, ihl);
            case IcmpPacketEvent i -> matchIcmp(i, ip, ihl);
            default -> "not a packet";
        };
    }

    static String expectedVsActual(long expected, long actual) {
        return "expected: " + expected + " (0x" + Long.toHexString(expected) + ") vs actual: " + actual
                + " (0x" + Long.toHexString(actual) + ")";
    }

    private static String matchIp(Map<String, String> fields, byte[] ip) {
        int tos = ip[1] & 0xff;
        String t = fields.get("tos");
        if (t != null && Packets.parseNumber(t) != tos) {
            return "live packet field ipv4_tos: " + expectedVsActual(Packets.parseNumber(t), tos);
        }
        String ecn = fields.get("ecn");
        if (ecn != null && Packets.ecnCodepoint(ecn) != (tos & 3)) {
            return "live packet field ip_ecn: " + expectedVsActual(Packets.ecnCodepoint(ecn), tos & 3);
        }
        String ttl = fields.get("ttl");
        if (ttl != null && Packets.parseNumber(ttl) != (ip[8] & 0xff)) {
            return "live packet field ipv4_ttl: " + expectedVsActual(Packets.parseNumber(ttl), ip[8] & 0xff);
        }
        for (String k : fields.keySet()) {
            if (!k.equals("tos") && !k.equals("ecn") && !k.equals("ttl")) {
                throw new UnsupportedFeature("IP field [" + k + "]");
            }
        }
        return null;
    }

    private String matchUdp(UdpPacketEvent u, byte[] ip, int ihl) {
        int sport = Packets.get16(ip, ihl);
        int dport = Packets.get16(ip, ihl + 2);
        int len = Packets.get16(ip, ihl + 4) - 8;
        if (u.ports().isPresent()) {
            if (u.ports().get().source() != sport) {
                return "live packet field udp_src_port: " + expectedVsActual(u.ports().get().source(), sport);
            }
            if (u.ports().get().destination() != dport) {
                return "live packet field udp_dst_port: " + expectedVsActual(u.ports().get().destination(), dport);
            }
        }
        if (len != u.payloadLength()) {
            return "live packet payload: expected " + u.payloadLength() + " bytes vs actual " + len + " bytes";
        }
        if (localPort == 0) {
            localPort = sport;
        }
        return null;
    }

    private static String matchIcmp(IcmpPacketEvent i, byte[] ip, int ihl) {
        int type = ip[ihl] & 0xff;
        int code = ip[ihl + 1] & 0xff;
        int wantType = switch (i.type()) {
            case "unreachable" -> 3;
            case "time_exceeded" -> 11;
            case "echo_request" -> 8;
            case "echo_reply" -> 0;
            case "source_quench" -> 4;
            default -> throw new UnsupportedFeature("ICMP type " + i.type());
        };
        if (type != wantType) {
            return "live packet field icmp_type: " + expectedVsActual(wantType, type);
        }
        if (i.code().isPresent()) {
            int wantCode = wantType == 3 ? unreachableCode(i.code().get()) : 0;
            if (code != wantCode) {
                return "live packet field icmp_code: " + expectedVsActual(wantCode, code);
            }
        }
        return null;
    }

    private String matchTcp(TcpPacketEvent t, byte[] ip, int ihl) {
        byte[] s = java.util.Arrays.copyOfRange(ip, ihl, Packets.get16(ip, 2));
        int sport = Packets.get16(s, 0);
        int dport = Packets.get16(s, 2);
        long seq = Packets.get32(s, 4);
        long ack = Packets.get32(s, 8);
        int dataOffset = (s[12] & 0xf0) >>> 2;
        int flags = s[13] & 0xff;
        int win = Packets.get16(s, 14);
        int payload = s.length - dataOffset;
        int want = flags(t.flags());
        if (t.ports().isPresent()) {
            if (t.ports().get().source() != sport) {
                return "live packet field tcp_src_port: " + expectedVsActual(t.ports().get().source(), sport);
            }
            if (t.ports().get().destination() != dport) {
                return "live packet field tcp_dst_port: " + expectedVsActual(t.ports().get().destination(), dport);
            }
        }
        String[] names = {"tcp_fin", "tcp_syn", "tcp_rst", "tcp_psh", "tcp_ack", "tcp_urg", "tcp_ece", "tcp_cwr"};
        for (int b = 0; b < 8; b++) {
            if ((want >>> b & 1) != (flags >>> b & 1)) {
                return "live packet field " + names[b] + ": " + expectedVsActual(want >>> b & 1, flags >>> b & 1);
            }
        }
        if ((flags & SYN) != 0 && t.seq().isPresent()) {
            // The stack's ISN: its SYN or SYN-ACK defines the mapping for the rest of the script.
            localSeqOffset = (seq - t.seq().get().start()) & 0xffffffffL;
            localScriptIsn = t.seq().get().start();
            localIsnKnown = true;
            localPort = sport;
            remotePort = dport;
            staleTuples.remove(tuple(sport, dport));
            activeSynSent = (flags & ACK) == 0;
        }
        if (t.seq().isPresent()) {
            long scriptSeq = (seq - localOffset((flags & SYN) != 0)) & 0xffffffffL;
            if (scriptSeq != t.seq().get().start()) {
                return "live packet field tcp_seq: " + expectedVsActual(t.seq().get().start(), scriptSeq);
            }
            if (payload != t.seq().get().length()) {
                return "live packet payload: expected " + t.seq().get().length() + " bytes vs actual " + payload + " bytes";
            }
        }
        long scriptAck = (flags & SYN) != 0 ? ack : (ack - remoteIsn) & 0xffffffffL;
        if (t.ack().isPresent() && scriptAck != t.ack().getAsLong()) {
            return "live packet field tcp_ack_seq: " + expectedVsActual(t.ack().getAsLong(), scriptAck);
        }
        if (t.window().isPresent() && win != t.window().getAsLong()) {
            return "live packet field tcp_window: " + expectedVsActual(t.window().getAsLong(), win);
        }
        if (t.options() instanceof TcpOptions.Listed listed) {
            return matchOptions(listed.options(), s, dataOffset);
        }
        return null;
    }

    private String matchOptions(List<TcpOptionSpec> want, byte[] s, int dataOffset) {
        List<String> actual = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        int i = 20;
        while (i < dataOffset) {
            int kind = s[i] & 0xff;
            if (kind == 0) {
                actual.add("eol");
                i++;
                continue;
            }
            if (kind == 1) {
                actual.add("nop");
                i++;
                continue;
            }
            int len = i + 1 < dataOffset ? s[i + 1] & 0xff : 0;
            if (len < 2 || i + len > dataOffset) {
                return "bad outbound TCP options: option " + kind + " has length " + len;
            }
            switch (kind) {
                case 2 -> actual.add("mss " + Packets.get16(s, i + 2));
                case 3 -> actual.add("wscale " + (s[i + 2] & 0xff));
                case 4 -> actual.add("sackOK");
                case 5 -> {
                    // The stack's SACK blocks name the remote side's sequence numbers: compared
                    // relative to its ISN, as the ACK number is (packetdrill's offset_sack_blocks).
                    StringBuilder b = new StringBuilder("sack");
                    for (int j = i + 2; j + 8 <= i + len; j += 8) {
                        b.append(' ').append((Packets.get32(s, j) - remoteIsn) & 0xffffffffL)
                                .append(':').append((Packets.get32(s, j + 4) - remoteIsn) & 0xffffffffL);
                    }
                    actual.add(b.toString());
                }
                case 8 -> {
                    long val = Packets.get32(s, i + 2);
                    long ecr = Packets.get32(s, i + 6);
                    actual.add("TS ecr " + ecr);
                    String tsBad = checkTsVal(want, val);
                    if (tsBad != null) {
                        return tsBad;
                    }
                    for (TcpOptionSpec o : want) {
                        if (o instanceof TcpOptionSpec.Timestamp ts) {
                            tsValMap.put(ts.value(), val); // set_outbound_ts_val_mapping
                        }
                    }
                    if (!tsKnown) {
                        // The stack's first TS val anchors the mapping of the script's TS values.
                        for (TcpOptionSpec o : want) {
                            if (o instanceof TcpOptionSpec.Timestamp ts) {
                                tsOffset = (val - ts.value()) & 0xffffffffL;
                                tsKnown = true;
                            }
                        }
                    }
                }
                case 34 -> actual.add(fastOpenText(false, s, i + 2, i + len));
                case 254 -> actual.add(len >= 4 && Packets.get16(s, i + 2) == 0xf989
                        ? fastOpenText(true, s, i + 4, i + len) : "option " + kind);
                default -> actual.add("option " + kind);
            }
            i += len;
        }
        for (TcpOptionSpec o : want) {
            expected.add(switch (o) {
                case TcpOptionSpec.Nop n -> "nop";
                case TcpOptionSpec.Eol e -> "eol";
                case TcpOptionSpec.Mss m -> "mss " + m.bytes();
                case TcpOptionSpec.WScale w -> "wscale " + w.shift();
                case TcpOptionSpec.SackOk k -> "sackOK";
                case TcpOptionSpec.Sack k -> {
                    StringBuilder b = new StringBuilder("sack");
                    for (TcpOptionSpec.SackBlock blk : k.blocks()) {
                        b.append(' ').append(blk.left()).append(':').append(blk.right());
                    }
                    yield b.toString();
                }
                case TcpOptionSpec.Timestamp ts -> "TS ecr " + ts.echoReply();
                case TcpOptionSpec.FastOpen f -> (f.experimental() ? "FOEXP" : "FO")
                        + (f.cookieHex().isEmpty() ? "" : " " + f.cookieHex().toLowerCase(java.util.Locale.ROOT));
                default -> throw new UnsupportedFeature("TCP option " + optionName(o) + " in a > line: the stack lacks it", true);
            });
        }
        for (String a : actual) {
            sent.add(a.split(" ")[0]);
        }
        // Trailing EOL padding is not an option a script writes.
        while (!actual.isEmpty() && actual.getLast().equals("eol") && (expected.isEmpty() || !expected.getLast().equals("eol"))) {
            actual.removeLast();
        }
        if (!actual.equals(expected)) {
            return "bad outbound TCP options: expected <" + String.join(",", expected) + "> vs actual <"
                    + String.join(",", actual) + ">";
        }
        return null;
    }

    private String checkTsVal(List<TcpOptionSpec> want, long liveVal) {
        if (tsTickUsecs == 0 || !tsKnown) {
            return null;
        }
        for (TcpOptionSpec o : want) {
            if (o instanceof TcpOptionSpec.Timestamp ts) {
                int deviation = (int) (((liveVal - tsOffset) & 0xffffffffL) - ts.value());
                if ((long) Math.abs(deviation) * tsTickUsecs > toleranceUsecs) {
                    return "bad outbound TCP timestamp value, tolerance " + toleranceUsecs;
                }
            }
        }
        return null;
    }

    /**
     * packetdrill's local_seq_script_to_live_offset: in SYNs the stack's numbers are the script's
     * shifted to its live ISN; elsewhere they are relative to that ISN.
     */
    private long localOffset(boolean syn) {
        return syn ? localSeqOffset : (localSeqOffset + localScriptIsn) & 0xffffffffL;
    }

    boolean localIsnKnown() {
        return localIsnKnown;
    }

    /** A live sequence number of the stack's in the script's numbering. */
    long scriptSeq(long live) {
        return (live - localOffset(false)) & 0xffffffffL;
    }

    /** The TCP options the stack sent in packets compared with {@code >} lines, by script name. */
    java.util.Set<String> sentOptions() {
        return sent;
    }

    /**
     * packetdrill's {@code --tcp_ts_tick_usecs}: when non-zero, an outbound TS val must be within
     * the tolerance of the script's ({@code verify_outbound_tcp_option}).
     */
    /** The run's timing tolerance (--tolerance_usecs). */
    long toleranceUsecs() {
        return toleranceUsecs;
    }

    void checkTimestamps(int tickUsecs, long toleranceUsecs, boolean ecrScaled) {
        this.tsTickUsecs = tickUsecs;
        this.tsEcrScaled = ecrScaled;
        this.toleranceUsecs = toleranceUsecs;
    }
}
