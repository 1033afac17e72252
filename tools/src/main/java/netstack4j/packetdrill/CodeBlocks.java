package netstack4j.packetdrill;

import java.util.List;
import java.util.Map;

/**
 * The {@code %{ … }%} blocks the runner evaluates: lines of the form {@code assert a OP b}
 * (OP one of {@code == != < > <= >=}, chained as Python chains them) over integers, names from
 * the socket's last TCP_INFO ({@code tcpi_…}) and constants, with {@code + - * / // %} and
 * parentheses. Any other line is Python the runner does not run: it is reported, not failed on.
 *
 * <p>Stateless; safe from any thread.
 */
final class CodeBlocks {
    private CodeBlocks() {
    }

    /** The result of one block: a failed assertion, or null; lines not evaluated go to notes. */
    static String evaluate(String code, Map<String, Long> names, List<String> notes) {
        for (String raw : code.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith("assert ")) {
                notes.add("Python not evaluated: " + line);
                continue;
            }
            String expr = line.substring(7);
            int comma = expr.indexOf(',');
            if (comma >= 0) {
                expr = expr.substring(0, comma);
            }
            try {
                if (!new Parser(expr, names).comparison()) {
                    return "assertion failed: " + line + " (" + describe(expr, names) + ")";
                }
            } catch (UnknownName e) {
                notes.add("Python not evaluated (" + e.getMessage() + "): " + line);
            }
        }
        return null;
    }

    private static String describe(String expr, Map<String, Long> names) {
        StringBuilder b = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z_0-9.]*").matcher(expr);
        while (m.find()) {
            Long v = names.get(m.group());
            if (v != null) {
                b.append(b.isEmpty() ? "" : ", ").append(m.group()).append('=').append(v);
            }
        }
        return b.toString();
    }

    static final class UnknownName extends RuntimeException {
        UnknownName(String name) {
            super("unknown name " + name);
        }
    }

    /** Recursive descent over one expression. */
    private static final class Parser {
        private final String s;
        private final Map<String, Long> names;
        private int i;

        Parser(String s, Map<String, Long> names) {
            this.s = s;
            this.names = names;
        }

        boolean comparison() {
            long left = sum();
            boolean result = true;
            boolean any = false;
            while (true) {
                skip();
                String op = null;
                for (String o : List.of("==", "!=", "<=", ">=", "<", ">")) {
                    if (s.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    break;
                }
                i += op.length();
                long right = sum();
                any = true;
                result &= switch (op) {
                    case "==" -> left == right;
                    case "!=" -> left != right;
                    case "<=" -> left <= right;
                    case ">=" -> left >= right;
                    case "<" -> left < right;
                    default -> left > right;
                };
                left = right;
            }
            skip();
            if (i != s.length()) {
                throw new UnknownName("'" + s.substring(i) + "'");
            }
            return any ? result : left != 0;
        }

        private long sum() {
            long v = product();
            while (true) {
                skip();
                if (peek('+')) {
                    i++;
                    v += product();
                } else if (peek('-')) {
                    i++;
                    v -= product();
                } else {
                    return v;
                }
            }
        }

        private long product() {
            long v = unary();
            while (true) {
                skip();
                if (s.startsWith("//", i)) {
                    i += 2;
                    v = Math.floorDiv(v, unary());
                } else if (peek('*')) {
                    i++;
                    v *= unary();
                } else if (peek('/')) {
                    i++;
                    v = Math.floorDiv(v, unary());
                } else if (peek('%')) {
                    i++;
                    v = Math.floorMod(v, unary());
                } else {
                    return v;
                }
            }
        }

        private long unary() {
            skip();
            if (peek('-')) {
                i++;
                return -unary();
            }
            if (peek('(')) {
                i++;
                long v = sum();
                skip();
                if (!peek(')')) {
                    throw new UnknownName("unbalanced parenthesis");
                }
                i++;
                return v;
            }
            int start = i;
            if (i < s.length() && Character.isDigit(s.charAt(i))) {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)))) {
                    i++;
                }
                return Packets.parseNumber(s.substring(start, i));
            }
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                i++;
            }
            String name = s.substring(start, i);
            if (name.isEmpty()) {
                throw new UnknownName("'" + s.substring(start) + "'");
            }
            Long v = names.get(name);
            if (v == null) {
                v = CConstants.value(name);
            }
            if (v == null) {
                throw new UnknownName(name);
            }
            return v;
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
