package netstack4j.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MalformedPacketException;
import org.junit.jupiter.api.Test;

/** RFC 1035 section 4.1 messages: golden bytes as dig sends and receives them, and hostile ones. */
class DnsMessageTest {
    /** {@code dig example.com A}: id 0x1234, RD. */
    static final byte[] QUERY = HexFormat.of().parseHex(
            "123401000001000000000000" + "076578616d706c6503636f6d00" + "00010001");
    /** Its answer: QR RD RA, one A record whose name is a compression pointer to offset 12. */
    static final byte[] RESPONSE = HexFormat.of().parseHex(
            "123481800001000100000000" + "076578616d706c6503636f6d00" + "00010001"
                    + "c00c" + "0001" + "0001" + "00000e10" + "0004" + "5db8d822");

    @Test
    void queryEmitsGoldenBytes() {
        assertArrayEquals(QUERY, DnsMessage.query(0x1234, "example.com").toBytes());
    }

    @Test
    void queryParsesAndRoundTrips() throws Exception {
        DnsMessage q = DnsMessage.parse(QUERY, 0, QUERY.length);
        assertEquals(0x1234, q.id());
        assertEquals(DnsMessage.FLAG_RD, q.flags());
        assertEquals(List.of(new DnsMessage.Question("example.com", DnsMessage.TYPE_A, DnsMessage.CLASS_IN)),
                q.questions());
        assertArrayEquals(QUERY, q.toBytes());
    }

    @Test
    void responseWithCompressionPointerParses() throws Exception {
        DnsMessage r = DnsMessage.parse(RESPONSE, 0, RESPONSE.length);
        assertEquals(0x8180, r.flags());
        assertEquals(DnsMessage.RCODE_NOERROR, r.rcode());
        assertEquals(1, r.answers().size());
        DnsMessage.Record a = r.answers().getFirst();
        assertEquals("example.com", a.name());
        assertEquals(3600, a.ttl());
        assertEquals(Ipv4Address.parse("93.184.216.34"), a.address());
        // Emitted uncompressed: same message, 11 bytes longer than the pointer form.
        DnsMessage again = DnsMessage.parse(r.toBytes(), 0, r.toBytes().length);
        assertEquals(r, again);
        assertEquals(RESPONSE.length - 2 + 13, r.toBytes().length);
    }

    @Test
    void namesAreCaseInsensitive() throws Exception {
        byte[] upper = QUERY.clone();
        upper[13] = 'E';
        assertEquals("example.com", DnsMessage.parse(upper, 0, upper.length).questions().getFirst().name());
    }

    @Test
    void pointerToItselfIsRejected() {
        byte[] m = HexFormat.of().parseHex("123401000001000000000000" + "c00c" + "00010001");
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void pointerLoopBetweenTwoNamesIsRejected() {
        // Answer name at 29 points to 31, whose pointer leads back to 29.
        byte[] m = HexFormat.of().parseHex("123481800001000100000000" + "076578616d706c6503636f6d00" + "00010001"
                + "c01f" + "c01d" + "0001000100000e1000045db8d822");
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void forwardPointerIsRejected() {
        byte[] m = HexFormat.of().parseHex("123401000001000000000000" + "c020" + "00010001" + "0000000000000000000000");
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void everyTruncationIsRejected() {
        for (int n = 0; n < RESPONSE.length; n++) {
            int len = n;
            assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(RESPONSE, 0, len), "length " + n);
        }
    }

    @Test
    void labelTypesOneAndTwoAreRejected() {
        byte[] m = QUERY.clone();
        m[12] = 0x47; // 01xxxxxx: extended label type
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
        m[12] = (byte) 0x87;
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void nameLongerThan255IsRejected() {
        StringBuilder hex = new StringBuilder("123401000001000000000000");
        for (int i = 0; i < 5; i++) {
            hex.append("3f").append("61".repeat(63));
        }
        hex.append("0000010001");
        byte[] m = HexFormat.of().parseHex(hex);
        assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void parseWithinALargerBuffer() throws Exception {
        byte[] b = new byte[RESPONSE.length + 10];
        System.arraycopy(RESPONSE, 0, b, 7, RESPONSE.length);
        Arrays.fill(b, 0, 7, (byte) 0xc0);
        assertEquals(DnsMessage.parse(RESPONSE, 0, RESPONSE.length), DnsMessage.parse(b, 7, RESPONSE.length));
    }

    @Test
    void labelsThatCannotBeWrittenBackAreRefused() {
        // Found by DnsMessageFuzzTest: a label byte above 0x7f became U+FFFD and then '?' when
        // encoded, and a '.' inside a label became a label boundary.
        for (String label : new String[] {"03" + "61e761", "03" + "612e62"}) {
            byte[] m = HexFormat.of().parseHex("123401000001000000000000" + label + "00" + "00010001");
            assertThrows(MalformedPacketException.class, () -> DnsMessage.parse(m, 0, m.length), label);
        }
    }
}
