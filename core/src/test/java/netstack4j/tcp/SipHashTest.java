package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reference vectors of the SipHash paper: key 00 01 .. 0f, message 00 01 .. (len - 1). */
class SipHashTest {
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    private static long ofLength(int len) {
        byte[] m = new byte[len + 3];
        for (int i = 0; i < len; i++) {
            m[i + 3] = (byte) i;
        }
        return SipHash.hash(K0, K1, m, 3, len);
    }

    @Test
    void paperVectors() {
        assertEquals(0x726fdb47dd0e0e31L, ofLength(0));
        assertEquals(0x74f839c593dc67fdL, ofLength(1));
        assertEquals(0x93f5f5799a932462L, ofLength(8));
        assertEquals(0xa129ca6149be45e5L, ofLength(15)); // the worked example of the paper's appendix
    }

    @Test
    void bigEndianPut() {
        byte[] b = new byte[6];
        SipHash.putBigEndian(b, 1, 0x0A000001, 4);
        assertEquals(0x0A, b[1]);
        assertEquals(0x01, b[4]);
        SipHash.putBigEndian(b, 4, 0xBEEF, 2);
        assertEquals((byte) 0xBE, b[4]);
        assertEquals((byte) 0xEF, b[5]);
    }
}
