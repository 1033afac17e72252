package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import netstack4j.packetdrill.Expr.ArrayExpr;
import netstack4j.packetdrill.Expr.BinaryOrExpr;
import netstack4j.packetdrill.Expr.CallExpr;
import netstack4j.packetdrill.Expr.Field;
import netstack4j.packetdrill.Expr.IntExpr;
import netstack4j.packetdrill.Expr.StringExpr;
import netstack4j.packetdrill.Expr.StructExpr;
import netstack4j.packetdrill.Expr.SymbolExpr;
import netstack4j.packetdrill.TcpOptionSpec.SackBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptParserTest {
    private static Script parse(String text) {
        return ScriptParser.parse("t.pkt", text);
    }

    private static Event only(String text) {
        List<Event> events = parse(text).events();
        assertEquals(1, events.size());
        return events.getFirst();
    }

    private static <T extends EventBody> T body(String text, Class<T> type) {
        return assertInstanceOf(type, only(text).body());
    }

    private static ScriptParseException error(String text) {
        return assertThrows(ScriptParseException.class, () -> parse(text));
    }

    // ---- times

    @Test
    void absoluteRelativeAndAnyTimes() {
        assertEquals(EventTime.absolute(100_000), only("0.100 close(3) = 0").time());
        assertEquals(EventTime.absolute(2_000_000), only("2 close(3) = 0").time());
        assertEquals(EventTime.relative(10_000), only("+.01 close(3) = 0").time());
        assertEquals(EventTime.relative(0), only("+0 close(3) = 0").time());
        assertEquals(EventTime.any(), only("* > . 1:1(0) ack 1").time());
        assertEquals(EventTime.absolute(1), only("0.0000019 close(3) = 0").time());
    }

    @Test
    void ranges() {
        assertEquals(EventTime.absolute(100_000).until(200_000), only("0.1~0.2 > . 1:1(0) ack 1").time());
        assertEquals(EventTime.relative(0).until(100_000), only("+0~+0.1 > . 1:1(0) ack 1").time());
    }

    @Test
    void blockingSystemCall() {
        Event e = only("0...0.200 accept(3, ..., ...) = 4");
        assertEquals(EventTime.absolute(0), e.time());
        SyscallEvent call = assertInstanceOf(SyscallEvent.class, e.body());
        assertEquals(OptionalLong.of(200_000), call.blockingEndMicros());
        assertEquals(List.of(new IntExpr(3), Expr.ELLIPSIS, Expr.ELLIPSIS), call.args());
        assertEquals(new IntExpr(4), call.result());
        assertEquals(OptionalLong.of(20_000),
                body("+.01 ... 0.020 connect(4, ..., ...) = 0", SyscallEvent.class).blockingEndMicros());
    }

    @Test
    void timeErrors() {
        assertEquals("t.pkt:1: semantic error: time range is backwards", error("0.2~0.1 > . 1:1(0)").getMessage());
        assertEquals("t.pkt:1: semantic error: event time '*' can only be used with outbound packets",
                error("* close(3) = 0").getMessage());
        assertEquals("t.pkt:2: semantic error: event time range can only be used with outbound packets",
                error("0 close(3) = 0\n+0~+1 < . 1:1(0) ack 1").getMessage());
        assertTrue(error("-1 close(3) = 0").getMessage().contains("negative time"));
        assertEquals("t.pkt:1: syntax error: expected '+' after '~' in a relative time range (write '+a~+b'), got '1'",
                error("+0~1 > . 1:1(0)").getMessage());
    }

    // ---- TCP packets

    @Test
    void synWithAllOptions() {
        TcpPacketEvent p = body("0 < S 0:0(0) win 32792 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7,nop,nop,nop,eol>",
                TcpPacketEvent.class);
        assertEquals(Direction.INBOUND, p.direction());
        assertEquals("S", p.flags());
        assertEquals(Optional.of(new SeqRange(0, 0, 0)), p.seq());
        assertEquals(OptionalLong.empty(), p.ack());
        assertEquals(OptionalLong.of(32792), p.window());
        assertEquals(new TcpOptions.Listed(List.of(new TcpOptionSpec.Mss(1460), new TcpOptionSpec.SackOk(),
                new TcpOptionSpec.Timestamp(100, 0), new TcpOptionSpec.Nop(), new TcpOptionSpec.WScale(7),
                new TcpOptionSpec.Nop(), new TcpOptionSpec.Nop(), new TcpOptionSpec.Nop(), new TcpOptionSpec.Eol())),
                p.options());
    }

    @Test
    void dataSegmentWithAckAndNoOptions() {
        TcpPacketEvent p = body("+0 > P. 1:1001(1000) ack 1", TcpPacketEvent.class);
        assertEquals(Direction.OUTBOUND, p.direction());
        assertEquals("P.", p.flags());
        assertEquals(Optional.of(new SeqRange(1, 1001, 1000)), p.seq());
        assertEquals(OptionalLong.of(1), p.ack());
        assertEquals(OptionalLong.empty(), p.window());
        assertEquals(TcpOptions.NONE, p.options());
    }

    @Test
    void flagVariants() {
        assertEquals(".", body("0 > . 1:1(0) ack 1", TcpPacketEvent.class).flags());
        assertEquals("", body("0 > - 1:1(0) ack 1", TcpPacketEvent.class).flags());
        assertEquals("F.", body("0 > F. 1:1(0) ack 1", TcpPacketEvent.class).flags());
        assertEquals("R", body("0 < R 1:1(0) win 0", TcpPacketEvent.class).flags());
        assertEquals("SEW", body("0 < SEW 0:0(0) win 100", TcpPacketEvent.class).flags());
        assertEquals("P.6", body("0 > [ect0] P.6 1:101(100) ack 1", TcpPacketEvent.class).flags());
        assertEquals(".6", body("0 > .6 1:1(0) ack 1", TcpPacketEvent.class).flags());
        assertEquals("PU.", body("0 < PU. 1:2(1) ack 1 win 100 urg 1", TcpPacketEvent.class).flags());
        assertEquals("t.pkt:1: semantic error: unknown TCP flag 'X' in 'SX'",
                error("0 < SX 0:0(0) win 1").getMessage());
    }

    @Test
    void urgentPointerPortsAndAnyOptions() {
        TcpPacketEvent p = body("0 > 8080>80 P. 1:2(1) ack 1 win 100 urg 1 <...>", TcpPacketEvent.class);
        assertEquals(Optional.of(new PortPair(8080, 80)), p.ports());
        assertEquals(OptionalLong.of(1), p.urgentPointer());
        assertEquals(new TcpOptions.Any(), p.options());
        assertEquals("t.pkt:1: semantic error: <...> for TCP options can only be used with outbound packets",
                error("0 < . 1:1(0) ack 1 <...>").getMessage());
    }

    @Test
    void sackBlocksFastOpenMd5AndRawOptions() {
        TcpPacketEvent p = body("0 < . 1:1(0) ack 1 win 257 <sack 1001:2001 3001:4001,nop,nop,FO abcd1234,FO,"
                + "FOEXP 1234,md5 00ff,ECN e0b 1 ceb 0 e1b 1>", TcpPacketEvent.class);
        List<TcpOptionSpec> options = ((TcpOptions.Listed) p.options()).options();
        assertEquals(new TcpOptionSpec.Sack(List.of(new SackBlock(1001, 2001), new SackBlock(3001, 4001))),
                options.get(0));
        assertEquals(new TcpOptionSpec.FastOpen("abcd1234", false), options.get(3));
        assertEquals(new TcpOptionSpec.FastOpen("", false), options.get(4));
        assertEquals(new TcpOptionSpec.FastOpen("1234", true), options.get(5));
        assertEquals(new TcpOptionSpec.Md5("00ff"), options.get(6));
        assertEquals(new TcpOptionSpec.Raw("ECN e0b 1 ceb 0 e1b 1"), options.get(7));
    }

    @Test
    void ipFields() {
        assertEquals(Map.of("ecn", "ce"), body("0 < [ce] . 1:1(0) ack 1", TcpPacketEvent.class).ipFields());
        assertEquals(Map.of("tos", "0x2"), body("0 > [tos 0x2] . 1:1(0) ack 1", TcpPacketEvent.class).ipFields());
        assertEquals(Map.of("ttl", "64"), body("0 < (ttl 64) . 1:1(0) ack 1", TcpPacketEvent.class).ipFields());
        assertEquals(Map.of("ecn", "ect0", "flowlabel", "0x1"),
                body("0 < [ect0, flowlabel 0x1] . 1:1(0) ack 1", TcpPacketEvent.class).ipFields());
        assertTrue(error("0 < [color red] . 1:1(0)").getMessage().contains("expected an IP field"));
    }

    @Test
    void sequenceErrors() {
        assertEquals("t.pkt:1: semantic error: inconsistent TCP sequence numbers and payload size: 1:1001(999)",
                error("0 > P. 1:1001(999) ack 1").getMessage());
        assertEquals("t.pkt:1: syntax error: expected ')' after the payload length, got 'ack'",
                error("0 > P. 1:1001(1000 ack 1").getMessage());
        assertEquals("t.pkt:1: syntax error: expected '>' or ',' in TCP options, got end of file",
                error("0 < S 0:0(0) win 1 <mss 1460").getMessage());
        assertEquals("t.pkt:1: semantic error: window after 'win' out of range: 70000",
                error("0 < S 0:0(0) win 70000").getMessage());
    }

    // ---- UDP and ICMP

    @Test
    void udp() {
        assertEquals(new UdpPacketEvent(Direction.INBOUND, Map.of(), Optional.empty(), 100),
                body("0 < udp (100)", UdpPacketEvent.class));
        assertEquals(new UdpPacketEvent(Direction.OUTBOUND, Map.of(), Optional.of(new PortPair(5000, 53)), 10),
                body("0 > udp 5000>53 (10)", UdpPacketEvent.class));
    }

    @Test
    void icmp() {
        IcmpPacketEvent p = body("0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]", IcmpPacketEvent.class);
        assertEquals("unreachable", p.type());
        assertEquals(Optional.of("frag_needed"), p.code());
        assertEquals(OptionalLong.of(1200), p.mtu());
        assertEquals(Optional.of(new IcmpPacketEvent.EmbeddedTcp(new SeqRange(1, 1461, 1460))), p.embedded());

        IcmpPacketEvent udp = body("0 < icmp unreachable port_unreachable [udp (100)]", IcmpPacketEvent.class);
        assertEquals(Optional.of(new IcmpPacketEvent.EmbeddedUdp(100)), udp.embedded());

        IcmpPacketEvent echo = body("0 > icmp echo_reply id 7", IcmpPacketEvent.class);
        assertEquals(Optional.empty(), echo.code());
        assertEquals(OptionalLong.of(7), echo.echoId());

        IcmpPacketEvent raw = body("0 < icmp time_exceeded [raw (20)]", IcmpPacketEvent.class);
        assertEquals(Optional.of(new IcmpPacketEvent.EmbeddedRaw(20)), raw.embedded());
    }

    // ---- system calls

    @Test
    void symbolsBitOrAndNegativeResultWithErrno() {
        SyscallEvent call = body("0 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)", SyscallEvent.class);
        assertEquals("connect", call.name());
        assertEquals(new IntExpr(-1), call.result());
        assertEquals("ECONNREFUSED", call.errno());
        assertEquals("Connection refused", call.errnoText());

        SyscallEvent send = body("0 send(4, ..., 10, MSG_MORE|MSG_DONTWAIT) = 10", SyscallEvent.class);
        assertEquals(new BinaryOrExpr(List.of(new SymbolExpr("MSG_MORE"), new SymbolExpr("MSG_DONTWAIT"))),
                send.args().get(3));
        assertNull(send.errno());
        assertNull(send.errnoText());
    }

    @Test
    void noteWithoutErrnoAndHexResult() {
        SyscallEvent call = body("0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)", SyscallEvent.class);
        assertEquals(new IntExpr(0x802, true), call.result());
        assertNull(call.errno());
        assertEquals("flags O_RDWR|O_NONBLOCK", call.errnoText());
    }

    @Test
    void arraysStructsAndCalls() {
        SyscallEvent call = body("0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), "
                + "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0", SyscallEvent.class);
        assertEquals(new StructExpr(List.of(
                new Field("sa_family", new SymbolExpr("AF_INET")),
                new Field("sin_port", new CallExpr("htons", List.of(new IntExpr(8080)))),
                new Field("sin_addr", new CallExpr("inet_addr", List.of(new StringExpr("192.0.2.1")))))),
                call.args().get(1));

        SyscallEvent linger = body("0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0",
                SyscallEvent.class);
        assertEquals(new StructExpr(List.of(new Field("l_onoff", new IntExpr(1)), new Field("l_linger", new IntExpr(0)))),
                linger.args().get(3));

        SyscallEvent opt = body("0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0", SyscallEvent.class);
        assertEquals(new ArrayExpr(List.of(new IntExpr(1))), opt.args().get(3));
    }

    @Test
    void msghdrWithIovecsKeepsCountSuffixes() {
        SyscallEvent call = body("0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{iov_base=..., iov_len=500}, "
                + "{..., 500}], msg_flags=0}, 0) = 1000", SyscallEvent.class);
        StructExpr msg = assertInstanceOf(StructExpr.class, call.args().get(1));
        assertEquals("msg_name(...)", msg.fields().get(0).name());
        assertEquals(Expr.ELLIPSIS, msg.fields().get(0).value());
        assertEquals("msg_iov(2)", msg.fields().get(1).name());
        ArrayExpr iov = assertInstanceOf(ArrayExpr.class, msg.fields().get(1).value());
        assertEquals(new StructExpr(List.of(new Field(null, Expr.ELLIPSIS), new Field(null, new IntExpr(500)))),
                iov.elements().get(1));
        assertEquals(new Field("msg_flags", new IntExpr(0)), msg.fields().get(2));
    }

    @Test
    void pollfdEpollAndTcpInfo() {
        SyscallEvent poll = body("0 poll([{fd=3, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 100) = 1",
                SyscallEvent.class);
        StructExpr pfd = (StructExpr) ((ArrayExpr) poll.args().get(0)).elements().get(0);
        assertEquals(new Field("events", new BinaryOrExpr(List.of(new SymbolExpr("POLLIN"), new SymbolExpr("POLLOUT")))),
                pfd.fields().get(1));
        SyscallEvent epoll = body("0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN, fd=4}) = 0", SyscallEvent.class);
        assertEquals(2, ((StructExpr) epoll.args().get(3)).fields().size());
        SyscallEvent info = body("0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_rto=200000}, [104]) = 0",
                SyscallEvent.class);
        assertEquals(new Field("tcpi_rto", new IntExpr(200000)), ((StructExpr) info.args().get(3)).fields().get(1));
    }

    @Test
    void stringsConcatenateAndMayBePrefixes() {
        SyscallEvent call = body("0 send(4, \"ab\" \"cd\", 4, 0) = 4", SyscallEvent.class);
        assertEquals(new StringExpr("abcd"), call.args().get(1));
        SyscallEvent prefix = body("0 read(4, \"hello\"..., 100) = 100", SyscallEvent.class);
        assertEquals(new StringExpr("hello", true), prefix.args().get(1));
    }

    @Test
    void unknownCallsAndEmptyArgumentLists() {
        SyscallEvent call = body("0 frobnicate() = 0", SyscallEvent.class);
        assertEquals("frobnicate", call.name());
        assertEquals(List.of(), call.args());
        assertEquals(List.of(new ArrayExpr(List.of()), new StructExpr(List.of())),
                body("0 x([], {}) = 0", SyscallEvent.class).args());
    }

    @Test
    void syscallErrors() {
        assertEquals("t.pkt:1: syntax error: expected ',' or ')' after arguments, got '='",
                error("0 close(3 = 0").getMessage());
        assertEquals("t.pkt:2: syntax error: expected '=' and the expected result after 'close(...)', got '+'",
                error("0 close(3)\n+0 close(4) = 0").getMessage());
        assertEquals("t.pkt:1: syntax error: expected an expression, got ')'",
                error("0 close(3,) = 0").getMessage());
        ScriptParseException e = error("0 close(3) = 0\n\n  +0 ioctl(3, {a=1, b=2) = 0");
        assertEquals("t.pkt:3: syntax error: expected ',' or '}' in struct, got ')'", e.getMessage());
        assertEquals(24, e.column());
    }

    // ---- commands, code, options, structure

    @Test
    void shellAndCodeEvents() {
        assertEquals(new ShellEvent("sysctl -q net.ipv4.tcp_sack=1"),
                only("+0 `sysctl -q net.ipv4.tcp_sack=1`").body());
        assertEquals(new CodeEvent("assert tcpi_rto == 200000"),
                only("+0 %{ assert tcpi_rto == 200000 }%").body());
    }

    @Test
    void optionsInitAndCleanupCommands() {
        Script s = parse("--tolerance_usecs=10000\n--verbose\n`init\n cmd`\n0 close(3) = 0\n`cleanup`\n");
        assertEquals(List.of(new ScriptOption(1, "tolerance_usecs", Optional.of("10000")),
                new ScriptOption(2, "verbose", Optional.empty())), s.options());
        assertEquals(Optional.of(new ShellCommand(3, "init\n cmd")), s.initCommand());
        assertEquals(5, s.events().getFirst().line());
        assertEquals(Optional.of(new ShellCommand(6, "cleanup")), s.cleanupCommand());
    }

    @Test
    void eventLineIsTheLineOfItsTime() {
        Script s = parse("// header\n\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                + "+0 sendmsg(3, {msg_name(...)=...,\n msg_iov(1)=[{..., 1}],\n msg_flags=0}, 0) = 1\n"
                + "+0 close(3) = 0\n");
        assertEquals(List.of(3, 4, 7), s.events().stream().map(Event::line).toList());
    }

    @Test
    void structuralErrors() {
        assertEquals("t.pkt:2: syntax error: expected an event time (such as '0', '+0.1' or '*'), got end of file",
                error("// nothing\n").getMessage());
        assertEquals("t.pkt:2: syntax error: expected an event time (such as '0', '+0.1' or '*'), got '['",
                error("0 close(3) = 0\n[1]").getMessage());
        assertEquals("t.pkt:2: syntax error: expected end of file after the cleanup command, got '+'",
                error("0 close(3) = 0\n`cleanup` +0 close(4) = 0").getMessage());
        assertEquals("t.pkt:1: syntax error: expected a packet ('<' or '>'), a system call, a `command` or a "
                + "%{ code }% block after the time, got '='", error("0 = 1").getMessage());
        assertTrue(error("0 < ipv4 1.2.3.4 > 5.6.7.8: S 0:0(0)").getMessage().contains("encapsulation"));
    }

    @Test
    void parsesFilesAndNamesThemInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.pkt");
        Files.writeString(file, "0 close(3) = 0\n+0 > P. 1:2(1) ack\n");
        ScriptParseException e = assertThrows(ScriptParseException.class, () -> ScriptParser.parse(file));
        assertEquals(file + ":3: syntax error: expected ack number after 'ack', got end of file", e.getMessage());
        assertEquals(file.toString(), e.file());
    }
}
