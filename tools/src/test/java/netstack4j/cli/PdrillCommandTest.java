package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netstack4j pdrill}: one line per script, the summary line, the exit code. */
class PdrillCommandTest {
    private record Run(int exit, List<String> out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void foldersAreSearchedAndEveryScriptGetsALine(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/pass.pkt"), """
                // passes
                0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0 close(3) = 0
                """);
        Files.writeString(dir.resolve("a/b/fail.pkt"), """
                // fails
                0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 4
                """);
        Files.writeString(dir.resolve("a/b/skip.pkt"), """
                // skipped
                0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0 splice(3, 4) = 0
                """);
        Files.writeString(dir.resolve("a/b/notes.txt"), "not a script");
        Run r = run("pdrill", dir.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(4, r.out().size(), r.out().toString());
        assertTrue(r.out().get(0).startsWith("FAIL " + dir.resolve("a/b/fail.pkt") + ": fail.pkt:2: runtime error in socket call: expected result 4 but got 3"), r.out().get(0));
        assertTrue(r.out().get(1).startsWith("SKIP " + dir.resolve("a/b/skip.pkt") + ": line 3: system call splice is not supported"), r.out().get(1));
        assertEquals("PASS " + dir.resolve("a/pass.pkt"), r.out().get(2));
        assertEquals("1 passed, 1 failed, 1 skipped", r.out().get(3));
    }

    @Test
    void exitCodeZeroWhenNothingFailsAndVerbosePrintsEvents(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("udp.pkt");
        Files.writeString(script, """
                0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0 bind(3, ..., ...) = 0
                +0.25 sendto(3, ..., 20, 0, ..., ...) = 20
                +0 > udp (20)
                """);
        Run r = run("pdrill", "--verbose", "--tolerance-usecs", "1000", script.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("    0.250000 192.168.0.1:8080 > 192.0.2.1:8080 udp (20)"), r.out().toString());
        assertEquals("1 passed, 0 failed, 0 skipped", r.out().getLast());
    }

    @Test
    void usageErrorsExitWithTwo(@TempDir Path dir) {
        Run r = run("pdrill", "--personality", "beos", dir.toString());
        assertEquals(2, r.exit());
        assertEquals("pdrill: --personality must be linux or windows, not 'beos'", r.err().strip());
        assertEquals(2, run("pdrill", dir.resolve("missing.pkt").toString()).exit());
        assertEquals(2, run("pdrill").exit());
    }
}
