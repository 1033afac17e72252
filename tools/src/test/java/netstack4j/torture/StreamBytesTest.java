package netstack4j.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The per-direction content generator and its in-order check. */
class StreamBytesTest {
    @Test
    void theCheckFindsTheFirstWrongByteWhateverTheChunking() {
        StreamBytes out = new StreamBytes(42);
        byte[] data = new byte[10_000];
        out.fill(data, 0, 3);
        out.fill(data, 3, data.length - 3);
        StreamBytes in = new StreamBytes(42);
        assertEquals(-1, in.check(data, 0, 4097));
        data[6000] ^= 1;
        assertEquals(6000 - 4097, in.check(data, 4097, data.length - 4097));
    }

    @Test
    void aDuplicatedOrSkippedChunkDoesNotMatch() {
        byte[] a = new byte[64];
        new StreamBytes(7).fill(a, 0, a.length);
        StreamBytes in = new StreamBytes(7);
        assertEquals(-1, in.check(a, 0, 32));
        assertNotEquals(-1, in.check(a, 0, 32)); // the same 32 bytes again
    }

    @Test
    void directionsAndConnectionsHaveTheirOwnStreams() {
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(1, 0, false));
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(1, 1, true));
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(2, 0, true));
    }
}
