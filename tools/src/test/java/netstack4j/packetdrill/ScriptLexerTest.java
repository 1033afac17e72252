package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ScriptLexerTest {
    private static List<Token> lex(String text) {
        return ScriptLexer.tokenize("t.pkt", text);
    }

    private static String kinds(String text) {
        StringBuilder s = new StringBuilder();
        for (Token t : lex(text)) {
            if (t.kind() == TokenKind.EOF) {
                break;
            }
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(t.kind() == TokenKind.PUNCT ? t.text() : t.kind() + ":" + t.text());
        }
        return s.toString();
    }

    @Test
    void timesAndEllipsis() {
        assertEquals("+ FLOAT:.01 ELLIPSIS:... FLOAT:0.020", kinds("+.01...0.020"));
        assertEquals("INTEGER:0 ELLIPSIS:... FLOAT:0.200", kinds("0...0.200"));
        assertEquals("FLOAT:0.1 ~ FLOAT:0.2", kinds("0.1~0.2"));
        assertEquals("+ INTEGER:0 ~ + FLOAT:0.1", kinds("+0~+0.1"));
        assertEquals("*", kinds("*"));
    }

    @Test
    void sequenceRangeIsNotAnAddress() {
        assertEquals("INTEGER:1 : INTEGER:1001 ( INTEGER:1000 )", kinds("1:1001(1000)"));
    }

    @Test
    void longestMatchWinsAndTiesGoToTheEarlierPattern() {
        assertEquals("HEX_INTEGER:0x1f", kinds("0x1f"));
        assertEquals("WORD:abcd1234", kinds("abcd1234"));
        assertEquals("WORD:1234abcd5678dcba", kinds("1234abcd5678dcba"));
        assertEquals("INTEGER:1234", kinds("1234"));
        assertEquals("IPV4_ADDR:192.0.2.1", kinds("192.0.2.1"));
        assertEquals("INTEGER:-1 WORD:ECONNREFUSED", kinds("-1 ECONNREFUSED"));
    }

    @Test
    void flagsWithDotAndAccEcnSuffix() {
        assertEquals("WORD:S .", kinds("S."));
        assertEquals("WORD:P FLOAT:.6", kinds("P.6"));
        assertEquals(". INTEGER:1", kinds(". 1"));
        assertEquals("- INTEGER:1", kinds("- 1"));
    }

    @Test
    void commentsAreSkippedAndLinesCounted() {
        List<Token> tokens = lex("// one\n/* two\nthree */ 0 /* x */ close\n// end");
        assertEquals(TokenKind.INTEGER, tokens.get(0).kind());
        assertEquals(3, tokens.get(0).line());
        assertEquals(10, tokens.get(0).column());
        assertEquals("close", tokens.get(1).text());
        assertEquals(TokenKind.EOF, tokens.get(2).kind());
    }

    @Test
    void stringsCommandsAndCode() {
        List<Token> tokens = lex("\"a\\\"b\" `sysctl -q\n x=1` %{  assert x == 1\t}% after");
        assertEquals(TokenKind.STRING, tokens.get(0).kind());
        assertEquals("a\\\"b", tokens.get(0).text());
        assertEquals(TokenKind.BACK_QUOTED, tokens.get(1).kind());
        assertEquals("sysctl -q\n x=1", tokens.get(1).text());
        assertEquals(TokenKind.CODE, tokens.get(2).kind());
        assertEquals("assert x == 1", tokens.get(2).text());
        assertEquals(2, tokens.get(3).line());
    }

    @Test
    void options() {
        List<Token> tokens = lex("--tolerance_usecs=10000 --local_ip=fd3d::1 --verbose --define=CC=\"a b\"");
        assertEquals("tolerance_usecs", tokens.get(0).text());
        assertEquals("10000", tokens.get(0).value());
        assertEquals("fd3d::1", tokens.get(1).value());
        assertEquals("verbose", tokens.get(2).text());
        assertNull(tokens.get(2).value());
        assertEquals("CC=\"a b\"", tokens.get(3).value());
    }

    @Test
    void unterminatedConstructsAreReportedWhereTheyStart() {
        ScriptParseException e = assertThrows(ScriptParseException.class, () -> lex("0\n  `echo"));
        assertEquals("t.pkt:2: syntax error: unterminated command: missing closing '`'", e.getMessage());
        assertEquals(3, e.column());
        assertThrows(ScriptParseException.class, () -> lex("/* never closed"));
        assertThrows(ScriptParseException.class, () -> lex("%{ assert 1"));
        assertThrows(ScriptParseException.class, () -> lex("\"abc"));
    }
}
