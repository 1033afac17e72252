package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target 3: the packetdrill script parser ({@link ScriptLexer}, {@link ScriptParser} and the
 * packet and expression parsers behind it). Any text parses to a {@link Script} or is refused
 * with a {@link ScriptParseException} (the one error the parser documents), never another
 * exception; and a script that parses prints ({@link ScriptPrinter}) to text that parses back
 * to an equal script, line numbers included. The input bytes are read as UTF-8. Seeds (the
 * syntax corpus and a few edge cases) come from {@link ScriptParserFuzzSeeds}.
 */
class ScriptParserFuzzTest {
    @FuzzTest(maxDuration = "3m")
    void parsePrintParse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Script script;
        try {
            script = ScriptParser.parse("fuzz.pkt", text);
        } catch (ScriptParseException e) {
            return;
        }
        String printed = ScriptPrinter.print(script);
        Script again;
        try {
            again = ScriptParser.parse("printed.pkt", printed);
        } catch (ScriptParseException e) {
            throw new AssertionError("the printed script does not parse: " + e.getMessage() + "\n" + printed, e);
        }
        assertEquals(script, again, printed);
    }
}
