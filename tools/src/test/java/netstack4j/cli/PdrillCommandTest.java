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
                +0 close(4) = 1
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
        assertTrue(r.out().get(0).startsWith("FAIL " + dir.resolve("a/b/fail.pkt") + ": fail.pkt:3: runtime error in close call: Expected result 1 but got 0"), r.out().get(0));
        assertTrue(r.out().get(1).startsWith("SKIP " + dir.resolve("a/b/skip.pkt") + ": line 3: system call splice (the stack has sockets only)"), r.out().get(1));
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
        assertEquals(2, run("pdrill", "--no_such_flag", dir.toString()).exit());
        assertEquals(2, run("pdrill", "-D", "NOEQUALS", dir.toString()).exit());
        Run empty = run("pdrill", dir.toString());
        assertEquals(2, empty.exit());
        assertEquals("pdrill: no .pkt scripts in " + dir, empty.err().strip());
    }

    @Test
    void packetdrillsFlagsAsRunAllPyPassesThem(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("d.pkt");
        Files.writeString(script, """
                0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0 setsockopt(3, LEVEL, SO_RCVBUF, [SIZE], 4) = 0
                +0 close(3) = 0
                """);
        Run r = run("pdrill", "--send_omit_free", "--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1",
                "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1", "--strict_segments", "--mss=1460", "--mtu=1500",
                "--tcp_ts_tick_usecs=1000", "--tolerance_usecs=7000", "-D", "LEVEL=SOL_SOCKET", "-D", "SIZE=9000",
                script.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(2, run("pdrill", "--ip_version", "ipv4", "--frob", script.toString()).exit());
    }

    @Test
    void missingListsWhatTheScriptsUseThatTheStackLacks(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.pkt"), """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_SOCKET, SO_MEMINFO, [1], 4) = 0
                +0 < S 0:0(0) win 1000 <mss 1000,sackOK,md5 0123456789abcdef0123456789abcdef>
                +0 %{ assert tcpi_delivery_rate == 0 }%
                +0 splice(3, 4) = 0
                """);
        Run r = run("pdrill", "--missing", dir.toString());
        String all = String.join("\n", r.out());
        assertTrue(all.contains("  TCP option: Md5 (1)\n") && !all.contains("sackOK"), all);
        assertTrue(all.contains("  socket option: SOL_SOCKET SO_MEMINFO (1)"), all);
        assertTrue(all.contains("  system call: splice (1)"), all);
        assertTrue(all.contains("  tcp_info field: tcpi_delivery_rate (1)"), all);
    }

    @Test
    void linuxCorpusIsFoundFromTheProjectRoot(@TempDir Path dir) throws IOException {
        String old = System.getProperty("netstack4j.root");
        try {
            Path root = Files.createDirectories(dir.resolve("project"));
            System.setProperty("netstack4j.root", root.toString());
            Run absent = run("pdrill", "--linux-corpus");
            assertEquals(2, absent.exit());
            assertTrue(absent.err().contains("no such file or folder"), absent.err());
            Path corpus = Files.createDirectories(dir.resolve("shared/conformance/packetdrill/gtests/net/tcp/x"));
            Files.writeString(corpus.resolve("a.pkt"), "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n+0 close(3) = 0\n");
            Run ok = run("pdrill", "--linux-corpus");
            assertEquals(0, ok.exit(), ok.err());
            assertEquals("1 passed, 0 failed, 0 skipped", ok.out().getLast());
        } finally {
            if (old == null) {
                System.clearProperty("netstack4j.root");
            } else {
                System.setProperty("netstack4j.root", old);
            }
        }
    }

    @Test
    void filesAShellLineRunsSeeTheSimulatedProcSysNotTheHosts(@TempDir Path dir) throws IOException {
        // The inline path is rewritten; a file the line runs is not, so as root the runner gives
        // the shell a mount namespace with the run's /proc/sys (host settings stay untouched).
        Path helper = dir.resolve("helper.sh");
        Files.writeString(helper, "#!/bin/sh\nv=$(cat /proc/sys/net/ipv4/ip_default_ttl)\necho \"helper sees $v\" >&2\ntest \"$v\" = 17\n");
        helper.toFile().setExecutable(true);
        Files.writeString(dir.resolve("p.pkt"), """
                `sysctl -q net.ipv4.ip_default_ttl=17; test "$(cat /proc/sys/net/ipv4/ip_default_ttl)" = 17`
                0     `./helper.sh`
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                """);
        String hostTtl = Files.readString(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).strip();
        Run r = run("pdrill", dir.resolve("p.pkt").toString());
        if (netstack4j.packetdrill.ShellAccess.isolated()) {
            assertEquals(0, r.exit(), String.join("\n", r.out()) + r.err());
        } else {
            assertTrue(String.join("\n", r.out()).contains("FAIL"), "without isolation the helper sees the host's value");
        }
        assertEquals(hostTtl, Files.readString(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).strip());
    }

    @Test
    void moduleParametersAreTheSimulationsNotTheHosts(@TempDir Path dir) throws IOException {
        Path host = Path.of("/sys/module/tcp_cubic/parameters/hystart_detect");
        String before = Files.isReadable(host) ? Files.readString(host).strip() : null;
        Files.writeString(dir.resolve("m.pkt"), """
                `echo 2 > /sys/module/tcp_cubic/parameters/hystart_detect; test "$(cat /sys/module/tcp_cubic/parameters/hystart_detect)" = 2`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                """);
        try {
            Run r = run("pdrill", "-v", dir.resolve("m.pkt").toString());
            String out = String.join("\n", r.out());
            assertEquals(0, r.exit(), out + r.err());
            assertTrue(out.contains("module /sys/module/tcp_cubic/parameters/hystart_detect=2 not applied"), out);
        } finally {
            if (before != null) {
                String after = Files.readString(host).strip();
                if (!after.equals(before)) {
                    Files.writeString(host, before); // only if isolation failed: put the host back
                }
                assertEquals(before, after, "the host's tcp_cubic parameter changed");
            }
        }
    }
}
