package netstack4j.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import netstack4j.stack.NetStack;
import netstack4j.stack.StackRuntime;
import netstack4j.time.Clock;
import netstack4j.time.TimerQueue;
import netstack4j.trace.TraceSink;

/**
 * A deterministic discrete-event simulation: a virtual clock, one event queue, seeded random
 * generators per component, the stacks attached to it and the simulated processes that use
 * them.
 *
 * <p>Time starts at 0 and moves only from one event to the next. Events fire in order of time,
 * then of scheduling ({@link #schedule}), so ties are deterministic. A process wake-up is itself
 * an event, so virtual time advances only when every process waits.
 *
 * <p>Threading: the thread that calls {@code run*} is the <em>simulator thread</em>; events fire
 * on it. Processes run on virtual threads, each only while the simulator thread is parked in a
 * strict hand-off (a semaphore per process, one for the simulator), so exactly one thread touches
 * the simulation at any moment. Outside {@code run*} the simulation belongs to the thread that
 * created it or last ran it; setting up topology, spawning processes and scheduling events are
 * done there (or from events and processes). Nothing here is safe for concurrent use.
 *
 * <p>Always {@link #close()} a simulator (try-with-resources): it ends the virtual threads of
 * processes still waiting.
 */
public final class Simulator implements Clock, AutoCloseable {
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final long seed;
    private final netstack4j.time.DeadlineHeap<SimEvent> events = new netstack4j.time.DeadlineHeap<>();
    private final netstack4j.wire.BufferPool bufferPool = new netstack4j.wire.BufferPool(16384);
    private StackRuntime runtime = new SimRuntime(this);
    private final Baton simulatorTurn = new Baton();
    private final List<SimProcess> processes = new ArrayList<>();
    private final List<NetStack> hosts = new ArrayList<>();
    private final Map<NetStack, Integer> portCounts = new IdentityHashMap<>();
    private long nowNs;
    private long macCounter;
    private Thread ownerThread = Thread.currentThread();
    private boolean running;
    private boolean closed;
    private SimProcess current;
    private SimProcess firstFailure;
    private TraceSink trace = TraceSink.NONE;
    // The bounds of the run in progress, so a process can resume itself without a hand-off.
    private boolean loopLimited;
    private long loopLimitNs;
    private BooleanSupplier loopDone;

    public Simulator(long seed) {
        this.seed = seed;
    }

    /** The master seed every component generator derives from. */
    public long seed() {
        return seed;
    }

    @Override
    public long nowNs() {
        return nowNs;
    }

    /** The runtime that stacks of this simulation use: processes block and wake in virtual time. */
    /**
     * The frame buffers all this simulation's stacks and links share: they all run on the
     * simulator's thread, so a frame built by one host and consumed by another goes back to the
     * same pool.
     */
    public netstack4j.wire.BufferPool bufferPool() {
        return bufferPool;
    }

    public StackRuntime runtime() {
        return runtime;
    }

    /**
     * Makes hosts created from now on use {@code stackRuntime} instead of the simulated-process
     * runtime: how {@link RealTimePacer} lets plain Java threads call the stacks. Call before the
     * first host is created.
     *
     * @throws IllegalStateException when a host is already attached
     */
    void useRuntime(StackRuntime stackRuntime) {
        if (!hosts.isEmpty()) {
            throw new IllegalStateException("hosts already use the simulator's runtime");
        }
        this.runtime = Objects.requireNonNull(stackRuntime);
    }

    /** The time of the earliest pending event, or {@link TimerQueue#NEVER} when none is pending. */
    public long nextEventAtNs() {
        SimEvent e = events.peek();
        return e == null ? TimerQueue.NEVER : e.atNs();
    }

    /** The trace sink given to hosts created from now on by {@link #newHost}/{@link #newRouter}. */
    public void setTrace(TraceSink trace) {
        this.trace = Objects.requireNonNull(trace);
    }

    public TraceSink trace() {
        return trace;
    }

    // ---------------------------------------------------------------- randomness

