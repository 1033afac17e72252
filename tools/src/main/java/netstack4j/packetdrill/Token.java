package netstack4j.packetdrill;

/**
 * One lexical token of a script.
 *
 * @param kind   what the token is
 * @param text   its value: the lexeme for numbers, words and punctuation; the text inside the
 *               delimiters for strings, backquoted commands and code blocks; the name after
 *               {@code --} for options
 * @param value  for an option, the raw text after {@code =}, else null
 * @param line   1-based line of the first character
 * @param column 1-based column of the first character
 * @param start  offset of the first character in the source
 * @param end    offset just past the last character
 */
public record Token(TokenKind kind, String text, String value, int line, int column, int start,
                    int end) {
    /** Whether this is the punctuation character {@code c}. */
    public boolean is(char c) {
        return kind == TokenKind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }

    /** Whether this is the word {@code word}. */
    public boolean isWord(String word) {
        return kind == TokenKind.WORD && text.equals(word);
    }
}
