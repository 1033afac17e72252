package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.tcp.TcpSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on small scripts: what passes, and what it says when something does not. */
class ScriptRunnerTest {
    private static final String UDP_SOCKET = """
            0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
            +0    bind(3, ..., ...) = 0
            """;

    static final String PASSIVE_OPEN = """
            0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0    bind(3, ..., ...) = 0
            +0    listen(3, 1) = 0
            +0    < S 0:0(0) win 32792 <mss 1000>
            +0    > S. 0:0(0) ack 1 <mss 1460>
            +.1   < . 1:1(0) ack 1 win 32792
            +0    accept(3, ..., ...) = 4
            """;

    private static ScriptRunner.Result run(String text) {
        return ScriptRunner.run("t.pkt", text, null, ScriptRunner.Options.defaults());
    }

    private static ScriptRunner.Result run(String text, long toleranceUsecs) {
        return ScriptRunner.run("t.pkt", text, null, new ScriptRunner.Options(Personality.LINUX, toleranceUsecs, null));
    }

    private static void assertFails(String expectedReason, ScriptRunner.Result r) {
        assertEquals(ScriptRunner.Status.FAIL, r.status(), r.line());
        assertEquals(expectedReason, r.reason());
    }

    private static void assertSkips(String expectedReason, ScriptRunner.Result r) {
        assertEquals(ScriptRunner.Status.SKIP, r.status(), r.line());
        assertTrue(r.reason().contains(expectedReason), r.reason());
    }

    @Test
    void datagramsInAndOut() {
        ScriptRunner.Result r = run(UDP_SOCKET + """
                +0.1  < udp (10)
                +0    recvfrom(3, ..., 100, 0, ..., ...) = 10
                +0    sendto(3, ..., 20, 0, ..., ...) = 20
                +0    > udp (20)
                """);
        assertEquals(ScriptRunner.Status.PASS, r.status(), r.line());
        assertEquals("PASS t.pkt", r.line());
    }

    @Test
    void wrongPayloadLengthSaysWhichField() {
        assertFails("t.pkt:4: error handling packet: live packet payload: expected 30 bytes vs actual 20 bytes",
                run(UDP_SOCKET + """
                        +0    sendto(3, ..., 20, 0, ..., ...) = 20
                        +0    > udp (30)
                        """));
    }

    @Test
    void wrongIpFieldSaysExpectedAndActual() {
        assertFails("t.pkt:4: error handling packet: live packet field ipv4_ttl: expected: 1 (0x1) vs actual: 64 (0x40)",
                run(UDP_SOCKET + """
                        +0    sendto(3, ..., 20, 0, ..., ...) = 20
                        +0    > [ttl 1] udp (20)
                        """));
    }

    @Test
    void packetOutsideTheToleranceIsATimingError() {
        String script = UDP_SOCKET + """
                +0.2  sendto(3, ..., 20, 0, ..., ...) = 20
                0.1   > udp (20)
                """;
        assertFails("t.pkt:4: error handling packet: timing error: expected outbound packet at 0.100000 sec but happened at 0.200000 sec; tolerance 0.004000 sec",
                run(script));
        // Within a wide enough tolerance the same script passes.
        assertEquals(ScriptRunner.Status.PASS, run(script, 100_000).status());
    }

    @Test
    void packetInsideARangePasses() {
        assertEquals(ScriptRunner.Status.PASS, run(UDP_SOCKET + """
                +0.15 sendto(3, ..., 20, 0, ..., ...) = 20
                0.1~0.2 > udp (20)
                """).status());
        assertFails("t.pkt:4: error handling packet: timing error: expected outbound packet in time range 0.100000~0.120000 sec but happened at 0.150000 sec",
                run(UDP_SOCKET + """
                        +0.15 sendto(3, ..., 20, 0, ..., ...) = 20
                        0.1~0.12 > udp (20)
                        """));
    }

    @Test
    void anUnexpectedPacketIsWhatTheNextOutboundLineSees() {
        // packetdrill reads outbound packets only at > lines (run_packet_event): the extra
        // datagram is the one the next line compares, and fails it.
        assertFails("t.pkt:5: error handling packet: live packet payload: expected 30 bytes vs actual 20 bytes",
                run(UDP_SOCKET + """
                        +0    sendto(3, ..., 20, 0, ..., ...) = 20
                        +0    sendto(3, ..., 30, 0, ..., ...) = 30
                        +0    > udp (30)
                        """));
        // One sent after the last line is never read, as in packetdrill.
        ScriptRunner.Result r = run(UDP_SOCKET + """
                +0    sendto(3, ..., 20, 0, ..., ...) = 20
                +0.1  close(3) = 0
                """);
        assertEquals(ScriptRunner.Status.PASS, r.status(), r.line());
        assertTrue(r.notes().getLast().startsWith("1 outbound packet(s) after the last line not checked"), r.notes().toString());
    }

