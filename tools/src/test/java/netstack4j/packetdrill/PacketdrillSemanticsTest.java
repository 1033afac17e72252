package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import netstack4j.stack.Personality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner behaves as packetdrill: one test per rule of packetdrill's that it follows. */
class PacketdrillSemanticsTest {
    private static final String PASSIVE_OPEN = ScriptRunnerTest.PASSIVE_OPEN;

    private static ScriptRunner.Result run(String text, ScriptRunner.Flag... flags) {
        return ScriptRunner.run("t.pkt", text, null, ScriptRunner.Options.defaults().withFlags(List.of(flags)));
    }

    private static ScriptRunner.Result runIn(Path dir, String text, ScriptRunner.Flag... flags) throws IOException {
        Path script = dir.resolve("t.pkt");
        Files.writeString(script, text);
        return ScriptRunner.run(script, ScriptRunner.Options.defaults().withFlags(List.of(flags)));
    }

    private static void assertPasses(ScriptRunner.Result r) {
        assertEquals(ScriptRunner.Status.PASS, r.status(), r.line());
    }

    private static void assertFails(String reason, ScriptRunner.Result r) {
        assertEquals(ScriptRunner.Status.FAIL, r.status(), r.line());
        assertEquals(reason, r.reason());
    }

    /** Python's error, then code_execute's "'python3' returned non-zero status 1" (whichever python3 ran). */
    static void assertPythonFails(String start, ScriptRunner.Result r) {
        assertEquals(ScriptRunner.Status.FAIL, r.status(), r.line());
        assertTrue(r.reason().startsWith(start) && r.reason().endsWith("python3' returned non-zero status 1"), r.reason());
    }

    private static ScriptRunner.Flag flag(String name, String value) {
        return new ScriptRunner.Flag(name, value);
    }

    // ------------------------------------------------------------------ command line (config.c)

    @Test
    void commandLineFlagsOverrideTheScriptsOptionLines() {
        String late = "--tolerance_usecs=100000\n0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n+0 bind(3, ..., ...) = 0\n"
                + "+0.05 sendto(3, ..., 20, 0, ..., ...) = 20\n0 > udp (20)\n";
        assertPasses(run(late));
        assertFails("t.pkt:5: error handling packet: timing error: expected outbound packet at 0.000000 sec but "
                + "happened at 0.050000 sec; tolerance 0.010000 sec", run(late, flag("tolerance_usecs", "10000")));
    }

    @Test
    void definitionsStandForTheirValue() {
        String script = PASSIVE_OPEN + "+0 setsockopt(4, LEVEL, OPT, [1], 4) = 0\n";
        assertPasses(run(script, flag("define", "LEVEL=SOL_TCP"), flag("define", "OPT=TCP_NODELAY")));
        assertFails("t.pkt:8: runtime error in setsockopt call: Bad type; actual: word expected: integer (unknown symbol LEVEL)",
                run(script));
    }

    @Test
    void addressesAndMtuComeFromTheFlags() {
        assertPasses(run("""
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0    bind(3, ..., ...) = 0
                +0    sendto(3, ..., 1400, 0, ..., ...) = 1400
                +0    > udp (1400)
                """, flag("local_ip", "10.0.0.7"), flag("netmask_ip", "255.255.255.0"), flag("gateway_ip", "10.0.0.1"),
                flag("remote_ip", "10.9.0.1"), flag("mtu", "1500")));
        // An MTU below the datagram: the stack fragments it and the line sees a fragment.
        assertEquals(ScriptRunner.Status.FAIL, run("""
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0    bind(3, ..., ...) = 0
                +0    sendto(3, ..., 1400, 0, ..., ...) = 1400
                +0    > udp (1400)
                """, flag("mtu", "576")).status());
    }

