package netstack4j.trace;

import netstack4j.wire.ArpOperation;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IcmpPacket;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpHeader;
import netstack4j.wire.TcpPacket;
import netstack4j.wire.UdpPacket;

/**
 * One-line decodings of frames as tcpdump prints them (without {@code -v}, with absolute
 * sequence numbers as {@code -S} does), for traces and demos:
 * <pre>
 * ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28
 * IP 10.0.0.1 &gt; 10.0.0.2: ICMP echo request, id 1, seq 1, length 64
 * IP 10.0.0.1.5353 &gt; 10.0.0.2.9000: UDP, length 30
 * IP 10.0.0.1.40000 &gt; 10.0.0.3.53: 40248+ A? h2.lab. (24)
 * IP 10.0.0.3.53 &gt; 10.0.0.1.40000: 40248*- 1/0/0 A 10.0.0.2 (40)
 * IP 10.0.0.1.40000 &gt; 10.0.0.2.80: Flags [S], seq 1000, win 65535, options [mss 1460], length 0
 * IP 10.0.0.2.80 &gt; 10.0.0.1.40000: Flags [.], ack 1001, win 512, length 0
 * IP 10.0.0.1 &gt; 10.0.0.2: ip-proto-17 (frag 4660:1008@1480)
 * </pre>
 * A pure ACK has no {@code seq}, as in tcpdump. Fragments carry tcpdump's {@code (frag id:size@offset+)} hint, {@code +} when more follow.
 * A bad checksum is marked ({@code [bad udp cksum]}). Malformed input never throws: the line
 * says what could be decoded, then {@code [malformed: reason]}.
 *
 * <p>Stateless and thread-safe; allocates (it is for people, not for the data path).
 */
public final class PacketFormatter {
    private PacketFormatter() {
    }

    /** The frame in {@code frame}. */
    public static String format(PacketBuffer frame) {
        return format(frame.array(), frame.offset(), frame.length());
    }

    /** The Ethernet frame {@code b[off, off+len)}. */
    public static String format(byte[] b, int off, int len) {
        EthernetPacket eth = new EthernetPacket().wrap(b, off, len);
        String reason = eth.check();
        if (reason != null) {
            return "[malformed: " + reason + "], length " + len;
        }
        return switch (eth.etherType()) {
            case EtherType.ARP -> formatArp(b, eth.payloadOffset(), eth.payloadLength());
            case EtherType.IPV4 -> formatIpv4(b, eth.payloadOffset(), eth.payloadLength());
            default -> "ethertype " + EtherType.name(eth.etherType()) + String.format(" (0x%04x)", eth.etherType())
                    + ", length " + len;
        };
    }

    /** The ARP packet {@code b[off, off+len)} (an Ethernet payload, padding allowed). */
    public static String formatArp(byte[] b, int off, int len) {
        ArpPacket arp = new ArpPacket().wrap(b, off, len);
        String reason = arp.check();
        if (reason != null) {
            return "ARP [malformed: " + reason + "], length " + len;
        }
        return ArpOperation.fromCode(arp.operation()) == ArpOperation.REQUEST
                ? "ARP, Request who-has " + arp.targetProtocolAddress() + " tell " + arp.senderProtocolAddress()
                        + ", length " + len
                : "ARP, Reply " + arp.senderProtocolAddress() + " is-at " + arp.senderHardwareAddress()
                        + ", length " + len;
    }

    /** The IPv4 packet {@code b[off, off+len)} (link padding allowed). */
    public static String formatIpv4(byte[] b, int off, int len) {
        Ipv4Packet ip = new Ipv4Packet().wrap(b, off, len);
        String reason = ip.check();
        if (reason != null) {
            if (b != null && len >= Ipv4Packet.MIN_HEADER_LENGTH && off >= 0 && off <= b.length - len) {
                return "IP " + ip.source() + " > " + ip.destination() + ": [malformed: " + reason + "]";
            }
            return "IP [malformed: " + reason + "], length " + len;
        }
        StringBuilder sb = new StringBuilder(96).append("IP ");
        Ipv4Address src = ip.source();
        Ipv4Address dst = ip.destination();
        int at = ip.payloadOffset();
        int n = ip.payloadLength();
        if (ip.fragmentOffset() != 0) {
            // Not the first fragment: no transport header to decode, as tcpdump prints it.
            sb.append(src).append(" > ").append(dst).append(": ip-proto-").append(ip.protocol());
        } else {
            switch (ip.protocol()) {
                case IpProtocol.ICMP -> appendIcmp(sb.append(src).append(" > ").append(dst).append(": "), b, at, n);
                case IpProtocol.UDP -> appendUdp(sb, src, dst, b, at, n, ip.moreFragments());
                case IpProtocol.TCP -> appendTcp(sb, src, dst, b, at, n, ip.moreFragments());
                case IpProtocol.IGMP -> appendIgmp(sb.append(src).append(" > ").append(dst).append(": "), b, at, n);
                default -> sb.append(src).append(" > ").append(dst).append(": ").append(IpProtocol.name(ip.protocol()))
                        .append(", length ").append(n);
            }
        }
        if (ip.isFragment()) {
            sb.append(" (frag ").append(ip.identification()).append(':').append(n).append('@')
                    .append(ip.fragmentOffset()).append(ip.moreFragments() ? "+)" : ")");
        }
        if (!ip.verifyChecksum()) {
            sb.append(" [bad ip cksum]");
        }
        return sb.toString();
    }

