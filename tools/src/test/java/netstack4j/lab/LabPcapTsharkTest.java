package netstack4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's captures, read by Wireshark's dissectors: every frame decodes, no checksum is wrong. Skipped without tshark. */
class LabPcapTsharkTest {
    @TempDir
    Path dir;

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyCaptureDecodesCleanly() throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not on PATH; install it (apt-get install tshark) to run this test");
        LabCommandTest.Result r = LabCommandTest.run("lab", "N13", "N26", "N29", "N32", "N33", "N40", "--html", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<Path> pcaps;
        try (Stream<Path> s = Files.list(dir)) {
            pcaps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        assertEquals(7, pcaps.size(), pcaps.toString());
        for (Path pcap : pcaps) {
            Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-T", "fields",
                    "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "_ws.expert.message")
                    .redirectError(dir.resolve("tshark.stderr").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
            assertEquals(0, p.exitValue(), out);
            String lower = out.toLowerCase(Locale.ROOT);
            assertTrue(out.lines().count() >= 3, pcap + ": " + out);
            assertFalse(lower.contains("malformed"), pcap + ": " + out);
            assertFalse(lower.contains("bad checksum") || lower.contains("incorrect"), pcap + ": " + out);
        }
    }
}