    @Test
    void missingPacketTimesOut() {
        ScriptRunner.Result r = run(UDP_SOCKET + """
                +0    > udp (20)
                """);
        assertEquals(ScriptRunner.Status.FAIL, r.status());
        assertTrue(r.reason().startsWith("t.pkt:3: error handling packet: Timed out waiting for packet"), r.reason());
    }

    @Test
    void wrongResultShowsErrnoAsPacketdrillDoes() {
        assertFails("t.pkt:3: runtime error in recvfrom call: Expected result 0 but got -1 with errno 11 (Resource temporarily unavailable)",
                run(UDP_SOCKET + """
                        +0    recvfrom(3, ..., 100, MSG_DONTWAIT, ..., ...) = 0
                        """));
        assertFails("t.pkt:3: runtime error in close call: Expected result -1 but got 0",
                run(UDP_SOCKET + """
                        +0    close(3) = -1 EBADF (Bad file descriptor)
                        """));
    }

    @Test
    void blockingCallMustReturnAtItsEndTime() {
        String script = UDP_SOCKET + """
                +0...0.2 recvfrom(3, ..., 100, 0, ..., ...) = 10
                0.3   < udp (10)
                """;
        assertFails("t.pkt:3: timing error: expected system call return at 0.200000 sec but happened at 0.300000 sec; tolerance 0.025000 sec",
                run(script));
        assertFails("t.pkt:3: recvfrom still blocked at 10.000000 sec: a call written without t1...t2 runs to completion"
                + " before the next event, as in packetdrill, and nothing else happened",
                run(UDP_SOCKET + """
                        +0    recvfrom(3, ..., 100, 0, ..., ...) = 10
                        0.3   < udp (10)
                        """));
    }

    @Test
    void whatTheRunnerCannotDoIsSkippedWithAReason() {
        assertSkips("system call splice (the stack has sockets only)", run(UDP_SOCKET + "+0 splice(3, 4) = 0\n"));
        assertSkips("TCP_INFO field tcpi_delivery_rate (the stack does not report it)", run(PASSIVE_OPEN
                + "+0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_delivery_rate=1}, [...]) = 0\n"));
        assertSkips("--ip_version=ipv6", run("--ip_version=ipv6\n" + UDP_SOCKET));
        assertSkips("setsockopt SO_MEMINFO on TCP: the stack lacks this socket option",
                run(PASSIVE_OPEN + "+0 setsockopt(4, SOL_SOCKET, SO_MEMINFO, [1], 4) = 0\n"));
    }

    @Test
    void tcpInfoFieldsAndAssertBlocksSeeTheConnection() {
        ScriptRunner.Result r = run(PASSIVE_OPEN + """
                +0    getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_snd_mss=1000}, [...]) = 0
                +0    %{ assert tcpi_state == TCP_ESTABLISHED }%
                """);
        assertEquals(ScriptRunner.Status.PASS, r.status(), r.line());
        assertFails("t.pkt:8: runtime error in getsockopt call: Bad getsockopt TCP_INFO tcpi_state: expected: 7 actual: 1",
                run(PASSIVE_OPEN + "+0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE}, [...]) = 0\n"));
        PacketdrillSemanticsTest.assertPythonFails("t.pkt:8: error in Python code: AssertionError; t.pkt: error executing code: '",
                run(PASSIVE_OPEN + "+0 %{ assert tcpi_snd_mss == 1460 }%\n"));
    }

    @Test
    void sysctlsAppliedAndTheOnesTheStackLacksReported() {
        List<String> notes = new ArrayList<>();
        Map<String, String> s = Map.of("net.ipv4.tcp_rmem", "4096 87380 6291456", "net.ipv4.ip_default_ttl", "32",
                "net.ipv4.tcp_sack", "0");
        StackConfig c = Sysctls.apply(StackConfig.linuxDefaults(), new java.util.TreeMap<>(s), notes);
        assertEquals(32, c.ipDefaultTtl());
        assertEquals(List.of(), notes);
        TcpSettings tcp = Sysctls.applyTcp(Personality.LINUX, new java.util.TreeMap<>(s), notes);
        assertEquals(87380, tcp.rmemDefault());
        assertEquals(6291456, tcp.rmemMax());
        assertEquals(false, tcp.sack());
        assertEquals(List.of(), notes);
        Sysctls.applyTcp(Personality.LINUX, Map.of("net.ipv4.tcp_no_such_thing", "1"), notes);
        assertEquals(List.of("sysctl net.ipv4.tcp_no_such_thing=1 not applied: no such TCP setting in the stack"), notes);
    }

