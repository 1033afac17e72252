package netstack4j.sim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import netstack4j.stack.StackRuntime;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * Runs plain Java threads, the program's own and those its libraries start, as virtual threads
 * on one scheduler that the simulator drives: one thread runs at a time, in the order they became
 * runnable, and virtual time advances (the simulator fires its next events) only when every
 * thread of the simulation waits. This is the scheduler of the deterministic agent mode
 * ({@code netstack4j.nio.agent}), which routes the JDK's thread creation, clocks and timed waits
 * here; on its own it schedules the threads created through {@link #newThread} and those they
 * create with {@code Thread.ofVirtual()} (a virtual thread inherits its creator's scheduler).
 *
 * <p>How: the threads are {@code java.lang.VirtualThread}s built with this class's executor as
 * their scheduler (the JDK's {@code ThreadBuilders.VirtualThreadBuilder(Executor)}, reached by
 * reflection: it needs {@code java.lang} opened to this module, which the agent does, or
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}). The executor only queues a thread's
 * continuation; {@link #run} takes them from the queue one by one and runs each on the calling
 * (platform) thread, which is the carrier of every simulated thread, until the thread parks,
 * yields or ends. When the queue is empty it fires the simulator's events of the next instant;
 * the events wake threads (a stack's wait queue, a timeout) and the loop goes on. Under the agent,
 * timed parks, sleeps and timed {@code Object.wait}s end by simulator events ({@link #schedule}),
 * so a thread's timeout is virtual time too; a thread let into a released monitor becomes
 * runnable right after the releasing thread's turn ({@link #leavingWaitingList}), not when the
 * JDK's unblocker thread gets to it; and each thread's {@code ThreadLocalRandom} is seeded from
 * the simulation's seed in start order ({@link #started}).
 *
 * <p>Stacks of a simulation with this scheduler use its runtime: a stack call runs directly (one
 * thread runs at a time), a blocked call parks the virtual thread until the engine wakes it or its
 * deadline's event fires.
 *
 * <p>Use: create it right after the simulator, before any host; then {@link #run} the program's
 * main body from a platform thread (it becomes the carrier); one instance is {@link #active()} at a time in a JVM. Not thread-safe except the
 * executor, which any thread may submit to.
 */
public final class DeterministicThreads {
    private static final MethodHandle NEW_BUILDER;
    private static final VarHandle SCHEDULER;
    private static final VarHandle ON_WAITING_LIST;
    private static final MethodHandle UNBLOCK;
    private static final VarHandle RANDOM_SEED;
    private static final VarHandle RANDOM_PROBE;
    private static volatile DeterministicThreads active;

    static {
        MethodHandle builder = null;
        VarHandle scheduler = null;
        VarHandle onWaitingList = null;
        MethodHandle unblock = null;
        VarHandle randomSeed = null;
        VarHandle randomProbe = null;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            Class<?> b = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(b, MethodHandles.lookup());
            builder = lookup.findConstructor(b, MethodType.methodType(void.class, Executor.class));
            MethodHandles.Lookup v = MethodHandles.privateLookupIn(vt, MethodHandles.lookup());
            scheduler = v.findVarHandle(vt, "scheduler", Executor.class);
            onWaitingList = v.findVarHandle(vt, "onWaitingList", boolean.class);
            unblock = v.findVirtual(vt, "unblock", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Thread.class));
            MethodHandles.Lookup th = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            randomSeed = th.findVarHandle(Thread.class, "threadLocalRandomSeed", long.class);
            randomProbe = th.findVarHandle(Thread.class, "threadLocalRandomProbe", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // java.lang not opened to this module: the constructor says so.
        }
        NEW_BUILDER = builder;
        SCHEDULER = scheduler;
        ON_WAITING_LIST = onWaitingList;
        UNBLOCK = unblock;
        RANDOM_SEED = randomSeed;
        RANDOM_PROBE = randomProbe;
    }

    private final Simulator sim;
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final Executor executor = ready::add;
    private final Thread.Builder.OfVirtual builder;
    /** This simulation's threads started so far, in start order (terminated ones dropped as new ones start). */
    private final List<Thread> started = new ArrayList<>();
    /** Threads the unblocker handed over: they may enter the monitor they wait for. */
    private final java.util.Set<Thread> unblocked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.SplittableRandom threadSeeds;
    private long tasksRun;
    private long monitorHandOffs;
    /** The thread running {@link #settleMonitors}' unblocks, whose calls the hook lets through. */
    private volatile Thread unblocking;
    private long instantsFired;

    /**
     * Makes {@code sim}'s hosts created from now on use this scheduler's runtime.
     *
     * @throws IllegalStateException when the simulator already has hosts, or when the JDK's
     *     virtual thread builder is not reachable ({@code java.lang} not opened)
     */
    public DeterministicThreads(Simulator sim) {
        if (NEW_BUILDER == null || SCHEDULER == null || ON_WAITING_LIST == null || UNBLOCK == null || RANDOM_SEED == null
                || RANDOM_PROBE == null) {
            throw new IllegalStateException("java.lang is not open to netstack4j (run under the agent, "
                    + "or with --add-opens java.base/java.lang=ALL-UNNAMED), or this JDK's VirtualThread is not JDK 25's");
        }
        this.sim = Objects.requireNonNull(sim, "sim");
        this.threadSeeds = sim.random("threads");
        try {
            builder = ((Thread.Builder.OfVirtual) NEW_BUILDER.invoke(executor));
        } catch (Throwable t) {
            throw new IllegalStateException("cannot build virtual threads on a custom scheduler", t);
        }
        sim.useRuntime(new ThreadsRuntime());
    }

    /** The instance whose {@link #run} is in progress, or null. */
    public static DeterministicThreads active() {
        return active;
    }

    /** The simulator. */
    public Simulator simulator() {
        return sim;
    }

    /** The scheduler every thread of this simulation runs on: it queues continuations. */
    public Executor scheduler() {
        return executor;
    }

    /** Whether {@code t} is a thread of this simulation (a virtual thread on its scheduler). */
    public boolean owns(Thread t) {
        return t.isVirtual() && SCHEDULER.get(t) == executor;
    }

    /** Whether the calling thread is a thread of this simulation. */
    public boolean ownsCurrentThread() {
        return owns(Thread.currentThread());
    }

    /** A new, unstarted virtual thread on this scheduler (daemon, like every virtual thread). */
    public Thread newThread(String name, Runnable task) {
        synchronized (builder) {
            return builder.name(name).unstarted(task);
        }
    }

    /**
     * Runs {@code command} at virtual time now + {@code delay}: how the timeouts of this
     * simulation's timed parks and waits end. The future cancels the event.
     */
    public Future<?> schedule(Runnable command, long delay, TimeUnit unit) {
        long delayNs = Math.max(0, unit.toNanos(delay));
        long at = sim.nowNs() + delayNs;
        if (at < sim.nowNs()) {
            at = Long.MAX_VALUE - 1; // "forever"
        }
        return new Timeout(sim, sim.schedule(at, command));
    }

    /** Continuations run so far (a context switch each). */
    public long tasksRun() {
        return tasksRun;
    }

    /**
     * Threads that blocked entering a monitor and were made runnable by this scheduler once it
     * was released (handed over by the JDK's unblocker thread, see {@link #leavingWaitingList}).
     */
    public long monitorHandOffs() {
        return monitorHandOffs;
    }

    /** Instants at which the simulator fired events because every thread waited. */
    public long instantsFired() {
        return instantsFired;
    }

    /**
     * Runs {@code main} on a thread of this simulation and drives the simulation until it
     * returns; returns its result or throws what it threw. Threads still alive then stay parked
     * (they run again only in a later {@code run}).
     *
     * @throws IllegalStateException when every thread waits with no event pending (a deadlock
     *     of the program; the simulation could never go on), or another run is in progress
     */
    public <T> T run(Callable<T> main) throws Exception {
        Objects.requireNonNull(main);
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("run from a platform thread: it carries the simulation's virtual threads");
        }
        List<Object> outcome = new ArrayList<>(1);
        Thread mainThread = newThread("main-sim", () -> {
            try {
                T value = main.call();
                outcome.add(new Object[] {value});
            } catch (Throwable t) {
                outcome.add(t);
            }
        });
        synchronized (DeterministicThreads.class) {
            if (active != null) {
                throw new IllegalStateException("another deterministic run is in progress");
            }
            active = this;
        }
        try {
            started(mainThread); // without the agent's hook, the only one known
            mainThread.start();
            drive(outcome);
        } finally {
            active = null;
        }
        Object o = outcome.getFirst();
        if (o instanceof Exception e) {
            throw e;
        }
        if (o instanceof Error e) {
            throw e;
        }
        if (o instanceof Throwable t) {
            throw new IllegalStateException(t);
        }
        @SuppressWarnings("unchecked")
        T value = (T) ((Object[]) o)[0];
        return value;
    }

    private void drive(List<Object> outcome) {
        while (true) {
            Runnable task;
            while ((task = ready.poll()) != null) {
                tasksRun++;
                task.run();
                settleMonitors();
            }
            if (!outcome.isEmpty()) {
                return;
            }
            long next = sim.nextEventAtNs();
            if (next == TimerQueue.NEVER) {
                throw new IllegalStateException("every thread of the simulation waits and no event is pending at "
                        + sim.nowNs() + " ns; threads: " + describeThreads());
            }
            instantsFired++;
            sim.runUntil(next);
        }
    }

    /**
     * Called (by the agent's hook in {@code VirtualThread.start}) as a virtual thread starts:
     * remembers this simulation's threads, in the order they start, and seeds their
     * {@code ThreadLocalRandom}. Idempotent.
     */
    public void started(Thread t) {
        if (!owns(t)) {
            return;
        }
        synchronized (started) {
            if (started.contains(t)) {
                return;
            }
            started.removeIf(c -> c.getState() == Thread.State.TERMINATED);
            started.add(t);
            // ThreadLocalRandom: a seed from the simulation's, per thread in start order (a nonzero
            // probe tells ThreadLocalRandom.current() the seed is set).
            RANDOM_SEED.set(t, threadSeeds.nextLong());
            RANDOM_PROBE.set(t, threadSeeds.nextInt() | 1);
        }
    }

    /**
     * Called (by the agent's hook in {@code VirtualThread.compareAndSetOnWaitingList}) when the
     * JDK's {@code VirtualThread-unblocker} thread takes {@code t} off its waiting list: a virtual
     * thread that blocked entering a monitor is put there when the monitor is released, and made
     * runnable by that platform thread at a wall-clock moment. For this simulation's threads it
     * only records the thread (before the flag the scheduler watches is cleared, so the thread is
     * always either flagged or recorded); {@link #settleMonitors} makes it runnable.
     */
    public void leavingWaitingList(Thread t) {
        if (owns(t)) {
            unblocked.add(t);
        }
    }

    /**
     * Called (by the agent's hook in {@code VirtualThread.unblock}): true when the unblocker
     * thread's unblocking of {@code t} is to be skipped, because the simulation does it.
     */
    public boolean defersUnblock(Thread t) {
        return owns(t) && Thread.currentThread() != unblocking;
    }

    /**
     * After each task: waits until the unblocker has handed over every thread of the simulation
     * that a released monitor put on the JDK's waiting list, then makes them runnable in start
     * order.
     */
    private void settleMonitors() {
        while (true) {
            boolean pending = false;
            for (int i = 0; i < started.size(); i++) {
                if ((boolean) ON_WAITING_LIST.getVolatile(started.get(i))) {
                    pending = true;
                    break;
                }
            }
            if (!pending) {
                break;
            }
            Thread.onSpinWait();
        }
        if (unblocked.isEmpty()) {
            return;
        }
        for (int i = 0; i < started.size(); i++) {
            Thread t = started.get(i);
            if (unblocked.remove(t)) {
                monitorHandOffs++;
                unblocking = Thread.currentThread();
                try {
                    UNBLOCK.invokeExact(t);
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot unblock " + t, e);
                } finally {
                    unblocking = null;
                }
            }
        }
    }

    /** The threads created by {@link #newThread} still alive, with where they wait. */
    private String describeThreads() {
        StringBuilder b = new StringBuilder();
        for (Thread t : started) {
            if (!t.isAlive()) {
                continue;
            }
            b.append("\n  ").append(t.getName()).append(' ').append(t.getState());
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                b.append("\n      at ").append(stack[i]);
            }
        }
        return b.toString();
    }

    /** A pending simulator event as a {@link Future}, for the JDK's timeout bookkeeping. */
    private record Timeout(Simulator sim, SimEvent event) implements Future<Object> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean pending = event.isScheduled();
            sim.cancel(event);
            return pending;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return !event.isScheduled();
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** One thread runs at a time: stack calls run directly; blocked calls park. */
    private final class ThreadsRuntime implements StackRuntime {
        @Override
        public <T, X extends Throwable> T call(StackCall<T, X> op) throws X {
            return op.run();
        }

        @Override
        public <S, X extends Throwable> int callOnBytes(BytesCall<S, X> op, S self, byte[] b, int off, int len, int flags) throws X {
            return op.run(self, b, off, len, flags);
        }

        @Override
        public WaitQueue newWaitQueue() {
            return new ParkingWaitQueue();
        }
    }

    /** Waiters in arrival order; woken by the engine or by an event at their deadline. */
    private final class ParkingWaitQueue implements WaitQueue {
        private final List<Thread> waiters = new ArrayList<>(2);

        @Override
        public void await(long deadlineNs) throws InterruptedException {
            if (deadlineNs != TimerQueue.NEVER && deadlineNs - sim.nowNs() <= 0) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Thread me = Thread.currentThread();
            waiters.add(me);
            SimEvent timeout = deadlineNs == TimerQueue.NEVER ? null : sim.schedule(deadlineNs, () -> LockSupport.unpark(me));
            try {
                LockSupport.park(this);
            } finally {
                waiters.remove(me);
                if (timeout != null) {
                    sim.cancel(timeout);
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }

        @Override
        public void wakeAll() {
            int n = waiters.size();
            for (int i = 0; i < n; i++) {
                LockSupport.unpark(waiters.get(i));
            }
        }
    }
}
