package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser fuzz target's seeds are {@link ScriptParserFuzzSeeds}'s; {@code -Dfuzz.writeSeeds=true} rewrites them. */
class ScriptParserFuzzSeedsTest {
    @Test
    void committedSeedsAreTheGeneratorsOutput() throws IOException {
        Map<String, byte[]> all = ScriptParserFuzzSeeds.all();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            Path p = ScriptParserFuzzSeeds.RESOURCES.resolve(e.getKey());
            if (Boolean.getBoolean("fuzz.writeSeeds")) {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            assertTrue(Files.exists(p), p + " is missing: rewrite the seeds (README, \"Fuzzing\")");
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), p + " differs: rewrite the seeds");
        }
    }
}
