package netstack4j.time;

/**
 * The source of time for a stack: nanoseconds on a monotonic scale with an arbitrary origin.
 * Simulations inject a virtual clock; real stacks use {@link #system()}. Compare instants with
 * {@code a - b < 0}, never {@code a < b}, so that the scale may wrap.
 */
@FunctionalInterface
public interface Clock {
    long nowNs();

    /** The JVM's monotonic clock. */
    static Clock system() {
        return System::nanoTime;
    }
}
