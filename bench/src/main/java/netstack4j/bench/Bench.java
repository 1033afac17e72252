package netstack4j.bench;

import netstack4j.sim.Simulator;

/**
 * What the end-to-end measures of {@code bench/compare} share: argument parsing, the one-line
 * result protocol ({@code RESULT <figure> <free text>} on stdout, or one line on stderr and exit 1,
 * never a stack trace) and running a simulation for a stretch of wall-clock time.
 */
final class Bench {
    /** One measure: takes the arguments, returns the figure and its description. */
    @FunctionalInterface
    interface Measure {
        String run(String[] args) throws Exception;
    }

    private Bench() {
    }

    static void main(String name, String[] args, Measure m) {
        try {
            System.out.println("RESULT " + m.run(args));
            System.exit(0);
        } catch (NumberFormatException e) {
            System.err.println(name + ": bad argument: " + e.getMessage());
            System.exit(2);
        } catch (OutOfMemoryError e) {
            System.err.println(name + ": out of memory (" + e.getMessage() + ")");
            System.exit(1);
        } catch (Exception | Error e) {
            System.err.println(name + ": " + e);
            System.exit(1);
        }
    }

    static double doubleArg(String[] args, int i, double dflt) {
        return args.length > i ? Double.parseDouble(args[i]) : dflt;
    }

    static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /**
     * Runs {@code sim} until {@code seconds} of wall time have passed (the clock is read every 64
     * events), however much virtual time that is; returns the wall seconds.
     */
    static double runWall(Simulator sim, double seconds) {
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int[] events = {0};
        sim.runUntil(() -> (++events[0] & 63) == 0 && System.nanoTime() - end > 0, sim.nowNs() + 1_000_000_000_000_000L);
        return (System.nanoTime() - t0) / 1e9;
    }
}
