package netstack4j.packetdrill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import netstack4j.cli.PdrillCommand;
import netstack4j.stack.Personality;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance gate: Linux's own packetdrill TCP scripts, run from
 * {@code ../shared/conformance/packetdrill/gtests/net/tcp} (beside the project root, never
 * copied into it) with {@code run_all.py}'s IPv4 flags. Every script listed in
 * {@code linux-corpus-passing.txt} must pass; a script that passes and is not listed is printed
 * so that the list only grows. Skipped, with the reason printed, where the corpus is absent.
 */
class LinuxCorpusGateTest {
    private static final Path LIST = Path.of("src/test/resources/linux-corpus-passing.txt");

    /** The project root: the folder above the module that holds the launcher. */
    static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("netstack4j")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return here.getParent();
    }

    @Test
    void listedScriptsPassAndNewPassesAreReported() throws IOException {
        Path corpus = PdrillCommand.linuxCorpus(projectRoot());
        if (!Files.isDirectory(corpus)) {
            System.out.println("SKIP Linux corpus gate: " + corpus + " is absent");
            Assumptions.abort("Linux's packetdrill corpus is absent at " + corpus);
        }
        List<Path> scripts;
        try (Stream<Path> s = Files.walk(corpus)) {
            scripts = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        Set<String> mustPass = new TreeSet<>();
        for (String l : Files.readAllLines(LIST)) {
            if (!l.isBlank() && !l.startsWith("#")) {
                mustPass.add(l.strip());
            }
        }
        ScriptRunner.Options options = new ScriptRunner.Options(Personality.LINUX,
                ScriptRunner.Options.DEFAULT_TOLERANCE_USECS, null, PdrillCommand.RUN_ALL_IPV4);
        List<String> broken = new ArrayList<>();
        List<String> newlyPassing = new ArrayList<>();
        int[] counts = new int[3];
        ScriptRunner.runAll(scripts, options, 2, r -> {
            String rel = corpus.relativize(Path.of(r.script())).toString().replace('\\', '/');
            counts[r.status().ordinal()]++;
            if (r.status() == ScriptRunner.Status.PASS && !mustPass.contains(rel)) {
                newlyPassing.add(rel);
            } else if (r.status() != ScriptRunner.Status.PASS && mustPass.contains(rel)) {
                broken.add(r.line());
            }
        });
        System.out.println("Linux corpus: " + counts[0] + " passed, " + counts[1] + " failed, " + counts[2] + " skipped");
        newlyPassing.forEach(s -> System.out.println("newly passing (add it to linux-corpus-passing.txt): " + s));
        assertTrue(scripts.size() > 100, "the corpus has " + scripts.size() + " scripts");
        for (String listed : mustPass) {
            assertTrue(Files.isRegularFile(corpus.resolve(listed)), "listed but not in the corpus: " + listed);
        }
        assertEquals(List.of(), broken, "scripts in linux-corpus-passing.txt that no longer pass");
    }
}
