package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UdpTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
    // 5353 -> 53, length 10, checksum 6e50 (computed independently), data "hi".
    static final byte[] DATAGRAM = Hex.bytes("14e9 0035 000a 6e50 6869");

    @Test
    void parseGolden() throws MalformedPacketException {
        UdpPacket p = UdpPacket.wrapChecked(DATAGRAM, 0, DATAGRAM.length);
        assertEquals(5353, p.sourcePort());
        assertEquals(53, p.destinationPort());
        assertEquals(10, p.udpLength());
        assertEquals(0x6e50, p.checksum());
        assertEquals(8, p.payloadOffset());
        assertEquals(2, p.payloadLength());
        assertTrue(p.verifyChecksum(A, B));
        assertFalse(p.verifyChecksum(B, Ipv4Address.parse("10.0.0.3")));
        assertEquals(new UdpHeader(5353, 53), UdpHeader.parse(p));
    }

    @Test
    void emitGolden() {
        byte[] b = new byte[10];
        b[8] = 'h';
        b[9] = 'i';
        new UdpHeader(5353, 53).emit(b, 0, 2, A, B);
        assertArrayEquals(DATAGRAM, b);
    }

    @Test
    void zeroChecksumMeansNotComputed() throws MalformedPacketException {
        byte[] b = DATAGRAM.clone();
        b[6] = 0;
        b[7] = 0;
        assertTrue(UdpPacket.wrapChecked(b, 0, b.length).verifyChecksum(A, B));
    }

    @Test
    void computedZeroIsSentAsAllOnes() throws MalformedPacketException {
        // Choose data so that the sum is 0xffff: the complement would be 0 (RFC 768).
        byte[] b = new byte[10];
        UdpHeader h = new UdpHeader(1, 2);
        h.emit(b, 0, 2, A, B);
        int checksum = (b[6] & 0xff) << 8 | (b[7] & 0xff);
        // Adding the checksum value as data makes the new sum 0xffff, so the complement is 0.
        b[8] = (byte) (checksum >>> 8);
        b[9] = (byte) checksum;
        h.emit(b, 0, 2, A, B);
        assertEquals(0xffff, UdpPacket.wrapChecked(b, 0, 10).checksum());
        assertTrue(UdpPacket.wrapChecked(b, 0, 10).verifyChecksum(A, B));
    }

    @Test
    void lengthFieldIsChecked() {
        assertEquals(UdpPacket.TOO_SHORT, new UdpPacket().wrap(DATAGRAM, 0, 7).check());
        assertEquals(UdpPacket.LENGTH_BEYOND_PACKET, new UdpPacket().wrap(DATAGRAM, 0, 9).check());
        byte[] b = DATAGRAM.clone();
        b[5] = 7;
        assertEquals(UdpPacket.LENGTH_BELOW_8, new UdpPacket().wrap(b, 0, b.length).check());
        assertThrows(MalformedPacketException.class, () -> UdpHeader.parse(new UdpPacket().wrap(b, 0, b.length)));
        // Bytes beyond the length field are ignored (e.g. link padding).
        byte[] padded = Arrays.copyOf(DATAGRAM, 18);
        assertEquals(2, new UdpPacket().wrap(padded, 0, 18).payloadLength());
    }

    @Test
    void portsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeader(1, 65536));
        assertEquals("UDP 5353 > 53", new UdpHeader(5353, 53).toString());
    }
}
