package netstack4j.nio.agent;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * A Java agent (JDK 25 ClassFile API, JEP 484) that gives application code the simulation's
 * clock: in the classes it transforms, every call of {@code System.nanoTime()},
 * {@code System.currentTimeMillis()} and {@code Thread.sleep(long)} becomes a call of
 * {@link VirtualTime}, which answers in the virtual time of the current {@link
 * netstack4j.nio.NetScope}'s host and falls back to the JDK outside a scope. A program paced
 * faster than the wall clock ({@code new RealTimePacer(sim, 10)}) then sees its own timeouts and
 * sleeps in the network's time.
 *
 * <p>Use: {@code -javaagent:netstack4j-nio.jar[=PREFIX,PREFIX...]} with the jar's manifest naming
 * this class as {@code Premain-Class} (and {@code Can-Retransform-Classes}, which the deterministic
 * mode needs); the prefixes (internal names, {@code com/example/}) choose
 * the classes to transform, by default every class outside the JDK, netstack4j, JUnit and Maven.
 *
 * <p>This mode leaves the JDK's classes and threads alone (so {@code HttpClient}'s own timers keep
 * the wall clock) and is not deterministic; {@code =deterministic} selects the mode that is
 * ({@code DeterministicAgent}).
 */
public final class VirtualTimeAgent {
    private static final ClassDesc VIRTUAL_TIME = ClassDesc.of(VirtualTime.class.getName());
    private static final List<String> NEVER = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
            "netstack4j/", "org/junit/", "org/opentest4j/", "org/apache/maven/", "org/apiguardian/");

    private VirtualTimeAgent() {
    }

    /**
     * The agent's entry point: {@code deterministic} as the argument selects the deterministic
     * mode ({@code DeterministicAgent}); otherwise the arguments are the prefixes of the classes to
     * rewrite.
     */
    public static void premain(String args, Instrumentation inst) throws java.io.IOException {
        if ("deterministic".equals(args)) {
            DeterministicAgent.premain(inst);
            return;
        }
        List<String> include = args == null || args.isBlank() ? List.of() : List.of(args.split(","));
        inst.addTransformer(new Transformer(include));
    }

    /** Whether a class (internal name) is rewritten. */
    static boolean transforms(String className, List<String> include) {
        if (className == null || NEVER.stream().anyMatch(className::startsWith)) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(className::startsWith);
    }

    /** Rewrites the calls in one class file; null when nothing was to be rewritten. */
    static byte[] rewrite(byte[] classFile) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(classFile);
        boolean[] changed = new boolean[1];
        CodeTransform calls = (code, element) -> {
            String target = target(element);
            if (target == null) {
                code.with(element);
                return;
            }
            InvokeInstruction call = (InvokeInstruction) element;
            code.invokestatic(VIRTUAL_TIME, target, call.typeSymbol());
            changed[0] = true;
        };
        byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies(calls));
        return changed[0] ? out : null;
    }

    /** The {@link VirtualTime} method that replaces this instruction, or null. */
    private static String target(CodeElement element) {
        if (!(element instanceof InvokeInstruction call) || call.opcode() != Opcode.INVOKESTATIC) {
            return null;
        }
        String owner = call.owner().asInternalName();
        String name = call.name().stringValue();
        String type = call.type().stringValue();
        if (owner.equals("java/lang/System") && type.equals("()J")
                && (name.equals("nanoTime") || name.equals("currentTimeMillis"))) {
            return name;
        }
        if (owner.equals("java/lang/Thread") && name.equals("sleep") && type.equals("(J)V")) {
            return "sleep";
        }
        return null;
    }

    private record Transformer(List<String> include) implements ClassFileTransformer {
        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classFile) {
            if (loader == null || !transforms(className, include)) {
                return null;
            }
            try {
                return rewrite(classFile);
            } catch (RuntimeException e) {
                return null; // a class the ClassFile API cannot read stays as it is
            }
        }
    }
}
