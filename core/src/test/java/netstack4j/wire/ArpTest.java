package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArpTest {
    // RFC 826 layout: Ethernet (1), IPv4 (0800), 6, 4, request (1); 10.0.0.1 asks for 10.0.0.2.
    static final byte[] REQUEST = Hex.bytes("""
            0001 0800 06 04 0001
            020000000001 0a000001
            000000000000 0a000002""");
    static final ArpMessage REQUEST_MESSAGE = ArpMessage.request(MacAddress.local(1), Ipv4Address.parse("10.0.0.1"),
            Ipv4Address.parse("10.0.0.2"));

    @Test
    void parsesRequest() throws MalformedPacketException {
        ArpPacket p = ArpPacket.wrapChecked(REQUEST, 0, REQUEST.length);
        assertEquals(1, p.operation());
        assertEquals(MacAddress.local(1), p.senderHardwareAddress());
        assertEquals(Ipv4Address.parse("10.0.0.1"), p.senderProtocolAddress());
        assertEquals(MacAddress.ZERO, p.targetHardwareAddress());
        assertEquals(Ipv4Address.parse("10.0.0.2"), p.targetProtocolAddress());
        assertEquals(REQUEST_MESSAGE, ArpMessage.parse(p));
    }

    @Test
    void emitsRequestAndReply() throws MalformedPacketException {
        byte[] b = new byte[ArpMessage.LENGTH];
        REQUEST_MESSAGE.emit(b, 0);
        assertArrayEquals(REQUEST, b);
        ArpMessage reply = ArpMessage.replyTo(REQUEST_MESSAGE, MacAddress.local(2));
        reply.emit(b, 0);
        assertArrayEquals(Hex.bytes("0001 0800 06 04 0002 020000000002 0a000002 020000000001 0a000001"), b);
        assertEquals(reply, ArpMessage.parse(ArpPacket.wrapChecked(b, 0, b.length)));
    }

    @Test
    void paddedFrameIsAccepted() throws MalformedPacketException {
        byte[] padded = java.util.Arrays.copyOf(REQUEST, 46);
        assertEquals(REQUEST_MESSAGE, ArpMessage.parse(ArpPacket.wrapChecked(padded, 0, 46)));
    }

    @Test
    void rejectsOtherHardwareProtocolsAndOperations() {
        assertReason(ArpPacket.TOO_SHORT, java.util.Arrays.copyOf(REQUEST, 27));
        assertReason(ArpPacket.NOT_ETHERNET, patch(REQUEST, 1, 6));
        assertReason(ArpPacket.NOT_IPV4, patch(REQUEST, 2, 0x86));
        assertReason(ArpPacket.BAD_LENGTHS, patch(REQUEST, 4, 8));
        assertReason(ArpPacket.BAD_LENGTHS, patch(REQUEST, 5, 16));
        assertReason(ArpPacket.BAD_OPERATION, patch(REQUEST, 7, 3));
    }

    @Test
    void readableToString() {
        assertEquals("ARP, Request who-has 10.0.0.2 tell 10.0.0.1 (02:00:00:00:00:01)", REQUEST_MESSAGE.toString());
    }

    static byte[] patch(byte[] b, int index, int value) {
        byte[] c = b.clone();
        c[index] = (byte) value;
        return c;
    }

    private static void assertReason(String reason, byte[] b) {
        assertEquals(reason, new ArpPacket().wrap(b, 0, b.length).check());
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> ArpPacket.wrapChecked(b, 0, b.length));
        assertEquals(reason, e.getMessage());
    }
}
