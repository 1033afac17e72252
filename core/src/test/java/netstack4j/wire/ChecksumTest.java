package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void completingAPartialTcpChecksumGivesTheFullOne() {
        // A SYN with options and an odd 5-byte payload; 0x741e computed by an independent
        // implementation (RFC 1071 over pseudo-header, header and payload). Whatever the field
        // held (the pseudo-header part, as CHECKSUM_PARTIAL leaves it), completion replaces it.
        byte[] p = Hex.bytes("45000039 1c464000 40060000 c0a80001 c0a800c7 d43a0050 a1b2c3d4 00000000"
                + " 8002faf0 1234 0000 020405b4 01030307 01010402 68656c6c 6f");
        Checksum.completeTcp4(p, 0);
        assertEquals(0x741e, (p[36] & 0xff) << 8 | (p[37] & 0xff));
        int pseudo = Checksum.pseudoHeaderSum(0xc0a80001, 0xc0a800c7, 6, 37);
        assertEquals(0, Checksum.fold(Checksum.sum(p, 20, 37, pseudo)), "the receiver's check passes");
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after folding).
        byte[] b = Hex.bytes("0001 f203 f4f5 f6f7");
        assertEquals(0xddf2, ~Checksum.fold(Checksum.sum(b, 0, b.length, 0)) & 0xffff);
        assertEquals(0x220d, Checksum.compute(b, 0, b.length));
    }

    @Test
    void knownIpv4HeaderChecksum() {
        // A widely used example header: 192.168.0.1 -> 192.168.0.199, UDP, checksum b861.
        byte[] header = Hex.bytes("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        assertEquals(0xb861, Checksum.compute(header, 0, header.length));
        header[10] = (byte) 0xb8;
        header[11] = 0x61;
        assertEquals(0, Checksum.compute(header, 0, header.length));
    }

    @Test
    void oddLengthPadsWithZero() {
        byte[] odd = Hex.bytes("0102 03");
        byte[] even = Hex.bytes("0102 0300");
        assertEquals(Checksum.compute(even, 0, 4), Checksum.compute(odd, 0, 3));
    }

    @Test
    void sumOverPiecesEqualsSumOverWhole() {
        byte[] b = new byte[1001];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        int pieces = Checksum.sum(b, 0, 500, 0);
        pieces = Checksum.sum(b, 500, 2, pieces);
        pieces = Checksum.sum(b, 502, 499, pieces);
        assertEquals(Checksum.compute(b, 0, b.length), Checksum.fold(pieces));
    }

    @Test
    void sumRespectsOffset() {
        byte[] b = Hex.bytes("ffff 0001 f203 f4f5 f6f7 ffff");
        assertEquals(0x220d, Checksum.compute(b, 2, 8));
    }

    @Test
    void allOnesDataChecksumsToZero() {
        byte[] b = Hex.bytes("ffff ffff");
        assertEquals(0, Checksum.compute(b, 0, 4));
        assertEquals(0xffff, Checksum.compute(new byte[4], 0, 4));
    }

    @Test
    void carriesOutOf32BitsWrapAround() {
        assertEquals(0xffff_ffff, Checksum.sum(Hex.bytes("0001"), 0, 2, 0xffff_fffe));
        assertEquals(2, Checksum.sum(Hex.bytes("0002"), 0, 2, 0xffff_ffff));
    }

    @Test
    void pseudoHeaderSum() {
        Ipv4Address src = Ipv4Address.parse("10.0.0.1");
        Ipv4Address dst = Ipv4Address.parse("10.0.0.2");
        assertEquals(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 10, Checksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, 10));
    }
}
