package netstack4j.packetdrill;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;

import netstack4j.packetdrill.Expr.ArrayExpr;
import netstack4j.packetdrill.Expr.BinaryOrExpr;
import netstack4j.packetdrill.Expr.CallExpr;
import netstack4j.packetdrill.Expr.EllipsisExpr;
import netstack4j.packetdrill.Expr.Field;
import netstack4j.packetdrill.Expr.IntExpr;
import netstack4j.packetdrill.Expr.StringExpr;
import netstack4j.packetdrill.Expr.StructExpr;
import netstack4j.packetdrill.Expr.SymbolExpr;

/**
 * Writes an AST back in packetdrill syntax, one event per line. Comments are gone and each
 * event is printed on one line, but lines are padded so that every event, option and command
 * lands on the line its AST node records: parsing the output gives back an equal
 * {@link Script}, line numbers included, and errors in the output point at the same lines as
 * in the original. Nodes whose line is not after the current output line simply go on the next
 * line. Stateless and thread-safe.
 */
public final class ScriptPrinter {
    private ScriptPrinter() {
    }

    /** The whole script, ending with a newline. */
    public static String print(Script script) {
        Output out = new Output();
        for (ScriptOption option : script.options()) {
            out.moveTo(option.line());
            out.append("--" + option.name() + option.value().map(v -> "=" + v).orElse(""));
        }
        script.initCommand().ifPresent(c -> {
            out.moveTo(c.line());
            out.append("`" + c.command() + "`");
        });
        for (Event event : script.events()) {
            out.moveTo(event.line());
            out.append(print(event));
        }
        script.cleanupCommand().ifPresent(c -> {
            out.moveTo(c.line());
            out.append("`" + c.command() + "`");
        });
        out.append("\n");
        return out.text.toString();
    }

    /** One event: its time, a space, its body. */
    public static String print(Event event) {
        String time = print(event.time());
        if (event.body() instanceof SyscallEvent call && call.blockingEndMicros().isPresent()) {
            time += "..." + seconds(call.blockingEndMicros().getAsLong());
        }
        return time + " " + print(event.body());
    }

    /** {@code 0.1}, {@code +0}, {@code *}, {@code 0.1~0.2}, {@code +0~+0.05}. */
    public static String print(EventTime time) {
        return switch (time.kind()) {
            case ANY -> "*";
            case ABSOLUTE -> seconds(time.startMicros())
                    + range(time.rangeEndMicros(), "~");
            case RELATIVE -> "+" + seconds(time.startMicros())
                    + range(time.rangeEndMicros(), "~+");
        };
    }

    private static String range(OptionalLong end, String separator) {
        return end.isPresent() ? separator + seconds(end.getAsLong()) : "";
    }

    /** Microseconds as seconds with no trailing zeros: 100000 is {@code 0.1}, 2000000 is {@code 2}. */
    static String seconds(long micros) {
        long whole = micros / 1_000_000;
        long fraction = micros % 1_000_000;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%06d", fraction).replaceFirst("0+$", "");
        return whole + "." + digits;
    }

    /** An event body without its time. */
    public static String print(EventBody body) {
        return switch (body) {
            case TcpPacketEvent tcp -> tcp(tcp);
            case UdpPacketEvent udp -> udp.direction().symbol() + ipFields(udp.ipFields()) + " udp"
                    + udp.ports().map(p -> " " + p.source() + ">" + p.destination()).orElse("")
                    + " (" + udp.payloadLength() + ")";
            case IcmpPacketEvent icmp -> icmp(icmp);
            case SyscallEvent call -> syscall(call);
            case ShellEvent shell -> "`" + shell.command() + "`";
            case CodeEvent code -> "%{ " + code.code() + " }%";
        };
    }

    private static String tcp(TcpPacketEvent p) {
        StringBuilder s = new StringBuilder(p.direction().symbol()).append(ipFields(p.ipFields()));
        p.ports().ifPresent(ports -> s.append(' ').append(ports.source()).append('>').append(ports.destination()));
        s.append(' ').append(p.flags().isEmpty() ? "-" : p.flags());
        p.seq().ifPresent(seq -> s.append(' ').append(seq(seq)));
        p.ack().ifPresent(v -> s.append(" ack ").append(v));
        p.window().ifPresent(v -> s.append(" win ").append(v));
        p.urgentPointer().ifPresent(v -> s.append(" urg ").append(v));
        switch (p.options()) {
            case TcpOptions.Any any -> s.append(" <...>");
            case TcpOptions.Listed listed -> {
                if (!listed.options().isEmpty()) {
                    StringJoiner j = new StringJoiner(",", " <", ">");
                    listed.options().forEach(o -> j.add(option(o)));
                    s.append(j);
                }
            }
        }
        return s.toString();
    }

