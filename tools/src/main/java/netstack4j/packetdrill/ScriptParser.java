package netstack4j.packetdrill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses a packetdrill script into a {@link Script}. A hand-written recursive-descent parser
 * over {@link ScriptLexer}'s tokens, following the top level of packetdrill's {@code parser.y}:
 * <pre>
 * script  := option* [COMMAND] event+ [COMMAND]
 * option  := '--name' ['=' value]
 * event   := time action
 * time    := ['+'] SECONDS | '*' | SECONDS '~' SECONDS | '+' SECONDS '~' '+' SECONDS
 * action  := packet | ['...' SECONDS] syscall | COMMAND | CODE
 * syscall := WORD '(' [expression (',' expression)*] ')' '=' expression [WORD] ['(' text ')']
 * </pre>
 * Packets are parsed by {@link PacketParser}, expressions by {@link ExpressionParser}.
 *
 * <p>Errors are {@link ScriptParseException}s with the file, line and column of the offending
 * token. Besides syntax, the parser checks what packetdrill checks while parsing: no negative
 * times, no backwards ranges, {@code *} and ranges only on outbound packets, {@code <...>} only
 * on outbound packets, and {@code end == start + length} in sequence ranges.
 *
 * <p>Stateless and thread-safe: each call parses independently.
 */
public final class ScriptParser {
    private final TokenCursor in;
    private final PacketParser packets;
    private final ExpressionParser expressions;

    private ScriptParser(String name, String text, Map<String, String> defines) {
        this.in = new TokenCursor(name, text, substitute(name, ScriptLexer.tokenize(name, text), defines));
        this.packets = new PacketParser(in);
        this.expressions = new ExpressionParser(in);
    }

