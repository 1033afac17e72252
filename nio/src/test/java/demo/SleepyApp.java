package demo;

import netstack4j.nio.NetScope;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;

/**
 * An "application" outside netstack4j's packages, which {@code VirtualTimeAgentTest} runs under
 * the agent: it reads the clock and sleeps, as ordinary code does, inside and outside a scope.
 * Prints {@code virtual=MS wall=MS epoch=MILLIS}.
 */
public final class SleepyApp {
    private SleepyApp() {
    }

    public static void main(String[] args) throws Exception {
        try (Simulator sim = new Simulator(1);
             RealTimePacer pacer = new RealTimePacer(sim, 20)) {
            NetStack host = sim.newHost("h");
            pacer.start();
            long wall0 = System.nanoTime();
            long virtualMs;
            long epoch;
            try (var here = NetScope.enter(host)) {
                long v0 = System.nanoTime();
                Thread.sleep(2_000);
                virtualMs = (System.nanoTime() - v0) / 1_000_000;
                epoch = System.currentTimeMillis();
            }
            long wallMs = (System.nanoTime() - wall0) / 1_000_000;
            System.out.println("virtual=" + virtualMs + " wall=" + wallMs + " epoch=" + epoch);
        }
    }
}
