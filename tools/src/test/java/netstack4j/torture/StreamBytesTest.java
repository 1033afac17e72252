package netstack4j.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void twoFlipsThatCancelInTheInternetChecksumAreTold() {
        byte[] clean = new byte[1000];
        new StreamBytes(3).fill(clean, 0, clean.length);
        int set = -1;
        int clear = -1;
        for (int i = 0; i < clean.length; i += 2) {
            if ((clean[i] & 0x80) != 0 && set < 0) {
                set = i;
            } else if ((clean[i] & 0x80) == 0 && clear < 0) {
                clear = i;
            }
        }
        byte[] data = clean.clone();
        data[set] ^= (byte) 0x80; // -0x8000 in one 16-bit word
        data[clear] ^= (byte) 0x80; // +0x8000 in another: the ones'-complement sum is unchanged
        StreamBytes in = new StreamBytes(3);
        assertEquals(Math.min(set, clear), in.check(data, 0, data.length));
        assertTrue(in.checksumBlind(data, 0, data.length));

        byte[] single = clean.clone();
        single[101] ^= 0x01;
        StreamBytes one = new StreamBytes(3);
        assertEquals(101, one.check(single, 0, single.length));
        assertFalse(one.checksumBlind(single, 0, single.length));
    }

    @Test
    void directionsAndConnectionsHaveTheirOwnStreams() {
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(1, 0, false));
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(1, 1, true));
        assertNotEquals(StreamBytes.seedOf(1, 0, true), StreamBytes.seedOf(2, 0, true));
    }
}
