package netstack4j.cli;

import java.util.function.LongConsumer;
import netstack4j.sim.SimEvent;
import netstack4j.sim.Simulator;

/**
 * Progress of a long simulated run, reported about once a wall-clock second. The simulation is
 * single-threaded virtual time, so nothing else can look at the wall clock while it runs: this is
 * a simulated event, every millisecond of simulated time, that reads {@link System#nanoTime()}
 * (fine in a tool; never in the stack) and calls the reporter with the simulated time when a
 * wall second has passed since the last report. It changes nothing in the simulation (events at
 * the same instant keep their order), so a run is the same with or without it, and it stops
 * re-arming when it is the only event left, so a simulation that runs out of events still ends.
 *
 * <p>Threading: runs on the simulator's thread, like every event.
 */
final class Progress extends SimEvent {
    static final long TICK_NS = 1_000_000L;
    /** The default wall-clock time between reports. */
    static final long EVERY_WALL_SECOND_NS = 1_000_000_000L;

    private final Simulator sim;
    private final LongConsumer report;
    private final long everyWallNs;
    private long lastReportWallNs;

    private Progress(Simulator sim, long everyWallNs, LongConsumer report) {
        this.sim = sim;
        this.report = report;
        this.everyWallNs = everyWallNs;
        this.lastReportWallNs = System.nanoTime();
    }

    /** Starts reporting on {@code sim} every {@code everyWallNs} of wall time: {@code report} receives the simulated time. */
    static Progress start(Simulator sim, long everyWallNs, LongConsumer report) {
        Progress p = new Progress(sim, everyWallNs, report);
        sim.schedule(p, sim.nowNs() + TICK_NS);
        return p;
    }

    @Override
    protected void fire() {
        long wall = System.nanoTime();
        if (wall - lastReportWallNs >= everyWallNs) {
            lastReportWallNs = wall;
            report.accept(sim.nowNs());
        }
        if (sim.pendingEvents() > 0) {
            sim.schedule(this, sim.nowNs() + TICK_NS);
        }
    }
}
