package netstack4j.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import netstack4j.wire.Checksum;
import org.junit.jupiter.api.Test;

/** Software segmentation and checksum completion for packets read with IFF_VNET_HDR. */
class VirtioNetTest {
    private static final int SRC = 0x0ac80001;
    private static final int DST = 0x0ac80002;

    /** Ethernet + IPv4 (20) + TCP (32, with 12 bytes of options) + payload, checksums left as the kernel leaves them. */
    private static byte[] superSegment(int payload, int tcpFlags) {
        byte[] p = new byte[14 + 20 + 32 + payload];
        p[12] = 0x08;
        int ip = 14;
        p[ip] = 0x45;
        int total = 20 + 32 + payload;
        p[ip + 2] = (byte) (total >>> 8);
        p[ip + 3] = (byte) total;
        p[ip + 4] = 0x12;
        p[ip + 5] = 0x34;
        p[ip + 6] = 0x40; // DF
        p[ip + 8] = 64;
        p[ip + 9] = 6;
        for (int i = 0; i < 4; i++) {
            p[ip + 12 + i] = (byte) (SRC >>> (24 - 8 * i));
            p[ip + 16 + i] = (byte) (DST >>> (24 - 8 * i));
        }
        int tcp = ip + 20;
        p[tcp] = (byte) 0xc3;
        p[tcp + 1] = 0x50;
        p[tcp + 3] = 80;
        p[tcp + 4] = 0x7f;
        p[tcp + 5] = (byte) 0xff;
        p[tcp + 6] = (byte) 0xff;
        p[tcp + 7] = (byte) 0xf0; // near the wrap of the sequence space
        p[tcp + 12] = (byte) 0x80; // data offset 8 words
        p[tcp + 13] = (byte) tcpFlags;
        p[tcp + 14] = 0x01;
        p[tcp + 20] = 1;
        p[tcp + 21] = 1;
        p[tcp + 22] = 8;
        p[tcp + 23] = 10;
        for (int i = 0; i < payload; i++) {
            p[tcp + 32 + i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    @Test
    void aSuperSegmentIsCutIntoSegmentsThatEachCheckOut() {
        int payload = 4 * 1448 + 100;
        byte[] p = superSegment(payload, 0x80 | 0x18 | 0x01); // CWR, PSH|ACK, FIN
        List<byte[]> segments = new ArrayList<>();
        int n = VirtioNet.segmentTcp4(p, 0, p.length, 14, 1448, new byte[70000],
                (b, off, len) -> segments.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        assertEquals(5, n);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] s = segments.get(i);
            int len = i < 4 ? 1448 : 100;
            assertEquals(14 + 52 + len, s.length);
            assertEquals(0, Checksum.compute(s, 14, 20), "IP header checksum of segment " + i);
            assertEquals(52 + len, VirtioNet.getShort(s, 14 + 2));
            assertEquals(0x1234 + i, VirtioNet.getShort(s, 14 + 4));
            int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, 32 + len);
            assertEquals(0, Checksum.fold(Checksum.sum(s, 34, 32 + len, pseudo)), "TCP checksum of segment " + i);
            assertEquals(0x7ffffff0 + i * 1448, VirtioNet.getInt(s, 34 + 4));
            int flags = s[34 + 13] & 0xff;
            assertEquals(i == 0 ? 0x80 : 0, flags & 0x80, "CWR on the first only");
            assertEquals(i == 4 ? 0x09 : 0, flags & 0x09, "FIN and PSH on the last only");
            assertEquals(0x10, flags & 0x10, "ACK on all");
            assertEquals(10, s[34 + 23], "options copied");
            data.write(s, 66, len);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 66, p.length), data.toByteArray());
    }

    @Test
    void notTcpOverIpv4IsRefused() {
        byte[] p = superSegment(100, 0x10);
        p[14 + 9] = 17;
        assertEquals(-1, VirtioNet.segmentTcp4(p, 0, p.length, 14, 1448, new byte[2000], (b, o, l) -> { }));
        assertEquals(-1, VirtioNet.segmentTcp4(p, 0, 30, 14, 1448, new byte[2000], (b, o, l) -> { }));
    }

    @Test
    void aPartialChecksumIsCompleted() {
        byte[] p = superSegment(333, 0x18);
        int tcpLen = 32 + 333;
        // As the kernel leaves it: the field holds the pseudo-header sum, folded, not complemented.
        int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, tcpLen);
        int partial = ~Checksum.fold(pseudo) & 0xffff;
        p[34 + 16] = (byte) (partial >>> 8);
        p[34 + 17] = (byte) partial;
        assertEquals(true, VirtioNet.completeChecksum(p, 0, p.length, 34, 16));
        assertEquals(0, Checksum.fold(Checksum.sum(p, 34, tcpLen, pseudo)));
        assertEquals(false, VirtioNet.completeChecksum(p, 0, p.length, 34, p.length));
    }
}