    @Test
    void badOptionsFailAndMissingFeaturesSkip() {
        assertFails("t.pkt: option 'frobnicate' unknown", run("--frobnicate=1\n" + PASSIVE_OPEN));
        assertFails("Command Line: bad --tolerance_usecs: 0", run(PASSIVE_OPEN, flag("tolerance_usecs", "0")));
        assertFails("t.pkt: option 'strict_segments' forbids an argument", run("--strict_segments=1\n" + PASSIVE_OPEN));
        ScriptRunner.Result v6 = run(PASSIVE_OPEN, flag("ip_version", "ipv6"));
        assertEquals(ScriptRunner.Status.SKIP, v6.status());
        assertEquals("--ip_version=ipv6 (the stack has IPv4 only)", v6.reason());
    }

    @Test
    void badScriptsFailWithPacketdrillsMessage() {
        ScriptRunner.Result syntax = run("0 socket(..., SOCK_DGRAM\n");
        assertEquals(ScriptRunner.Status.FAIL, syntax.status());
        assertTrue(syntax.reason().startsWith("t.pkt:"), syntax.reason());
        assertFails("t.pkt:8: runtime error in frob call: Unknown system call: 'frob'", run(PASSIVE_OPEN + "+0 frob(4) = 0\n"));
        assertFails("t.pkt:8: runtime error in write call: Expected ... or NULL for buffer",
                run(PASSIVE_OPEN + "+0 write(4, 7, 10) = 10\n"));
    }

    // ------------------------------------------------------------------ descriptors (CHECK_FD)

