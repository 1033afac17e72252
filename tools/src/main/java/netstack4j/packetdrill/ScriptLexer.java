package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a packetdrill script into {@link Token}s, following {@code lexer.l}: white space and
 * {@code //} and {@code /* *}{@code /} comments are skipped; among the number and word patterns
 * the longest match wins and a tie goes to the earlier pattern (float, integer, hex, word, IPv4
 * address), so {@code 0x1f} is hex, {@code abcd1234} and {@code 1234abcd} are words, and
 * {@code 192.0.2.1} is an address. Keywords are words; the parser tells them apart.
 *
 * <p>One lexer reads one source; not thread-safe, use {@link #tokenize} from any thread.
 */
public final class ScriptLexer {
    private static final Pattern FLOAT = Pattern.compile("-?[0-9]*\\.[0-9]+");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern WORD = Pattern.compile("[a-zA-Z0-9_]+");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern[] CANDIDATES = {FLOAT, INTEGER, HEX, WORD, IPV4};
    private static final TokenKind[] CANDIDATE_KINDS = {
        TokenKind.FLOAT, TokenKind.INTEGER, TokenKind.HEX_INTEGER, TokenKind.WORD, TokenKind.IPV4_ADDR
    };

    private final String file;
    private final String src;
    private final Matcher[] matchers = new Matcher[CANDIDATES.length];
    private int pos;
    private int line = 1;
    private int lineStart;

    private ScriptLexer(String file, String src) {
        this.file = file;
        this.src = src;
        for (int i = 0; i < CANDIDATES.length; i++) {
            matchers[i] = CANDIDATES[i].matcher(src);
        }
    }

    /**
     * All tokens of {@code source}, ending with one {@link TokenKind#EOF} token.
     *
     * @param file the name used in error messages
     * @throws ScriptParseException for an unterminated string, command, comment or code block
     */
    public static List<Token> tokenize(String file, String source) {
        ScriptLexer lexer = new ScriptLexer(file, source);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != TokenKind.EOF);
        return tokens;
    }

    private Token next() {
        skipSpaceAndComments();
        int start = pos;
        int startLine = line;
        int column = pos - lineStart + 1;
        if (pos >= src.length()) {
            return new Token(TokenKind.EOF, "", null, line, column, pos, pos);
        }
        char c = src.charAt(pos);
        if (src.startsWith("%{", pos)) {
            int close = src.indexOf("}%", pos + 2);
            if (close < 0) {
                throw error(startLine, column, "unterminated code block: missing '}%'");
            }
            String code = stripSpacesAndTabs(src.substring(pos + 2, close));
            advanceTo(close + 2);
            return new Token(TokenKind.CODE, code, null, startLine, column, start, pos);
        }
        if (c == '"' || c == '`') {
            int close = findClosingQuote(c, pos + 1);
            if (close < 0) {
                throw error(startLine, column, c == '"'
                        ? "unterminated string: missing closing '\"'"
                        : "unterminated command: missing closing '`'");
            }
            String inner = src.substring(pos + 1, close);
            advanceTo(close + 1);
            TokenKind kind = c == '"' ? TokenKind.STRING : TokenKind.BACK_QUOTED;
            return new Token(kind, inner, null, startLine, column, start, pos);
        }
        if (src.startsWith("...", pos)) {
            advanceTo(pos + 3);
            return new Token(TokenKind.ELLIPSIS, "...", null, startLine, column, start, pos);
        }
        if (src.startsWith("--", pos) && pos + 2 < src.length() && isWordChar(src.charAt(pos + 2))) {
            return option(start, column);
        }
        int bestLength = 0;
        TokenKind bestKind = null;
        for (int i = 0; i < matchers.length; i++) {
            Matcher m = matchers[i];
            m.region(pos, src.length());
            if (m.lookingAt() && m.end() - pos > bestLength) {
                bestLength = m.end() - pos;
                bestKind = CANDIDATE_KINDS[i];
            }
        }
        if (bestKind != null) {
            String text = src.substring(pos, pos + bestLength);
            advanceTo(pos + bestLength);
            return new Token(bestKind, text, null, startLine, column, start, pos);
        }
        advanceTo(pos + 1);
        return new Token(TokenKind.PUNCT, String.valueOf(c), null, startLine, column, start, pos);
    }

    /** {@code --name} or {@code --name=value}; the value runs to white space (quotes kept). */
    private Token option(int start, int column) {
        int nameEnd = pos + 2;
        while (nameEnd < src.length() && isWordChar(src.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = src.substring(pos + 2, nameEnd);
        String value = null;
        int end = nameEnd;
        if (end < src.length() && src.charAt(end) == '=') {
            int valueStart = end + 1;
            end = valueStart;
            while (end < src.length() && !Character.isWhitespace(src.charAt(end))) {
                char q = src.charAt(end);
                if (q == '"' || q == '`') {
                    int close = findClosingQuote(q, end + 1);
                    if (close < 0) {
                        throw error(line, end - lineStart + 1, "unterminated quote in option value");
                    }
                    end = close;
                }
                end++;
            }
            value = src.substring(valueStart, end);
        }
        int startLine = line;
        advanceTo(end);
        return new Token(TokenKind.OPTION, name, value, startLine, column, start, pos);
    }

    private int findClosingQuote(char quote, int from) {
        for (int i = from; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                advanceTo(pos + 1);
            } else if (src.startsWith("//", pos)) {
                int nl = src.indexOf('\n', pos);
                advanceTo(nl < 0 ? src.length() : nl + 1);
            } else if (src.startsWith("/*", pos)) {
                int close = src.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw error(line, pos - lineStart + 1, "unterminated comment: missing '*/'");
                }
                advanceTo(close + 2);
            } else {
                return;
            }
        }
    }

    /** Moves to {@code target}, counting the newlines passed. */
    private void advanceTo(int target) {
        for (int i = pos; i < target; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        pos = target;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static String stripSpacesAndTabs(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private ScriptParseException error(int atLine, int atColumn, String message) {
        return new ScriptParseException(file, atLine, atColumn, message);
    }
}
