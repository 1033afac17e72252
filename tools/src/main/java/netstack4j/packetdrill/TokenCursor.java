package netstack4j.packetdrill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The parser's position in a token list, with the helpers every part of the grammar uses:
 * look-ahead, expectations with "expected X, got Y" errors, and number conversion.
 * Not thread-safe; one cursor serves one parse.
 */
final class TokenCursor {
    private final String file;
    private final String source;
    private final List<Token> tokens;
    private int index;

    TokenCursor(String file, String source, List<Token> tokens) {
        this.file = file;
        this.source = source;
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(index);
    }

    /** The token {@code ahead} positions after the current one (EOF past the end). */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    /** The token consumed {@code back} positions ago ({@code previous(1)} is the last one). */
    Token previous(int back) {
        return tokens.get(index - back);
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != TokenKind.EOF) {
            index++;
        }
        return t;
    }

    /** Consumes the punctuation {@code c} if it is next. */
    boolean accept(char c) {
        if (peek().is(c)) {
            next();
            return true;
        }
        return false;
    }

    /** Consumes the word {@code word} if it is next. */
    boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            next();
            return true;
        }
        return false;
    }

    /** Consumes {@code c} or fails with "expected 'c' {context}, got ...". */
    Token expect(char c, String context) {
        if (!peek().is(c)) {
            throw syntax(peek(), "expected '" + c + "' " + context);
        }
        return next();
    }

    /** Consumes a token of {@code kind} or fails with "expected {what}, got ...". */
    Token expect(TokenKind kind, String what) {
        if (peek().kind() != kind) {
            throw syntax(peek(), "expected " + what);
        }
        return next();
    }

    /** Consumes a decimal integer in {@code [0, max]} described as {@code what}. */
    long expectUnsigned(String what, long max) {
        Token t = peek();
        if (t.kind() != TokenKind.INTEGER) {
            throw syntax(t, "expected " + what);
        }
        next();
        long v = integerValue(t);
        if (v < 0 || v > max) {
            throw semantic(t, what + " out of range: " + t.text());
        }
        return v;
    }

    /** The value of an INTEGER or HEX_INTEGER token. */
    long integerValue(Token t) {
        try {
            if (t.kind() == TokenKind.HEX_INTEGER) {
                return Long.parseUnsignedLong(t.text().substring(2), 16);
            }
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw semantic(t, "integer out of range: " + t.text());
        }
    }

    /** Seconds as written ({@code 0.100}, {@code 2}) converted to microseconds. */
    long timeMicros(Token t) {
        if (t.kind() != TokenKind.FLOAT && t.kind() != TokenKind.INTEGER) {
            throw syntax(t, "expected a time in seconds");
        }
        BigDecimal seconds = new BigDecimal(t.text());
        if (seconds.signum() < 0) {
            throw semantic(t, "negative time");
        }
        try {
            return seconds.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw semantic(t, "time out of range: " + t.text());
        }
    }

    /** The source text from the start of {@code from} to the end of {@code to}. */
    String text(Token from, Token to) {
        return source.substring(from.start(), to.end());
    }

    /** The source text strictly between two tokens. */
    String textBetween(Token before, Token after) {
        return source.substring(before.end(), after.start());
    }

    ScriptParseException syntax(Token at, String message) {
        return new ScriptParseException(file, at.line(), at.column(),
                message + ", got " + describe(at));
    }

    ScriptParseException semantic(Token at, String message) {
        return new ScriptParseException(file, at.line(), at.column(), "semantic error", message);
    }

    /** How a token is named in an error message. */
    static String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of file";
            case STRING -> "string \"" + abbreviate(t.text()) + "\"";
            case BACK_QUOTED -> "command `" + abbreviate(t.text()) + "`";
            case CODE -> "code block";
            case OPTION -> "option '--" + t.text() + "'";
            default -> "'" + t.text() + "'";
        };
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 24 ? oneLine : oneLine.substring(0, 21) + "...";
    }
}