    private static void appendIcmp(StringBuilder sb, byte[] b, int off, int len) {
        IcmpPacket icmp = new IcmpPacket().wrap(b, off, len);
        String reason = icmp.check();
        if (reason != null) {
            sb.append("ICMP [malformed: ").append(reason).append(']');
            return;
        }
        IcmpMessage message;
        try {
            message = IcmpMessage.parse(icmp);
        } catch (MalformedPacketException e) {
            sb.append("ICMP [malformed: ").append(e.reason()).append(']');
            return;
        }
        if (message instanceof IcmpMessage.DestinationUnreachable u) {
            sb.append("ICMP ").append(describeUnreachable(u)).append(", length ").append(len);
        } else {
            sb.append(message);
        }
    }

    /** As tcpdump: {@code 10.0.0.2 udp port 53 unreachable}, {@code host 10.0.0.9 unreachable}. */
    private static String describeUnreachable(IcmpMessage.DestinationUnreachable u) {
        byte[] original = u.original();
        Ipv4Packet ip = new Ipv4Packet().wrap(original, 0, original.length);
        boolean headerPresent = original.length >= Ipv4Packet.MIN_HEADER_LENGTH && ip.version() == 4
                && ip.headerLength() >= Ipv4Packet.MIN_HEADER_LENGTH && ip.headerLength() <= original.length;
        if (!headerPresent) {
            return u.code().text() + " unreachable";
        }
        Ipv4Address dst = ip.destination();
        int at = ip.headerLength();
        return switch (u.code()) {
            case NET -> "net " + dst + " unreachable";
            case HOST -> "host " + dst + " unreachable";
            case PROTOCOL -> dst + " protocol " + ip.protocol() + " unreachable";
            case PORT -> {
                boolean portKnown = original.length >= at + 4
                        && (ip.protocol() == IpProtocol.UDP || ip.protocol() == IpProtocol.TCP);
                yield portKnown
                        ? dst + " " + IpProtocol.name(ip.protocol()).toLowerCase(java.util.Locale.ROOT) + " port "
                                + ((original[at + 2] & 0xff) << 8 | (original[at + 3] & 0xff)) + " unreachable"
                        : dst + " port unreachable";
            }
            case FRAGMENTATION_NEEDED -> dst + " unreachable - need to frag (mtu " + u.nextHopMtu() + ")";
            default -> dst + " unreachable - " + u.code().text();
        };
    }

    private static void appendUdp(StringBuilder sb, Ipv4Address src, Ipv4Address dst, byte[] b, int off, int len,
                                  boolean firstFragment) {
        UdpPacket udp = new UdpPacket().wrap(b, off, len);
        String reason = udp.check();
        if (len >= UdpPacket.HEADER_LENGTH) {
            sb.append(src).append('.').append(udp.sourcePort()).append(" > ")
                    .append(dst).append('.').append(udp.destinationPort()).append(": UDP");
        } else {
            sb.append(src).append(" > ").append(dst).append(": UDP");
        }
        // A first fragment holds only part of the datagram its length field counts.
        if (reason != null && !(firstFragment && len >= UdpPacket.HEADER_LENGTH && udp.udpLength() >= 8)) {
            sb.append(" [malformed: ").append(reason).append(']');
            return;
        }
        String dns = (udp.sourcePort() == 53 || udp.destinationPort() == 53) && !firstFragment
                ? dns(b, udp.payloadOffset(), udp.payloadLength()) : null;
        if (dns != null) {
            sb.setLength(sb.length() - "UDP".length()); // tcpdump names no protocol before a decoded DNS message
            sb.append(dns);
        } else {
            sb.append(", length ").append(udp.payloadLength());
        }
        if (!firstFragment && !udp.verifyChecksum(src, dst)) {
            sb.append(" [bad udp cksum]");
        }
    }

