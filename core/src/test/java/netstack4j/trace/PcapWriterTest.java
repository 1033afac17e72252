package netstack4j.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import netstack4j.wire.Hexes;
import org.junit.jupiter.api.Test;

class PcapWriterTest {
    @Test
    void writesClassicLittleEndianPcap() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        byte[] frame = {1, 2, 3, 4, 5};
        w.writePacket(3_000_004_999L, frame, 1, 3);
        w.flush();
        byte[] b = out.toByteArray();
        assertArrayEquals(Hexes.bytes("""
                d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000
                03000000 04000000 03000000 03000000 020304"""), b);
        assertEquals(1, w.packets());
    }

    @Test
    void truncatesToSnapLengthKeepingOriginalLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        byte[] jumbo = new byte[PcapWriter.SNAPLEN + 10];
        w.writePacket(0, jumbo, 0, jumbo.length);
        byte[] b = out.toByteArray();
        assertEquals(24 + 16 + PcapWriter.SNAPLEN, b.length);
        assertArrayEquals(Hexes.bytes("00000400 0a000400"), Arrays.copyOfRange(b, 32, 40));
    }
}
