package netstack4j.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import netstack4j.wire.Checksum;
import org.junit.jupiter.api.Test;

/** Software GSO as tcp_gso_segment: headers copied, seq advanced, IP id/len/checksums fixed, FIN/PSH last, CWR first. */
class GsoTest {
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int CWR = 0x80;
    private static final int SRC = 0x0a000001;
    private static final int DST = 0x0a000002;

    /** An Ethernet + IPv4 + TCP (with 12 bytes of timestamps) super-segment of {@code payload}. */
    static byte[] superSegment(byte[] payload, int seq, int id, int flags) {
        int ihl = 20;
        int doff = 32;
        byte[] p = new byte[14 + ihl + doff + payload.length];
        p[12] = 0x08;
        int ip = 14;
        p[ip] = 0x45;
        put16(p, ip + 2, ihl + doff + payload.length);
        put16(p, ip + 4, id);
        p[ip + 6] = 0x40; // DF
        p[ip + 8] = 64;
        p[ip + 9] = 6;
        put32(p, ip + 12, SRC);
        put32(p, ip + 16, DST);
        put16(p, ip + 10, Checksum.compute(p, ip, ihl));
        int tcp = ip + ihl;
        put16(p, tcp, 40000);
        put16(p, tcp + 2, 80);
        put32(p, tcp + 4, seq);
        put32(p, tcp + 8, 0x01020304);
        p[tcp + 12] = (byte) ((doff / 4) << 4);
        p[tcp + 13] = (byte) flags;
        put16(p, tcp + 14, 502);
        p[tcp + 20] = 1;
        p[tcp + 21] = 1;
        p[tcp + 22] = 8;
        p[tcp + 23] = 10;
        put32(p, tcp + 24, 777);
        put32(p, tcp + 28, 555);
        System.arraycopy(payload, 0, p, 14 + ihl + doff, payload.length);
        int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, doff + payload.length);
        put16(p, tcp + 16, Checksum.fold(Checksum.sum(p, tcp, doff + payload.length, pseudo)));
        return p;
    }

    private static List<byte[]> segment(byte[] p, int gsoSize) {
        List<byte[]> out = new ArrayList<>();
        int n = Gso.segmentTcp4(p, 0, p.length, 14, gsoSize, new byte[70000],
                (b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)));
        assertEquals(out.size(), n);
        return out;
    }

    @Test
    void golden_threeSegmentsFromOneUnit() {
        byte[] payload = new byte[2500];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        List<byte[]> segs = segment(superSegment(payload, 1000, 0x4000, ACK | PSH | CWR), 1000);
        assertEquals(3, segs.size());
        int[] lens = {1000, 1000, 500};
        int[] flags = {ACK | CWR, ACK, ACK | PSH};
        for (int i = 0; i < 3; i++) {
            byte[] s = segs.get(i);
            assertEquals(14 + 52 + lens[i], s.length);
            assertEquals(52 + lens[i], Gso.getShort(s, 16), "IP total length");
            assertEquals(0x4000 + i, Gso.getShort(s, 18), "IP id");
            assertEquals(1000 + 1000 * i, Gso.getInt(s, 38), "seq");
            assertEquals(flags[i], s[47] & 0xff, "flags of segment " + i);
            assertEquals(0x01020304, Gso.getInt(s, 42), "ack copied");
        }
    }

    @Test
    void everySegmentIsValidAndTheyRebuildThePayload_acrossSizesAndFlags() {
        SplittableRandom r = new SplittableRandom(25);
        for (int run = 0; run < 300; run++) {
            int len = r.nextInt(0, 65_000);
            int mss = r.nextInt(100, 9000);
            byte[] payload = new byte[len];
            r.nextBytes(payload);
            int seq = r.nextInt();
            int id = r.nextInt(65536);
            int flags = ACK | (r.nextBoolean() ? PSH : 0) | (r.nextBoolean() ? FIN : 0) | (r.nextBoolean() ? CWR : 0);
            List<byte[]> segs = segment(superSegment(payload, seq, id, flags), mss);
            assertEquals(Gso.segments(len, mss), segs.size(), "segments for " + len + " at mss " + mss);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < segs.size(); i++) {
                byte[] s = segs.get(i);
                int n = s.length - 14 - 52;
                assertTrue(n <= mss && (i == segs.size() - 1 || n == mss), "only the last may be short");
                assertEquals(0, Checksum.compute(s, 14, 20), "IP header checksum");
                int pseudo = Checksum.pseudoHeaderSum(SRC, DST, 6, 32 + n);
                assertEquals(0, Checksum.fold(Checksum.sum(s, 34, 32 + n, pseudo)) & 0xffff, "TCP checksum");
                assertEquals(seq + i * mss, Gso.getInt(s, 38));
                assertEquals((id + i) & 0xffff, Gso.getShort(s, 18));
                int f = s[47] & 0xff;
                boolean last = i == segs.size() - 1;
                assertEquals(last ? flags & (FIN | PSH) : 0, f & (FIN | PSH));
                assertEquals(i == 0 ? flags & CWR : 0, f & CWR);
                joined.write(s, 66, n);
            }
            assertArrayEquals(payload, joined.toByteArray());
        }
    }

    @Test
    void notTcpOrTruncated_isRefused() {
        byte[] p = superSegment(new byte[3000], 1, 1, ACK);
        p[14 + 9] = 17;
        assertEquals(-1, Gso.segmentTcp4(p, 0, p.length, 14, 1448, new byte[2000], (b, o, l) -> { }));
        byte[] q = superSegment(new byte[3000], 1, 1, ACK);
        assertEquals(-1, Gso.segmentTcp4(q, 0, 40, 14, 1448, new byte[2000], (b, o, l) -> { }));
        assertEquals(-1, Gso.segmentTcp4(q, 0, q.length, 14, 1448, new byte[100], (b, o, l) -> { }), "out too small");
    }

    @Test
    void offloads_defaultsAndEthtoolNames() {
        Offloads none = Offloads.none();
        assertFalse(none.canGso());
        Offloads linux = Offloads.linuxSoftware();
        assertTrue(linux.gso() && linux.gro() && !linux.tso() && linux.canGso());
        assertTrue(linux.set("generic-segmentation-offload", false));
        assertTrue(linux.set("tso", true));
        assertFalse(linux.set("lro", true));
        assertTrue(linux.canGso());
        assertEquals("Features for eth0:\ntx-checksumming: off\ntcp-segmentation-offload: on\ngeneric-segmentation-offload: off\n"
                + "generic-receive-offload: on\n", linux.ethtoolText("eth0"));
        assertEquals(65536, linux.gsoMaxSize());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> linux.gsoMaxSize(70000));
    }

    @Test
    void captureDevice_reportsTheInnerDevicesFeatures() throws java.io.IOException {
        RecordingDevice d = new RecordingDevice(netstack4j.wire.MacAddress.local(1));
        d.offloads.tso(true);
        CaptureDevice c = new CaptureDevice(d, new netstack4j.trace.PcapWriter(new ByteArrayOutputStream()), () -> 0L);
        assertTrue(c.features().tso());
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
