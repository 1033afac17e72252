package netstack4j.sim;

/** A simulated process failed; the cause is what its body threw. */
public final class SimulationException extends RuntimeException {
    private final transient SimProcess process;

    public SimulationException(SimProcess process, Throwable cause) {
        super("simulated process '" + process.name() + "' failed at " + process.failedAtNs() + "ns: " + cause, cause);
        this.process = process;
    }

    /** The process that failed. */
    public SimProcess process() {
        return process;
    }
}
