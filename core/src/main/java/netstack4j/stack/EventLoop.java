package netstack4j.stack;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.time.Clock;
import netstack4j.time.TimerQueue;

/**
 * Drives a real (non-simulated) stack: one thread that owns the stack while it runs the work
 * devices hand it (received frames) and the timers that fall due, and sleeps in between until
 * the next deadline or new work. Application threads call sockets directly; the stack's
 * {@link LockingRuntime} lock makes them take turns with this thread, like system calls with
 * the kernel's softirq.
 *
 * <p>{@link #execute} never takes the stack's lock (it queues and unparks), so two stacks whose
 * devices feed each other cannot deadlock.
 *
 * <p>Build the stack with {@code .runtime(loop.runtime())} and a real clock, then
 * {@link #start}. Thread-safe.
 */
public final class EventLoop implements AutoCloseable {
    private final LockingRuntime runtime;
    private final ReentrantLock lock;
    private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
    private final String name;
    private final Clock clock;
    private NetStack stack;
    private volatile Thread thread;
    private volatile boolean stopping;
    /** The earliest deadline the loop knows of; lowered by whoever arms an earlier timer. */
    private volatile long nextDeadlineNs = TimerQueue.NEVER;

    public EventLoop(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.runtime = new LockingRuntime(clock);
        this.lock = runtime.lock();
    }

    /** The runtime to build the stack with. */
    public LockingRuntime runtime() {
        return runtime;
    }

    /** Starts driving {@code s}, which must have been built with {@link #runtime()}. */
    public synchronized void start(NetStack s) {
        if (s.runtime() != runtime) {
            throw new IllegalArgumentException("the stack was not built with this loop's runtime");
        }
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        this.stack = s;
        runtime.call(() -> {
            s.setWakeupListener(this::earlierDeadline);
            return null;
        });
        thread = Thread.ofPlatform().name("netstack-" + name).daemon(true).start(this::run);
    }

    /** Runs {@code task} on the loop as the stack's owner (a device delivering a frame). */
    public void execute(Runnable task) {
        work.add(task);
        LockSupport.unpark(thread);
    }

    /** Called (with the stack lock held) whenever a timer becomes the earliest deadline. */
    private void earlierDeadline(long deadlineNs) {
        if (deadlineNs - nextDeadlineNs < 0) {
            nextDeadlineNs = deadlineNs;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!stopping) {
            lock.lock();
            try {
                Runnable task;
                while ((task = work.poll()) != null) {
                    runSafely(task);
                }
                stack.poll(clock.nowNs());
                nextDeadlineNs = stack.pollAtNs();
            } finally {
                lock.unlock();
            }
            if (!work.isEmpty() || stopping) {
                continue;
            }
            long deadline = nextDeadlineNs;
            if (deadline == TimerQueue.NEVER) {
                LockSupport.park(this);
            } else {
                long wait = deadline - clock.nowNs();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A failure while handling one frame must not stop the host: it is traced and the
            // loop goes on, as a kernel logs a warning and carries on.
            stack.trace(netstack4j.trace.TraceEvent.Kind.DROP, "loop", "task failed: " + e);
        }
    }

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
        return "EventLoop[" + name + "]";
    }
}
