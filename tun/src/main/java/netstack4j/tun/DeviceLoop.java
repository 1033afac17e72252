package netstack4j.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.stack.LockingRuntime;
import netstack4j.stack.NetStack;
import netstack4j.time.Clock;
import netstack4j.time.TimerQueue;
import netstack4j.trace.TraceEvent;

/**
 * The real-time runtime of a stack on TUN/TAP devices: one platform thread owns the stack (it
 * holds the {@link LockingRuntime} lock) while it reads the frames that are waiting, in batches
 * of {@link #BATCH} per device, runs the tasks handed to it and the timers that are due at the
 * wall clock's now, and then waits in {@code ppoll(2)} on the devices and an {@code eventfd(2)}
 * until a frame arrives, the next deadline comes, or another thread needs it. The engine code is
 * the one the simulator drives; only the clock and the wait differ.
 *
 * <p>Application threads call sockets directly: they take the lock for the length of a call,
 * like system calls into a kernel (see {@link netstack4j.stack.EventLoop}, which this loop is the
 * device-driven twin of). A call that arms an earlier timer than the loop sleeps to, or a task
 * queued with {@link #execute}, writes the eventfd so that the loop wakes; nothing else does.
 *
 * <p>Thread-safe. Devices are closed by {@link #close} after the loop thread has stopped, so
 * the kernel removes their interfaces.
 */
public final class DeviceLoop implements AutoCloseable {
    /** Frames read from one device per turn before timers and other devices get their turn. */
    public static final int BATCH = 64;

    private final String name;
    private final Clock clock;
    private final LockingRuntime runtime;
    private final ReentrantLock lock;
    private final List<TunDevice> devices = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment loopErrno = LinuxCalls.newErrnoState(arena);
    /** errno of eventfd writes from any thread; never read, so sharing it is harmless. */
    private final MemorySegment wakeErrno = LinuxCalls.newErrnoState(arena);
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    private final int eventFd;
    private NetStack stack;
    private MemorySegment pollFds;
    private MemorySegment timeout;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean sleeping;
    private volatile long nextDeadlineNs = TimerQueue.NEVER;
    private long turns;
    private long wakeups;

