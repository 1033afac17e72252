package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import netstack4j.packetdrill.Expr.StructExpr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Realistic scripts modelled on packetdrill's own tests all parse, print and parse back. */
class ScriptCorpusTest {
    private static final Map<String, Integer> EVENT_COUNTS = Map.ofEntries(
            Map.entry("01-handshake-server.pkt", 11),
            Map.entry("02-handshake-client.pkt", 5),
            Map.entry("03-fast-retransmit-sack.pkt", 18),
            Map.entry("04-close-shutdown.pkt", 14),
            Map.entry("05-nonblocking-connect-poll.pkt", 10),
            Map.entry("06-linger-rst.pkt", 11),
            Map.entry("07-sendmsg-iovec.pkt", 14),
            Map.entry("08-tcp-info.pkt", 10),
            Map.entry("09-rto-retransmit.pkt", 13),
            Map.entry("10-icmp-frag-needed.pkt", 15),
            Map.entry("11-udp.pkt", 10),
            Map.entry("12-ecn-and-ip-fields.pkt", 12),
            Map.entry("13-fast-open.pkt", 16),
            Map.entry("14-epoll.pkt", 14),
            Map.entry("15-blocking-accept-and-misc.pkt", 15));

    static Path corpusDir() {
        try {
            return Path.of(ScriptCorpusTest.class.getResource("/packetdrill-syntax").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.filter(p -> p.toString().endsWith(".pkt")).sorted().toList().stream();
        }
    }

    private static Script load(String name) {
        return ScriptParser.parse(corpusDir().resolve(name));
    }

    @Test
    void everyScriptHasAnExpectedCount() throws IOException {
        assertEquals(EVENT_COUNTS.keySet(), corpus().map(p -> p.getFileName().toString())
                .collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void parsesIntoTheExpectedNumberOfEvents(Path file) {
        Script script = ScriptParser.parse(file);
        assertEquals(EVENT_COUNTS.get(file.getFileName().toString()), script.events().size());
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void printedScriptParsesBackEqual(Path file) {
        Script script = ScriptParser.parse(file);
        String printed = ScriptPrinter.print(script);
        Script again = ScriptParser.parse(file.getFileName() + " (printed)", printed);
        assertEquals(script, again, printed);
        assertEquals(printed, ScriptPrinter.print(again));
    }

    @Test
    void handshakeServer() {
        Script s = load("01-handshake-server.pkt");
        assertEquals(Optional.of(new ShellCommand(3, "sysctl -q net.ipv4.tcp_timestamps=1")), s.initCommand());
        Event synAck = s.events().get(5);
        assertEquals(11, synAck.line());
        TcpPacketEvent p = assertInstanceOf(TcpPacketEvent.class, synAck.body());
        assertEquals("S.", p.flags());
        assertEquals(new TcpOptionSpec.Timestamp(100, 100), ((TcpOptions.Listed) p.options()).options().get(2));
        assertEquals(EventTime.relative(10_000), s.events().get(6).time());
    }

    @Test
    void fastRetransmitSack() {
        Script s = load("03-fast-retransmit-sack.pkt");
        assertEquals("sysctl -q net.ipv4.tcp_sack=1\n sysctl -q net.ipv4.tcp_fack=0", s.initCommand().orElseThrow().command());
        TcpPacketEvent dupAck = assertInstanceOf(TcpPacketEvent.class, s.events().get(15).body());
        assertEquals(new TcpOptionSpec.Sack(List.of(new TcpOptionSpec.SackBlock(1001, 4001))),
                ((TcpOptions.Listed) dupAck.options()).options().get(0));
    }

    @Test
    void nonblockingConnectPoll() {
        Script s = load("05-nonblocking-connect-poll.pkt");
        SyscallEvent connect = assertInstanceOf(SyscallEvent.class, s.events().get(3).body());
        assertEquals("EINPROGRESS", connect.errno());
        assertEquals("Operation now in progress", connect.errnoText());
        Event poll = s.events().get(8);
        assertEquals(10, poll.line());
        assertEquals("poll([{fd=3, events=POLLIN|POLLOUT|POLLERR, revents=POLLOUT}], 1, 100) = 1",
                ScriptPrinter.print(poll.body()));
    }

    @Test
    void sendmsgAndTcpInfo() {
        SyscallEvent sendmsg = assertInstanceOf(SyscallEvent.class, load("07-sendmsg-iovec.pkt").events().get(7).body());
        assertEquals("msg_iov(2)", ((StructExpr) sendmsg.args().get(1)).fields().get(1).name());
        Script info = load("08-tcp-info.pkt");
        assertEquals(new CodeEvent("assert tcpi_rto == 300000, tcpi_rto"), info.events().get(8).body());
        CodeEvent multi = assertInstanceOf(CodeEvent.class, info.events().get(9).body());
        assertTrue(multi.code().contains("assert tcpi_unacked == 0"));
    }

    @Test
    void rangesAnyTimeAndOptions() {
        Script s = load("09-rto-retransmit.pkt");
        assertEquals(List.of(new ScriptOption(2, "tolerance_usecs", Optional.of("10000"))), s.options());
        assertEquals(EventTime.relative(200_000).until(400_000), s.events().get(9).time());
        assertEquals(EventTime.absolute(1_000_000).until(1_500_000), s.events().get(10).time());
        assertEquals(EventTime.any(), s.events().get(11).time());
    }

    @Test
    void icmpAndUdp() {
        IcmpPacketEvent frag = assertInstanceOf(IcmpPacketEvent.class, load("10-icmp-frag-needed.pkt").events().get(10).body());
        assertEquals(OptionalLong.of(1200), frag.mtu());
        UdpPacketEvent udp = assertInstanceOf(UdpPacketEvent.class, load("11-udp.pkt").events().get(7).body());
        assertEquals(Optional.of(new PortPair(5000, 8080)), udp.ports());
        assertEquals(20, udp.payloadLength());
    }

    @Test
    void fastOpenBlockingSendmsgAndCleanup() {
        Script s = load("13-fast-open.pkt");
        SyscallEvent sendmsg = assertInstanceOf(SyscallEvent.class, s.events().get(12).body());
        assertEquals(OptionalLong.of(20_000), sendmsg.blockingEndMicros());
        assertEquals(Optional.of(new ShellCommand(27, "/tmp/sysctl_restore_${PPID}.sh")), s.cleanupCommand());
        TcpPacketEvent synData = assertInstanceOf(TcpPacketEvent.class, s.events().get(14).body());
        assertEquals(new TcpOptionSpec.FastOpen("1234abcd5678dcba", false),
                ((TcpOptions.Listed) synData.options()).options().get(6));
    }

    @Test
    void miscellany() {
        Script s = load("15-blocking-accept-and-misc.pkt");
        assertEquals(2, s.options().size());
        assertEquals(Optional.of("192.168.0.1"), s.options().get(1).value());
        assertEquals(new ShellEvent("echo done"), s.events().get(14).body());
        SyscallEvent future = assertInstanceOf(SyscallEvent.class, s.events().get(13).body());
        assertEquals("some_future_call", future.name());
    }
}
