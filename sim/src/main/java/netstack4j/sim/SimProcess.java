package netstack4j.sim;

import netstack4j.stack.NetStack;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * A simulated process: application code written as ordinary blocking code, run on its own
 * virtual thread but only while the simulator hands it control. It gives control back whenever
 * it waits ({@link ProcessContext#sleep}, {@link WaitQueue#await} of the simulated runtime,
 * {@link #awaitDone()}) or ends; the wake-up is an event in virtual time.
 *
 * <p>An exception thrown by the body is recorded ({@link #failure()}) and makes the running
 * {@code Simulator.run*} stop and throw {@link SimulationException}.
 *
 * <p>Threading: state is touched only by the thread that currently owns the simulation; the
 * hand-off batons order every access.
 */
public final class SimProcess {
    private static final ThreadLocal<SimProcess> CURRENT = new ThreadLocal<>();

    private final Simulator sim;
    private final NetStack host;
    private final String name;
    private final ProcessBody body;
    private final ProcessContext context;
    private final Baton turn = new Baton();
    private final SimEvent resumeEvent = new SimEvent() {
        @Override
        protected void fire() {
            sim.resume(SimProcess.this);
        }
    };
    private final WaitQueue doneWaiters;
    private Thread thread;
    private boolean done;
    private boolean killed;
    private Throwable failure;
    private long failedAtNs;
    private SimRuntime.SimWaitQueue waitingOn;

    SimProcess(Simulator sim, NetStack host, String name, ProcessBody body) {
        this.sim = sim;
        this.host = host;
        this.name = name;
        this.body = body;
        this.context = new ProcessContext(this);
        this.doneWaiters = sim.runtime().newWaitQueue();
    }

    /** The process whose virtual thread is calling, or null when not called from a process. */
    public static SimProcess current() {
        return CURRENT.get();
    }

    public String name() {
        return name;
    }

    /** The host the process was spawned on, or null. */
    public NetStack host() {
        return host;
    }

    public Simulator simulator() {
        return sim;
    }

    public ProcessContext context() {
        return context;
    }

    /** True once the body returned, threw, or the simulator was closed. */
    public boolean isDone() {
        return done;
    }

    /** What the body threw, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Virtual time at which the body threw; meaningless while {@link #failure()} is null. */
    public long failedAtNs() {
        return failedAtNs;
    }

    /** Waits (from another process) until this process is done. */
    public void awaitDone() throws InterruptedException {
        while (!done) {
            doneWaiters.await(TimerQueue.NEVER);
        }
    }

    /**
     * Waits (from another process) until this process is done or the clock reaches
     * {@code deadlineNs}; returns {@link #isDone()}.
     */
    public boolean awaitDone(long deadlineNs) throws InterruptedException {
        while (!done && deadlineNs - sim.nowNs() > 0) {
            doneWaiters.await(deadlineNs);
        }
        return done;
    }

    @Override
    public String toString() {
        return "SimProcess[" + name + (done ? (failure != null ? ", failed" : ", done") : "") + "]";
    }

    // ---------------------------------------------------------------- simulator side

    Thread thread() {
        return thread;
    }

    SimEvent resumeEvent() {
        return resumeEvent;
    }

    SimRuntime.SimWaitQueue waitingOn() {
        return waitingOn;
    }

    void setWaitingOn(SimRuntime.SimWaitQueue q) {
        this.waitingOn = q;
    }

    /** On the simulator thread: let the process run (first call starts its virtual thread). */
    void handOffTo() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("sim-process-" + name).unstarted(this::main);
            thread.start();
        } else {
            turn.give();
        }
    }

    /** On the simulator thread during close: make the pending wait throw, then let it run. */
    void kill() {
        killed = true;
        sim.cancel(resumeEvent);
        thread.interrupt();
        turn.give();
    }

    void markCancelled() {
        killed = true;
        done = true;
        sim.cancel(resumeEvent);
    }

    // ---------------------------------------------------------------- process side

    /** Throws unless the caller is this process's thread while it holds the simulation. */
    void checkRunning() {
        if (Thread.currentThread() != thread || sim.currentProcess() != this) {
            throw new IllegalStateException("not called from simulated process '" + name + "'");
        }
    }

    /** On the process thread: gives control to the simulator until the resume event fires. */
    void park() throws InterruptedException {
        if (killed) {
            throw new InterruptedException("simulation closed");
        }
        if (sim.tryResumeInPlace(this)) {
            return;
        }
        sim.yieldToSimulator();
        turn.take();
        if (killed) {
            throw new InterruptedException("simulation closed");
        }
    }

    void sleepUntil(long atNs) throws InterruptedException {
        checkRunning();
        sim.schedule(resumeEvent, atNs);
        park();
    }

    private void main() {
        CURRENT.set(this);
        try {
            body.run(context);
        } catch (Throwable t) {
            if (!killed) {
                failure = t;
                failedAtNs = sim.nowNs();
                sim.recordFailure(this);
            }
        } finally {
            done = true;
            CURRENT.remove();
            if (!killed) {
                doneWaiters.wakeAll();
            }
            sim.yieldToSimulator();
        }
    }
}