    @Test
    void scriptDescriptorsMapToLiveOnes() {
        // The live descriptor is 3; the script calls it 7 and its accepted child 9.
        assertPasses(run("""
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 7
                +0    bind(7, ..., ...) = 0
                +0    listen(7, 1) = 0
                +0    < S 0:0(0) win 32792 <mss 1000>
                +0    > S. 0:0(0) ack 1 <mss 1460>
                +.1   < . 1:1(0) ack 1 win 32792
                +0    accept(7, ..., ...) = 9
                +0    write(9, ..., 10) = 10
                +0    > P. 1:11(10) ack 1
                +0    close(9) = 0
                +0    close(9) = -1 EBADF (Bad file descriptor)
                """));
        assertFails("t.pkt:2: runtime error in bind call: unable to find fd with script fd 4",
                run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(4, ..., ...) = 0\n"));
        assertFails("t.pkt:1: runtime error in socket call: Expected non-negative result but got -1 with errno 91 "
                + "(Protocol wrong type for socket)", run("0 socket(..., 5, 0) = 3\n"));
        assertFails("t.pkt:2: runtime error in socket call: duplicate fd 3 in script",
                run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"));
    }

    @Test
    void acceptMayReuseAnOpenScriptFdForTheNewSocket() {
        // run_syscall_accept checks no duplicate; the script's 4 then names the newest socket, so
        // the write goes out on the second connection (one on the first, under its own remote
        // port, would not be the socket under test's and the line would time out).
        String reusable = PASSIVE_OPEN.replace("+0    bind", "+0    setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n+0    bind");
        String twice = reusable + "+0    close(3) = 0\n" + reusable.replaceFirst("^0 ", "+0") + """
                +0    write(4, ..., 10) = 10
                +0    > P. 1:11(10) ack 1
                """;
        assertPasses(run(twice));
        assertFails("t.pkt:10: runtime error in socket call: duplicate fd 4 in script",
                run(twice.replace("+0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", "+0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 4")));
    }

    // ------------------------------------------------------------------ outbound packets (run_packet.c)

    private static final String THREE_SEGMENTS = PASSIVE_OPEN + """
            +0    write(4, ..., 3000) = 3000
            +0    > P. 1:3001(3000) ack 1
            """;

    @Test
    void consecutiveSegmentsAreAggregatedUnlessStrict() {
        assertPasses(run(THREE_SEGMENTS));
        assertFails("t.pkt:9: error handling packet: live packet payload: expected 3000 bytes vs actual 1000 bytes",
                run(THREE_SEGMENTS, flag("strict_segments", null)));
        // Written per segment, the script passes either way. The stack sends 1:2001 as one unit of
        // two segments, so 1001:2001 carries PSH (__tcp_transmit_skb forces it on GSO packets).
        String perSegment = PASSIVE_OPEN + """
                +0    write(4, ..., 3000) = 3000
                +0    > . 1:1001(1000) ack 1
                +0    > P. 1001:2001(1000) ack 1
                +0    > P. 2001:3001(1000) ack 1
                """;
        assertPasses(run(perSegment));
        assertPasses(run(perSegment, flag("strict_segments", null)));
    }

    @Test
    void anAggregateCannotSpanSegmentsOfDifferentSizes() {
        // 1500 bytes expected from segments of 1000 and 1000: more than the line wants.
        assertFails("t.pkt:9: error handling packet: live packet payload: expected 1500 bytes vs actual 2000 bytes",
                run(PASSIVE_OPEN + "+0 write(4, ..., 3000) = 3000\n+0 > P. 1:1501(1500) ack 1\n"));
    }

    @Test
    void inboundGroPacketsWithMssAreTakenWholeAsAggregatesOfThatMss() {
        // map_inbound_packet: a packet above the MTU goes in whole, gso_size = --mss; the stack
        // measures rcv_mss by the gso size (tcp_measure_rcv_mss) and acknowledges it at once.
        String script = "--mss=1000\n" + PASSIVE_OPEN + "+0 < . 1:10001(10000) ack 1 win 320\n"
                + "+0 > . 1:1(0) ack 10001\n"
                + "+0 %{ assert tcpi_rcv_mss == MSS, tcpi_rcv_mss }%\n";
        assertPasses(run(script.replace("MSS", "1000")));
        assertPythonFails("t.pkt:11: error in Python code: AssertionError: 1000;", run(script.replace("MSS", "1460")));
    }

    @Test
    void timestampValuesAreCheckedOnlyWithATick() {
        String script = """
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 20000 <mss 1000,sackOK,TS val 100 ecr 0>
                +0    > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100>
                +.1   < . 1:1(0) ack 1 win 20000 <nop,nop,TS val 200 ecr 100>
                +0    accept(3, ..., ...) = 4
                +0    write(4, ..., 10) = 10
                +0    > P. 1:11(10) ack 1 <nop,nop,TS val %d ecr 200>
                """;
        // 100 ms after the SYN-ACK the stack's 1 ms clock has moved 100 ticks.
        assertPasses(run(script.formatted(200), flag("tcp_ts_tick_usecs", "1000")));
        assertFails("t.pkt:9: error handling packet: bad outbound TCP timestamp value, tolerance 4000",
                run(script.formatted(150), flag("tcp_ts_tick_usecs", "1000")));
        assertPasses(run(script.formatted(150)));
    }

    @Test
    void anInboundEcrMustEchoAValueTheStackSent() {
        String script = """
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 20000 <mss 1000,sackOK,TS val 100 ecr 0>
                +0    > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100>
                +.1   < . 1:1(0) ack 1 win 20000 <nop,nop,TS val 200 ecr %d>
                +0    accept(3, ..., ...) = 4
                """;
        assertPasses(run(script.formatted(100)));
        assertFails("t.pkt:6: error handling packet: unable to infer live TS ecr for script TS ecr 150;  no matching or "
                + "preceding outbound TS val", run(script.formatted(150)));
        assertPasses(run(script.formatted(150), flag("tcp_ts_ecr_scaled", null)));
    }

    @Test
    void outboundLinesStartSniffingAtOnceSoEarlyPacketsAreTimingErrors() {
        assertFails("t.pkt:9: error handling packet: timing error: expected outbound packet at 0.200000 sec but "
                + "happened at 0.100000 sec; tolerance 0.012500 sec",
                run(PASSIVE_OPEN + "+0 write(4, ..., 10) = 10\n+.1 > P. 1:11(10) ack 1\n"));
    }

    @Test
    void aCallWithoutAnEndTimeHoldsTheScriptAndLateEventsAreTimingErrors() {
        // connect() blocks the script (run_system_call_event runs it on the main thread) until the
        // SYN retries give up at 3 s; the packet due at 1 s is then late (check_event_time).
        ScriptRunner.Result r = run("""
                `sysctl -q net.ipv4.tcp_syn_retries=1`
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    connect(3, ..., ...) = -1 ETIMEDOUT (Connection timed out)
                1     < . 1:1(0) ack 1 win 1000
                """);
        assertEquals(ScriptRunner.Status.FAIL, r.status(), r.line());
        assertTrue(r.reason().startsWith("t.pkt:4: timing error: expected inbound packet at 1.000000 sec but happened at 3."),
                r.reason());
    }

    // ------------------------------------------------------------------ code blocks (code.c)

    @Test
    void codeBlocksRunInPythonWithTheTcpInfoOfTheirTime() {
        assertPasses(run(PASSIVE_OPEN + """
                +0    %{ assert tcpi_state == TCP_ESTABLISHED and tcpi_snd_mss == 1000, tcpi_snd_mss }%
                +0    write(4, ..., 10) = 10
                +0    > P. 1:11(10) ack 1
                +0    %{
                import math
                assert tcpi_unacked == 1, tcpi_unacked
                assert math.floor(tcpi_rto / 1000) >= 200
                }%
                """));
        assertPythonFails("t.pkt:8: error in Python code: AssertionError: 1; t.pkt: error executing code: '",
                run(PASSIVE_OPEN + "+0 %{ assert tcpi_state == 2, tcpi_state }%\n"));
        assertPythonFails("t.pkt:8: error in Python code: NameError: name 'tcpi_nonesuch' is not defined; t.pkt: error "
                + "executing code: '", run(PASSIVE_OPEN + "+0 %{ tcpi_nonesuch }%\n"));
        ScriptRunner.Result syntax = run(PASSIVE_OPEN + "+0 %{ if if }%\n");
        assertEquals(ScriptRunner.Status.FAIL, syntax.status());
        assertTrue(syntax.reason().contains("SyntaxError"), syntax.reason());
        assertFails("t.pkt:1: runtime error in code: no socket to use for code", run("0 %{ x = 1 }%\n"));
    }

    // ------------------------------------------------------------------ shell lines (run_command.c)

    @Test
    void shellLinesRunInTheScriptsFolderAndReachTheStackThroughShims(@TempDir Path dir) throws IOException {
        Path common = Files.createDirectories(dir.resolve("common"));
        Path topic = Files.createDirectories(dir.resolve("topic"));
        Path defaults = common.resolve("defaults.sh");
        Files.writeString(defaults, "#!/bin/sh\nsysctl -q net.ipv4.ip_default_ttl=$((3*3)) net.ipv4.tcp_frto=2\n"
                + "tc qdisc replace dev tun0 root fq\ntc qdisc add dev tun0 root netem delay 10ms\n");
        Files.setPosixFilePermissions(defaults, PosixFilePermissions.fromString("r-xr-xr-x"));
        String udp = """
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0    bind(3, ..., ...) = 0
                +0    sendto(3, ..., 20, 0, ..., ...) = 20
                +0    > [ttl %d] udp (20)
                """;
        ScriptRunner.Result r = runIn(topic, "`test -f t.pkt && ../common/defaults.sh`\n" + udp.formatted(9));
        assertPasses(r);
        assertTrue(r.unapplied().contains("sysctl net.ipv4.tcp_frto"), r.unapplied().toString());
        // fq is applied (TCP then paces, as under sch_fq); netem is not.
        assertFalse(r.unapplied().contains("tc qdisc replace dev tun0 root fq"), r.unapplied().toString());
        assertTrue(r.unapplied().contains("tc qdisc add dev tun0 root netem delay 10ms"), r.unapplied().toString());
        // /proc/sys writes and set_sysctls.py land in the simulated stack; the host is untouched.
        assertPasses(runIn(topic, "`echo 17 > /proc/sys/net/ipv4/ip_default_ttl`\n" + udp.formatted(17)));
        assertPasses(runIn(topic, "`../common/set_sysctls.py /proc/sys/net/ipv4/ip_default_ttl=33`\n"
                + udp.formatted(33) + "`/tmp/sysctl_restore_${PPID}.sh`\n"));
        assertPasses(runIn(topic, "`sysctl -q net.ipv4.ip_default_ttl=21; test \"$(sysctl -n net.ipv4.ip_default_ttl)\" = 21`\n"
                + udp.formatted(21)));
        assertFails("t.pkt: error executing init command: non-zero status 3", runIn(topic, "`exit 3`\n" + udp.formatted(64)));
        assertFails("t.pkt:5: error executing `false` command: non-zero status 1",
                runIn(topic, udp.formatted(64) + "+0 `false`\n"));
    }

    @Test
    void tcpSettingsChangedMidScriptReachNewSockets() {
        String script = """
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    `sysctl -q net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0`
                +0    < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
                +0    > S. 0:0(0) ack 1 <mss 1460>
                +.1   < . 1:1(0) ack 1 win 32792
                +0    accept(3, ..., ...) = 4
                +0    `sysctl -q net.ipv4.ip_default_ttl=9`
                """;
        ScriptRunner.Result r = run(script);
        assertPasses(r);
        // The IP layer's settings are fixed once the stack runs: reported, not applied.
        assertEquals(java.util.Set.of("sysctl net.ipv4.ip_default_ttl"), r.unapplied());
        // Without the change the SYN-ACK offers SACK and window scaling.
        assertEquals(ScriptRunner.Status.FAIL, run(script.replace("net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0",
                "net.ipv4.tcp_sack=1")).status());
    }

    @Test
    void malformedRouteRequestsAreReportedNotApplied() {
        // ip route with an option the stack's routes lack, a value missing, or a number that is
        // not one: each is named in the notes and changes nothing; the script still runs.
        ScriptRunner.Result r = run(PASSIVE_OPEN
                + "+0    `ip route change 192.0.2.1 via 192.168.0.2 dev tun0 mtu lock`\n"
                + "+0    `ip route change 192.0.2.1 via 192.168.0.2 dev tun0 advmss x`\n"
                + "+0    `ip route change 192.0.2.1 via 192.168.0.2 dev tun0 rtt 10ms`\n");
        assertPasses(r);
        assertEquals(java.util.Set.of("ip route change 192.0.2.1 via 192.168.0.2 dev tun0 mtu lock",
                "ip route change 192.0.2.1 via 192.168.0.2 dev tun0 advmss x",
                "ip route change 192.0.2.1 via 192.168.0.2 dev tun0 rtt 10ms"), r.unapplied());
        assertTrue(r.notes().stream().anyMatch(n -> n.endsWith("not applied: the stack's routes have no rtt")), r.notes().toString());
    }

    @Test
    void nstatPrintsTheStacksCounters(@TempDir Path dir) throws IOException {
        assertPasses(runIn(dir, PASSIVE_OPEN + "+0 `nstat | grep -q TcpPassiveOpens`\n"));
        assertEquals(ScriptRunner.Status.FAIL, runIn(dir, PASSIVE_OPEN + "+0 `nstat >/dev/null; nstat | grep -q TcpPassiveOpens`\n").status());
    }

    @Test
    void linkFilesOfACorpusCopyAreFollowed(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("common")).resolve("defaults.sh");
        Files.writeString(real, "#!/bin/sh\nsysctl -q net.ipv4.ip_default_ttl=5\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path topic = Files.createDirectories(dir.resolve("tcp/topic"));
        Files.createDirectories(dir.resolve("tcp/common"));
        Files.writeString(dir.resolve("tcp/common/defaults.sh"), "../../common/defaults.sh");
        String followed = ShellCommands.followLinkFiles("../common/defaults.sh x", topic);
        assertTrue(followed.endsWith(" x"), followed);
        assertTrue(Files.isSameFile(real, topic.resolve(followed.substring(0, followed.length() - 2))), followed);
        // A real script is left as written.
        assertEquals("../../common/defaults.sh", ShellCommands.followLinkFiles("../../common/defaults.sh", topic));
    }

    // ------------------------------------------------------------------ bad pointers

    @Test
    void nullBuffersAreEfault() {
        assertPasses(run(PASSIVE_OPEN + """
                +0    write(4, NULL, 1000) = -1 EFAULT (Bad address)
                +0    send(4, NULL, 1000, 0) = -1 EFAULT (Bad address)
                +0    write(4, NULL, 0) = 0
                +0    < . 1:1001(1000) ack 1 win 200
                +0    > . 1:1(0) ack 1001
                +0    read(4, NULL, 1000) = -1 EFAULT (Bad address)
                +0    read(4, ..., 1000) = 1000
                """));
    }

    @Test
    void optionsAsRunAllPyPassesThemAreKnown() {
        for (ScriptRunner.Flag f : netstack4j.cli.PdrillCommand.RUN_ALL_IPV4) {
            assertTrue(ScriptRunner.Flag.known(f.name()), f.name());
        }
        assertPasses(ScriptRunner.run("t.pkt", THREE_SEGMENTS, null,
                new ScriptRunner.Options(Personality.LINUX, 4000, null, netstack4j.cli.PdrillCommand.RUN_ALL_IPV4)));
    }

    // ------------------------------------------------------------------ bad scripts (packetdrill's own checks)

    @Test
    void optionListsNotAMultipleOfFourAreRefusedWhenParsed() {
        // new_tcp_packet (tcp_packet.c): both directions, before anything runs.
        assertFails("t.pkt:5: semantic error: TCP options are not padded correctly to ensure TCP header is a multiple"
                + " of 4 bytes: 2 excess bytes", run("""
                0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0    bind(3, ..., ...) = 0
                +0    listen(3, 1) = 0
                +0    < S 0:0(0) win 1000 <mss 1000,sackOK,nop,nop,nop,wscale 7>
                +0    < S 0:0(0) win 1000 <mss 1000,sackOK>
                """));
    }

    @Test
    void aCallWithTheWrongNumberOfArgumentsFails() {
        assertFails("t.pkt:2: runtime error in close call: expected 1 args but got 2",
                run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3, 4) = 0\n"));
    }

    @Test
    void anArgumentOfTheWrongTypeFailsInPacketdrillsWords() {
        assertFails("t.pkt:2: runtime error in setsockopt call: Bad type; actual: struct expected: integer",
                run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, {x=1}, 4) = 0\n"));
    }

    @Test
    void aBadAddressIsInaddrNoneAndAPortKeepsSixteenBits() {
        // inet_addr("999.1.1.1") is INADDR_NONE; htons(99999) is 34463: bind fails as the kernel says.
        assertFails("t.pkt:2: runtime error in bind call: Expected result 0 but got -1 with errno 99 (Cannot assign"
                + " requested address)", run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, {sa_family=AF_INET,"
                + " sin_port=htons(99999), sin_addr=inet_addr(\"999.1.1.1\")}, 16) = 0\n"));
    }

    @Test
    void aNegativeByteCountIsAScriptErrorNotAStackError() {
        assertFails("t.pkt:8: runtime error in write call: a negative byte count (packetdrill cannot allocate such a"
                + " buffer)", run(PASSIVE_OPEN + "+0 write(4, ..., -5) = -1\n"));
    }

    @Test
    void aLivePacketOfAnotherTransportIsDiscardedNotCompared() {
        // sniff_outbound_live_packet keeps only the socket under test's packets: the datagram of
        // socket 3 never reaches socket 4's > line.
        assertPasses(run("""
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0    bind(3, ..., ...) = 0
                +0    sendto(3, ..., 20, 0, ..., ...) = 20
                +0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 4
                +0    fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0    connect(4, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0    > S 0:0(0) <...>
                """));
    }

    @Test
    void aFailureNamesTheDeviceSettingsTheStackDidNotTake() {
        ScriptRunner.Result r = run("`tc qdisc add dev tun0 root pfifo limit 0`\n"
                + "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = 1\n");
        assertEquals(ScriptRunner.Status.FAIL, r.status(), r.line());
        assertTrue(r.reason().endsWith("(not applied: tc qdisc add dev tun0 root pfifo limit 0)"), r.reason());
    }
}
