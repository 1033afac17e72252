package netstack4j.sim;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.stack.StackRuntime;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * Runs a {@link Simulator} against the wall clock, so that plain Java threads (an
 * {@code HttpClient}'s selector thread, an executor, Netty's event loops) can use its stacks
 * while the network between them stays simulated: delays, loss, partitions as the links say.
 *
 * <p>How: one pacer thread advances virtual time to track the wall clock (virtual time = wall
 * time since {@link #start()} times the {@linkplain #speed() speed}, plus the virtual time at
 * start), firing the events that fall due
 * and sleeping until the next one. One lock stands for ownership of the whole simulation (every
 * stack, link and the event queue, which all run on one thread in a normal simulation): the
 * pacer holds it while it fires events, an application thread holds it for the length of a
 * stack call ({@link StackRuntime#call}) and gives it up while it waits. A timed wait ends when
 * virtual time reaches its deadline (an event the waiter schedules), never on the wall clock.
 * This is {@link netstack4j.stack.LockingRuntime} and {@link netstack4j.stack.EventLoop} with the
 * simulator's event queue in place of a real device.
 *
 * <p>What stays deterministic: each direction of each link draws its faults from its own seeded
 * generator in the order frames arrive (with loss alone, one draw per frame, so the n-th frame
 * is lost or not alike in every run with the seed); a stack's seeded choices come in the order
 * it makes them (ephemeral ports). What does not: when application threads run, hence which
 * frames exist and at which virtual time, everything derived from the clock (initial sequence
 * numbers, RFC 6528; timestamps; RTT and timers), so packet traces differ from run to run.
 *
 * <p>Use: create the pacer right after the simulator, before any host (hosts created later use
 * its runtime), build the topology, then {@link #start()}; {@link #close()} stops the pacer.
 * Touch the simulation (links, partitions, counters) only inside {@link #call} once started.
 *
 * <p>Thread-safe.
 */
public final class RealTimePacer implements AutoCloseable {
    private final Simulator sim;
    private final ReentrantLock lock = new ReentrantLock();
    private final PacedRuntime runtime = new PacedRuntime();
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException failure;
    /** The virtual time the pacer will next wake at (guarded by the lock when written). */
    private volatile long plannedWakeNs = TimerQueue.NEVER;
    private final double speed;
    private long wallOriginNs;
    private long virtualOriginNs;

    /**
     * Paces {@code sim} at the speed of the wall clock: hosts it creates from now on use this
     * pacer's runtime.
     *
     * @throws IllegalStateException when the simulator already has hosts
     */
    public RealTimePacer(Simulator sim) {
        this(sim, 1.0);
    }

    /**
     * Paces {@code sim} at {@code speed} virtual seconds per wall-clock second: above 1 a lossy,
     * high-delay network runs faster than real time (while the CPU keeps up), at the price that
     * whatever the applications time on the wall clock (their own timeouts) looks that many
     * times longer to the network.
     *
     * @throws IllegalArgumentException when {@code speed} is not positive
     * @throws IllegalStateException when the simulator already has hosts
     */
    public RealTimePacer(Simulator sim, double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be positive: " + speed);
        }
        this.sim = Objects.requireNonNull(sim, "sim");
        this.speed = speed;
        sim.useRuntime(runtime);
    }

    /** Virtual seconds per wall-clock second. */
    public double speed() {
        return speed;
    }

    /** The simulator this pacer drives. */
    public Simulator simulator() {
        return sim;
    }

    /** The runtime the paced hosts use. */
    public StackRuntime runtime() {
        return runtime;
    }

    /** Starts the pacer thread; virtual time then follows the wall clock. */
    public synchronized RealTimePacer start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        wallOriginNs = System.nanoTime();
        virtualOriginNs = sim.nowNs();
        // A virtual thread: the simulator's loop runs on one in place (Simulator#loop).
        thread = Thread.ofVirtual().name("netstack-sim-pacer").start(this::pace);
        return this;
    }

    /** Runs {@code op} as the owner of the simulation (to cut a link, read counters...). */
    public <T, X extends Throwable> T call(StackRuntime.StackCall<T, X> op) throws X {
        return runtime.call(op);
    }

    /** Runs {@code action} as the owner of the simulation. */
    public void run(Runnable action) {
        runtime.call(() -> {
            action.run();
            return null;
        });
    }

    /** The failure that stopped the pacer (an event threw), or null. */
    public RuntimeException failure() {
        return failure;
    }

    private long wallVirtualNowNs() {
        return virtualOriginNs + (long) ((System.nanoTime() - wallOriginNs) * speed);
    }

    private void pace() {
        while (!stopping) {
            long next;
            lock.lock();
            try {
                long target = wallVirtualNowNs();
                if (target - sim.nowNs() > 0) {
                    sim.runUntil(target);
                }
                next = sim.nextEventAtNs();
                plannedWakeNs = next;
            } catch (RuntimeException e) {
                failure = e;
                stopping = true;
                return;
            } finally {
                lock.unlock();
            }
            if (stopping) {
                return;
            }
            if (next == TimerQueue.NEVER) {
                LockSupport.park(this);
            } else {
                long waitNs = (long) ((next - wallVirtualNowNs()) / speed);
                if (waitNs > 0) {
                    LockSupport.parkNanos(this, waitNs);
                }
            }
        }
    }

    /** Wakes the pacer when the owner scheduled an event earlier than its planned wake-up. */
    private void nudgeIfEarlier() {
        Thread t = thread;
        if (t != null && sim.nextEventAtNs() - plannedWakeNs < 0) {
            plannedWakeNs = sim.nextEventAtNs();
            LockSupport.unpark(t);
        }
    }

    /** Stops the pacer thread; virtual time stops. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RealTimePacer[" + sim + "]";
    }

    /** Application threads take turns with the pacer through one lock. */
    private final class PacedRuntime implements StackRuntime {
        @Override
        public <T, X extends Throwable> T call(StackCall<T, X> op) throws X {
            lock.lock();
            try {
                return op.run();
            } finally {
                if (lock.getHoldCount() == 1) {
                    nudgeIfEarlier();
                }
                lock.unlock();
            }
        }

        @Override
        public <S, X extends Throwable> int callOnBytes(BytesCall<S, X> op, S self, byte[] b, int off, int len, int flags) throws X {
            lock.lock();
            try {
                return op.run(self, b, off, len, flags);
            } finally {
                if (lock.getHoldCount() == 1) {
                    nudgeIfEarlier();
                }
                lock.unlock();
            }
        }

        @Override
        public WaitQueue newWaitQueue() {
            return new PacedWaitQueue(lock.newCondition());
        }
    }

    /** A condition of the simulation's lock; timed waits end by an event at their deadline. */
    private final class PacedWaitQueue implements WaitQueue {
        private final Condition condition;

        PacedWaitQueue(Condition condition) {
            this.condition = condition;
        }

        @Override
        public void await(long deadlineNs) throws InterruptedException {
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("await outside a stack call");
            }
            if (deadlineNs == TimerQueue.NEVER) {
                nudgeIfEarlier();
                condition.await();
                return;
            }
            if (deadlineNs - sim.nowNs() <= 0) {
                return;
            }
            SimEvent timeout = sim.schedule(deadlineNs, condition::signalAll);
            nudgeIfEarlier();
            try {
                condition.await();
            } finally {
                sim.cancel(timeout);
            }
        }

        @Override
        public void wakeAll() {
            condition.signalAll();
        }
    }
}
