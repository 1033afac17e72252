package netstack4j.time;

import java.util.function.LongConsumer;

/**
 * A stack's timers, in a {@link DeadlineHeap}: ordered by deadline and, for equal deadlines, by
 * the order in which they were armed, so that expiry order is deterministic. The owner asks
 * {@link #nextDeadlineNs()} when to come back ("poll at") and calls {@link #runDue(long)} then.
 * Nothing here reads a clock.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class TimerQueue {
    /** The value of {@link #nextDeadlineNs()} when no timer is armed. */
    public static final long NEVER = Long.MAX_VALUE;

    private final DeadlineHeap<Timer> heap = new DeadlineHeap<>();
    private LongConsumer earlierDeadlineListener = d -> { };

    /**
     * Registers the callback told when a newly armed timer becomes the earliest deadline, so a
     * driver (simulator or event loop) that sleeps until the next deadline can wake sooner.
     */
    public void setEarlierDeadlineListener(LongConsumer listener) {
        this.earlierDeadlineListener = listener;
    }

    /** Arms (or re-arms) {@code timer} to fire at {@code deadlineNs}. */
    public void schedule(Timer timer, long deadlineNs) {
        heap.schedule(timer, deadlineNs);
        if (heap.peek() == timer) {
            earlierDeadlineListener.accept(deadlineNs);
        }
    }

    /** Disarms {@code timer}; does nothing when it is not armed. */
    public void cancel(Timer timer) {
        heap.cancel(timer);
    }

    /** The earliest deadline, or {@link #NEVER}. */
    public long nextDeadlineNs() {
        Timer t = heap.peek();
        return t == null ? NEVER : t.deadlineNs();
    }

    public int size() {
        return heap.size();
    }

    /** Fires every timer whose deadline is at or before {@code nowNs}; returns how many fired. */
    public int runDue(long nowNs) {
        int fired = 0;
        Timer t;
        while ((t = heap.peek()) != null && t.deadlineNs() - nowNs <= 0) {
            heap.poll();
            t.fire();
            fired++;
        }
        return fired;
    }
}
