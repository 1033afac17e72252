package netstack4j.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.UdpHeader;
import org.junit.jupiter.api.Test;

class PacketFormatterTest {
    static String format(byte[] frame) {
        return PacketFormatter.format(frame, 0, frame.length);
    }

    @Test
    void arp() {
        assertEquals("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", format(Frames.arpRequest()));
        assertEquals("ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02, length 28", format(Frames.arpReply()));
    }

    @Test
    void icmpEcho() {
        assertEquals("IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64", format(Frames.echoRequest()));
    }

    @Test
    void udp() {
        byte[] udp = new byte[38];
        new UdpHeader(5353, 53).emit(udp, 0, 30, Frames.A, Frames.B);
        assertEquals("IP 10.0.0.1.5353 > 10.0.0.2.53: UDP, length 30", format(Frames.ip(IpProtocol.UDP, udp, 7)));
    }

    @Test
    void dnsIsDecodedAsTcpdumpPrintsIt() {
        netstack4j.dns.DnsMessage q = netstack4j.dns.DnsMessage.query(40248, "h2.lab");
        assertEquals("IP 10.0.0.1.45478 > 10.0.0.2.53: 40248+ A? h2.lab. (24)", format(udpFrame(45478, 53, q.toBytes())));
        netstack4j.dns.DnsMessage r = new netstack4j.dns.DnsMessage(40248,
                netstack4j.dns.DnsMessage.FLAG_QR | netstack4j.dns.DnsMessage.FLAG_AA | netstack4j.dns.DnsMessage.FLAG_RD,
                q.questions(), List.of(netstack4j.dns.DnsMessage.Record.a("h2.lab", netstack4j.wire.Ipv4Address.parse("10.0.0.2"), 300)));
        assertEquals("IP 10.0.0.1.53 > 10.0.0.2.45478: 40248*- 1/0/0 A 10.0.0.2 (" + r.toBytes().length + ")",
                format(udpFrame(53, 45478, r.toBytes())));
        netstack4j.dns.DnsMessage nx = new netstack4j.dns.DnsMessage(7, netstack4j.dns.DnsMessage.FLAG_QR | netstack4j.dns.DnsMessage.FLAG_RA
                | netstack4j.dns.DnsMessage.RCODE_NXDOMAIN, q.questions(), List.of());
        assertEquals("IP 10.0.0.1.53 > 10.0.0.2.45478: 7 NXDomain 0/0/0 (" + nx.toBytes().length + ")", format(udpFrame(53, 45478, nx.toBytes())));
    }

    private static byte[] udpFrame(int sport, int dport, byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        System.arraycopy(payload, 0, udp, 8, payload.length);
        new UdpHeader(sport, dport).emit(udp, 0, payload.length, Frames.A, Frames.B);
        return Frames.ip(IpProtocol.UDP, udp, 9);
    }

    @Test
    void tcpSyn() {
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, "
                + "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0", format(Frames.tcpSyn()));
    }

    @Test
    void aPureAckHasNoSequenceNumberButAFinHas() {
        // tcpdump print-tcp.c prints seq only for data, SYN, FIN and RST.
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 2000, win 512, length 0",
                format(tcp(TcpFlags.ACK)));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1000, ack 2000, win 512, length 0",
                format(tcp(TcpFlags.FIN | TcpFlags.ACK)));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [R], seq 1000, win 512, length 0", format(tcp(TcpFlags.RST)));
    }

    private static byte[] tcp(int flags) {
        netstack4j.wire.TcpHeader h = new netstack4j.wire.TcpHeader(40000, 80, 1000, (flags & TcpFlags.ACK) != 0 ? 2000 : 0, flags, 512, 0, List.of());
        byte[] tcp = new byte[h.headerLength()];
        h.emit(tcp, 0, 0, Frames.A, Frames.B);
        return Frames.ip(IpProtocol.TCP, tcp, 5);
    }

    @Test
    void fragments() {
        List<byte[]> f = Frames.udpFragments();
        assertEquals("IP 10.0.0.1.40001 > 10.0.0.2.40002: UDP, length 1500 (frag 4660:1480@0+)", format(f.get(0)));
        assertEquals("IP 10.0.0.1 > 10.0.0.2: ip-proto-17 (frag 4660:28@1480)", format(f.get(1)));
    }

    @Test
    void portUnreachableNamesTheOriginalPort() {
        byte[] udpFrame = Frames.udp();
        byte[] original = Arrays.copyOfRange(udpFrame, 14, 14 + 28);
        IcmpMessage m = IcmpMessage.DestinationUnreachable.of(IcmpMessage.UnreachableCode.PORT, original);
        byte[] icmp = new byte[m.length()];
        m.emit(icmp, 0);
        assertEquals("IP 10.0.0.1 > 10.0.0.2: ICMP 10.0.0.2 udp port 40002 unreachable, length 36",
                format(Frames.ip(IpProtocol.ICMP, icmp, 9)));
    }

    @Test
    void malformedAndCorruptInputSaysWhy() {
        assertEquals("[malformed: frame shorter than Ethernet header], length 3", PacketFormatter.format(new byte[3], 0, 3));
        byte[] truncated = Arrays.copyOf(Frames.udp(), 40);
        assertEquals("IP 10.0.0.1 > 10.0.0.2: [malformed: IPv4 total length beyond packet]", format(truncated));
        byte[] badChecksum = Frames.udp();
        badChecksum[14 + 20 + 6] ^= 1;
        assertEquals("IP 10.0.0.1.40001 > 10.0.0.2.40002: UDP, length 30 [bad udp cksum]", format(badChecksum));
        byte[] badArp = Frames.arpRequest();
        badArp[14 + 7] = 9;
        assertEquals("ARP [malformed: unsupported ARP operation], length 28", format(badArp));
        byte[] shortUdp = Frames.ip(IpProtocol.UDP, new byte[5], 1);
        assertEquals("IP 10.0.0.1 > 10.0.0.2: UDP [malformed: shorter than UDP header]", format(shortUdp));
    }
}
