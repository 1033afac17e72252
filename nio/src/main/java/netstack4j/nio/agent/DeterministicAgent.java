package netstack4j.nio.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The agent's deterministic mode ({@code -javaagent:netstack4j-nio.jar=deterministic}): inside a
 * {@link netstack4j.sim.DeterministicThreads} run, every thread the program starts runs as a
 * virtual thread on the simulation's scheduler, one at a time, with virtual clocks and timeouts
 * (see the package documentation for what that makes deterministic).
 *
 * <p>Start-up, in this order: the hook class {@link netstack4j.nio.agent.boot.JdkHooks} is copied
 * into a jar on the bootstrap class path (JDK classes can only link to classes their loader
 * sees), the JDK modules that will call it are made to read its module and {@code java.lang} is
 * opened to the application (the simulation builds virtual threads on its own scheduler), the
 * hooks are installed, and {@link JdkRewriter} is registered and applied again to the classes
 * already loaded ({@link Instrumentation#retransformClasses}: only method bodies change).
 */
final class DeterministicAgent {
    private static final String HOOKS = "netstack4j/nio/agent/boot/JdkHooks";

    private DeterministicAgent() {
    }

    static void premain(Instrumentation inst) throws IOException {
        Path jar = Files.createTempFile("netstack4j-agent-boot", ".jar");
        jar.toFile().deleteOnExit();
        try (InputStream in = DeterministicAgent.class.getResourceAsStream("/" + HOOKS + ".class");
             OutputStream out = Files.newOutputStream(jar);
             JarOutputStream j = new JarOutputStream(out)) {
            if (in == null) {
                throw new IOException(HOOKS + ".class not found next to the agent");
            }
            j.putNextEntry(new JarEntry(HOOKS + ".class"));
            in.transferTo(j);
            j.closeEntry();
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        Module hooks;
        try {
            hooks = Class.forName(HOOKS.replace('/', '.'), true, null).getModule();
        } catch (ClassNotFoundException e) {
            throw new IOException("the bootstrap loader does not see " + HOOKS, e);
        }
        Module app = ClassLoader.getSystemClassLoader().getUnnamedModule();
        for (String name : List.of("java.base", "java.net.http", "jdk.httpserver")) {
            Module m = ModuleLayer.boot().findModule(name).orElse(null);
            if (m != null) {
                Map<String, Set<Module>> opens = name.equals("java.base") ? Map.of("java.lang", Set.of(app)) : Map.of();
                inst.redefineModule(m, Set.of(hooks), Map.of(), opens, Set.of(), Map.of());
            }
        }
        SimulationHooks.install();
        JdkRewriter rewriter = new JdkRewriter();
        inst.addTransformer(rewriter, true);
        try {
            Class.forName("java.lang.VirtualThread", false, null); // loaded, so retransformed below
        } catch (ClassNotFoundException e) {
            throw new IOException("no java.lang.VirtualThread", e);
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = c.getName().replace('.', '/');
            if (inst.isModifiableClass(c) && !c.isHidden() && JdkRewriter.startsWithAny(name, JdkRewriter.PRELOADED)) {
                loaded.add(c);
            }
        }
        try {
            inst.retransformClasses(loaded.toArray(Class<?>[]::new));
        } catch (UnmodifiableClassException | RuntimeException e) {
            throw new IOException("cannot retransform the JDK's classes: " + e, e);
        }
        // The thread and timeout hooks are what the mode stands on: fail now, not nondeterministically later.
        for (String c : List.of("java/lang/Thread", "java/lang/VirtualThread")) {
            List<String> missing = JdkRewriter.missingPrefixes(c);
            if (!missing.isEmpty()) {
                throw new IOException("this JDK's " + c + " lacks what the deterministic mode hooks: " + missing);
            }
        }
    }
}
