package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed inputs in the test resources are what {@link FuzzSeeds} writes. With
 * {@code -Dfuzz.writeSeeds=true} it rewrites them first (after a change to a target's format).
 */
class FuzzSeedsTest {
    private static final Path RESOURCES = Path.of("src/test/resources");

    @Test
    void committedSeedsAreTheGeneratorsOutput() throws IOException {
        if (Boolean.getBoolean("fuzz.writeSeeds")) {
            FuzzSeeds.write(RESOURCES);
        }
        for (Map.Entry<String, byte[]> e : FuzzSeeds.all().entrySet()) {
            Path p = RESOURCES.resolve(e.getKey());
            assertTrue(Files.exists(p), p + " is missing: rewrite the seeds (README, \"Fuzzing\")");
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), p + " differs: rewrite the seeds");
        }
    }
}
