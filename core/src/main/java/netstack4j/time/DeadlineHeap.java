package netstack4j.time;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Entry} objects ordered by deadline (wrap-safe: {@code a - b < 0})
 * and, for equal deadlines, by the order in which they were scheduled, so that ties come out in
 * a deterministic order. Entries carry their own heap index: scheduling, moving and cancelling
 * are O(log n) and allocate nothing. The stack's {@link TimerQueue} and the simulator's event
 * queue are both built on it.
 *
 * <p>Thread-compatible.
 *
 * @param <E> the kind of entry
 */
public final class DeadlineHeap<E extends DeadlineHeap.Entry> {
    /** Something with a deadline that can sit in one heap at a time. */
    public abstract static class Entry {
        long deadlineNs;
        long sequence;
        int heapIndex = -1;

        /** True while the entry waits in a heap. */
        public final boolean isScheduled() {
            return heapIndex >= 0;
        }

        /** The deadline while scheduled (or the last one it had). */
        public final long deadlineNs() {
            return deadlineNs;
        }
    }

    private Entry[] heap = new Entry[64];
    private int size;
    private long nextSequence;

    /** Schedules {@code e} at {@code deadlineNs}, moving it if it was already scheduled. */
    public void schedule(E e, long deadlineNs) {
        if (e.heapIndex >= 0) {
            removeAt(e.heapIndex);
        }
        e.deadlineNs = deadlineNs;
        e.sequence = nextSequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    /** Removes {@code e}; does nothing when it is not scheduled. */
    public void cancel(E e) {
        if (e.heapIndex >= 0) {
            removeAt(e.heapIndex);
        }
    }

    /** The earliest entry, or null. */
    @SuppressWarnings("unchecked")
    public E peek() {
        return size == 0 ? null : (E) heap[0];
    }

    /** Removes and returns the earliest entry, or null. */
    public E poll() {
        E e = peek();
        if (e != null) {
            removeAt(0);
        }
        return e;
    }

    public int size() {
        return size;
    }

    private void removeAt(int i) {
        Entry removed = heap[i];
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

    private static boolean before(Entry a, Entry b) {
        long d = a.deadlineNs - b.deadlineNs;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(e, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