    public DeviceLoop(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.runtime = new LockingRuntime(clock);
        this.lock = runtime.lock();
        int efd = LinuxCalls.eventfd(loopErrno, 0, LinuxCalls.EFD_NONBLOCK | LinuxCalls.EFD_CLOEXEC);
        if (efd < 0) {
            throw new IllegalStateException("eventfd failed: " + LinuxCalls.errnoName(-efd));
        }
        this.eventFd = efd;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** The runtime to build the stack with. */
    public LockingRuntime runtime() {
        return runtime;
    }

    /** Adds a device whose frames this loop reads; before {@link #start}. The loop closes it. */
    public synchronized void add(TunDevice device) {
        if (thread != null) {
            throw new IllegalStateException("add devices before start");
        }
        devices.add(device);
        device.setWakeup(this::wake);
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
        pollFds = arena.allocate(LinuxCalls.POLLFD, devices.size() + 1L);
        for (int i = 0; i <= devices.size(); i++) {
            int fd = i < devices.size() ? devices.get(i).fd() : eventFd;
            LinuxCalls.POLLFD_FD.set(pollFds, (long) i * LinuxCalls.POLLFD.byteSize(), fd);
            LinuxCalls.POLLFD_EVENTS.set(pollFds, (long) i * LinuxCalls.POLLFD.byteSize(), LinuxCalls.POLLIN);
        }
        timeout = arena.allocate(16, 8);
        runtime.call(() -> {
            s.setWakeupListener(this::earlierDeadline);
            return null;
        });
        thread = Thread.ofPlatform().name("netstack-" + name).daemon(true).start(this::run);
    }

    /** Runs {@code task} on the loop as the stack's owner. */
    public void execute(Runnable task) {
        work.add(task);
        wake();
    }

    /** Called with the stack lock held whenever a timer becomes the stack's earliest deadline. */
    private void earlierDeadline(long deadlineNs) {
        if (deadlineNs - nextDeadlineNs < 0) {
            nextDeadlineNs = deadlineNs;
            wake();
        }
    }

    private void wake() {
        if (sleeping) {
            LinuxCalls.write(wakeErrno, eventFd, one, 8);
        }
    }

    private void run() {
        MemorySegment drain = arena.allocate(ValueLayout.JAVA_LONG);
        while (!stopping) {
            boolean more = false;
            lock.lock();
            try {
                turns++;
                Runnable task;
                while ((task = work.poll()) != null) {
                    runSafely(task);
                }
                for (int i = 0; i < devices.size(); i++) {
                    more |= receiveSafely(devices.get(i)) == BATCH;
                }
                stack.poll(clock.nowNs());
                nextDeadlineNs = stack.pollAtNs();
                for (int i = 0; i < devices.size(); i++) {
                    more |= devices.get(i).hasSynthesized();
                }
            } finally {
                lock.unlock();
            }
            if (more || !work.isEmpty() || stopping) {
                continue;
            }
            sleeping = true;
            if (work.isEmpty() && !stopping) {
                // Read the deadline after announcing the sleep: a thread that arms an earlier timer
                // from now on sees sleeping and writes the eventfd.
                sleep(nextDeadlineNs, drain);
            }
            sleeping = false;
        }
    }

    private void sleep(long deadlineNs, MemorySegment drain) {
        MemorySegment ts = MemorySegment.NULL;
        if (deadlineNs != TimerQueue.NEVER) {
            long waitNs = Math.max(0, deadlineNs - clock.nowNs());
            timeout.set(ValueLayout.JAVA_LONG, 0, waitNs / 1_000_000_000L);
            timeout.set(ValueLayout.JAVA_LONG, 8, waitNs % 1_000_000_000L);
            ts = timeout;
        }
        int r = LinuxCalls.ppoll(loopErrno, pollFds, devices.size() + 1L, ts);
        if (r <= 0) {
            return;
        }
        long eventRevents = (short) LinuxCalls.POLLFD_REVENTS.get(pollFds, (long) devices.size() * LinuxCalls.POLLFD.byteSize());
        if (eventRevents != 0) {
            wakeups++;
            LinuxCalls.read(loopErrno, eventFd, drain, 8);
        }
        for (int i = 0; i < devices.size(); i++) {
            long at = (long) i * LinuxCalls.POLLFD.byteSize();
            short revents = (short) LinuxCalls.POLLFD_REVENTS.get(pollFds, at);
            if ((revents & (LinuxCalls.POLLERR | LinuxCalls.POLLHUP | LinuxCalls.POLLNVAL)) != 0) {
                // The interface went away under us (ip link del): stop waiting on it, or ppoll
                // would return at once for ever. A negative descriptor is ignored by ppoll.
                LinuxCalls.POLLFD_FD.set(pollFds, at, -1);
                String gone = devices.get(i).name();
                lock.lock();
                try {
                    stack.trace(TraceEvent.Kind.DROP, gone, "device gone (poll events 0x" + Integer.toHexString(revents & 0xffff) + ")");
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private int receiveSafely(TunDevice d) {
        try {
            return d.receive(stack.buffers(), BATCH);
        } catch (RuntimeException e) {
            // A failure while handling one frame must not stop the host (as EventLoop does).
            stack.trace(TraceEvent.Kind.DROP, d.name(), "receive failed: " + e);
            return 0;
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            stack.trace(TraceEvent.Kind.DROP, "loop", "task failed: " + e);
        }
    }

    /** Turns of the loop so far (each reads, runs tasks and timers once). */
    public long turns() {
        return turns;
    }

    /** Times another thread woke the loop through the eventfd. */
    public long wakeups() {
        return wakeups;
    }

    /** Stops the loop thread, then closes the devices (the kernel removes them). Idempotent. */
    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            sleeping = true;
            wake();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (TunDevice d : devices) {
                d.close();
            }
        }
    }

    @Override
    public String toString() {
        return "DeviceLoop[" + name + "]";
    }
}
