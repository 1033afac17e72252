package netstack4j.nio.agent;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The deterministic agent's class rewriting (ClassFile API, JEP 484), for application classes
 * and for the JDK classes that start threads, read clocks and time their waits:
 * <ul>
 *   <li>call sites: {@code System.nanoTime()} and {@code System.currentTimeMillis()} become
 *       {@link netstack4j.nio.agent.boot.JdkHooks}'s, in application classes and in the JDK's
 *       {@code java.util.concurrent} (timed waits, {@code ScheduledThreadPoolExecutor}),
 *       {@code java.util.Timer}, {@code java.util.Random} (its unseeded constructor),
 *       {@code java.time}, {@code Thread}, {@code VirtualThread} (sleeps), and the HTTP client and
 *       server; {@code Thread.currentThread()} becomes the hook's (which answers the stand-in
 *       thread object) in application classes and the HTTP client and server;</li>
 *   <li>method prefixes: {@code Thread.start()} (a platform thread started on a simulation's
 *       thread runs as its virtual thread), {@code isAlive}, {@code getState}, {@code isInterrupted},
 *       {@code interrupt}, {@code join} (of stand-ins), {@code LockSupport.unpark} (of a stand-in),
 *       {@code VirtualThread.schedule} (a simulated thread's timeout is a simulator event),
 *       {@code VirtualThread.start}, {@code compareAndSetOnWaitingList} and {@code unblock} (monitor
 *       hand-offs in the scheduler's order) and
 *       {@code Clock.currentInstant} ({@code Instant.now()}).</li>
 * </ul>
 * Only method bodies change (no member is added), as retransforming loaded classes requires.
 */
final class JdkRewriter implements ClassFileTransformer {
    private static final ClassDesc HOOKS = ClassDesc.of("netstack4j.nio.agent.boot.JdkHooks");
    private static final ClassDesc THREAD = ClassDesc.of("java.lang.Thread");
    private static final ClassDesc DURATION = ClassDesc.of("java.time.Duration");
    private static final ClassDesc EXECUTOR = ClassDesc.of("java.util.concurrent.Executor");
    private static final ClassDesc TIME_UNIT = ClassDesc.of("java.util.concurrent.TimeUnit");
    private static final ClassDesc FUTURE = ClassDesc.of("java.util.concurrent.Future");
    private static final ClassDesc INSTANT = ClassDesc.of("java.time.Instant");
    private static final MethodTypeDesc BOOL_OF_THREAD = MethodTypeDesc.of(ConstantDescs.CD_boolean, THREAD);

    /** The method prefixes put in place so far, as CLASS.NAMEDESCRIPTOR. */
    private static final java.util.Set<String> APPLIED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final boolean DEBUG = Boolean.getBoolean("netstack4j.agent.debug");

    /** JDK classes (prefixes of internal names) whose clock reads go to the simulation. */
    static final List<String> JDK_CLOCK_READERS = List.of("java/util/concurrent/", "java/util/Timer", "java/time/",
            "java/util/Random", "jdk/internal/net/http/", "java/net/http/", "sun/net/httpserver/");
    /** JDK classes whose {@code Thread.currentThread()} answers the stand-in. */
    static final List<String> JDK_THREAD_COMPARERS = List.of("jdk/internal/net/http/", "sun/net/httpserver/");
    /** Classes rewritten that are loaded before any agent runs: retransformed at start. */
    static final List<String> PRELOADED = List.of("java/lang/Thread", "java/lang/VirtualThread",
            "java/util/concurrent/", "java/time/", "java/util/Random", "java/util/Timer");

    /** The method prefixes, by class and then by method name + descriptor. */
    private static final Map<String, Map<String, Consumer<CodeBuilder>>> PREFIXES = Map.of(
            "java/lang/Thread", Map.of(
                    "start()V", b -> ifHookThen(b, "start", BOOL_OF_THREAD, CodeBuilder::return_),
                    // Executors start their threads in a thread container (ThreadPoolExecutor...).
                    "start(Ljdk/internal/vm/ThreadContainer;)V", b -> ifHookThen(b, "start", BOOL_OF_THREAD,
                            CodeBuilder::return_),
                    "isAlive()Z", b -> ifStandIn(b, "standInAlive", MethodTypeDesc.of(ConstantDescs.CD_boolean, THREAD),
                            c -> c.aload(0), CodeBuilder::ireturn),
                    "getState()Ljava/lang/Thread$State;", b -> ifStandIn(b, "standInState",
                            MethodTypeDesc.of(ClassDesc.of("java.lang.Thread$State"), THREAD), c -> c.aload(0),
                            CodeBuilder::areturn),
                    "isInterrupted()Z", b -> ifStandIn(b, "standInInterrupted",
                            MethodTypeDesc.of(ConstantDescs.CD_boolean, THREAD), c -> c.aload(0), CodeBuilder::ireturn),
                    "interrupt()V", b -> ifStandIn(b, "standInInterrupt", MethodTypeDesc.of(ConstantDescs.CD_void, THREAD),
                            c -> c.aload(0), CodeBuilder::return_),
                    "join(J)V", b -> ifStandIn(b, "standInJoin",
                            MethodTypeDesc.of(ConstantDescs.CD_void, THREAD, ConstantDescs.CD_long),
                            c -> c.aload(0).lload(1), CodeBuilder::return_),
                    "join(Ljava/time/Duration;)Z", b -> ifStandIn(b, "standInJoin",
                            MethodTypeDesc.of(ConstantDescs.CD_boolean, THREAD, DURATION),
                            c -> c.aload(0).aload(1), CodeBuilder::ireturn)),
            "java/util/concurrent/locks/LockSupport", Map.of(
                    "unpark(Ljava/lang/Thread;)V", b -> b.aload(0)
                            .invokestatic(HOOKS, "unparkTarget", MethodTypeDesc.of(THREAD, THREAD)).astore(0)),
            "java/lang/VirtualThread", Map.of(
                    "start(Ljdk/internal/vm/ThreadContainer;)V", b -> b.aload(0)
                            .invokestatic(HOOKS, "virtualStarted", MethodTypeDesc.of(ConstantDescs.CD_void, THREAD)),
                    "compareAndSetOnWaitingList(ZZ)Z", b -> b.aload(0).iload(1).iload(2)
                            .invokestatic(HOOKS, "leavingWaitingList", MethodTypeDesc.of(ConstantDescs.CD_void, THREAD,
                                    ConstantDescs.CD_boolean, ConstantDescs.CD_boolean)),
                    "unblock()V", b -> ifHookThen(b, "defersUnblock", BOOL_OF_THREAD, CodeBuilder::return_),
                    "schedule(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;", b -> {
                        Label original = b.newLabel();
                        b.aload(0).getfield(ClassDesc.of("java.lang.VirtualThread"), "scheduler", EXECUTOR)
                                .invokestatic(HOOKS, "simulates", MethodTypeDesc.of(ConstantDescs.CD_boolean, EXECUTOR))
                                .ifeq(original)
                                .aload(1).lload(2).aload(4)
                                .invokestatic(HOOKS, "schedule", MethodTypeDesc.of(FUTURE, ClassDesc.of("java.lang.Runnable"),
                                        ConstantDescs.CD_long, TIME_UNIT))
                                .areturn()
                                .labelBinding(original);
                    }),
            "java/time/Clock", Map.of(
                    "currentInstant()Ljava/time/Instant;", b -> {
                        Label original = b.newLabel();
                        b.invokestatic(HOOKS, "onSimulation", MethodTypeDesc.of(ConstantDescs.CD_boolean))
                                .ifeq(original)
                                .invokestatic(HOOKS, "instant", MethodTypeDesc.of(INSTANT))
                                .areturn()
                                .labelBinding(original);
                    }));

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        if (className == null) {
            return null;
        }
        boolean app = loader != null && VirtualTimeAgent.transforms(className, List.of());
        boolean clocks = app || startsWithAny(className, JDK_CLOCK_READERS)
                || className.equals("java/lang/Thread") || className.equals("java/lang/VirtualThread");
        boolean threads = app || startsWithAny(className, JDK_THREAD_COMPARERS);
        Map<String, Consumer<CodeBuilder>> prefixes = PREFIXES.getOrDefault(className, Map.of());
        if (!clocks && !threads && prefixes.isEmpty()) {
            return null;
        }
        try {
            byte[] out = rewrite(classFile, resolver(loader, className, classFile), clocks, threads, prefixes);
            if (DEBUG) {
                System.err.println("netstack4j agent: " + className + (out == null ? " unchanged" : " rewritten"));
            }
            return out;
        } catch (RuntimeException e) {
            System.err.println("netstack4j agent: " + className + " left as it is: " + e);
            return null;
        }
    }

    /**
     * Class hierarchy for the stack maps from class files read as resources, never by loading a
     * class (which, for the class being defined, would define it twice); the class being
     * rewritten answers from its own bytes.
     */
    static ClassHierarchyResolver resolver(ClassLoader loader, String className, byte[] classFile) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        return ClassHierarchyResolver.ofResourceParsing(desc -> {
            String internal = desc.descriptorString();
            internal = internal.substring(1, internal.length() - 1);
            if (internal.equals(className)) {
                return new ByteArrayInputStream(classFile);
            }
            String resource = internal + ".class";
            InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
            return in != null ? in : system.getResourceAsStream(resource);
        }).cached();
    }

    /**
     * The prefixes of {@code className} not (yet) put in place: after retransformation, a
     * non-empty answer for a loaded class means this JDK's code is not the one the agent knows.
     */
    static java.util.List<String> missingPrefixes(String className) {
        return PREFIXES.getOrDefault(className, Map.of()).keySet().stream().map(k -> className + "." + k)
                .filter(k -> !APPLIED.contains(k)).sorted().toList();
    }

    static boolean startsWithAny(String className, List<String> prefixes) {
        for (String p : prefixes) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The rewritten class, or null when nothing was to be rewritten. */
    static byte[] rewrite(byte[] classFile, ClassHierarchyResolver resolver, boolean clocks, boolean threads,
                          Map<String, Consumer<CodeBuilder>> prefixes) {
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        ClassModel model = cf.parse(classFile);
        boolean[] changed = new boolean[1];
        // One transform per method (chaining two method-body transforms with andThen loses the
        // first's changes): the prefix, if the method has one, then the call-site rewriting.
        ClassTransform t = (cb, element) -> {
            if (!(element instanceof MethodModel m) || m.code().isEmpty()) {
                cb.with(element);
                return;
            }
            Consumer<CodeBuilder> prefix = prefixes.get(key(m));
            if (prefix == null && !clocks && !threads) {
                cb.with(element);
                return;
            }
            changed[0] |= prefix != null;
            if (prefix != null) {
                APPLIED.add(model.thisClass().asInternalName() + "." + key(m));
            }
            cb.transformMethod(m, MethodTransform.transformingCode(new CodeTransform() {
                @Override
                public void atStart(CodeBuilder code) {
                    if (prefix != null) {
                        prefix.accept(code);
                    }
                }

                @Override
                public void accept(CodeBuilder code, CodeElement e) {
                    String target = target(e, clocks, threads);
                    if (target == null) {
                        code.with(e);
                        return;
                    }
                    code.invokestatic(HOOKS, target, ((InvokeInstruction) e).typeSymbol());
                    changed[0] = true;
                }
            }));
        };
        byte[] out = cf.transformClass(model, t);
        return changed[0] ? out : null;
    }

    private static String key(MethodModel m) {
        return m.methodName().stringValue() + m.methodType().stringValue();
    }

    /** The hook that replaces this instruction, or null. */
    private static String target(CodeElement element, boolean clocks, boolean threads) {
        if (!(element instanceof InvokeInstruction call) || call.opcode() != Opcode.INVOKESTATIC) {
            return null;
        }
        String owner = call.owner().asInternalName();
        String name = call.name().stringValue();
        String type = call.type().stringValue();
        if (clocks && owner.equals("java/lang/System") && type.equals("()J")
                && (name.equals("nanoTime") || name.equals("currentTimeMillis"))) {
            return name;
        }
        if (threads && owner.equals("java/lang/Thread") && name.equals("currentThread")
                && type.equals("()Ljava/lang/Thread;")) {
            return "currentThread";
        }
        return null;
    }

    /** {@code if (JdkHooks.NAME(this)) { then }}, then the original code. */
    private static void ifHookThen(CodeBuilder b, String name, MethodTypeDesc type, Consumer<CodeBuilder> then) {
        Label original = b.newLabel();
        b.aload(0).invokestatic(HOOKS, name, type).ifeq(original);
        then.accept(b);
        b.labelBinding(original);
    }

    /** {@code if (JdkHooks.isStandIn(this)) { push args; return JdkHooks.NAME(args); }}. */
    private static void ifStandIn(CodeBuilder b, String name, MethodTypeDesc type, Consumer<CodeBuilder> args,
                                  Consumer<CodeBuilder> ret) {
        Label original = b.newLabel();
        b.aload(0).invokestatic(HOOKS, "isStandIn", BOOL_OF_THREAD).ifeq(original);
        args.accept(b);
        b.invokestatic(HOOKS, name, type);
        ret.accept(b);
        b.labelBinding(original);
    }
}
