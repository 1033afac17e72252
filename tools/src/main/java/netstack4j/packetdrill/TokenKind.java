package netstack4j.packetdrill;

/** The kinds of token the packetdrill lexer produces (named after {@code lexer.l}'s tokens). */
public enum TokenKind {
    /** {@code 42}, {@code -1}. */
    INTEGER,
    /** {@code 0x1f}. */
    HEX_INTEGER,
    /** {@code 0.100}, {@code .01}. */
    FLOAT,
    /** {@code 192.0.2.1}. */
    IPV4_ADDR,
    /** Letters, digits and underscores: names, keywords, hex cookies. */
    WORD,
    /** {@code "..."}. */
    STRING,
    /** {@code `...`}. */
    BACK_QUOTED,
    /** {@code %{ ... }%}. */
    CODE,
    /** {@code --name} or {@code --name=value}. */
    OPTION,
    /** {@code ...}. */
    ELLIPSIS,
    /** Any other single character. */
    PUNCT,
    /** End of input. */
    EOF
}
