package netstack4j.packetdrill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netstack4j.socket.SocketInfo;

/**
 * What a set of scripts uses that the stack lacks, for {@code pdrill --missing}: every TCP
 * option, system call, socket option, cmsg and tcp_info field the scripts name, each with the
 * number of scripts that use it, and the shell-line settings the runs could not apply. A TCP
 * option counts as missing when the stack has no support for it (Fast Open, MD5); a system call, socket
 * option or tcp_info field when the runner or the stack has no such thing; a cmsg always (the
 * runner passes no ancillary data).
 *
 * <p>Immutable once built.
 */
public final class CorpusInventory {
    private static final Pattern TCPI = Pattern.compile("\\btcpi_[a-z_]+\\b");
    private final Map<String, Map<String, Integer>> missing = new TreeMap<>();
    private final Map<String, Integer> skips = new TreeMap<>();

    private CorpusInventory() {
    }

    /** Scans {@code scripts} (with the runs' {@code options}) against what {@code results} showed. */
    public static CorpusInventory of(List<Path> scripts, ScriptRunner.Options options, List<ScriptRunner.Result> results) {
        CorpusInventory inv = new CorpusInventory();
        for (ScriptRunner.Result r : results) {
            for (String u : r.unapplied()) {
                inv.add("shell-line setting", u);
            }
            if (r.status() == ScriptRunner.Status.SKIP) {
                inv.skips.merge(r.reason().replaceAll("^line \\d+: ", ""), 1, Integer::sum);
            }
        }
        Set<String> supportedInfo = supportedTcpInfo();
        for (Path p : scripts) {
            Script s;
            try {
                s = ScriptParser.parse(p.toString(), Files.readString(p), ScriptRunner.definesOf(options));
            } catch (Exception e) {
                continue;
            }
            Set<String> seen = new TreeSet<>();
            for (Event e : s.events()) {
                switch (e.body()) {
                    case TcpPacketEvent t when t.options() instanceof TcpOptions.Listed l -> {
                        for (TcpOptionSpec o : l.options()) {
                            String n = optionName(o);
                            if (n != null) {
                                seen.add("TCP option\u0000" + n);
                            }
                        }
                    }
                    case SyscallEvent c -> syscall(c, seen, supportedInfo);
                    case CodeEvent c -> {
                        Matcher m = TCPI.matcher(c.code());
                        while (m.find()) {
                            if (!supportedInfo.contains(m.group())) {
                                seen.add("tcp_info field\u0000" + m.group());
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            for (String k : seen) {
                String[] kv = k.split("\u0000", 2);
                inv.add(kv[0], kv[1]);
            }
        }
        return inv;
    }

    private static void syscall(SyscallEvent c, Set<String> seen, Set<String> supportedInfo) {
        if (!Syscalls.supports(c.name())) {
            seen.add("system call\u0000" + c.name());
        }
        List<Expr> a = c.args();
        if ((c.name().equals("setsockopt") || c.name().equals("getsockopt")) && a.size() >= 4
                && a.get(1) instanceof Expr.SymbolExpr level && a.get(2) instanceof Expr.SymbolExpr opt) {
            Long lv = CConstants.value(level.name());
            Long ov = CConstants.value(opt.name());
            if (lv == null || ov == null || TcpCalls.option(lv, ov) == null) {
                seen.add("socket option\u0000" + level.name() + " " + opt.name());
            }
            if (opt.name().equals("TCP_INFO") && a.get(3) instanceof Expr.StructExpr info) {
                for (Expr.Field f : info.fields()) {
                    if (f.name() != null && !supportedInfo.contains(f.name())) {
                        seen.add("tcp_info field\u0000" + f.name());
                    }
                }
            }
        }
        for (Expr e : a) {
            if (e instanceof Expr.StructExpr msg && Syscalls.field(msg, "msg_control") instanceof Expr.ArrayExpr control) {
                for (Expr cm : control.elements()) {
                    if (cm instanceof Expr.StructExpr cs && Syscalls.field(cs, "cmsg_type") instanceof Expr.SymbolExpr t) {
                        seen.add("cmsg\u0000" + t.name());
                    }
                }
            }
        }
    }

    /**
     * The option's name when the stack lacks it (Fast Open, MD5, options without a type); null for
     * those it sends and understands (MSS, window scale, SACK-permitted, SACK, timestamps, NOP,
     * EOL), whether or not a run happened to make it send them.
     */
    private static String optionName(TcpOptionSpec o) {
        return switch (o) {
            case TcpOptionSpec.Nop n -> null;
            case TcpOptionSpec.Eol e -> null;
            case TcpOptionSpec.Mss m -> null;
            case TcpOptionSpec.WScale w -> null;
            case TcpOptionSpec.SackOk s -> null;
            case TcpOptionSpec.Sack s -> null;
            case TcpOptionSpec.Timestamp t -> null;
            case TcpOptionSpec.FastOpen f -> null;
            default -> o.getClass().getSimpleName();
        };
    }

    /** The tcp_info fields the stack reports ({@link SocketInfo#tcpInfoField} answers for them). */
    static Set<String> supportedTcpInfo() {
        Set<String> s = new TreeSet<>();
        SocketInfo probe = probe();
        for (String f : CodeBlocks.TCP_INFO_FIELDS) {
            try {
                probe.tcpInfoField(f);
                s.add(f);
            } catch (IllegalArgumentException absent) {
                // not reported
            }
        }
        return s;
    }

    private static SocketInfo probe() {
        try {
            java.lang.reflect.RecordComponent[] rc = SocketInfo.class.getRecordComponents();
            Object[] args = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                Class<?> t = rc[i].getType();
                types[i] = t;
                args[i] = t == int.class ? (Object) 0 : t == long.class ? (Object) 0L : t == String.class ? ""
                        : t.isEnum() ? t.getEnumConstants()[0]
                        : t == SocketInfo.Skmem.class ? new SocketInfo.Skmem(0, 0, 0, 0, 0, 0, 0)
                        : t == SocketInfo.Extra.class ? SocketInfo.Extra.NONE : null;
            }
            return SocketInfo.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a SocketInfo", e);
        }
    }

    private void add(String kind, String what) {
        missing.computeIfAbsent(kind, k -> new TreeMap<>()).merge(what, 1, Integer::sum);
    }

    /** What is missing, by kind, for a person: {@code kind: name (scripts), …} per line. */
    public Map<String, Map<String, Integer>> missing() {
        return missing;
    }

    /** The report {@code --missing} prints. */
    public String report() {
        StringBuilder b = new StringBuilder("Missing in the stack (scripts that use it):\n");
        if (missing.isEmpty()) {
            b.append("  nothing\n");
        }
        for (Map.Entry<String, Map<String, Integer>> k : missing.entrySet()) {
            b.append("  ").append(k.getKey()).append(": ");
            StringBuilder items = new StringBuilder();
            k.getValue().forEach((n, c) -> items.append(items.isEmpty() ? "" : ", ").append(n).append(" (").append(c).append(')'));
            b.append(items).append('\n');
        }
        if (!skips.isEmpty()) {
            b.append("Skipped for:\n");
            skips.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
                    .forEach(e -> b.append("  ").append(e.getValue()).append(" x ").append(e.getKey()).append('\n'));
        }
        return b.toString();
    }
}
