package netstack4j.torture;

import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.SimProcess;
import netstack4j.sim.SimulationException;
import netstack4j.sim.Simulator;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpConnection;
import netstack4j.trace.TraceSink;

/**
 * Runs one {@link Scenario} and judges it. Three phases in simulated time:
 * <ol>
 *   <li>the applications, until every process has ended (bounded: {@link #APP_LIMIT_NS});</li>
 *   <li>the drain: faults end, and the run goes on until no host has a TCP connection left
 *       (TIME_WAIT, FIN_WAIT_2, orphans retransmitting), bounded by {@link #DRAIN_LIMIT_NS};</li>
 *   <li>the checks: the {@link Oracle} on every endpoint, then every host's charged socket memory
 *       and the shared frame-buffer pool must be back to zero.</li>
 * </ol>
 * A stall, an exception or the event budget stops the run where it is.
 *
 * <p>Threading: runs on the calling thread; the simulator is its own.
 */
public final class TortureRun {
    /** The applications must be done by then: past every timeout Linux has, partitions included. */
    static final long APP_LIMIT_NS = 10_000 * RunState.S;
    /** Connections must be gone by then after the applications: an orphan's retransmission timeout, TIME_WAIT, slack. */
    static final long DRAIN_LIMIT_NS = RunState.RETRANSMIT_LIMIT_NS + RunState.LINUX.maxRtoNs()
            + RunState.LINUX.timeWaitNs() + 120 * RunState.S;
    /** Frames still in flight when the last connection went: delivered (or dropped) within this. */
    static final long QUIET_NS = 5 * RunState.S;
    /** A run that takes more events than this is a storm (the busiest runs of a clean campaign take about 20,000). */
    static final long EVENT_BUDGET = 2_000_000L;

    private TortureRun() {
    }

    /** Runs {@code s} and returns what it found; never throws for what the stack does. */
    public static RunResult run(Scenario s) {
        return run(s, TraceSink.NONE);
    }

    /** {@link #run(Scenario)} with every host's trace events going to {@code trace}. */
    public static RunResult run(Scenario s, TraceSink trace) {
        Plan plan = Plan.derive(s);
        try (Simulator sim = new Simulator(s.seed())) {
            sim.setTrace(trace);
            TortureNet net = new TortureNet(sim, plan.clients(), plan.servers(), s.faults());
            RunState run = new RunState(s, plan, sim, net);
            Monitor monitor = new Monitor(run);
            new Apps(run).start();
            monitor.start();
            long[] events = {0};
            boolean appsDone = phase(run, () -> run.liveProcesses == 0 || run.stopped || ++events[0] > EVENT_BUDGET,
                    APP_LIMIT_NS) && run.liveProcesses == 0;
            if (!run.stopped) {
                if (events[0] > EVENT_BUDGET) {
                    run.violation(Violation.Kind.STORM, "more than " + EVENT_BUDGET + " events by " + RunState.seconds(sim.nowNs()));
                } else if (!appsDone) {
                    run.violation(Violation.Kind.HANG, (progressing(run) ? "too slow: every open connection still makes"
                            + " progress, but the applications are not done at " : "still waiting at ") + RunState.seconds(sim.nowNs())
                            + (s.faults().kinds().contains(Fault.MTU) ? " (path MTU changed)" : "") + ": " + waiting(run));
                } else {
                    drain(run, events);
                }
            }
            monitor.stop();
            Oracle.judge(run);
            fragments(run);
            return result(run, events[0]);
        }
    }

    /** Runs until {@code done} or {@code limitNs} from now; an escaping exception becomes a violation and stops the run. */
    private static boolean phase(RunState run, java.util.function.BooleanSupplier done, long limitNs) {
        try {
            return run.sim.runUntil(done, run.sim.nowNs() + limitNs);
        } catch (SimulationException e) {
            run.violation(Violation.Kind.EXCEPTION, "process '" + e.process().name() + "' threw " + describe(e.getCause()));
        } catch (RuntimeException | Error e) {
            run.violation(Violation.Kind.EXCEPTION, "an event threw " + describe(e));
        }
        run.stopped = true;
        return false;
    }

    private static void drain(RunState run, long[] events) {
        run.net.endFaults();
        Simulator sim = run.sim;
        long end = sim.nowNs() + DRAIN_LIMIT_NS;
        while (sim.nowNs() < end && !connectionsGone(run)) {
            phase(run, () -> ++events[0] > EVENT_BUDGET, Math.min(10 * RunState.S, end - sim.nowNs()));
            if (run.stopped) {
                return;
            }
            if (events[0] > EVENT_BUDGET) {
                run.violation(Violation.Kind.STORM, "more than " + EVENT_BUDGET + " events by " + RunState.seconds(sim.nowNs()));
                return;
            }
        }
        if (!phase(run, () -> ++events[0] > EVENT_BUDGET, QUIET_NS) && run.stopped) {
            return;
        }
        for (NetStack h : run.net.hosts()) {
            List<TcpConnection> left = h.tcp().connections();
            if (!left.isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (TcpConnection c : left) {
                    b.append(b.length() == 0 ? "" : ", ").append(c).append(' ').append(c.state());
                }
                run.violation(Violation.Kind.LEAK, h.name() + ": " + left.size() + " connection(s) still there "
                        + RunState.seconds(DRAIN_LIMIT_NS) + " after the applications ended: " + b);
            }
            long charged = h.tcp().memoryBytes();
            if (charged != 0) {
                run.violation(Violation.Kind.MEMORY, h.name() + ": " + charged + " bytes of TCP socket memory still charged"
                        + " with every socket closed");
            }
        }
        long inUse = poolInUse(sim);
        if (inUse != 0) {
            run.violation(Violation.Kind.POOL, inUse + " frame buffers acquired from the pool and never recycled (drops on"
                    + " the way: " + drops(run) + ")");
        }
    }

