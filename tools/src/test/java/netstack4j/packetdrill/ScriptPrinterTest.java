package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import netstack4j.packetdrill.Expr.IntExpr;
import netstack4j.packetdrill.Expr.SymbolExpr;
import org.junit.jupiter.api.Test;

class ScriptPrinterTest {
    @Test
    void secondsHaveNoTrailingZeros() {
        assertEquals("0", ScriptPrinter.seconds(0));
        assertEquals("0.1", ScriptPrinter.seconds(100_000));
        assertEquals("1.5", ScriptPrinter.seconds(1_500_000));
        assertEquals("0.000001", ScriptPrinter.seconds(1));
        assertEquals("12", ScriptPrinter.seconds(12_000_000));
    }

    @Test
    void times() {
        assertEquals("*", ScriptPrinter.print(EventTime.any()));
        assertEquals("+0.01", ScriptPrinter.print(EventTime.relative(10_000)));
        assertEquals("+0~+0.1", ScriptPrinter.print(EventTime.relative(0).until(100_000)));
        assertEquals("0.1~0.2", ScriptPrinter.print(EventTime.absolute(100_000).until(200_000)));
    }

    @Test
    void tcpPacket() {
        TcpPacketEvent p = new TcpPacketEvent(Direction.INBOUND, Map.of("ecn", "ce"), Optional.empty(), "S.",
                Optional.of(new SeqRange(0, 0, 0)), OptionalLong.of(1), OptionalLong.of(5792), OptionalLong.empty(),
                new TcpOptions.Listed(List.of(new TcpOptionSpec.Mss(1460), new TcpOptionSpec.SackOk(),
                        new TcpOptionSpec.Timestamp(700, 100), new TcpOptionSpec.Nop(), new TcpOptionSpec.WScale(7))));
        assertEquals("< [ce] S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>",
                ScriptPrinter.print(p));
        TcpPacketEvent bare = new TcpPacketEvent(Direction.OUTBOUND, Map.of(), Optional.empty(), "",
                Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), new TcpOptions.Any());
        assertEquals("> - <...>", ScriptPrinter.print(bare));
    }

    @Test
    void blockingSyscallWithErrno() {
        Event e = new Event(1, EventTime.relative(0), new SyscallEvent("connect",
                List.of(new IntExpr(3), Expr.ELLIPSIS, new IntExpr(0x10, true)), new IntExpr(-1), "ECONNREFUSED",
                "Connection refused", OptionalLong.of(200_000)));
        assertEquals("+0...0.2 connect(3, ..., 0x10) = -1 ECONNREFUSED (Connection refused)", ScriptPrinter.print(e));
    }

    @Test
    void eventsLandOnTheirLines() {
        Script s = new Script(List.of(), Optional.of(new ShellCommand(2, "sysctl -q a=1")),
                List.of(new Event(4, EventTime.absolute(0), new SyscallEvent("close", List.of(new SymbolExpr("FD")),
                        new IntExpr(0), null, null)), new Event(5, EventTime.relative(0), new CodeEvent("assert x"))),
                Optional.empty());
        assertEquals("\n`sysctl -q a=1`\n\n0 close(FD) = 0\n+0 %{ assert x }%\n", ScriptPrinter.print(s));
    }
}
