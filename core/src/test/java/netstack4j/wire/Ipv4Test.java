package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4Test {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
    // 10.0.0.1 -> 10.0.0.2, total 60, id 0x1234, DF, TTL 64, TCP, checksum 1486 (computed independently).
    static final byte[] HEADER = Hex.bytes("4500 003c 1234 4000 4006 1486 0a000001 0a000002");
    static final Ipv4Header HEADER_VALUE = Ipv4Header.of(IpProtocol.TCP, A, B, 40, 64, 0x1234, true);

    static byte[] packet(byte[] header, int totalLength) {
        return Arrays.copyOf(header, totalLength);
    }

    @Test
    void accessors() throws MalformedPacketException {
        byte[] b = packet(HEADER, 60);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertEquals(4, p.version());
        assertEquals(20, p.headerLength());
        assertEquals(60, p.totalLength());
        assertEquals(0x1234, p.identification());
        assertTrue(p.dontFragment());
        assertFalse(p.moreFragments());
        assertEquals(0, p.fragmentOffset());
        assertEquals(64, p.ttl());
        assertEquals(IpProtocol.TCP, p.protocol());
        assertEquals(0x1486, p.headerChecksum());
        assertEquals(A, p.source());
        assertEquals(B.value(), p.destinationInt());
        assertEquals(20, p.payloadOffset());
        assertEquals(40, p.payloadLength());
        assertEquals(0, p.optionsLength());
        assertTrue(p.verifyChecksum());
    }

    @Test
    void parseAndEmitGolden() throws MalformedPacketException {
        byte[] b = packet(HEADER, 60);
        assertEquals(HEADER_VALUE, Ipv4Header.parse(Ipv4Packet.wrapChecked(b, 0, 60)));
        byte[] out = new byte[20];
        HEADER_VALUE.emit(out, 0);
        assertArrayEquals(HEADER, out);
        assertEquals(20, HEADER_VALUE.length());
    }

    @Test
    void wellKnownUdpHeaderChecksumVerifies() throws MalformedPacketException {
        byte[] b = packet(Hex.bytes("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7"), 0x73);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertTrue(p.verifyChecksum());
        b[8] = 63;
        assertFalse(p.verifyChecksum());
    }

    @Test
    void forwardingDecrementsTtlInPlace() throws MalformedPacketException {
        byte[] b = packet(HEADER, 60);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        p.setTtl(p.ttl() - 1);
        assertFalse(p.verifyChecksum());
        p.updateChecksum();
        assertTrue(p.verifyChecksum());
        assertEquals(Ipv4Header.of(IpProtocol.TCP, A, B, 40, 63, 0x1234, true), Ipv4Header.parse(p));
    }

    @Test
    void fragmentFieldsAndSetter() throws MalformedPacketException {
        // MF set, offset 185 units = 1480 bytes.
        byte[] b = packet(Hex.bytes("4500 0030 abcd 20b9 4011 0000 0a000001 0a000002"), 48);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertTrue(p.moreFragments());
        assertEquals(1480, p.fragmentOffset());
        assertTrue(p.isFragment());
        p.setFragment(false, 2960);
        assertFalse(p.moreFragments());
        assertEquals(2960, p.fragmentOffset());
        Ipv4Header h = Ipv4Header.parse(p);
        assertEquals(2960, h.fragmentOffset());
        assertTrue(h.isFragment());
    }

    @Test
    void linkPaddingBeyondTotalLengthIsAllowed() throws MalformedPacketException {
        byte[] b = packet(HEADER, 80);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertEquals(40, p.payloadLength());
    }

    @Test
    void rejectsMalformedHeaders() {
        assertReason(Ipv4Packet.TOO_SHORT, Arrays.copyOf(HEADER, 19));
        assertReason(Ipv4Packet.BAD_VERSION, ArpTest.patch(packet(HEADER, 60), 0, 0x65));
        assertReason(Ipv4Packet.IHL_BELOW_5, ArpTest.patch(packet(HEADER, 60), 0, 0x44));
        assertReason(Ipv4Packet.IHL_BEYOND_PACKET, ArpTest.patch(packet(HEADER, 20), 0, 0x46));
        assertReason(Ipv4Packet.TOTAL_BELOW_HEADER, ArpTest.patch(packet(HEADER, 60), 3, 19));
        assertReason(Ipv4Packet.TOTAL_BEYOND_PACKET, packet(HEADER, 59));
        byte[] pingOfDeath = packet(Hex.bytes("4500 0030 abcd 1fff 4001 0000 0a000001 0a000002"), 48);
        assertReason(Ipv4Packet.FRAGMENT_BEYOND_MAX, pingOfDeath);
    }

    @Test
    void optionsAreValidated() throws MalformedPacketException {
        // IHL 6: Router Alert (RFC 2113): 94 04 0000.
        byte[] withRouterAlert = packet(Hex.bytes("4600 0018 0001 0000 4011 0000 0a000001 0a000002 94040000"), 24);
        Ipv4Packet p = Ipv4Packet.wrapChecked(withRouterAlert, 0, 24);
        assertEquals(4, p.optionsLength());
        Ipv4Header h = Ipv4Header.parse(p);
        assertArrayEquals(Hex.bytes("94040000"), h.options().bytes());
        byte[] out = new byte[24];
        h.emit(out, 0);
        assertTrue(new Ipv4Packet().wrap(out, 0, 24).verifyChecksum());
        assertEquals(h, Ipv4Header.parse(Ipv4Packet.wrapChecked(out, 0, 24)));

        assertReason(Ipv4Options.OPTION_LENGTH_BELOW_2, ArpTest.patch(withRouterAlert, 21, 1));
        assertReason(Ipv4Options.OPTION_TRUNCATED, ArpTest.patch(withRouterAlert, 21, 5));
        assertReason(Ipv4Options.OPTION_TRUNCATED, ArpTest.patch(packet(Hex.bytes(
                "4600 0018 0001 0000 4011 0000 0a000001 0a000002 01010194"), 24), 0, 0x46));
        // NOPs then EOL then non-zero padding: fine, scanning stops at EOL.
        assertNull(new Ipv4Packet().wrap(packet(Hex.bytes(
                "4600 0018 0001 0000 4011 0000 0a000001 0a000002 010100ff"), 24), 0, 24).check());
    }

    @Test
    void optionsRecordInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Options(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Options(new byte[44]));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Options(Hex.bytes("94010000")));
        byte[] raw = Hex.bytes("94040000");
        Ipv4Options o = new Ipv4Options(raw);
        raw[0] = 1;
        assertEquals(new Ipv4Options(Hex.bytes("94040000")), o);
        assertEquals("94040000", o.toString());
    }

    @Test
    void copiedOnFragmentKeepsOnlyCopiedOptions() {
        // NOP, Record Route (7, not copied, length 7), Router Alert (0x94, copied), EOL.
        Ipv4Options o = new Ipv4Options(Hex.bytes("01 07 07 04 00000000 94040000 00 00 00 00"));
        assertEquals(new Ipv4Options(Hex.bytes("94040000")), Ipv4Options.copiedOnFragment(o));
        // Loose source route (0x83, copied, length 7) is padded with EOL to 8.
        Ipv4Options lsrr = new Ipv4Options(Hex.bytes("83 07 04 0a000003 00"));
        assertEquals(lsrr, Ipv4Options.copiedOnFragment(lsrr));
        assertEquals(Ipv4Options.NONE, Ipv4Options.copiedOnFragment(new Ipv4Options(Hex.bytes("07 03 04 00"))));
    }

    @Test
    void headerRecordInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(0, 20, 0, false, false, 4, 64, 6, A, B, Ipv4Options.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(0, 19, 0, false, false, 0, 64, 6, A, B, Ipv4Options.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(0, 65536, 0, false, false, 0, 64, 6, A, B, Ipv4Options.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(0, 100, 0, false, false, 65528, 64, 6, A, B, Ipv4Options.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Header(256, 20, 0, false, false, 0, 64, 6, A, B, Ipv4Options.NONE));
        assertThrows(NullPointerException.class,
                () -> new Ipv4Header(0, 20, 0, false, false, 0, 64, 6, null, B, Ipv4Options.NONE));
    }

    @Test
    void readableToString() {
        assertEquals("IPv4 10.0.0.1 > 10.0.0.2: TCP, ttl 64, id 4660, DF, length 60", HEADER_VALUE.toString());
    }

    private static void assertReason(String reason, byte[] b) {
        assertEquals(reason, new Ipv4Packet().wrap(b, 0, b.length).check());
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv4Header.parse(new Ipv4Packet().wrap(b, 0, b.length)));
        assertEquals(reason, e.getMessage());
    }
}