    /**
     * The end hosts carry only TCP, and Linux's TCP sets DF on every segment and fits it to the
     * path MTU (tcp_current_mss syncs each socket to the route's learned PMTU): a fragment they
     * made is a TCP segment that did not follow a path MTU change.
     */
    private static void fragments(RunState run) {
        List<NetStack> ends = new ArrayList<>(run.net.clients);
        ends.addAll(run.net.servers);
        for (NetStack h : ends) {
            long n = h.counters().get(Counter.IpFragCreates);
            if (n > 0) {
                run.violation(Violation.Kind.PMTU, h.name() + " fragmented its own TCP segments into " + n + " fragments"
                        + " (IpFragCreates): after a path MTU drop, Linux's TCP lowers the MSS of every connection to that"
                        + " destination (tcp_current_mss), never fragments");
            }
        }
    }

    /** Buffers of the simulation's shared pool still out (BufferPool.inUse: acquired, not recycled). */
    static long poolInUse(Simulator sim) {
        return sim.bufferPool().inUse();
    }

    /** Every host's non-zero drop counters: where frames a consumer did not recycle may have gone. */
    private static String drops(RunState run) {
        StringBuilder b = new StringBuilder();
        for (NetStack h : run.net.hosts()) {
            for (DropReason d : DropReason.values()) {
                long n = h.counters().drops(d);
                if (n > 0) {
                    b.append(b.length() == 0 ? "" : ", ").append(h.name()).append(' ').append(d).append(' ').append(n);
                }
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static boolean connectionsGone(RunState run) {
        for (NetStack h : run.net.hosts()) {
            if (!h.tcp().connections().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** True when every endpoint still open made progress within the last tcp_retries2 (so none is stuck). */
    private static boolean progressing(RunState run) {
        for (Endpoint e : run.endpoints) {
            if (!e.settled() && run.sim.nowNs() - e.lastProgressNs > RunState.RETRANSMIT_LIMIT_NS) {
                return false;
            }
        }
        return true;
    }

    private static String waiting(RunState run) {
        List<String> names = new ArrayList<>();
        for (SimProcess p : run.sim.processes()) {
            if (!p.isDone()) {
                names.add(p.name());
            }
        }
        StringBuilder b = new StringBuilder(names.size() + " process(es) " + names);
        for (Endpoint e : run.endpoints) {
            if (!e.settled()) {
                b.append("; ").append(e).append(": ").append(Monitor.brief(e.conn.info()));
            }
        }
        return b.toString();
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder(String.valueOf(t));
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(4, st.length); i++) {
            b.append(i == 0 ? " at " : " < ").append(st[i]);
        }
        return b.toString();
    }

    /** The most client connections open at once: from connect's return to the application's close. */
    private static int maxConcurrent(RunState run) {
        List<long[]> edges = new ArrayList<>();
        for (Endpoint e : run.endpoints) {
            if (e.client && e.connectedNs >= 0) {
                edges.add(new long[] {e.connectedNs, 1});
                edges.add(new long[] {e.closedNs >= 0 ? e.closedNs : run.sim.nowNs(), -1});
            }
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int max = 0;
        for (long[] x : edges) {
            open += (int) x[1];
            max = Math.max(max, open);
        }
        return max;
    }

    private static RunResult result(RunState run, long events) {
        int completed = 0;
        int failedEnds = 0;
        long bytes = 0;
        boolean zeroWindow = false;
        java.util.Map<String, Integer> errors = new java.util.TreeMap<>();
        for (Endpoint e : run.endpoints) {
            for (Endpoint.Failure f : e.failures) {
                errors.merge(f.cause().name(), 1, Integer::sum);
            }
            bytes += e.verified;
            zeroWindow |= e.zeroWindowSeen;
            if (e.failed()) {
                failedEnds++;
            }
            if (e.client && e.doneNs >= 0 && e.peer != null && e.peer.doneNs >= 0 && !e.failed() && !e.peer.failed()) {
                completed++;
            }
        }
        long retrans = 0;
        for (NetStack h : run.net.hosts()) {
            retrans += h.counters().get(Counter.TcpRetransSegs);
        }
        return new RunResult(run.scenario, run.violations, run.sim.nowNs(), events, run.plan.connectionCount(), completed,
                failedEnds, bytes, maxConcurrent(run), zeroWindow, retrans, errors, run.checksumBlind);
    }
}
