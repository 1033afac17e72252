package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netstack4j.wire.TcpOption.FastOpen;
import netstack4j.wire.TcpOption.Mss;
import netstack4j.wire.TcpOption.Nop;
import netstack4j.wire.TcpOption.Unknown;
import org.junit.jupiter.api.Test;

/** RFC 7413 section 4.1.1 (kind 34) and the experimental form (kind 254, magic 0xF989): golden bytes. */
class FastOpenOptionTest {
    // SYN 40000 -> 8080 seq 0 win 65535, <mss 1460,FO abcd1234,nop,nop>; checksum left 0.
    static final byte[] SYN_FO = Hex.bytes("""
            9c40 1f90 00000000 00000000 8002 ffff 0000 0000
            020405b4 2206abcd1234 0101""");
    // The same with <mss 1460,FOEXP 3021b9d889017eeb> (4 + 8 bytes).
    static final byte[] SYN_FOEXP = Hex.bytes("""
            9c40 1f90 00000000 00000000 9002 ffff 0000 0000
            020405b4 fe0cf989 3021b9d889017eeb""");
    // A cookie request <mss 1460,FO,nop,nop>.
    static final byte[] SYN_REQUEST = Hex.bytes("""
            9c40 1f90 00000000 00000000 7002 ffff 0000 0000
            020405b4 2202 0101""");

    @Test
    void emitsKind34() {
        FastOpen fo = new FastOpen(Hex.bytes("abcd1234"), false);
        byte[] b = new byte[6];
        fo.emit(b, 0);
        assertArrayEquals(Hex.bytes("2206abcd1234"), b);
        assertEquals(34, fo.kind());
        assertEquals("FO abcd1234", fo.toString());
    }

    @Test
    void emitsExperimental() {
        FastOpen fo = new FastOpen(Hex.bytes("3021b9d889017eeb"), true);
        byte[] b = new byte[12];
        fo.emit(b, 0);
        assertArrayEquals(Hex.bytes("fe0cf9893021b9d889017eeb"), b);
        assertEquals(254, fo.kind());
        assertEquals("FOEXP 3021b9d889017eeb", fo.toString());
    }

    @Test
    void parsesKind34() throws MalformedPacketException {
        TcpPacket p = TcpPacket.wrapChecked(SYN_FO, 0, SYN_FO.length);
        TcpHeader h = TcpHeader.parse(p);
        assertEquals(List.of(new Mss(1460), new FastOpen(Hex.bytes("abcd1234"), false), new Nop(), new Nop()), h.options());
        int at = p.fastOpenOption();
        assertEquals(24, at);
        assertEquals(26, p.fastOpenCookieOffset(at));
        assertEquals(4, p.fastOpenCookieLength(at));
    }

    @Test
    void parsesExperimental() throws MalformedPacketException {
        TcpPacket p = TcpPacket.wrapChecked(SYN_FOEXP, 0, SYN_FOEXP.length);
        assertEquals(List.of(new Mss(1460), new FastOpen(Hex.bytes("3021b9d889017eeb"), true)), TcpHeader.parse(p).options());
        int at = p.fastOpenOption();
        assertEquals(28, p.fastOpenCookieOffset(at));
        assertEquals(8, p.fastOpenCookieLength(at));
    }

    @Test
    void parsesCookieRequest() throws MalformedPacketException {
        TcpPacket p = TcpPacket.wrapChecked(SYN_REQUEST, 0, SYN_REQUEST.length);
        FastOpen fo = (FastOpen) TcpHeader.parse(p).options().get(1);
        assertTrue(fo.isRequest());
        assertEquals("FO", fo.toString());
        assertEquals(0, p.fastOpenCookieLength(p.fastOpenOption()));
    }

    @Test
    void otherExperimentsStayUnknown() throws MalformedPacketException {
        byte[] b = SYN_FOEXP.clone();
        b[26] = 0x12; // magic 0x1289: not Fast Open
        TcpPacket p = TcpPacket.wrapChecked(b, 0, b.length);
        assertEquals(new Unknown(254, Hex.bytes("1289 3021b9d889017eeb")), TcpHeader.parse(p).options().get(1));
        assertEquals(-1, p.fastOpenOption());
    }

    @Test
    void roundTrips() throws MalformedPacketException {
        TcpHeader h = TcpHeader.parse(TcpPacket.wrapChecked(SYN_FOEXP, 0, SYN_FOEXP.length));
        byte[] out = TcpTest.emit(h, new byte[0], TcpTest.A, TcpTest.B);
        TcpHeader again = TcpHeader.parse(TcpPacket.wrapChecked(out, 0, out.length));
        assertEquals(h.options(), again.options());
    }

    @Test
    void rejectsOversizedCookieAndKind34AsUnknown() {
        assertThrows(IllegalArgumentException.class, () -> new FastOpen(new byte[39], false));
        assertThrows(IllegalArgumentException.class, () -> new FastOpen(new byte[37], true));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(34, new byte[4]));
    }
}
