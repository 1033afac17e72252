package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EthernetTest {
    static final byte[] BROADCAST_ARP = Hex.bytes("ffffffffffff 020000000001 0806");

    @Test
    void parsesHeader() throws MalformedPacketException {
        EthernetPacket p = EthernetPacket.wrapChecked(BROADCAST_ARP, 0, BROADCAST_ARP.length);
        assertEquals(MacAddress.BROADCAST, p.destination());
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), p.source());
        assertEquals(EtherType.ARP, p.etherType());
        assertEquals(14, p.payloadOffset());
        assertEquals(0, p.payloadLength());
        assertEquals(new EthernetHeader(MacAddress.BROADCAST, MacAddress.local(1), EtherType.ARP), EthernetHeader.parse(p));
    }

    @Test
    void emitsExactBytes() {
        byte[] b = new byte[16];
        new EthernetHeader(MacAddress.BROADCAST, MacAddress.local(1), EtherType.ARP).emit(b, 2);
        assertArrayEquals(BROADCAST_ARP, java.util.Arrays.copyOfRange(b, 2, 16));
    }

    @Test
    void rejectsShortFramesAnd8023Lengths() {
        assertEquals(EthernetPacket.TOO_SHORT, new EthernetPacket().wrap(new byte[13], 0, 13).check());
        byte[] llc = Hex.bytes("ffffffffffff 020000000001 0040");
        assertEquals(EthernetPacket.NOT_ETHERNET_II, new EthernetPacket().wrap(llc, 0, 14).check());
        assertThrows(MalformedPacketException.class, () -> EthernetPacket.wrapChecked(llc, 0, 14));
        assertThrows(IllegalArgumentException.class, () -> new EthernetHeader(MacAddress.ZERO, MacAddress.ZERO, 0x05ff));
        assertNull(new EthernetPacket().wrap(BROADCAST_ARP, 0, 14).check());
    }

    @Test
    void etherTypeNames() {
        assertEquals("IPv4", EtherType.name(EtherType.IPV4));
        assertEquals("ARP", EtherType.name(EtherType.ARP));
        assertEquals("0x88cc", EtherType.name(0x88cc));
    }
}
