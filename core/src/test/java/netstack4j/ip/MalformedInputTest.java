package netstack4j.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.EtherType;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Hostile frames handed straight to a stack's device handler: nothing is thrown, nothing reaches
 * a socket, and each is counted under the Linux MIB counter and the drop reason it deserves.
 */
class MalformedInputTest {
    private final TestHost h = new TestHost();
    private final byte[] valid = h.udpFrame("hello".getBytes());

    private long c(Counter counter) {
        return h.stack.counters().get(counter);
    }

    private long drops(DropReason r) {
        return h.stack.counters().drops(r);
    }

    private void assertOnlyDrop(DropReason r) {
        assertEquals(1, drops(r), r.name());
        assertEquals(1, h.stack.counters().totalDrops(), "exactly one drop");
        assertEquals(0, h.udp9.queuedDatagrams(), "nothing reached the socket");
    }

    @Test
    void validDatagramIsDelivered() {
        h.receive(valid);
        assertEquals(1, c(Counter.UdpInDatagrams));
        assertEquals(1, h.udp9.queuedDatagrams());
        assertEquals(0, h.stack.counters().totalDrops());
    }

    @Test
    void ethernetFrameShorterThanItsHeader() {
        h.receive(Arrays.copyOf(valid, 10));
        assertOnlyDrop(DropReason.ETHERNET_TRUNCATED);
    }

    @Test
    void ipHeaderNotAllThereIsAHeaderError() {
        h.receive(Arrays.copyOf(valid, 14 + 12));
        // Linux ip_rcv_core: pskb_may_pull(sizeof(struct iphdr)) fails -> InHdrErrors.
        assertEquals(1, c(Counter.IpInHdrErrors));
        assertEquals(0, c(Counter.IpExtInTruncatedPkts));
        assertOnlyDrop(DropReason.IP_TRUNCATED);
    }

    @Test
    void totalLengthBeyondTheFrameIsTruncated() {
        h.receive(Arrays.copyOf(valid, valid.length - 3));
        assertEquals(1, c(Counter.IpExtInTruncatedPkts));
        assertEquals(0, c(Counter.IpInHdrErrors));
        assertOnlyDrop(DropReason.IP_TRUNCATED);
    }

    @Test
    void badVersion() {
        byte[] f = valid.clone();
        f[14] = 0x65;
        h.receive(f);
        assertEquals(1, c(Counter.IpInHdrErrors));
        assertOnlyDrop(DropReason.IP_BAD_VERSION);
    }

    @Test
    void ihlBelowFive() {
        byte[] f = valid.clone();
        f[14] = 0x44;
        h.receive(f);
        assertEquals(1, c(Counter.IpInHdrErrors));
        assertOnlyDrop(DropReason.IP_BAD_HEADER);
    }

    @Test
    void ihlBeyondThePacket() {
        byte[] f = Arrays.copyOf(valid, 14 + 24);
        f[14] = 0x4f; // 60-byte header in a 24-byte packet
        h.receive(f);
        assertEquals(1, c(Counter.IpInHdrErrors));
        assertOnlyDrop(DropReason.IP_BAD_HEADER);
    }

    @Test
    void badHeaderChecksum() {
        byte[] f = valid.clone();
        f[14 + 10] ^= 0x01;
        h.receive(f);
        assertEquals(1, c(Counter.IpExtInCsumErrors));
        assertEquals(1, c(Counter.IpInHdrErrors));
        assertOnlyDrop(DropReason.IP_CSUM);
    }

    @Test
    void udpLengthBeyondTheIpPayload() {
        byte[] f = valid.clone();
        f[14 + 20 + 5] += 4;
        h.receive(f);
        assertEquals(1, c(Counter.UdpInErrors));
        assertEquals(0, c(Counter.UdpInCsumErrors));
        assertOnlyDrop(DropReason.UDP_MALFORMED);
    }

    @Test
    void udpLengthBelowEight() {
        byte[] f = valid.clone();
        f[14 + 20 + 4] = 0;
        f[14 + 20 + 5] = 7;
        h.receive(f);
        assertEquals(1, c(Counter.UdpInErrors));
        assertOnlyDrop(DropReason.UDP_MALFORMED);
    }

