package netstack4j.nio.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import netstack4j.nio.agent.boot.JdkHooks;
import netstack4j.sim.DeterministicThreads;

/**
 * The deterministic agent's hooks, answered from the {@link DeterministicThreads#active() active}
 * simulation: on one of its threads the clocks are virtual time, a platform thread started
 * becomes a virtual thread of the simulation (the platform {@code Thread} object stands in for it:
 * library code rewritten to call {@link JdkHooks#currentThread()} sees the object it created, and
 * {@code isAlive}, {@code getState}, {@code interrupt}, {@code join} and {@code LockSupport.unpark}
 * on it reach the virtual thread), virtual threads' timeouts are simulator events, and monitor
 * hand-offs go through the simulation's scheduler.
 *
 * <p>Thread objects that stood in for simulated threads are remembered until the JVM exits (a
 * library may {@code join} them long after).
 *
 * <p>Thread-safe.
 */
final class SimulationHooks extends JdkHooks {
    /** What {@code System.nanoTime()} reads at virtual time 0 (not 0: code treats 0 as "unset"). */
    static final long NANO_ORIGIN = 1_000_000_000_000L;

    private final Map<Thread, Thread> runners = new ConcurrentHashMap<>();
    private final ThreadLocal<Thread> standIn = new ThreadLocal<>();

    private SimulationHooks() {
    }

    /** Installs the hooks; call only once the bootstrap copy of {@link JdkHooks} is in place. */
    static void install() {
        SimulationHooks h = new SimulationHooks();
        h.onSimulatedThread(); // links the checks before any rewritten JDK code calls them
        JdkHooks.install(h);
    }

    private static DeterministicThreads simulation() {
        return DeterministicThreads.active();
    }

    @Override
    protected boolean onSimulatedThread() {
        DeterministicThreads d = simulation();
        return d != null && d.ownsCurrentThread();
    }

    @Override
    protected long virtualNanoTime() {
        return NANO_ORIGIN + simulation().simulator().nowNs();
    }

    @Override
    protected long virtualMillis() {
        return VirtualTime.EPOCH_MILLIS + simulation().simulator().nowNs() / 1_000_000L;
    }

    @Override
    protected long virtualEpochNanos() {
        return VirtualTime.EPOCH_MILLIS * 1_000_000L + simulation().simulator().nowNs();
    }

    @Override
    protected boolean startAsVirtual(Thread t) {
        if (t instanceof ForkJoinWorkerThread) {
            // A pool worker's body needs to be the current thread itself (ForkJoinPool casts it).
            System.err.println("netstack4j agent: " + t.getName() + " (a ForkJoinPool worker) stays a platform thread,"
                    + " outside the simulation's schedule");
            return false;
        }
        if (runners.containsKey(t)) {
            throw new IllegalThreadStateException();
        }
        DeterministicThreads d = simulation();
        Thread runner = d.newThread(t.getName(), () -> {
            standIn.set(t);
            t.run();
        });
        Thread.UncaughtExceptionHandler handler = t.getUncaughtExceptionHandler();
        runner.setUncaughtExceptionHandler((r, e) -> handler.uncaughtException(t, e));
        runners.put(t, runner);
        runner.start();
        return true;
    }

    @Override
    protected Thread runner(Thread t) {
        return runners.isEmpty() ? null : runners.get(t);
    }

    @Override
    protected Thread standInFor(Thread t) {
        return runners.isEmpty() ? null : standIn.get();
    }

    @Override
    protected boolean isSimulationScheduler(Executor scheduler) {
        DeterministicThreads d = simulation();
        return d != null && d.scheduler() == scheduler;
    }

    @Override
    protected void onVirtualStart(Thread t) {
        DeterministicThreads d = simulation();
        if (d != null) {
            d.started(t);
        }
    }

    @Override
    protected void onLeavingWaitingList(Thread t) {
        DeterministicThreads d = simulation();
        if (d != null) {
            d.leavingWaitingList(t);
        }
    }

    @Override
    protected boolean deferUnblock(Thread t) {
        DeterministicThreads d = simulation();
        return d != null && d.defersUnblock(t);
    }

    @Override
    protected Future<?> scheduleTimeout(Runnable command, long delay, TimeUnit unit) {
        return simulation().schedule(command, delay, unit);
    }
}
