package netstack4j.time;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A stack's timers: a binary min-heap of {@link Timer}s ordered by deadline and, for equal
 * deadlines, by the order in which they were armed, so that expiry order is deterministic.
 * The owner asks {@link #nextDeadlineNs()} when to come back ("poll at") and calls
 * {@link #runDue(long)} then. Nothing here reads a clock.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class TimerQueue {
    /** The value of {@link #nextDeadlineNs()} when no timer is armed. */
    public static final long NEVER = Long.MAX_VALUE;

    private Timer[] heap = new Timer[64];
    private int size;
    private long nextSequence;
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
        if (timer.heapIndex >= 0) {
            removeAt(timer.heapIndex);
        }
        timer.deadlineNs = deadlineNs;
        timer.sequence = nextSequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.heapIndex = size;
        size++;
        siftUp(timer.heapIndex);
        if (heap[0] == timer) {
            earlierDeadlineListener.accept(deadlineNs);
        }
    }

    /** Disarms {@code timer}; does nothing when it is not armed. */
    public void cancel(Timer timer) {
        if (timer.heapIndex >= 0) {
            removeAt(timer.heapIndex);
        }
    }

    /** The earliest deadline, or {@link #NEVER}. */
    public long nextDeadlineNs() {
        return size == 0 ? NEVER : heap[0].deadlineNs;
    }

    public int size() {
        return size;
    }

    /** Fires every timer whose deadline is at or before {@code nowNs}; returns how many fired. */
    public int runDue(long nowNs) {
        int fired = 0;
        while (size > 0 && heap[0].deadlineNs - nowNs <= 0) {
            Timer t = heap[0];
            removeAt(0);
            t.fire();
            fired++;
        }
        return fired;
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        size--;
        if (i != size) {
            heap[i] = heap[size];
            heap[i].heapIndex = i;
            heap[size] = null;
            siftDown(i);
            siftUp(i);
        } else {
            heap[size] = null;
        }
        removed.heapIndex = -1;
    }

    private static boolean before(Timer a, Timer b) {
        long d = a.deadlineNs - b.deadlineNs;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
