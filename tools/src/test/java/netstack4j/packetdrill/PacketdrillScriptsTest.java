package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every project script under {@code src/test/resources/packetdrill/<topic>/} as its own test
 * case. A script must PASS; one listed in {@code expected-failures.txt} must FAIL (and the list
 * says why); a script the runner cannot run yet (SKIP) is reported as skipped with its reason.
 */
class PacketdrillScriptsTest {

    @TestFactory
    Stream<DynamicTest> projectScripts() throws IOException, URISyntaxException {
        Path root = Path.of(PacketdrillScriptsTest.class.getResource("/packetdrill").toURI());
        Map<String, String> expectedFailures = expectedFailures(root.resolve("expected-failures.txt"));
        List<Path> scripts;
        try (Stream<Path> s = Files.walk(root)) {
            scripts = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        assertTrue(scripts.size() >= 10, "the project's scripts are missing");
        return scripts.stream().map(p -> {
            String rel = root.relativize(p).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(rel, p.toUri(), () -> {
                String first = Files.readAllLines(p).getFirst();
                assertTrue(first.startsWith("//") && (first.matches(".*\\bN\\d+.*") || first.contains("RFC")),
                        rel + ": the first line must be a comment citing the N... claim or RFC section it checks");
                ScriptRunner.Result r = ScriptRunner.run(p, ScriptRunner.Options.defaults());
                String why = expectedFailures.get(rel);
                switch (r.status()) {
                    case PASS -> {
                        if (why != null) {
                            fail(rel + " passes now: remove it from expected-failures.txt (" + why + ")");
                        }
                    }
                    case FAIL -> {
                        if (why == null) {
                            fail(r.line());
                        }
                    }
                    case SKIP -> Assumptions.abort(r.line());
                }
            });
        });
    }

    private static Map<String, String> expectedFailures(Path list) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(list)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int hash = l.indexOf(" # ");
            assertTrue(hash > 0, "expected-failures.txt: '" + l + "' needs ' # reason'");
            m.put(l.substring(0, hash).strip(), l.substring(hash + 3).strip());
        }
        assertEquals(m.size(), m.keySet().stream().distinct().count());
        return m;
    }
}
