package netstack4j.sim;

import java.time.Duration;
import netstack4j.stack.NetStack;

/**
 * What a simulated process sees of the simulation: virtual time, sleeping, its host.
 *
 * <p>Threading: call only from the process's own virtual thread.
 */
public final class ProcessContext {
    private final SimProcess process;

    ProcessContext(SimProcess process) {
        this.process = process;
    }

    /** The context of the process whose thread is calling, or null outside a process. */
    public static ProcessContext current() {
        SimProcess p = SimProcess.current();
        return p == null ? null : p.context();
    }

    public long nowNs() {
        return process.simulator().nowNs();
    }

    /**
     * Waits {@code ns} of virtual time; other processes and events run meanwhile.
     * {@code sleep(0)} lets everything already scheduled for now run first.
     */
    public void sleep(long ns) throws InterruptedException {
        if (ns < 0) {
            throw new IllegalArgumentException("negative sleep " + ns);
        }
        process.sleepUntil(nowNs() + ns);
    }

    public void sleep(Duration d) throws InterruptedException {
        sleep(d.toNanos());
    }

    /** Waits until the virtual clock reaches {@code atNs} (returns at once if it has). */
    public void sleepUntil(long atNs) throws InterruptedException {
        process.sleepUntil(atNs - nowNs() < 0 ? nowNs() : atNs);
    }

    /** The host the process was spawned on, or null. */
    public NetStack host() {
        return process.host();
    }

    public Simulator simulator() {
        return process.simulator();
    }

    public SimProcess process() {
        return process;
    }

    /** Starts another process on the same host at the current time. */
    public SimProcess spawn(String name, ProcessBody body) {
        return process.simulator().spawn(process.host(), name, body);
    }
}