    /**
     * A generator for the component called {@code componentName}, derived from the master seed
     * and the name (FNV-1a over the UTF-8 name, mixed with the seed by SplitMix64's finaliser), so
     * it is the same in every JVM and does not depend on the order components are created in.
     * Each call returns a fresh generator at the start of the stream.
     */
    public SplittableRandom random(String componentName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : componentName.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(mix(seed ^ mix(h)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- events

    /** Runs {@code action} at {@code atNs} (not before now). Allocates one small event. */
    public SimEvent schedule(long atNs, Runnable action) {
        Objects.requireNonNull(action);
        SimEvent e = new SimEvent() {
            @Override
            protected void fire() {
                action.run();
            }
        };
        schedule(e, atNs);
        return e;
    }

    /** Runs {@code action} {@code delayNs} from now. */
    public SimEvent scheduleAfter(long delayNs, Runnable action) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("negative delay " + delayNs);
        }
        return schedule(nowNs + delayNs, action);
    }

    /**
     * Schedules a reusable event at {@code atNs}; if it is pending, moves it (it then fires after
     * every event already scheduled for the same instant).
     */
    public void schedule(SimEvent event, long atNs) {
        if (atNs - nowNs < 0) {
            throw new IllegalArgumentException("event at " + atNs + "ns is before now (" + nowNs + "ns)");
        }
        events.schedule(event, atNs);
    }

    /** Removes a pending event; does nothing when it is not pending. */
    public void cancel(SimEvent event) {
        events.cancel(event);
    }

    /** Number of pending events. */
    public int pendingEvents() {
        return events.size();
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs until no event is pending (every process finished or waits without a deadline).
     * Does not return while something keeps re-arming (a process sleeping in a loop, a periodic
     * stack timer); use {@link #runFor} or {@link #runUntil} then.
     *
     * @throws SimulationException when a process failed
     */
    public void run() {
        loop(null, 0, false);
    }

    /** Runs every event up to and including {@code nowNs() + durationNs}, then sets the clock there. */
    public void runFor(long durationNs) {
        if (durationNs < 0) {
            throw new IllegalArgumentException("negative duration " + durationNs);
        }
        runUntil(nowNs + durationNs);
    }

    /** Runs every event up to and including {@code timeNs}, then sets the clock to {@code timeNs}. */
    public void runUntil(long timeNs) {
        if (timeNs - nowNs < 0) {
            throw new IllegalArgumentException("time " + timeNs + "ns is before now (" + nowNs + "ns)");
        }
        loop(null, timeNs, true);
    }

    /**
     * Runs until {@code done} is true (checked before each event; the clock stays at the event
     * that made it true) or until {@code limitNs}, whichever comes first, or until nothing is
     * pending. Returns {@code done}'s final value.
     */
    public boolean runUntil(BooleanSupplier done, long limitNs) {
        Objects.requireNonNull(done);
        return loop(done, limitNs, true);
    }

    private boolean loop(BooleanSupplier done, long limitNs, boolean limited) {
        if (!Thread.currentThread().isVirtual()) {
            return loopOnVirtualThread(done, limitNs, limited);
        }
        enter();
        loopLimited = limited;
        loopLimitNs = limitNs;
        loopDone = done;
        try {
            while (true) {
                if (done != null && done.getAsBoolean()) {
                    return true;
                }
                SimEvent e = events.peek();
                if (e == null || (limited && e.atNs() - limitNs > 0)) {
                    if (limited && limitNs - nowNs > 0) {
                        nowNs = limitNs;
                    }
                    return done != null && done.getAsBoolean();
                }
                events.poll();
                nowNs = e.atNs();
                e.fire();
                if (firstFailure != null) {
                    throw new SimulationException(firstFailure, firstFailure.failure());
                }
            }
        } finally {
            running = false;
            loopDone = null;
        }
    }

    /**
     * Runs the loop on a virtual thread and waits for it. Processes are virtual threads; a
     * hand-off between two virtual threads costs about a microsecond, while one between a
     * platform thread and a virtual thread costs tens (it wakes an OS thread each way).
     */
    private boolean loopOnVirtualThread(BooleanSupplier done, long limitNs, boolean limited) {
        Thread caller = Thread.currentThread();
        boolean[] result = new boolean[1];
        Throwable[] thrown = new Throwable[1];
        Thread loopThread = Thread.ofVirtual().name("simulator").unstarted(() -> {
            try {
                result[0] = loop(done, limitNs, limited);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        ownerThread = loopThread;
        loopThread.start();
        boolean interrupted = false;
        while (true) {
            try {
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        ownerThread = caller;
        if (interrupted) {
            caller.interrupt();
        }
        if (thrown[0] instanceof RuntimeException re) {
            throw re;
        }
        if (thrown[0] instanceof Error err) {
            throw err;
        }
        return result[0];
    }

    private void enter() {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        if (running) {
            throw new IllegalStateException("simulator is already running (run* called from an event or process?)");
        }
        if (firstFailure != null) {
            throw new SimulationException(firstFailure, firstFailure.failure());
        }
        ownerThread = Thread.currentThread();
        running = true;
    }

    /** True when the calling thread may touch the simulation now. */
    boolean isOwnerThread() {
        Thread t = Thread.currentThread();
        return current != null ? current.thread() == t : ownerThread == t;
    }

    // ---------------------------------------------------------------- processes

    /** Starts a process at the current virtual time (it runs when its start event fires). */
    public SimProcess spawn(String name, ProcessBody body) {
        return spawn(null, name, body);
    }

    /** Starts a process that uses {@code host} ({@link ProcessContext#host()}). */
    public SimProcess spawn(NetStack host, String name, ProcessBody body) {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        if (!isOwnerThread()) {
            throw new IllegalStateException("spawn from a thread that does not own the simulation");
        }
        SimProcess p = new SimProcess(this, host, name, Objects.requireNonNull(body));
        processes.add(p);
        schedule(p.resumeEvent(), nowNs);
        return p;
    }

    /** Every process spawned so far, in spawn order. */
    public List<SimProcess> processes() {
        return List.copyOf(processes);
    }

    /** The process running now, or null on the simulator thread. */
    SimProcess currentProcess() {
        return current;
    }

    /** Hands control to {@code p} and parks the simulator thread until it waits or ends. */
    void resume(SimProcess p) {
        current = p;
        p.handOffTo();
        simulatorTurn.take();
        current = null;
    }

    /**
     * Called on the thread of the running process {@code p} when it is about to wait: when the
     * next thing the run loop would do is fire {@code p}'s own resume event, does exactly that
     * (advances the clock and consumes the event) and returns true, so {@code p} continues
     * without two thread hand-offs. A process sleeping in a loop thus costs no context switch.
     */
    boolean tryResumeInPlace(SimProcess p) {
        SimEvent next = events.peek();
        if (next != p.resumeEvent() || firstFailure != null) {
            return false;
        }
        if (loopLimited && next.atNs() - loopLimitNs > 0) {
            return false;
        }
        if (loopDone != null && loopDone.getAsBoolean()) {
            return false;
        }
        events.poll();
        nowNs = next.atNs();
        return true;
    }

    /** Called on a process thread: gives control back to the simulator thread. */
    void yieldToSimulator() {
        simulatorTurn.give();
    }

    /** Called by an ending process that failed. */
    void recordFailure(SimProcess p) {
        if (firstFailure == null) {
            firstFailure = p;
        }
    }

    // ---------------------------------------------------------------- hosts

    /** A host wired to this simulation: virtual clock, simulated runtime, seed from its name. */
    public NetStack newHost(String name) {
        return attach(builderFor(name).build());
    }

    /** A host with its own configuration (a personality's defaults, other sysctls). */
    public NetStack newHost(String name, netstack4j.stack.StackConfig config) {
        return attach(builderFor(name).config(config).build());
    }

    /** A host that forwards IP packets (a router). */
    public NetStack newRouter(String name) {
        return attach(builderFor(name).forwarding(true).build());
    }

    /**
     * The builder {@link #newHost} starts from: clock, runtime, seed and trace set. Build it and
     * pass the stack to {@link #attach}.
     */
    public NetStack.Builder builderFor(String name) {
        return NetStack.builder(name)
                .clock(this)
                .runtime(runtime)
                .bufferPool(bufferPool)
                .seed(random("host:" + name).nextLong())
                .trace(trace);
    }

    /**
     * Lets the simulation drive {@code stack}'s timers: whenever its earliest deadline moves
     * earlier, one poll event is (re)scheduled at that deadline; after each poll it is re-armed
     * for the next {@link NetStack#pollAtNs()}. At most one poll event per host is pending.
     *
     * @throws IllegalArgumentException when the stack does not use this simulator's clock and runtime
     */
    public NetStack attach(NetStack stack) {
        if (stack.clock() != this || stack.runtime() != runtime) {
            throw new IllegalArgumentException(stack + " does not use this simulator's clock and runtime");
        }
        if (portCounts.containsKey(stack)) {
            throw new IllegalArgumentException(stack + " is already attached");
        }
        portCounts.put(stack, 0);
        hosts.add(stack);
        HostPoller poller = new HostPoller(stack);
        stack.setWakeupListener(poller::wakeAt);
        poller.wakeAt(stack.pollAtNs());
        return stack;
    }

    /** The attached stacks, in attach order. */
    public List<NetStack> hosts() {
        return List.copyOf(hosts);
    }

    /** The next free interface name on {@code host}: {@code eth0}, {@code eth1}, … */
    String nextPortName(NetStack host) {
        Integer n = portCounts.get(host);
        if (n == null) {
            throw new IllegalArgumentException(host + " is not attached to this simulator");
        }
        portCounts.put(host, n + 1);
        return "eth" + n;
    }

    /** A fresh, deterministic locally administered MAC address. */
    long nextMacId() {
        return ++macCounter;
    }

    // ---------------------------------------------------------------- links

    /** A point-to-point link between two free-standing ports named {@code nameA} and {@code nameB}. */
    public SimLink newLink(String nameA, String nameB, LinkParams params) {
        return new SimLink(this, nameA + "-" + nameB, nameA, nameB, params, params);
    }

    /**
     * A point-to-point cable between two attached hosts, each side a new {@code ethN}. Add the
     * addresses with {@code host.addInterface(link.a(), …)} and {@code link.b()}.
     */
    public SimLink connect(NetStack a, NetStack b, LinkParams params) {
        String pa = nextPortName(a);
        String pb = nextPortName(b);
        return new SimLink(this, a.name() + "." + pa + "-" + b.name() + "." + pb, pa, pb, params, params);
    }

    /** A learning switch with {@code portQueueLimitBytes} of output queue per port. */
    public SimSwitch newSwitch(String name, int portQueueLimitBytes) {
        return new SimSwitch(this, name, portQueueLimitBytes);
    }

    /** A learning switch with the default output queue ({@link LinkParams#DEFAULT_QUEUE_LIMIT_BYTES}). */
    public SimSwitch newSwitch(String name) {
        return newSwitch(name, LinkParams.DEFAULT_QUEUE_LIMIT_BYTES);
    }

    /** Cuts {@code links} now; {@link Partition#heal()} restores them. */
    public Partition partition(Collection<SimLink> links) {
        Partition p = new Partition(this, links);
        p.cut();
        return p;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Ends every process still waiting: each in turn is resumed with its pending
     * {@code sleep}/{@code await} throwing {@link InterruptedException} (and its thread
     * interrupted), and the simulator waits for it to end (at most a few seconds of wall time
     * per process, so a body that swallows interrupts forever cannot hang the caller). Processes
     * not yet started are dropped. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (running) {
            throw new IllegalStateException("close() while the simulator is running");
        }
        closed = true;
        for (SimProcess p : processes) {
            if (p.isDone()) {
                continue;
            }
            if (p.thread() == null) {
                p.markCancelled();
                continue;
            }
            current = p;
            p.kill();
            try {
                simulatorTurn.take(TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS));
            } finally {
                current = null;
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Simulator[seed=" + seed + ", now=" + nowNs + "ns, pending=" + events.size() + "]";
    }

    /** Drives one stack's timers with a single reusable event. */
    private final class HostPoller extends SimEvent {
        private final NetStack stack;

        HostPoller(NetStack stack) {
            this.stack = stack;
        }

        void wakeAt(long deadlineNs) {
            if (deadlineNs == TimerQueue.NEVER) {
                return;
            }
            long at = deadlineNs - nowNs < 0 ? nowNs : deadlineNs;
            if (!isScheduled() || at - atNs() < 0) {
                events.schedule(this, at);
            }
        }

        @Override
        protected void fire() {
            stack.poll(nowNs);
            wakeAt(stack.pollAtNs());
        }
    }
}
