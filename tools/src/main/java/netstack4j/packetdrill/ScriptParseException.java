package netstack4j.packetdrill;

/**
 * A script that cannot be parsed. The message reads like a compiler's:
 * {@code file.pkt:12: syntax error: expected ')' after arguments, got ','}.
 */
public final class ScriptParseException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    /** A syntax error at {@code line}:{@code column} (both 1-based) of {@code file}. */
    public ScriptParseException(String file, int line, int column, String message) {
        this(file, line, column, "syntax error", message);
    }

    /**
     * An error of the given kind ({@code "syntax error"} for malformed text, {@code "semantic
     * error"} for well-formed text that says something impossible, such as a backwards range).
     */
    public ScriptParseException(String file, int line, int column, String kind, String message) {
        super(file + ":" + line + ": " + kind + ": " + message);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = message;
    }

    /** The script's name as given to the parser. */
    public String file() {
        return file;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }

    /** The message without the location prefix. */
    public String detail() {
        return detail;
    }
}
