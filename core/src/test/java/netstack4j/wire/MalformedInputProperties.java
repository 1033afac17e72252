package netstack4j.wire;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import netstack4j.trace.PacketFormatter;
import org.junit.jupiter.api.Assertions;

/**
 * Untrusted bytes: check, wrapChecked and parse never throw anything but
 * MalformedPacketException, and after a successful check no accessor throws. Inputs are random
 * bytes and valid packets with a few bytes changed (which reach deeper into the checks).
 */
class MalformedInputProperties {
    @Provide
    Arbitrary<byte[]> inputs() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> mutated = Arbitraries.randomValue(MalformedInputProperties::mutatedPacket);
        return Arbitraries.oneOf(random, mutated);
    }

    /** A valid IPv4 packet carrying TCP, UDP or ICMP, with up to four bytes changed and maybe truncated. */
    static byte[] mutatedPacket(Random r) {
        Ipv4Address src = RoundTripProperties.address(r);
        Ipv4Address dst = RoundTripProperties.address(r);
        byte[] transport;
        int protocol;
        switch (r.nextInt(3)) {
            case 0 -> {
                TcpHeader h = RoundTripProperties.tcpHeader(r);
                transport = new byte[h.headerLength() + r.nextInt(20)];
                h.emit(transport, 0, transport.length - h.headerLength(), src, dst);
                protocol = IpProtocol.TCP;
            }
            case 1 -> {
                transport = new byte[8 + r.nextInt(20)];
                new UdpHeader(r.nextInt(65536), r.nextInt(65536)).emit(transport, 0, transport.length - 8, src, dst);
                protocol = IpProtocol.UDP;
            }
            default -> {
                IcmpMessage m = new IcmpMessage.EchoRequest(1, 2, RoundTripProperties.bytes(r, 20));
                transport = new byte[m.length()];
                m.emit(transport, 0);
                protocol = IpProtocol.ICMP;
            }
        }
        Ipv4Options options = RoundTripProperties.ipv4Options(r);
        Ipv4Header ip = new Ipv4Header(0, 20 + options.length() + transport.length, 1, false, false, 0, 64, protocol,
                src, dst, options);
        byte[] b = new byte[14 + ip.totalLength()];
        new EthernetHeader(MacAddress.BROADCAST, MacAddress.local(1), EtherType.IPV4).emit(b, 0);
        ip.emit(b, 14);
        System.arraycopy(transport, 0, b, 14 + ip.headerLength(), transport.length);
        for (int i = r.nextInt(5); i > 0; i--) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return r.nextInt(4) == 0 ? java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)) : b;
    }

    @Property(tries = 2000)
    void ethernetAndArp(@ForAll("inputs") byte[] b) {
        EthernetPacket eth = new EthernetPacket().wrap(b, 0, b.length);
        if (eth.check() == null) {
            eth.destination();
            eth.source();
            eth.etherType();
            Assertions.assertTrue(eth.payloadOffset() + eth.payloadLength() <= b.length);
        }
        parseOrMalformed(() -> EthernetHeader.parse(new EthernetPacket().wrap(b, 0, b.length)));
        ArpPacket arp = new ArpPacket().wrap(b, 0, b.length);
        if (arp.check() == null) {
            arp.senderHardwareAddress();
            arp.senderProtocolAddress();
            arp.targetHardwareAddress();
            arp.targetProtocolAddress();
        }
        parseOrMalformed(() -> ArpMessage.parse(ArpPacket.wrapChecked(b, 0, b.length)));
    }

    @Property(tries = 2000)
    void ipv4AndTransports(@ForAll("inputs") byte[] b, @ForAll @IntRange(max = 14) int start) {
        int off = Math.min(start, b.length);
        int len = b.length - off;
        Ipv4Packet ip = new Ipv4Packet().wrap(b, off, len);
        if (ip.check() == null) {
            ip.version();
            ip.tos();
            ip.dscp();
            ip.ecn();
            ip.identification();
            ip.dontFragment();
            ip.moreFragments();
            ip.fragmentOffset();
            ip.ttl();
            ip.protocol();
            ip.headerChecksum();
            ip.source();
            ip.destination();
            ip.verifyChecksum();
            Assertions.assertTrue(ip.payloadOffset() + ip.payloadLength() <= off + len);
            Assertions.assertTrue(ip.optionsOffset() + ip.optionsLength() <= off + len);
            transports(b, ip.payloadOffset(), ip.payloadLength());
        }
        parseOrMalformed(() -> Ipv4Header.parse(new Ipv4Packet().wrap(b, off, len)));
        transports(b, off, len);
    }

    private static void transports(byte[] b, int off, int len) {
        Ipv4Address a = Ipv4Address.LOOPBACK;
        UdpPacket udp = new UdpPacket().wrap(b, off, len);
        if (udp.check() == null) {
            udp.sourcePort();
            udp.destinationPort();
            udp.checksum();
            udp.verifyChecksum(a, a);
            Assertions.assertTrue(udp.payloadOffset() + udp.payloadLength() <= off + len);
        }
        parseOrMalformed(() -> UdpHeader.parse(new UdpPacket().wrap(b, off, len)));
        IcmpPacket icmp = new IcmpPacket().wrap(b, off, len);
        if (icmp.check() == null) {
            icmp.type();
            icmp.code();
            icmp.checksum();
            icmp.identifier();
            icmp.sequence();
            icmp.nextHopMtu();
            icmp.restOfHeader();
            icmp.verifyChecksum();
        }
        parseOrMalformed(() -> IcmpMessage.parse(new IcmpPacket().wrap(b, off, len)));
        TcpPacket tcp = new TcpPacket().wrap(b, off, len);
        if (tcp.check() == null) {
            tcp.sourcePort();
            tcp.destinationPort();
            tcp.sequenceNumber();
            tcp.acknowledgmentNumber();
            tcp.flags();
            tcp.window();
            tcp.checksum();
            tcp.urgentPointer();
            tcp.verifyChecksum(a, a);
            tcp.mss();
            tcp.windowScale();
            tcp.sackPermitted();
            tcp.hasTimestamps();
            tcp.tsVal();
            tcp.tsEcr();
            for (int i = 0; i < tcp.sackBlockCount(); i++) {
                tcp.sackLeft(i);
                tcp.sackRight(i);
            }
            Assertions.assertTrue(tcp.payloadOffset() + tcp.payloadLength() <= off + len);
        }
        parseOrMalformed(() -> TcpHeader.parse(new TcpPacket().wrap(b, off, len)));
    }

    @Property(tries = 2000)
    void formatterNeverThrows(@ForAll("inputs") byte[] b) {
        Assertions.assertNotNull(PacketFormatter.format(b, 0, b.length));
        Assertions.assertNotNull(PacketFormatter.formatIpv4(b, 0, b.length));
        Assertions.assertNotNull(PacketFormatter.formatArp(b, 0, b.length));
    }

    @Property
    void regionOutsideArrayIsRejectedNotThrown(@ForAll @Size(max = 40) byte[] b, @ForAll @IntRange(min = -5, max = 60) int off,
                                               @ForAll @IntRange(min = -5, max = 80) int len) {
        if (new Ipv4Packet().wrap(b, off, len).check() == null) {
            Assertions.assertTrue(off >= 0 && len >= 0 && off + len <= b.length);
        }
        parseOrMalformed(() -> TcpHeader.parse(new TcpPacket().wrap(b, off, len)));
        parseOrMalformed(() -> UdpHeader.parse(new UdpPacket().wrap(b, off, len)));
        parseOrMalformed(() -> IcmpMessage.parse(new IcmpPacket().wrap(b, off, len)));
        parseOrMalformed(() -> ArpMessage.parse(new ArpPacket().wrap(b, off, len)));
        parseOrMalformed(() -> EthernetHeader.parse(new EthernetPacket().wrap(b, off, len)));
        parseOrMalformed(() -> Ipv4Header.parse(new Ipv4Packet().wrap(b, off, len)));
    }

    @FunctionalInterface
    interface Parse {
        Object run() throws MalformedPacketException;
    }

    private static void parseOrMalformed(Parse parse) {
        try {
            Assertions.assertNotNull(parse.run().toString());
        } catch (MalformedPacketException e) {
            Assertions.assertNotNull(e.reason());
        }
    }
}
