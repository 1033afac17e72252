package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's "netstack4j as a library" section works as printed: its Java files are taken out
 * of README.md, compiled as they stand, the program is run with the command line the README
 * gives and must print what the README says it prints, and the JUnit test runs and passes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadmeLibraryExampleTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("(?m)^(?:public )?class (\\w+)");

    @Test
    void theProgramCompilesAndPrintsWhatTheReadmeSays(@TempDir Path dir) throws Exception {
        String section = librarySection();
        String program = javaFiles(section).getFirst();
        String name = compile(program, dir);
        // The command line as printed: `java FLAGS... CLASS`, with the class path added.
        Matcher cmd = Pattern.compile("`java ([^`]*) " + name + "`").matcher(section);
        assertTrue(cmd.find(), "the README gives no `java ... " + name + "` command line");
        Matcher prints = Pattern.compile("It prints\\s+`([^`]*)`").matcher(section);
        assertTrue(prints.find(), "the README does not say what the program prints");

        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of(cmd.group(1).split(" +")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + dir, name));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program did not end");
        assertEquals(0, p.exitValue(), out);
        assertEquals(prints.group(1), out.strip());
    }

    @Test
    void theJunitTestCompilesAndPasses(@TempDir Path dir) throws Exception {
        String test = javaFiles(librarySection()).get(1);
        String name = compile(test, dir);
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> c = loader.loadClass(name);
            Launcher launcher = LauncherFactory.create();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build(), listener);
        }
        TestExecutionSummary s = listener.getSummary();
        assertEquals(1, s.getTestsStartedCount(), "tests the README's class has");
        assertEquals(1, s.getTestsSucceededCount(), () -> s.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).toList().toString());
    }

    /** From the section's heading to the next one. */
    private static String librarySection() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("## netstack4j as a library");
        assertTrue(from >= 0, "README.md has no section \"netstack4j as a library\"");
        int to = readme.indexOf("\n## ", from + 3);
        return readme.substring(from, to < 0 ? readme.length() : to);
    }

    private static List<String> javaFiles(String section) {
        List<String> files = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(section);
        while (m.find()) {
            files.add(m.group(1));
        }
        assertEquals(2, files.size(), "Java files in the section (the program, the JUnit test)");
        return files;
    }

    /** Compiles one file as printed into {@code dir} against this module's test class path; returns its class. */
    private static String compile(String source, Path dir) throws IOException {
        Matcher m = CLASS_NAME.matcher(source);
        assertTrue(m.find(), "no top-level class in:\n" + source);
        String name = m.group(1);
        Path file = dir.resolve(name + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"),
                    null, files.getJavaFileObjects(file)).call();
            assertTrue(ok, () -> name + " from README.md does not compile: " + diagnostics.getDiagnostics());
        }
        return name;
    }
}
