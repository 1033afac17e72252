package netstack4j.stack;

/**
 * Where callers blocked on one condition (data to read, buffer space, a connection to accept)
 * wait. The waiter re-checks its condition after every return from {@link #await}, as with a
 * condition variable.
 */
public interface WaitQueue {
    /**
     * Gives up the stack and waits until {@link #wakeAll()} is called or the stack clock reaches
     * {@code deadlineNs} ({@link netstack4j.time.TimerQueue#NEVER} for no deadline). Must be called
     * from inside {@link StackRuntime#call}; the caller owns the stack again when this returns.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void await(long deadlineNs) throws InterruptedException;

    /** Wakes every waiter; called by the engine, as the stack's owner. Cheap when none waits. */
    void wakeAll();
}
