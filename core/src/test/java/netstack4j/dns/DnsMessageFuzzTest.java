package netstack4j.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import netstack4j.wire.MalformedPacketException;

/**
 * Fuzz target 4: the DNS codec (RFC 1035 section 4.1). Any bytes decode to a message or are
 * rejected with {@link MalformedPacketException} (the codec's one documented error), and a
 * decoded message encodes to bytes that decode to an equal message. Seeds (a query, answers, a
 * compressed name) come from {@code netstack4j.tcp.FuzzSeeds}.
 */
class DnsMessageFuzzTest {
    @FuzzTest(maxDuration = "3m")
    void decodeThenEncodeRoundTrips(byte[] input) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(input, 0, input.length);
        } catch (MalformedPacketException e) {
            return;
        }
        byte[] again = m.toBytes();
        try {
            assertEquals(m, DnsMessage.parse(again, 0, again.length));
        } catch (MalformedPacketException e) {
            throw new AssertionError("the re-encoded message does not parse: " + e.reason(), e);
        }
    }
}