    @Test
    void udpLengthShorterThanTheIpPayloadIsTrimmedAsLinuxDoes() {
        byte[] udp = TestHost.udp(TestHost.PEER, TestHost.ADDRESS, 9, "hello".getBytes());
        byte[] padded = Arrays.copyOf(udp, udp.length + 4); // 4 bytes after the datagram
        h.receive(h.toUs(TestHost.ip(IpProtocol.UDP, TestHost.PEER, TestHost.ADDRESS, padded)));
        // Linux __udp4_lib_rcv: ulen < len -> pskb_trim_rcsum(skb, ulen); the datagram is 5 bytes.
        assertEquals(1, c(Counter.UdpInDatagrams));
        assertEquals(5, h.udp9.peek().length());
        assertEquals(0, h.stack.counters().totalDrops());
    }

    @Test
    void badUdpChecksum() {
        byte[] f = valid.clone();
        f[f.length - 1] ^= 0x20; // one payload bit
        h.receive(f);
        assertEquals(1, c(Counter.UdpInCsumErrors));
        assertEquals(1, c(Counter.UdpInErrors));
        assertEquals(0, c(Counter.UdpInDatagrams));
        assertOnlyDrop(DropReason.UDP_CSUM);
    }

    @Test
    void zeroUdpChecksumMeansNone() {
        byte[] f = valid.clone();
        f[14 + 20 + 6] = 0;
        f[14 + 20 + 7] = 0;
        h.receive(f);
        assertEquals(1, c(Counter.UdpInDatagrams));
    }

    @Test
    void badIcmpChecksum() {
        var echo = new IcmpMessage.EchoRequest(1, 1, new byte[8]);
        byte[] icmp = new byte[echo.length()];
        echo.emit(icmp, 0);
        icmp[icmp.length - 1] ^= 1;
        h.receive(h.toUs(TestHost.ip(IpProtocol.ICMP, TestHost.PEER, TestHost.ADDRESS, icmp)));
        assertEquals(1, c(Counter.IcmpInCsumErrors));
        assertEquals(1, c(Counter.IcmpInErrors));
        assertEquals(0, c(Counter.IcmpInEchos));
        assertEquals(0, h.device.sent.size(), "no reply, not even ARP");
        assertOnlyDrop(DropReason.ICMP_CSUM);
    }

    @Test
    void arpWithWrongHardwareLength() {
        var m = ArpMessage.request(TestHost.PEER_MAC, TestHost.PEER, TestHost.ADDRESS);
        byte[] arp = new byte[ArpMessage.LENGTH];
        m.emit(arp, 0);
        arp[4] = 8; // hlen
        h.receive(TestHost.ethernet(MacAddress.BROADCAST, EtherType.ARP, arp));
        assertEquals(0, h.device.sent.size(), "no reply");
        assertEquals(0, h.stack.ip().neighbours().neighbours().size(), "nothing learned");
        assertOnlyDrop(DropReason.ARP_MALFORMED);
    }

    @Test
    void broadcastSourceAddressIsMartian() {
        for (Ipv4Address src : new Ipv4Address[] {Ipv4Address.parse("255.255.255.255"),
                Ipv4Address.parse("10.0.0.255"), Ipv4Address.parse("224.0.0.1")}) {
            h.receive(h.toUs(TestHost.ip(IpProtocol.UDP, src, TestHost.ADDRESS,
                    TestHost.udp(src, TestHost.ADDRESS, 9, new byte[4]))));
        }
        // RFC 1122 3.2.1.3: a source that is broadcast or multicast is discarded.
        assertEquals(3, c(Counter.IpInAddrErrors));
        assertEquals(3, drops(DropReason.IP_BAD_SOURCE));
        assertEquals(0, h.udp9.queuedDatagrams());
        assertEquals(0, h.device.sent.size(), "no ICMP about it");
    }

    @Test
    void ourOwnAddressAsSourceFromTheWireIsMartian() {
        h.receive(h.toUs(TestHost.ip(IpProtocol.UDP, TestHost.ADDRESS, TestHost.ADDRESS,
                TestHost.udp(TestHost.ADDRESS, TestHost.ADDRESS, 9, new byte[4]))));
        assertEquals(1, c(Counter.IpInAddrErrors));
        assertOnlyDrop(DropReason.IP_BAD_SOURCE);
    }
}