    private static String seq(SeqRange seq) {
        return seq.start() + ":" + seq.end() + "(" + seq.length() + ")";
    }

    /** One TCP option as written inside {@code <...>}. */
    public static String option(TcpOptionSpec option) {
        return switch (option) {
            case TcpOptionSpec.Mss mss -> "mss " + mss.bytes();
            case TcpOptionSpec.SackOk ok -> "sackOK";
            case TcpOptionSpec.Sack sack -> {
                StringJoiner j = new StringJoiner(" ", "sack ", "");
                sack.blocks().forEach(b -> j.add(b.left() + ":" + b.right()));
                yield j.toString();
            }
            case TcpOptionSpec.Timestamp ts -> "TS val " + ts.value() + " ecr " + ts.echoReply();
            case TcpOptionSpec.Nop nop -> "nop";
            case TcpOptionSpec.WScale ws -> "wscale " + ws.shift();
            case TcpOptionSpec.Eol eol -> "eol";
            case TcpOptionSpec.FastOpen fo -> (fo.experimental() ? "FOEXP" : "FO")
                    + (fo.cookieHex().isEmpty() ? "" : " " + fo.cookieHex());
            case TcpOptionSpec.Md5 md5 -> "md5 " + md5.digestHex();
            case TcpOptionSpec.Raw raw -> raw.text();
        };
    }

    private static String icmp(IcmpPacketEvent p) {
        StringBuilder s = new StringBuilder(p.direction().symbol()).append(ipFields(p.ipFields()));
        s.append(" icmp ").append(p.type());
        p.code().ifPresent(c -> s.append(' ').append(c));
        p.mtu().ifPresent(v -> s.append(" mtu ").append(v));
        p.echoId().ifPresent(v -> s.append(" id ").append(v));
        p.embedded().ifPresent(e -> s.append(" [").append(switch (e) {
            case IcmpPacketEvent.EmbeddedTcp tcp -> seq(tcp.seq());
            case IcmpPacketEvent.EmbeddedUdp udp -> "udp (" + udp.payloadLength() + ")";
            case IcmpPacketEvent.EmbeddedRaw raw -> "raw (" + raw.payloadLength() + ")";
        }).append(']'));
        return s.toString();
    }

    private static String ipFields(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(", ", " [", "]");
        fields.forEach((k, v) -> j.add(k.equals("ecn") ? v : k + " " + v));
        return j.toString();
    }

    private static String syscall(SyscallEvent call) {
        StringBuilder s = new StringBuilder(call.name()).append(list(call.args(), "(", ")"));
        s.append(" = ").append(print(call.result()));
        if (call.errno() != null) {
            s.append(' ').append(call.errno());
        }
        if (call.errnoText() != null) {
            s.append(" (").append(call.errnoText()).append(')');
        }
        return s.toString();
    }

    /** An expression in C-like syntax. */
    public static String print(Expr expr) {
        return switch (expr) {
            case IntExpr i -> i.hex() ? "0x" + Long.toHexString(i.value()) : Long.toString(i.value());
            case EllipsisExpr e -> "...";
            case SymbolExpr sym -> sym.name();
            case BinaryOrExpr or -> {
                StringJoiner j = new StringJoiner("|");
                or.operands().forEach(o -> j.add(print(o)));
                yield j.toString();
            }
            case StringExpr str -> "\"" + str.value() + "\"" + (str.ellipsis() ? "..." : "");
            case ArrayExpr array -> list(array.elements(), "[", "]");
            case StructExpr struct -> {
                StringJoiner j = new StringJoiner(", ", "{", "}");
                for (Field f : struct.fields()) {
                    j.add(f.name() == null ? print(f.value()) : f.name() + "=" + print(f.value()));
                }
                yield j.toString();
            }
            case CallExpr call -> call.function() + list(call.args(), "(", ")");
        };
    }

    private static String list(List<Expr> items, String open, String close) {
        StringJoiner j = new StringJoiner(", ", open, close);
        items.forEach(e -> j.add(print(e)));
        return j.toString();
    }

    /** The text being built and the 1-based line its end is on. */
    private static final class Output {
        final StringBuilder text = new StringBuilder();
        int line = 1;
        boolean lineEmpty = true;

        /** Ends the current line and pads with empty lines until {@code target} is reached. */
        void moveTo(int target) {
            if (!lineEmpty) {
                append("\n");
            }
            while (line < target) {
                append("\n");
            }
        }

        void append(String s) {
            text.append(s);
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineEmpty = true;
                } else {
                    lineEmpty = false;
                }
            }
        }
    }
}