    /** Parses the script at {@code path}; errors name the file as {@code path} was given. */
    public static Script parse(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + path, e);
        }
        return parse(path.toString(), text);
    }

    /**
     * Parses {@code text}; {@code name} is used in error messages.
     *
     * @throws ScriptParseException if the text is not a valid script
     */
    public static Script parse(String name, String text) {
        return parse(name, text, Map.of());
    }

    /**
     * Parses {@code text} with packetdrill's {@code -D NAME=VALUE} definitions: a word that is a
     * defined name stands for the tokens of its value (config.c's {@code definition_set}, looked
     * up by the lexer for identifiers).
     */
    public static Script parse(String name, String text, Map<String, String> defines) {
        return new ScriptParser(name, text, defines).script();
    }

    private static List<Token> substitute(String name, List<Token> tokens, Map<String, String> defines) {
        if (defines.isEmpty()) {
            return tokens;
        }
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            String value = t.kind() == TokenKind.WORD ? defines.get(t.text()) : null;
            if (value == null) {
                out.add(t);
                continue;
            }
            for (Token v : ScriptLexer.tokenize(name, value)) {
                if (v.kind() != TokenKind.EOF) {
                    out.add(new Token(v.kind(), v.text(), v.value(), t.line(), t.column(), t.start(), t.end()));
                }
            }
        }
        return out;
    }

    private Script script() {
        List<ScriptOption> options = new ArrayList<>();
        while (in.peek().kind() == TokenKind.OPTION) {
            Token t = in.next();
            options.add(new ScriptOption(t.line(), t.text(), Optional.ofNullable(t.value())));
        }
        Optional<ShellCommand> init = command();
        List<Event> events = new ArrayList<>();
        while (startsEvent(in.peek())) {
            events.add(event());
        }
        if (events.isEmpty()) {
            throw in.syntax(in.peek(), "expected an event time (such as '0', '+0.1' or '*')");
        }
        Optional<ShellCommand> cleanup = command();
        if (in.peek().kind() != TokenKind.EOF) {
            throw in.syntax(in.peek(), cleanup.isPresent()
                    ? "expected end of file after the cleanup command"
                    : "expected an event time (such as '0', '+0.1' or '*')");
        }
        return new Script(options, init, events, cleanup);
    }

    private Optional<ShellCommand> command() {
        if (in.peek().kind() != TokenKind.BACK_QUOTED) {
            return Optional.empty();
        }
        Token t = in.next();
        return Optional.of(new ShellCommand(t.line(), t.text()));
    }

    private static boolean startsEvent(Token t) {
        return t.kind() == TokenKind.INTEGER || t.kind() == TokenKind.FLOAT || t.is('+') || t.is('*');
    }

    private Event event() {
        Token first = in.peek();
        EventTime time = time();
        Token actionStart = in.peek();
        EventBody body;
        if (actionStart.is('<') || actionStart.is('>')) {
            body = packets.packet();
        } else if (actionStart.kind() == TokenKind.ELLIPSIS) {
            in.next();
            long end = in.timeMicros(in.next());
            body = syscall(OptionalLong.of(end));
        } else if (actionStart.kind() == TokenKind.WORD) {
            body = syscall(OptionalLong.empty());
        } else if (actionStart.kind() == TokenKind.BACK_QUOTED) {
            body = new ShellEvent(in.next().text());
        } else if (actionStart.kind() == TokenKind.CODE) {
            body = new CodeEvent(in.next().text());
        } else {
            throw in.syntax(actionStart,
                    "expected a packet ('<' or '>'), a system call, a `command` or a %{ code }% block after the time");
        }
        boolean outboundPacket = (body instanceof TcpPacketEvent tcp && tcp.direction() == Direction.OUTBOUND)
                || (body instanceof UdpPacketEvent udp && udp.direction() == Direction.OUTBOUND)
                || (body instanceof IcmpPacketEvent icmp && icmp.direction() == Direction.OUTBOUND);
        if (time.kind() == EventTime.Kind.ANY && !outboundPacket) {
            throw in.semantic(first, "event time '*' can only be used with outbound packets");
        }
        if (time.isRange() && !outboundPacket) {
            throw in.semantic(first, "event time range can only be used with outbound packets");
        }
        return new Event(first.line(), time, body);
    }

    private EventTime time() {
        Token first = in.next();
        if (first.is('*')) {
            return EventTime.any();
        }
        boolean relative = first.is('+');
        Token start = relative ? in.next() : first;
        EventTime time = relative ? EventTime.relative(in.timeMicros(start)) : EventTime.absolute(in.timeMicros(start));
        if (!in.accept('~')) {
            return time;
        }
        if (relative) {
            in.expect('+', "after '~' in a relative time range (write '+a~+b')");
        } else if (in.peek().is('+')) {
            throw in.syntax(in.peek(), "expected an absolute end time after '~' in an absolute time range");
        }
        Token endToken = in.next();
        long end = in.timeMicros(endToken);
        if (end < time.startMicros()) {
            throw in.semantic(first, "time range is backwards");
        }
        return time.until(end);
    }

    private SyscallEvent syscall(OptionalLong blockingEnd) {
        Token name = in.expect(TokenKind.WORD, "a system call name after '...'");
        in.expect('(', "after system call name '" + name.text() + "'");
        List<Expr> args = expressions.listUntil(')', "after arguments");
        in.expect('=', "and the expected result after '" + name.text() + "(...)'");
        Expr result = expressions.expression();
        String errno = null;
        String text = null;
        if (in.peek().kind() == TokenKind.WORD) {
            errno = in.next().text();
        }
        if (in.peek().is('(')) {
            text = note();
        }
        return new SyscallEvent(name.text(), args, result, errno, text, blockingEnd);
    }

    /** {@code (Connection refused)}: the text between balanced parentheses, white space made single. */
    private String note() {
        Token open = in.next();
        int depth = 1;
        Token t;
        do {
            t = in.next();
            if (t.kind() == TokenKind.EOF) {
                throw in.syntax(t, "expected ')' to close the text that started at line " + open.line());
            }
            if (t.is('(')) {
                depth++;
            } else if (t.is(')')) {
                depth--;
            }
        } while (depth > 0);
        return in.textBetween(open, t).strip().replaceAll("\\s+", " ");
    }
}
