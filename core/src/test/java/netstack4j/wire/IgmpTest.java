package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** IGMPv2 codec (RFC 2236 section 2): golden bytes, parse, emit, round trip and rejection. */
class IgmpTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv4Address GROUP = Ipv4Address.of(239, 1, 2, 3);

    private static byte[] emit(IgmpMessage m) {
        byte[] b = new byte[IgmpMessage.LENGTH];
        m.emit(b, 0);
        return b;
    }

    @Test
    void reportLeaveAndGeneralQueryMatchTheirGoldenBytes() {
        // The general query's bytes are those every IGMPv2 querier sends (checksum 0xee9b).
        assertEquals("1600f8faef010203", HEX.formatHex(emit(IgmpMessage.report(GROUP))));
        assertEquals("1700f7faef010203", HEX.formatHex(emit(IgmpMessage.leave(GROUP))));
        assertEquals("1164ee9b00000000", HEX.formatHex(emit(IgmpMessage.query(Ipv4Address.ANY, 100))));
    }

    @Test
    void parseGivesTheFieldsAndRoundTrips() throws MalformedPacketException {
        byte[] b = HEX.parseHex("110afdf0ef010203");
        IgmpMessage q = IgmpMessage.parse(b, 0, b.length);
        assertTrue(q.isQuery());
        assertEquals(10, q.maxResponseTenths());
        assertEquals(GROUP, q.group());
        assertArrayEquals(b, emit(q));
        assertEquals("igmp query v2 [gaddr 239.1.2.3] [max resp time 1.0s]", q.toString());
        for (IgmpMessage m : new IgmpMessage[] {IgmpMessage.report(GROUP), IgmpMessage.leave(GROUP)}) {
            byte[] e = emit(m);
            assertEquals(m, IgmpMessage.parse(e, 0, e.length));
        }
        assertEquals("igmp v2 report 239.1.2.3", IgmpMessage.report(GROUP).toString());
    }

    @Test
    void aVersion3QueryIsReadAsAQueryByItsFirstEightBytes() throws MalformedPacketException {
        // RFC 3376 section 4.1: 12 bytes (S/QRV/QQIC, no sources); the checksum covers all of them.
        byte[] b = HEX.parseHex("1164000000000000027d0000");
        int c = Checksum.compute(b, 0, b.length);
        b[2] = (byte) (c >>> 8);
        b[3] = (byte) c;
        IgmpMessage q = IgmpMessage.parse(b, 0, b.length);
        assertTrue(q.isQuery());
        assertEquals(Ipv4Address.ANY, q.group());
    }

    @Test
    void aVersion3ReportFromALinuxHostIsRecognisedNotRejected() throws MalformedPacketException {
        // RFC 3376 section 4.2: type 0x22, one record CHANGE_TO_EXCLUDE (4) for 239.1.2.3, no sources.
        byte[] b = HEX.parseHex("2200000000000001" + "04000000ef010203");
        int c = Checksum.compute(b, 0, b.length);
        b[2] = (byte) (c >>> 8);
        b[3] = (byte) c;
        IgmpMessage r = IgmpMessage.parse(b, 0, b.length);
        assertEquals(IgmpMessage.V3_MEMBERSHIP_REPORT, r.type());
        assertEquals("igmp v3 report", r.toString());
        assertTrue(!r.isReport() && !r.isQuery(), "a version 2 host neither answers nor is suppressed by it");
    }

    @Test
    void shortBadChecksumAndUnicastGroupAreRejected() {
        byte[] good = emit(IgmpMessage.report(GROUP));
        assertThrows(MalformedPacketException.class, () -> IgmpMessage.parse(good, 0, 7));
        byte[] bad = good.clone();
        bad[7] ^= 1;
        assertEquals("IGMP checksum error", assertThrows(MalformedPacketException.class, () -> IgmpMessage.parse(bad, 0, 8)).getMessage());
        byte[] unicast = emit(new IgmpMessage(IgmpMessage.V2_MEMBERSHIP_REPORT, 0, Ipv4Address.of(10, 0, 0, 1)));
        assertThrows(MalformedPacketException.class, () -> IgmpMessage.parse(unicast, 0, 8));
    }

    @Test
    void groupMacKeepsTheLow23Bits() {
        // RFC 1112 section 6.4: 224.129.2.3 and 239.1.2.3 share 01:00:5e:01:02:03.
        assertEquals("01:00:5e:01:02:03", MacAddress.multicast(GROUP.value()).toString());
        assertEquals(MacAddress.multicast(Ipv4Address.of(224, 129, 2, 3).value()), MacAddress.multicast(GROUP.value()));
        assertEquals("01:00:5e:00:00:01", MacAddress.multicast(Ipv4Address.of(224, 0, 0, 1).value()).toString());
    }
}
