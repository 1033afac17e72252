package netstack4j.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our captures and checksums, judged by Wireshark's dissectors. Skipped without tshark. */
class PcapTsharkTest {
    @TempDir
    Path dir;

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    static List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(Frames.arpRequest());
        frames.add(Frames.arpReply());
        frames.add(Frames.echoRequest());
        frames.add(Frames.udp());
        frames.add(Frames.tcpSyn());
        frames.addAll(Frames.udpFragments());
        return frames;
    }

    @Test
    void tsharkFindsNoMalformedPacketsOrBadChecksums() throws IOException, InterruptedException {
        assumeTrue(onPath("tshark"), "tshark is not on PATH; install it (apt-get install tshark) to run this test");
        Path file = dir.resolve("wire.pcap");
        List<byte[]> frames = frames();
        try (PcapWriter w = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
            long t = 1_000_000_000L;
            for (byte[] f : frames) {
                w.writePacket(t, f, 0, f.length);
                t += 1_500_000L;
            }
        }
        String out = tshark(file);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(frames.size(), lines.size(), out);
        String lower = out.toLowerCase(java.util.Locale.ROOT);
        assertFalse(lower.contains("malformed"), out);
        assertFalse(lower.contains("bad checksum"), out);
        assertFalse(lower.contains("incorrect"), out);
        assertTrue(lines.get(0).contains("eth:ethertype:arp"), out);
        assertTrue(lines.get(2).contains("ip:icmp"), out);
        assertTrue(lines.get(3).contains("ip:udp"), out);
        assertTrue(lines.get(4).contains("ip:tcp"), out);
        // The second fragment completes the datagram: Wireshark reassembles and dissects UDP.
        assertTrue(lines.get(6).contains("udp"), out);
    }

    /** The control: the same options do flag a corrupted UDP checksum, so the test above can fail. */
    @Test
    void tsharkFlagsACorruptedChecksum() throws IOException, InterruptedException {
        assumeTrue(onPath("tshark"), "tshark is not on PATH; install it (apt-get install tshark) to run this test");
        Path file = dir.resolve("bad.pcap");
        byte[] frame = Frames.udp();
        frame[14 + 20 + 6] ^= 0x01;
        try (PcapWriter w = new PcapWriter(Files.newOutputStream(file))) {
            w.writePacket(0, frame, 0, frame.length);
        }
        assertTrue(tshark(file).toLowerCase(java.util.Locale.ROOT).contains("bad checksum"));
    }

    private String tshark(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.defragment:TRUE",
                "-T", "fields", "-E", "separator=|",
                "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.expert.message", "-e", "_ws.malformed")
                .redirectError(dir.resolve("tshark.stderr").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
