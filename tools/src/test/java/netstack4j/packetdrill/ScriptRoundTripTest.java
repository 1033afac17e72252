package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import netstack4j.packetdrill.Expr.ArrayExpr;
import netstack4j.packetdrill.Expr.BinaryOrExpr;
import netstack4j.packetdrill.Expr.CallExpr;
import netstack4j.packetdrill.Expr.Field;
import netstack4j.packetdrill.Expr.IntExpr;
import netstack4j.packetdrill.Expr.StringExpr;
import netstack4j.packetdrill.Expr.StructExpr;
import netstack4j.packetdrill.Expr.SymbolExpr;

/** For any AST the parser can produce, printing it and parsing the text gives it back. */
class ScriptRoundTripTest {
    @Property(tries = 400)
    void printedScriptsParseBackEqual(@ForAll("scripts") Script script) {
        String printed = ScriptPrinter.print(script);
        assertEquals(script, ScriptParser.parse("generated.pkt", printed), printed);
    }

    @Property(tries = 300)
    void printedExpressionsParseBackEqual(@ForAll("expressions") Expr expr) {
        String text = "0 f(" + ScriptPrinter.print(expr) + ") = 0";
        SyscallEvent call = (SyscallEvent) ScriptParser.parse("expr.pkt", text).events().getFirst().body();
        assertEquals(List.of(expr), call.args(), text);
    }

    @Provide
    Arbitrary<Script> scripts() {
        Arbitrary<List<Event>> events = event().list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<List<String>> optionNames = Arbitraries.of("tolerance_usecs", "verbose", "ip_version")
                .list().ofMaxSize(2);
        Arbitrary<Boolean> init = Arbitraries.of(true, false);
        Arbitrary<Boolean> cleanup = Arbitraries.of(true, false);
        return Combinators.combine(optionNames, init, events, cleanup, shellText()).as((names, hasInit, evs, hasCleanup, cmd) -> {
            int line = 1;
            List<ScriptOption> options = new ArrayList<>();
            for (String name : names) {
                options.add(new ScriptOption(line++, name, name.equals("verbose") ? Optional.empty() : Optional.of("1")));
            }
            Optional<ShellCommand> initCommand = hasInit ? Optional.of(new ShellCommand(line++, cmd)) : Optional.empty();
            List<Event> placed = new ArrayList<>();
            for (Event e : evs) {
                placed.add(new Event(line++, e.time(), e.body()));
            }
            Optional<ShellCommand> cleanupCommand = hasCleanup ? Optional.of(new ShellCommand(line, cmd)) : Optional.empty();
            return new Script(options, initCommand, placed, cleanupCommand);
        });
    }

    private Arbitrary<Event> event() {
        return Arbitraries.oneOf(tcp(), udp(), icmp(), syscall(), shell(), code())
                .flatMap(body -> time(body).map(t -> new Event(0, t, body)));
    }

    private Arbitrary<EventTime> time(EventBody body) {
        Arbitrary<Long> micros = Arbitraries.longs().between(0, 20_000_000);
        Arbitrary<EventTime> plain = Combinators.combine(Arbitraries.of(true, false), micros)
                .as((relative, us) -> relative ? EventTime.relative(us) : EventTime.absolute(us));
        boolean outboundPacket = switch (body) {
            case TcpPacketEvent p -> p.direction() == Direction.OUTBOUND;
            case UdpPacketEvent p -> p.direction() == Direction.OUTBOUND;
            case IcmpPacketEvent p -> p.direction() == Direction.OUTBOUND;
            default -> false;
        };
        if (!outboundPacket) {
            return plain;
        }
        Arbitrary<EventTime> range = Combinators.combine(plain, Arbitraries.longs().between(0, 5_000_000))
                .as((t, extra) -> t.until(t.startMicros() + extra));
        return Arbitraries.oneOf(plain, range, Arbitraries.just(EventTime.any()));
    }

