package netstack4j.stack;

/**
 * How application code crosses into a stack and waits inside it: the stack's "kernel entry" and
 * its "scheduler". One thread at a time owns a stack; an application call runs with that
 * ownership ({@link #call}), and a blocking call gives the stack up while it waits
 * ({@link WaitQueue#await}) until the engine wakes it.
 *
 * <p>Implementations: {@link LockingRuntime} for real stacks driven by an event-loop thread and
 * called from plain Java threads; the simulator's runtime, where simulated processes on virtual
 * threads run one at a time and virtual time moves only when every process waits.
 */
public interface StackRuntime {
    /** Runs {@code op} as the stack's owner and returns its result. */
    <T, X extends Throwable> T call(StackCall<T, X> op) throws X;

    /**
     * Runs {@code op} on {@code self} and the byte range {@code b[off, off + len)} as the
     * stack's owner and returns its {@code int} result: the form of {@link #call} for the data
     * path (read, write), which allocates nothing per call when {@code op} is a non-capturing
     * method reference, since the arguments travel as parameters and the result is not boxed.
     */
    <S, X extends Throwable> int callOnBytes(BytesCall<S, X> op, S self, byte[] b, int off, int len, int flags) throws X;

    /** A new queue that blocked callers wait on and the engine wakes. */
    WaitQueue newWaitQueue();

    /** An operation run inside the stack. */
    @FunctionalInterface
    interface StackCall<T, X extends Throwable> {
        T run() throws X;
    }

    /** An operation on a byte range run inside the stack ({@link #callOnBytes}). */
    @FunctionalInterface
    interface BytesCall<S, X extends Throwable> {
        int run(S self, byte[] b, int off, int len, int flags) throws X;
    }
}
