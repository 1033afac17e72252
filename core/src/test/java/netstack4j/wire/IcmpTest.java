package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import netstack4j.wire.IcmpMessage.DestinationUnreachable;
import netstack4j.wire.IcmpMessage.EchoReply;
import netstack4j.wire.IcmpMessage.EchoRequest;
import netstack4j.wire.IcmpMessage.Other;
import netstack4j.wire.IcmpMessage.TimeExceeded;
import netstack4j.wire.IcmpMessage.TimeExceededCode;
import netstack4j.wire.IcmpMessage.UnreachableCode;
import org.junit.jupiter.api.Test;

class IcmpTest {
    // Echo request, id 1, seq 1, data "abcd", checksum 3337 (computed independently).
    static final byte[] ECHO = Hex.bytes("0800 3337 0001 0001 61626364");
    static final EchoRequest ECHO_VALUE = new EchoRequest(1, 1, "abcd".getBytes(StandardCharsets.US_ASCII));

    static IcmpMessage parse(byte[] b) throws MalformedPacketException {
        return IcmpMessage.parse(IcmpPacket.wrapChecked(b, 0, b.length));
    }

    static byte[] emit(IcmpMessage m) {
        byte[] b = new byte[m.length()];
        m.emit(b, 0);
        return b;
    }

    @Test
    void echoRequestGolden() throws MalformedPacketException {
        IcmpPacket p = IcmpPacket.wrapChecked(ECHO, 0, ECHO.length);
        assertEquals(8, p.type());
        assertEquals(0, p.code());
        assertEquals(0x3337, p.checksum());
        assertEquals(1, p.identifier());
        assertEquals(1, p.sequence());
        assertEquals(8, p.payloadOffset());
        assertEquals(4, p.payloadLength());
        assertTrue(p.verifyChecksum());
        assertEquals(ECHO_VALUE, parse(ECHO));
        assertArrayEquals(ECHO, emit(ECHO_VALUE));
        assertEquals("ICMP echo request, id 1, seq 1, length 12", ECHO_VALUE.toString());
    }

    @Test
    void replyMirrorsRequest() throws MalformedPacketException {
        EchoReply reply = ECHO_VALUE.reply();
        byte[] b = emit(reply);
        assertEquals(0, b[0]);
        assertInstanceOf(EchoReply.class, parse(b));
        assertEquals(reply, parse(b));
        assertTrue(new IcmpPacket().wrap(b, 0, b.length).verifyChecksum());
    }

    @Test
    void fragmentationNeededCarriesMtu() throws MalformedPacketException {
        byte[] original = Hex.bytes("4500 05dc 0001 4000 4006 0000 0a000001 0a000002 9c40 0050 0000 03e8");
        DestinationUnreachable m = DestinationUnreachable.fragmentationNeeded(1400, original);
        byte[] b = emit(m);
        assertArrayEquals(Hex.bytes("0304"), java.util.Arrays.copyOfRange(b, 0, 2));
        assertArrayEquals(Hex.bytes("0000 0578"), java.util.Arrays.copyOfRange(b, 4, 8));
        IcmpPacket p = IcmpPacket.wrapChecked(b, 0, b.length);
        assertEquals(1400, p.nextHopMtu());
        assertTrue(p.verifyChecksum());
        assertEquals(m, parse(b));
        assertEquals("ICMP unreachable - need to frag (mtu 1400), length 36", m.toString());
    }

    @Test
    void portUnreachableAndTimeExceeded() throws MalformedPacketException {
        byte[] original = new byte[28];
        DestinationUnreachable port = DestinationUnreachable.of(UnreachableCode.PORT, original);
        assertEquals(port, parse(emit(port)));
        assertEquals(3, port.icmpCode());
        TimeExceeded ttl = new TimeExceeded(TimeExceededCode.TTL, original);
        assertEquals(ttl, parse(emit(ttl)));
        assertEquals(11, emit(ttl)[0]);
        TimeExceeded reassembly = new TimeExceeded(TimeExceededCode.REASSEMBLY, original);
        assertEquals(1, emit(reassembly)[1]);
        assertEquals(reassembly, parse(emit(reassembly)));
    }

    @Test
    void unknownCodesAndNonZeroUnusedBytesAreOther() throws MalformedPacketException {
        byte[] unknownCode = Hex.bytes("0310 0000 0000 0000");
        assertInstanceOf(Other.class, parse(unknownCode));
        byte[] echoWithCode = Hex.bytes("0801 0000 0001 0001");
        assertEquals(new Other(8, 1, 0x00010001, new byte[0]), parse(echoWithCode));
        byte[] portWithMtu = Hex.bytes("0303 0000 0000 05dc");
        assertInstanceOf(Other.class, parse(portWithMtu));
        byte[] timestamp = Hex.bytes("0d00 0000 0001 0002 00000000");
        Other o = (Other) parse(timestamp);
        assertEquals(13, o.type());
        assertEquals(0x00010002, o.restOfHeader());
        assertArrayEquals(Hex.bytes("0d00"), java.util.Arrays.copyOf(emit(o), 2));
        assertThrows(IllegalArgumentException.class, () -> new Other(8, 0, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Other(11, 0, 0, new byte[0]));
    }

    @Test
    void recordInvariantsAndContentEquality() {
        assertThrows(IllegalArgumentException.class, () -> new EchoRequest(65536, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationUnreachable(UnreachableCode.PORT, 1500, new byte[0]));
        byte[] data = {1, 2, 3};
        EchoRequest r = new EchoRequest(1, 2, data);
        data[0] = 9;
        assertEquals(new EchoRequest(1, 2, new byte[] {1, 2, 3}), r);
        assertEquals(new EchoRequest(1, 2, new byte[] {1, 2, 3}).hashCode(), r.hashCode());
        assertNotEquals(new EchoRequest(1, 2, new byte[] {1, 2, 4}), r);
        r.data()[0] = 7;
        assertEquals(1, r.data()[0]);
    }

    @Test
    void codeLookups() {
        assertEquals(UnreachableCode.ADMIN_PROHIBITED, UnreachableCode.fromCode(13));
        assertEquals(UnreachableCode.NET_PROHIBITED, UnreachableCode.fromCode(9));
        assertEquals(null, UnreachableCode.fromCode(16));
        assertEquals(TimeExceededCode.REASSEMBLY, TimeExceededCode.fromCode(1));
        assertEquals(null, TimeExceededCode.fromCode(2));
    }

    @Test
    void tooShortIsMalformed() {
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> IcmpPacket.wrapChecked(new byte[7], 0, 7));
        assertEquals(IcmpPacket.TOO_SHORT, e.reason());
    }
}
