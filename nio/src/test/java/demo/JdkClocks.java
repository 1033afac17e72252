package demo;

import java.util.List;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.Simulator;

/**
 * An "application" outside netstack4j's packages (so the deterministic agent rewrites it as it
 * would a user's code), which {@code DeterministicAgentTest} runs inside a simulation: it uses the
 * JDK's clocks, sleeps, timed waits, a scheduled executor, platform threads and a contended
 * monitor, and reports what each measured.
 */
public final class JdkClocks {
    /** What the agent's {@code System.currentTimeMillis()} reads at virtual time 0. */
    static final long EPOCH_MILLIS = netstack4j.nio.agent.VirtualTime.EPOCH_MILLIS;

    private JdkClocks() {
    }

    /**
     * The JDK's clocks, sleeps, timed waits, scheduled executors, a platform thread and a
     * contended monitor, inside the simulation; reports what each measured in virtual time.
     */
    public static String run(Simulator sim) throws Exception {
        StringBuilder r = new StringBuilder("clocks");
        long t0 = System.nanoTime();
        long v0 = sim.nowNs();
        Thread.sleep(1500);
        r.append(" sleptNs=").append(System.nanoTime() - t0).append(" simNs=").append(sim.nowNs() - v0);
        Object lock = new Object();
        long w0 = sim.nowNs();
        synchronized (lock) {
            lock.wait(250);
        }
        r.append(" waitedNs=").append(sim.nowNs() - w0);
        r.append(" millisMatch=").append(System.currentTimeMillis() == EPOCH_MILLIS + sim.nowNs() / 1_000_000);
        java.time.Instant now = java.time.Instant.now();
        r.append(" instantMatch=").append(now.equals(java.time.Instant.ofEpochMilli(EPOCH_MILLIS).plusNanos(sim.nowNs())));
        var ses = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        long s0 = sim.nowNs();
        long ranAt = ses.schedule(sim::nowNs, 3, TimeUnit.SECONDS).get();
        ses.shutdownNow();
        r.append(" scheduledAfterNs=").append(ranAt - s0);
        Thread[] seen = new Thread[1];
        Thread platform = new Thread(() -> {
            seen[0] = Thread.currentThread();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "platform-1");
        long p0 = sim.nowNs();
        platform.start();
        platform.join();
        r.append(" standInSeen=").append(seen[0] == platform).append(" standInState=").append(platform.getState()).append(" joinedAfterNs=").append(sim.nowNs() - p0);
        // A monitor held across a sleep: the other thread blocks entering it, and is let in by the
        // simulation's schedule once it is released.
        Object monitor = new Object();
        List<String> order = new java.util.ArrayList<>();
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (monitor) {
                order.add("holder");
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread.sleep(1);
        Thread contender = Thread.ofPlatform().start(() -> {
            synchronized (monitor) {
                order.add("contender");
            }
        });
        holder.join();
        contender.join();
        r.append(" monitorOrder=").append(String.join(",", order));
        r.append(" threadLocalRandom=").append(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        return r.toString();
    }

}
