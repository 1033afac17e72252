package netstack4j.dns;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import netstack4j.wire.MalformedPacketException;

/** Parsing never fails with anything but {@link MalformedPacketException}. */
class DnsMessageProperties {
    @Property(tries = 3000)
    void randomBytesParseOrAreMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            DnsMessage.parse(bytes, 0, bytes.length);
        } catch (MalformedPacketException expected) {
            // rejected with a reason
        }
    }

    @Property(tries = 3000)
    void mutatedResponsesParseOrAreMalformed(@ForAll @IntRange(min = 0, max = 44) int at,
                                             @ForAll byte value, @ForAll @IntRange(min = 0, max = 45) int length) {
        byte[] m = DnsMessageTest.RESPONSE.clone();
        m[at] = value;
        try {
            DnsMessage.parse(m, 0, length);
        } catch (MalformedPacketException expected) {
            // rejected with a reason
        }
    }
}
