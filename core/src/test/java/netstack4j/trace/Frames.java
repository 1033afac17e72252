package netstack4j.trace;

import java.util.List;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Options;
import netstack4j.wire.MacAddress;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpHeader;
import netstack4j.wire.TcpOption;
import netstack4j.wire.UdpHeader;

/** Test helper: whole Ethernet frames built with the wire codecs. */
final class Frames {
    static final MacAddress MAC_A = MacAddress.local(1);
    static final MacAddress MAC_B = MacAddress.local(2);
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    private Frames() {
    }

    static byte[] arpRequest() {
        byte[] b = new byte[14 + ArpMessage.LENGTH];
        new EthernetHeader(MacAddress.BROADCAST, MAC_A, EtherType.ARP).emit(b, 0);
        ArpMessage.request(MAC_A, A, B).emit(b, 14);
        return b;
    }

    static byte[] arpReply() {
        byte[] b = new byte[14 + ArpMessage.LENGTH];
        new EthernetHeader(MAC_A, MAC_B, EtherType.ARP).emit(b, 0);
        ArpMessage.replyTo(ArpMessage.request(MAC_A, A, B), MAC_B).emit(b, 14);
        return b;
    }

    /** An IPv4 frame from A to B around {@code transport}, which is already complete. */
    static byte[] ip(int protocol, byte[] transport, int identification) {
        Ipv4Header ip = Ipv4Header.of(protocol, A, B, transport.length, 64, identification, true);
        byte[] b = new byte[14 + ip.totalLength()];
        new EthernetHeader(MAC_B, MAC_A, EtherType.IPV4).emit(b, 0);
        ip.emit(b, 14);
        System.arraycopy(transport, 0, b, 34, transport.length);
        return b;
    }

    static byte[] echoRequest() {
        IcmpMessage m = new IcmpMessage.EchoRequest(1, 1, new byte[56]);
        byte[] icmp = new byte[m.length()];
        m.emit(icmp, 0);
        return ip(IpProtocol.ICMP, icmp, 1);
    }

    /** A UDP datagram between ports no Wireshark dissector claims, so the data is shown as data. */
    static byte[] udpPayload(int length) {
        byte[] udp = new byte[8 + length];
        for (int i = 0; i < length; i++) {
            udp[8 + i] = (byte) ('a' + i % 26);
        }
        new UdpHeader(40001, 40002).emit(udp, 0, length, A, B);
        return udp;
    }

    static byte[] udp() {
        return ip(IpProtocol.UDP, udpPayload(30), 2);
    }

    static byte[] tcpSyn() {
        TcpHeader h = new TcpHeader(40000, 80, 1000, 0, TcpFlags.SYN, 65535, 0, List.of(new TcpOption.Mss(1460),
                new TcpOption.SackPermitted(), new TcpOption.Timestamps(1, 0), new TcpOption.Nop(),
                new TcpOption.WindowScale(7)));
        byte[] tcp = new byte[h.headerLength()];
        h.emit(tcp, 0, 0, A, B);
        return ip(IpProtocol.TCP, tcp, 3);
    }

    /** A 1508-byte UDP datagram (1500 data bytes) in two fragments: 1480 bytes at 0 (MF), 28 at 1480. */
    static List<byte[]> udpFragments() {
        byte[] udp = udpPayload(1500);
        return List.of(fragment(udp, 0, 1480, true), fragment(udp, 1480, udp.length - 1480, false));
    }

    private static byte[] fragment(byte[] datagram, int offset, int length, boolean more) {
        Ipv4Header ip = new Ipv4Header(0, 20 + length, 0x1234, false, more, offset, 64, IpProtocol.UDP, A, B,
                Ipv4Options.NONE);
        byte[] b = new byte[14 + ip.totalLength()];
        new EthernetHeader(MAC_B, MAC_A, EtherType.IPV4).emit(b, 0);
        ip.emit(b, 14);
        System.arraycopy(datagram, offset, b, 34, length);
        return b;
    }
}