    private Arbitrary<Map<String, String>> ipFields() {
        Arbitrary<Optional<String>> ecn = Arbitraries.of("noecn", "ect0", "ect1", "ce").optional();
        Arbitrary<Optional<String>> tos = Arbitraries.integers().between(0, 255).map(v -> "0x" + Integer.toHexString(v)).optional();
        Arbitrary<Optional<String>> ttl = Arbitraries.integers().between(0, 255).map(String::valueOf).optional();
        return Combinators.combine(ecn, tos, ttl).as((e, t, l) -> {
            Map<String, String> m = new LinkedHashMap<>();
            e.ifPresent(v -> m.put("ecn", v));
            t.ifPresent(v -> m.put("tos", v));
            l.ifPresent(v -> m.put("ttl", v));
            return m;
        });
    }

    private Arbitrary<Optional<PortPair>> ports() {
        return Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
                .as(PortPair::new).optional();
    }

    private Arbitrary<SeqRange> seq() {
        return Combinators.combine(Arbitraries.longs().between(0, 0xffff_0000L), Arbitraries.longs().between(0, 0xffff))
                .as((start, len) -> new SeqRange(start, start + len, len));
    }

    private Arbitrary<OptionalLong> optionalLong(long max) {
        return Arbitraries.longs().between(0, max).optional().map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    private Arbitrary<EventBody> tcp() {
        Arbitrary<Direction> direction = Arbitraries.of(Direction.class);
        Arbitrary<String> flags = Arbitraries.of("S", "S.", ".", "P.", "F.", "R", "R.", "", "SEW", "P.6", ".6", "WA.");
        Arbitrary<OptionalLong[]> numbers = Combinators.combine(optionalLong(0xffff_ffffL), optionalLong(0xffff),
                optionalLong(0xffff)).as((a, w, u) -> new OptionalLong[] {a, w, u});
        Arbitrary<TcpOptions> listed = tcpOption().list().ofMaxSize(6).map(ScriptRoundTripTest::padded)
                .map(TcpOptions.Listed::new);
        return Combinators.combine(direction, ipFields(), ports(), flags, seq().optional(), numbers, listed,
                Arbitraries.of(true, false)).as((dir, ip, pp, fl, sq, n, opts, any) -> new TcpPacketEvent(dir, ip, pp, fl, sq,
                n[0], n[1], n[2], any && dir == Direction.OUTBOUND ? new TcpOptions.Any() : opts));
    }

    private Arbitrary<TcpOptionSpec> tcpOption() {
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xffff_ffffL);
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(2).ofMaxLength(16);
        Arbitrary<TcpOptionSpec.SackBlock> block = Combinators.combine(u32, u32).as(TcpOptionSpec.SackBlock::new);
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 65535).map(TcpOptionSpec.Mss::new),
                Arbitraries.just(new TcpOptionSpec.SackOk()),
                block.list().ofMinSize(1).ofMaxSize(4).map(TcpOptionSpec.Sack::new),
                Combinators.combine(u32, u32).as(TcpOptionSpec.Timestamp::new),
                Arbitraries.just(new TcpOptionSpec.Nop()),
                Arbitraries.integers().between(0, 255).map(TcpOptionSpec.WScale::new),
                Arbitraries.just(new TcpOptionSpec.Eol()),
                Combinators.combine(hex.injectNull(0.3), Arbitraries.of(true, false))
                        // packetdrill's new_tcp_fast_open_option: whole bytes only (an even number of digits)
                        .as((cookie, exp) -> new TcpOptionSpec.FastOpen(cookie == null ? "" : cookie.length() % 2 == 0 ? cookie
                                : cookie.substring(1), exp)),
                hex.map(TcpOptionSpec.Md5::new),
                Arbitraries.of("ECN e0b 1 ceb 0 e1b 1", "exp 0xf989", "unknown").map(TcpOptionSpec.Raw::new));
    }

    private Arbitrary<EventBody> udp() {
        return Combinators.combine(Arbitraries.of(Direction.class), ipFields(), ports(),
                Arbitraries.integers().between(0, 65535)).as(UdpPacketEvent::new);
    }

    private Arbitrary<EventBody> icmp() {
        Arbitrary<IcmpPacketEvent.Embedded> embedded = Arbitraries.oneOf(
                seq().map(IcmpPacketEvent.EmbeddedTcp::new),
                Arbitraries.integers().between(0, 65535).map(IcmpPacketEvent.EmbeddedUdp::new),
                Arbitraries.integers().between(0, 65535).map(IcmpPacketEvent.EmbeddedRaw::new));
        return Combinators.combine(Arbitraries.of(Direction.class), ipFields(),
                Arbitraries.of("unreachable", "time_exceeded", "echo_request", "echo_reply"),
                Arbitraries.of("port_unreachable", "frag_needed", "net_unreachable").optional(),
                optionalLong(0xffff), optionalLong(0xffff), embedded.optional()).as(IcmpPacketEvent::new);
    }

    private Arbitrary<EventBody> syscall() {
        Arbitrary<Expr> result = Arbitraries.oneOf(Arbitraries.longs().between(-1, 100_000).map(IntExpr::new),
                Arbitraries.just(Expr.ELLIPSIS));
        Arbitrary<String> errno = Arbitraries.of("EAGAIN", "ECONNREFUSED", "EINPROGRESS").injectNull(0.5);
        Arbitrary<String> text = Arbitraries.of("Connection refused", "Resource temporarily unavailable", "flags O_RDWR")
                .injectNull(0.5);
        Arbitrary<OptionalLong> blocking = optionalLong(10_000_000);
        return Combinators.combine(identifier(), expressions().list().ofMaxSize(5), result, errno, text, blocking)
                .as(SyscallEvent::new);
    }

    private Arbitrary<String> shellText() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789 =._-/$").ofMinLength(1).ofMaxLength(30);
    }

    private Arbitrary<EventBody> shell() {
        return shellText().map(ShellEvent::new);
    }

    private Arbitrary<EventBody> code() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789=()<>,_ ").ofMinLength(1).ofMaxLength(30)
                .map(String::strip).filter(s -> !s.isEmpty()).map(CodeEvent::new);
    }

    private Arbitrary<String> identifier() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_").ofMinLength(1).ofMaxLength(3)
                .flatMap(head -> Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz_0123456789").ofMaxLength(8)
                        .map(tail -> head + tail));
    }

    @Provide
    Arbitrary<Expr> expressions() {
        return expression(3);
    }

    private Arbitrary<Expr> expression(int depth) {
        Arbitrary<Expr> primary = primary(depth);
        Arbitrary<Expr> or = primary.list().ofMinSize(2).ofMaxSize(3).map(BinaryOrExpr::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, primary),
                net.jqwik.api.Tuple.of(1, or));
    }

    private Arbitrary<Expr> primary(int depth) {
        List<Arbitrary<? extends Expr>> leaves = List.of(
                Arbitraries.longs().map(IntExpr::new),
                Arbitraries.longs().map(v -> new IntExpr(v, true)),
                Arbitraries.just(Expr.ELLIPSIS),
                identifier().map(SymbolExpr::new),
                Combinators.combine(Arbitraries.strings().withChars("abc 123.:/%").ofMaxLength(10), Arbitraries.of(true, false))
                        .as(StringExpr::new));
        if (depth == 0) {
            return Arbitraries.oneOf(leaves);
        }
        Arbitrary<Expr> inner = Arbitraries.lazy(() -> expression(depth - 1));
        Arbitrary<Field> field = Combinators.combine(identifier().injectNull(0.3), Arbitraries.of("", "(1)", "(...)"), inner)
                .as((name, suffix, value) -> new Field(name == null ? null : name + suffix, value));
        List<Arbitrary<? extends Expr>> all = new ArrayList<>(leaves);
        all.add(inner.list().ofMaxSize(3).map(ArrayExpr::new));
        all.add(field.list().ofMaxSize(3).map(StructExpr::new));
        all.add(Combinators.combine(identifier(), inner.list().ofMaxSize(2)).as(CallExpr::new));
        return Arbitraries.oneOf(all);
    }

    /** Nops up to a multiple of 4 bytes, as packetdrill's new_tcp_packet requires of every list. */
    private static List<TcpOptionSpec> padded(List<TcpOptionSpec> options) {
        int bytes = 0;
        for (TcpOptionSpec o : options) {
            if (o.wireLength() < 0) {
                return options;
            }
            bytes += o.wireLength();
        }
        List<TcpOptionSpec> out = new ArrayList<>(options);
        while (bytes % 4 != 0) {
            out.add(new TcpOptionSpec.Nop());
            bytes++;
        }
        return out;
    }
}
