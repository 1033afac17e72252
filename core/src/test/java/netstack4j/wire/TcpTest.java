package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netstack4j.wire.TcpOption.EndOfList;
import netstack4j.wire.TcpOption.Mss;
import netstack4j.wire.TcpOption.Nop;
import netstack4j.wire.TcpOption.Sack;
import netstack4j.wire.TcpOption.SackBlock;
import netstack4j.wire.TcpOption.SackPermitted;
import netstack4j.wire.TcpOption.Timestamps;
import netstack4j.wire.TcpOption.Unknown;
import netstack4j.wire.TcpOption.WindowScale;
import org.junit.jupiter.api.Test;

class TcpTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");
    // A Linux SYN: 40000 -> 80, seq 1000, win 64240, options in Linux order
    // (mss 1460, sackOK, TS val 1 ecr 0, nop, wscale 7); checksum 9893 computed independently.
    static final byte[] SYN = Hex.bytes("""
            9c40 0050 000003e8 00000000 a002 faf0 9893 0000
            020405b4 0402 080a 00000001 00000000 01 030307""");
    static final TcpHeader SYN_VALUE = new TcpHeader(40000, 80, 1000, 0, TcpFlags.SYN, 64240, 0, List.of(
            new Mss(1460), new SackPermitted(), new Timestamps(1, 0), new Nop(), new WindowScale(7)));
    // 80 -> 40000 [P.] seq 5000 ack 1001 win 502, options nop,nop,TS val 100 ecr 50, data "hello".
    static final byte[] DATA = Hex.bytes("""
            0050 9c40 00001388 000003e9 8018 01f6 684e 0000
            0101080a 00000064 00000032 68656c6c6f""");

    static byte[] emit(TcpHeader h, byte[] payload, Ipv4Address src, Ipv4Address dst) {
        byte[] b = new byte[h.headerLength() + payload.length];
        System.arraycopy(payload, 0, b, h.headerLength(), payload.length);
        h.emit(b, 0, payload.length, src, dst);
        return b;
    }

    @Test
    void synAccessors() throws MalformedPacketException {
        TcpPacket p = TcpPacket.wrapChecked(SYN, 0, SYN.length);
        assertEquals(40000, p.sourcePort());
        assertEquals(80, p.destinationPort());
        assertEquals(1000, p.sequenceNumber());
        assertEquals(0, p.acknowledgmentNumber());
        assertEquals(40, p.dataOffset());
        assertEquals(TcpFlags.SYN, p.flags());
        assertEquals(64240, p.window());
        assertEquals(0x9893, p.checksum());
        assertEquals(20, p.optionsLength());
        assertEquals(40, p.payloadOffset());
        assertEquals(0, p.payloadLength());
        assertEquals(1460, p.mss());
        assertEquals(7, p.windowScale());
        assertTrue(p.sackPermitted());
        assertTrue(p.hasTimestamps());
        assertEquals(1, p.tsVal());
        assertEquals(0, p.tsEcr());
        assertEquals(0, p.sackBlockCount());
        assertTrue(p.verifyChecksum(A, B));
        assertFalse(p.verifyChecksum(B, A) && p.verifyChecksum(A, Ipv4Address.parse("10.0.0.3")));
    }

    @Test
    void synParseAndEmitAreByteExact() throws MalformedPacketException {
        assertEquals(SYN_VALUE, TcpHeader.parse(TcpPacket.wrapChecked(SYN, 0, SYN.length)));
        assertArrayEquals(SYN, emit(SYN_VALUE, new byte[0], A, B));
        assertEquals(40, SYN_VALUE.headerLength());
        assertEquals(new Mss(1460), SYN_VALUE.option(Mss.class));
        assertEquals(null, SYN_VALUE.option(Sack.class));
    }

    @Test
    void dataSegmentGolden() throws MalformedPacketException {
        TcpPacket p = TcpPacket.wrapChecked(DATA, 0, DATA.length);
        assertEquals(5, p.payloadLength());
        assertEquals(32, p.payloadOffset());
        assertTrue(p.verifyChecksum(B, A));
        assertEquals(-1, p.mss());
        assertEquals(-1, p.windowScale());
        assertFalse(p.sackPermitted());
        assertEquals(100, p.tsVal());
        assertEquals(50, p.tsEcr());
        TcpHeader h = TcpHeader.parse(p);
        assertEquals(new TcpHeader(80, 40000, 5000, 1001, TcpFlags.PSH | TcpFlags.ACK, 502, 0,
                List.of(new Nop(), new Nop(), new Timestamps(100, 50))), h);
        assertArrayEquals(DATA, emit(h, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), B, A));
        assertEquals("TCP 80 > 40000: Flags [P.], seq 5000, ack 1001, win 502, options [nop,nop,TS val 100 ecr 50]",
                h.toString());
    }

    @Test
    void sackBlocks() throws MalformedPacketException {
        TcpHeader h = new TcpHeader(1, 2, 10, 20, TcpFlags.ACK, 100, 0, List.of(new Nop(), new Nop(),
                new Sack(List.of(new SackBlock(100, 200), new SackBlock(-10, 5)))));
        byte[] b = emit(h, new byte[0], A, B);
        TcpPacket p = TcpPacket.wrapChecked(b, 0, b.length);
        assertEquals(2, p.sackBlockCount());
        assertEquals(100, p.sackLeft(0));
        assertEquals(200, p.sackRight(0));
        assertEquals(-10, p.sackLeft(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.sackLeft(2));
        assertEquals(h, TcpHeader.parse(p));
        assertEquals("sack 2 {100:200}{4294967286:5}", h.options().get(2).toString());
    }

    @Test
    void optionsArePaddedWithEndOfList() throws MalformedPacketException {
        TcpHeader h = new TcpHeader(1, 2, 0, 0, TcpFlags.SYN, 0, 0, List.of(new WindowScale(14)));
        assertEquals(List.of(new WindowScale(14), new EndOfList()), h.options());
        byte[] b = emit(h, new byte[0], A, B);
        assertEquals(24, b.length);
        assertArrayEquals(Hex.bytes("03030e00"), java.util.Arrays.copyOfRange(b, 20, 24));
        assertEquals(h, TcpHeader.parse(TcpPacket.wrapChecked(b, 0, b.length)));
        // Bytes after End of Option List are padding, not options.
        TcpHeader nopEol = new TcpHeader(1, 2, 0, 0, TcpFlags.ACK, 0, 0, List.of(new Nop()));
        byte[] afterEol = emit(nopEol, new byte[0], A, B);
        assertArrayEquals(Hex.bytes("01000000"), java.util.Arrays.copyOfRange(afterEol, 20, 24));
        afterEol[22] = 0x02;
        assertEquals(nopEol, TcpHeader.parse(TcpPacket.wrapChecked(afterEol, 0, afterEol.length)));
    }

    @Test
    void headerRecordInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> new TcpHeader(1, 2, 0, 0, 0, 0, 0, List.of(new EndOfList(), new Nop())));
        assertThrows(IllegalArgumentException.class,
                () -> new TcpHeader(1, 2, 0, 0, 0x100, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new TcpHeader(1, 2, 0, 0, 0, 65536, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TcpHeader(1, 2, 0, 0, 0, 0, 0,
                List.of(new Timestamps(1, 2), new Timestamps(1, 2), new Timestamps(1, 2), new Timestamps(1, 2),
                        new Mss(1))));
        assertThrows(IllegalArgumentException.class, () -> new Sack(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(2, new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(30, new byte[39]));
        assertEquals(14, new WindowScale(200).effectiveShift());
        assertEquals(7, new WindowScale(7).effectiveShift());
    }

    @Test
    void unknownOptionsAreKept() throws MalformedPacketException {
        // Kind 30 (MPTCP) with 2 data bytes, then NOP, NOP.
        byte[] b = Hex.bytes("0001 0002 00000000 00000000 7002 ffff 0000 0000 1e04abcd 01010000");
        TcpHeader h = TcpHeader.parse(TcpPacket.wrapChecked(b, 0, 28));
        assertEquals(List.of(new Unknown(30, Hex.bytes("abcd")), new Nop(), new Nop(),
                new EndOfList()), h.options());
        assertEquals(new Unknown(30, Hex.bytes("abcd")).hashCode(), h.options().getFirst().hashCode());
    }

    @Test
    void malformedOptionsAreRejected() {
        assertReason(TcpPacket.BAD_MSS, "020305");
        assertReason(TcpPacket.BAD_WINDOW_SCALE, "03040700");
        assertReason(TcpPacket.BAD_SACK_PERMITTED, "04030000");
        assertReason(TcpPacket.BAD_SACK, "050400000000");
        assertReason(TcpPacket.BAD_SACK, "0523" + "00".repeat(33));
        assertReason(TcpPacket.BAD_TIMESTAMPS, "0808000000000000");
        assertReason(TcpPacket.OPTION_LENGTH_BELOW_2, "1e01");
        assertReason(TcpPacket.OPTION_TRUNCATED, "1e0c000000");
        assertReason(TcpPacket.OPTION_TRUNCATED, "010101" + "1e");
    }

    @Test
    void malformedHeadersAreRejected() {
        assertEquals(TcpPacket.TOO_SHORT, new TcpPacket().wrap(SYN, 0, 19).check());
        byte[] b = SYN.clone();
        b[12] = 0x40;
        assertEquals(TcpPacket.DATA_OFFSET_BELOW_20, new TcpPacket().wrap(b, 0, b.length).check());
        assertEquals(TcpPacket.DATA_OFFSET_BEYOND_PACKET, new TcpPacket().wrap(SYN, 0, 36).check());
    }

    @Test
    void flagsPrintLikeTcpdump() {
        assertEquals("[S]", TcpFlags.toString(TcpFlags.SYN));
        assertEquals("[S.]", TcpFlags.toString(TcpFlags.SYN | TcpFlags.ACK));
        assertEquals("[P.]", TcpFlags.toString(TcpFlags.PSH | TcpFlags.ACK));
        assertEquals("[F.]", TcpFlags.toString(TcpFlags.FIN | TcpFlags.ACK));
        assertEquals("[R]", TcpFlags.toString(TcpFlags.RST));
        assertEquals("[.]", TcpFlags.toString(TcpFlags.ACK));
        assertEquals("[SEW]", TcpFlags.toString(TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR));
        assertEquals("[none]", TcpFlags.toString(0));
    }

    /** A 20-byte header plus {@code optionsHex} padded with zeros to a word boundary. */
    private static void assertReason(String reason, String optionsHex) {
        byte[] options = Hex.bytes(optionsHex);
        int padded = (options.length + 3) & ~3;
        byte[] b = new byte[20 + padded];
        b[12] = (byte) (((20 + padded) / 4) << 4);
        System.arraycopy(options, 0, b, 20, options.length);
        assertEquals(reason, new TcpPacket().wrap(b, 0, b.length).check());
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> TcpHeader.parse(new TcpPacket().wrap(b, 0, b.length)));
        assertEquals(reason, e.reason());
    }
}
