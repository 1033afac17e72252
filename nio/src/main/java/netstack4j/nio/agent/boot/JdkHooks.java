package netstack4j.nio.agent.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the deterministic agent's rewritten JDK code calls: static entry points that JDK classes
 * (defined by the bootstrap and platform loaders) can link to, because the agent puts this one
 * class on the bootstrap class path and lets {@code java.base}, {@code java.net.http} and
 * {@code jdk.httpserver} read its module. It uses JDK types only; the work is done by the
 * {@linkplain #install installed} subclass ({@code netstack4j.nio.agent.SimulationHooks}), loaded
 * by the application loader. With nothing installed, or on a thread that is not a simulation's,
 * every entry point does what the JDK does.
 *
 * <p>Thread-safe.
 */
public abstract class JdkHooks {
    private static volatile JdkHooks installed;

    protected JdkHooks() {
    }

    /** Installs the hooks (once, by the agent). */
    public static void install(JdkHooks hooks) {
        installed = hooks;
    }

    private static JdkHooks simulated() {
        JdkHooks h = installed;
        return h != null && h.onSimulatedThread() ? h : null;
    }

    // ------------------------------------------------------------------ clocks

    /** {@code System.nanoTime()}. */
    public static long nanoTime() {
        JdkHooks h = simulated();
        return h == null ? System.nanoTime() : h.virtualNanoTime();
    }

    /** {@code System.currentTimeMillis()}. */
    public static long currentTimeMillis() {
        JdkHooks h = simulated();
        return h == null ? System.currentTimeMillis() : h.virtualMillis();
    }

    /** Whether the calling thread is a simulation's (the prefix of {@code Clock.currentInstant}). */
    public static boolean onSimulation() {
        return simulated() != null;
    }

    /** {@code Instant.now()} on a simulation's thread. */
    public static Instant instant() {
        JdkHooks h = installed;
        long ns = h.virtualEpochNanos();
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    // ------------------------------------------------------------------ threads

    /**
     * The prefix of {@code Thread.start()} for platform threads: on a simulation's thread, runs
     * {@code t} as a virtual thread of the simulation instead and returns true.
     */
    public static boolean start(Thread t) {
        JdkHooks h = simulated();
        return h != null && h.startAsVirtual(t);
    }

    /** Whether {@code t} is a platform thread object whose body runs on a simulation's thread. */
    public static boolean isStandIn(Thread t) {
        JdkHooks h = installed;
        return h != null && h.runner(t) != null;
    }

    /** {@code t.isAlive()} for a stand-in. */
    public static boolean standInAlive(Thread t) {
        return installed.runner(t).isAlive();
    }

    /** {@code t.getState()} for a stand-in. */
    public static Thread.State standInState(Thread t) {
        return installed.runner(t).getState();
    }

    /** {@code t.isInterrupted()} for a stand-in. */
    public static boolean standInInterrupted(Thread t) {
        return installed.runner(t).isInterrupted();
    }

    /** {@code t.interrupt()} for a stand-in. */
    public static void standInInterrupt(Thread t) {
        installed.runner(t).interrupt();
    }

    /** {@code t.join(millis)} for a stand-in. */
    public static void standInJoin(Thread t, long millis) throws InterruptedException {
        Thread r = installed.runner(t);
        if (millis == 0) {
            r.join();
        } else {
            r.join(millis);
        }
    }

    /** {@code t.join(duration)} for a stand-in. */
    public static boolean standInJoin(Thread t, Duration d) throws InterruptedException {
        return installed.runner(t).join(d);
    }

    /**
     * {@code Thread.currentThread()} in rewritten library code: the platform thread object a
     * simulation's thread stands in for, so that a library comparing threads ({@code
     * Thread.currentThread() == selectorThread}) sees the object it created.
     */
    public static Thread currentThread() {
        Thread t = Thread.currentThread();
        JdkHooks h = installed;
        if (h == null || !t.isVirtual()) {
            return t;
        }
        Thread standIn = h.standInFor(t);
        return standIn == null ? t : standIn;
    }

    /** The prefix of {@code LockSupport.unpark}: the thread that really parks for {@code t}. */
    public static Thread unparkTarget(Thread t) {
        JdkHooks h = installed;
        if (h == null || t == null) {
            return t;
        }
        Thread r = h.runner(t);
        return r == null ? t : r;
    }

    /** The prefix of {@code VirtualThread.start(ThreadContainer)}. */
    public static void virtualStarted(Thread t) {
        JdkHooks h = installed;
        if (h != null) {
            h.onVirtualStart(t);
        }
    }

    /**
     * The prefix of {@code VirtualThread.compareAndSetOnWaitingList(expected, value)}: the JDK's
     * unblocker thread takes {@code t} off the list of threads a released monitor lets in.
     */
    public static void leavingWaitingList(Thread t, boolean expected, boolean value) {
        JdkHooks h = installed;
        if (h != null && expected && !value) {
            h.onLeavingWaitingList(t);
        }
    }

    /** The prefix of {@code VirtualThread.unblock()}: true to skip it (the simulation unblocks). */
    public static boolean defersUnblock(Thread t) {
        JdkHooks h = installed;
        return h != null && h.deferUnblock(t);
    }

    // ------------------------------------------------------------------ timeouts

    /** Whether {@code scheduler} is a simulation's (the prefix of {@code VirtualThread.schedule}). */
    public static boolean simulates(Executor scheduler) {
        JdkHooks h = installed;
        return h != null && h.isSimulationScheduler(scheduler);
    }

    /** A virtual thread's timeout (timed park, sleep, timed wait) in the simulation's time. */
    public static Future<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return installed.scheduleTimeout(command, delay, unit);
    }

    // ------------------------------------------------------------------ what the subclass does

    protected abstract boolean onSimulatedThread();

    protected abstract long virtualNanoTime();

    protected abstract long virtualMillis();

    protected abstract long virtualEpochNanos();

    protected abstract boolean startAsVirtual(Thread t);

    /** The virtual thread running stand-in {@code t}'s body, or null. */
    protected abstract Thread runner(Thread t);

    /** The stand-in virtual thread {@code t} runs for, or null. */
    protected abstract Thread standInFor(Thread t);

    protected abstract boolean isSimulationScheduler(Executor scheduler);

    protected abstract void onVirtualStart(Thread t);

    protected abstract void onLeavingWaitingList(Thread t);

    protected abstract boolean deferUnblock(Thread t);

    protected abstract Future<?> scheduleTimeout(Runnable command, long delay, TimeUnit unit);
}