    @Test
    void tcpMemSysctlSetsTheStackWideLimitsInPages() {
        List<String> notes = new ArrayList<>();
        TcpSettings tcp = Sysctls.applyTcp(Personality.LINUX, Map.of("net.ipv4.tcp_mem", "96 128 192"), notes);
        assertEquals(new TcpSettings.MemLimits(96, 128, 192), tcp.tcpMem());
        assertEquals(List.of(), notes);
        tcp = Sysctls.applyTcp(Personality.LINUX, Map.of("net.ipv4.tcp_mem", "3 2 1"), notes);
        assertEquals(TcpSettings.linux().tcpMem(), tcp.tcpMem(), "an unordered triple is not applied");
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("sysctl net.ipv4.tcp_mem=3 2 1 not applied: "), notes.get(0));
    }

    @Test
    void sysctlInAScriptChangesTheStack(@TempDir Path dir) throws IOException {
        Path defaults = dir.resolve("defaults.sh");
        Files.writeString(defaults, "#!/bin/sh\nsysctl -q net.ipv4.ip_default_ttl=$((3*3))\n");
        Files.setPosixFilePermissions(defaults, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = dir.resolve("ttl.pkt");
        Files.writeString(script, "`./defaults.sh`\n" + UDP_SOCKET + """
                +0    sendto(3, ..., 20, 0, ..., ...) = 20
                +0    > [ttl 9] udp (20)
                """);
        ScriptRunner.Result r = ScriptRunner.run(script, ScriptRunner.Options.defaults());
        assertEquals(ScriptRunner.Status.PASS, r.status(), r.line());
    }

    @Test
    void stackIsnLearnedFromItsSynMapsSequenceAndAckNumbers() {
        PacketPlayer p = new PacketPlayer();
        // The stack's SYN-ACK with ISN 1000000, acknowledging the script's SYN (seq 0).
        byte[] synAck = tcp(8080, 40000, 1_000_000, 1, PacketPlayer.SYN | PacketPlayer.ACK, 0);
        TcpPacketEvent expected = (TcpPacketEvent) event("+0 > S. 0:0(0) ack 1");
        assertNull(p.match(expected, synAck));
        // The script's ACK of the stack's SYN is ack 1, sent as 1000001.
        byte[] ack = p.inbound(event("+0 < . 1:1(0) ack 1 win 1000"));
        assertEquals(1_000_001L, Packets.get32(ack, 28));
        // Data from the stack at ISN+1 is seq 1 in the script; a wrong one is reported relative.
        byte[] data = tcp(8080, 40000, 1_000_002, 1, PacketPlayer.ACK | PacketPlayer.PSH, 10);
        assertEquals("live packet field tcp_seq: expected: 1 (0x1) vs actual: 2 (0x2)",
                p.match((TcpPacketEvent) event("+0 > P. 1:11(10) ack 1"), data));
        // Sequence numbers wrap: an ISN near 2^32 maps the same way.
        PacketPlayer w = new PacketPlayer();
        assertNull(w.match(expected, tcp(8080, 40000, 0xffff_fff0L, 1, PacketPlayer.SYN | PacketPlayer.ACK, 0)));
        assertNull(w.match((TcpPacketEvent) event("+0 > P. 1:21(20) ack 1"),
                tcp(8080, 40000, 0xffff_fff1L, 1, PacketPlayer.ACK | PacketPlayer.PSH, 20)));
        assertEquals(0x1L, Packets.get32(w.inbound(event("+0 < . 1:1(0) ack 17 win 1000")), 28));
    }

    @Test
    void badChecksumOnAnOutboundPacketIsReported() {
        byte[] synAck = tcp(8080, 40000, 5, 1, PacketPlayer.SYN | PacketPlayer.ACK, 0);
        synAck[36] ^= 1;
        assertEquals("bad TCP checksum", new PacketPlayer().match(event("+0 > S. 0:0(0) ack 1"), synAck));
    }

    @Test
    void scriptsWrittenForOtherStacksNeverCrashTheRunner() throws Exception {
        Path dir = Path.of(ScriptRunnerTest.class.getResource("/packetdrill-syntax").toURI());
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pkt")).sorted().toList()) {
                ScriptRunner.Result r = ScriptRunner.run(p, ScriptRunner.Options.defaults());
                assertTrue(r.reason() == null || !r.reason().startsWith("runner error"), r.line());
                // Deterministic: the same script gives the same outcome again.
                assertEquals(r, ScriptRunner.run(p, ScriptRunner.Options.defaults()));
            }
        }
    }

    private static EventBody event(String line) {
        return ScriptParser.parse("x.pkt", line + "\n").events().getFirst().body();
    }

    private static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int payload) {
        byte[] s = new byte[20 + payload];
        Packets.put16(s, 0, sport);
        Packets.put16(s, 2, dport);
        Packets.put32(s, 4, seq);
        Packets.put32(s, 8, ack);
        s[12] = 0x50;
        s[13] = (byte) flags;
        Packets.put16(s, 14, 65535);
        return Packets.ipv4(Packets.TCP, PacketPlayer.LOCAL, PacketPlayer.REMOTE, 0, 64, s, 16);
    }
}