    /**
     * A DNS message as tcpdump prints it without {@code -v} (print-domain.c): a query as
     * {@code 40248+ A? h2.lab. (24)} ({@code +}: recursion desired), a response as
     * {@code 40248*- 1/0/0 A 10.0.0.2 (46)} ({@code *}: authoritative, {@code -}: no recursion
     * available, {@code |}: truncated, then the rcode when not NoError). Null when it does not
     * decode or asks nothing, so the plain UDP line is printed instead.
     */
    private static String dns(byte[] b, int off, int len) {
        netstack4j.dns.DnsMessage m;
        try {
            m = netstack4j.dns.DnsMessage.parse(b, off, len);
        } catch (MalformedPacketException e) {
            return null;
        }
        if (m.questions().isEmpty()) {
            return null;
        }
        StringBuilder d = new StringBuilder().append(m.id());
        int f = m.flags();
        if (!m.isResponse()) {
            d.append((f & netstack4j.dns.DnsMessage.FLAG_RD) != 0 ? "+" : "");
        } else {
            d.append(RCODES[Math.min(m.rcode(), RCODES.length - 1)]);
            d.append((f & netstack4j.dns.DnsMessage.FLAG_AA) != 0 ? "*" : "");
            d.append((f & netstack4j.dns.DnsMessage.FLAG_RA) != 0 ? "" : "-");
            d.append((f & netstack4j.dns.DnsMessage.FLAG_TC) != 0 ? "|" : "");
        }
        if (m.questions().size() != 1) {
            d.append(" [").append(m.questions().size()).append("q]");
        }
        if (m.isResponse()) {
            d.append(' ').append(m.answers().size()).append("/0/0");
            for (int i = 0; i < m.answers().size(); i++) {
                netstack4j.dns.DnsMessage.Record r = m.answers().get(i);
                d.append(i == 0 ? " " : ", ");
                d.append(r.type() == netstack4j.dns.DnsMessage.TYPE_A && r.data().length == 4 ? "A " + r.address() : "type" + r.type());
            }
        } else {
            netstack4j.dns.DnsMessage.Question q = m.questions().getFirst();
            d.append(' ').append(q.type() == netstack4j.dns.DnsMessage.TYPE_A ? "A" : "Type" + q.type()).append("? ")
                    .append(q.name()).append('.');
        }
        return d.append(" (").append(len).append(')').toString();
    }

    /** tcpdump's ns_resp: the rcode as printed after a response's id. */
    private static final String[] RCODES = {"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " Resp6"};

    private static void appendTcp(StringBuilder sb, Ipv4Address src, Ipv4Address dst, byte[] b, int off, int len,
                                  boolean firstFragment) {
        TcpPacket tcp = new TcpPacket().wrap(b, off, len);
        String reason = tcp.check();
        if (len >= 4) {
            sb.append(src).append('.').append(tcp.sourcePort()).append(" > ")
                    .append(dst).append('.').append(tcp.destinationPort()).append(": ");
        } else {
            sb.append(src).append(" > ").append(dst).append(": ");
        }
        if (reason != null) {
            sb.append("TCP [malformed: ").append(reason).append(']');
            return;
        }
        TcpHeader h;
        try {
            h = TcpHeader.parse(tcp);
        } catch (MalformedPacketException e) {
            sb.append("TCP [malformed: ").append(e.reason()).append(']');
            return;
        }
        int payload = tcp.payloadLength();
        sb.append("Flags ").append(TcpFlags.toString(h.flags()));
        // tcpdump print-tcp.c: the sequence number only for data, SYN, FIN or RST, not for a pure ACK.
        if (payload > 0 || h.hasFlags(TcpFlags.SYN) || h.hasFlags(TcpFlags.FIN) || h.hasFlags(TcpFlags.RST)) {
            sb.append(", seq ").append(Integer.toUnsignedString(h.sequenceNumber()));
            if (payload > 0) {
                sb.append(':').append(Integer.toUnsignedString(h.sequenceNumber() + payload));
            }
        }
        if (h.hasFlags(TcpFlags.ACK)) {
            sb.append(", ack ").append(Integer.toUnsignedString(h.acknowledgmentNumber()));
        }
        sb.append(", win ").append(h.window());
        if (h.hasFlags(TcpFlags.URG)) {
            sb.append(", urg ").append(h.urgentPointer());
        }
        if (!h.options().isEmpty()) {
            sb.append(", options [");
            for (int i = 0; i < h.options().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(h.options().get(i));
            }
            sb.append(']');
        }
        sb.append(", length ").append(payload);
        if (!firstFragment && !tcp.verifyChecksum(src, dst)) {
            sb.append(" [bad tcp cksum]");
        }
    }

    /** tcpdump's IGMP line: {@code igmp v2 report 239.1.2.3}, {@code igmp query v2}, {@code igmp leave 239.1.2.3}. */
    private static void appendIgmp(StringBuilder sb, byte[] b, int at, int n) {
        try {
            sb.append(netstack4j.wire.IgmpMessage.parse(b, at, n));
        } catch (netstack4j.wire.MalformedPacketException e) {
            sb.append("igmp [malformed: ").append(e.getMessage()).append(']');
        }
    }
}
