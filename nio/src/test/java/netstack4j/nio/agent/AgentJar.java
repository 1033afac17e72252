package netstack4j.nio.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The agent jar for child JVMs of the tests: only the manifest of the module's jar (the agent's
 * classes come from the test class path).
 */
public final class AgentJar {
    private AgentJar() {
    }

    /** Writes {@code dir/agent.jar} and returns its path. */
    public static Path write(Path dir) throws IOException {
        Path agent = dir.resolve("agent.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", VirtualTimeAgent.class.getName());
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (OutputStream out = Files.newOutputStream(agent); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return agent;
    }

    /** The {@code java} command running this JVM. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
