package netstack4j.sim;

import java.util.Arrays;

/**
 * The simulator's binary min-heap of {@link SimEvent}s ordered by time (wrap-safe) and then by
 * the sequence number given when scheduled, so that ties fire in scheduling order. Events carry
 * their own heap index, so cancelling and moving are O(log n) and allocate nothing.
 *
 * <p>Thread-compatible.
 */
final class EventQueue {
    private SimEvent[] heap = new SimEvent[256];
    private int size;
    private long nextSequence;

    void schedule(SimEvent e, long atNs) {
        if (e.heapIndex >= 0) {
            removeAt(e.heapIndex);
        }
        e.atNs = atNs;
        e.sequence = nextSequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    void cancel(SimEvent e) {
        if (e.heapIndex >= 0) {
            removeAt(e.heapIndex);
        }
    }

    SimEvent peek() {
        return size == 0 ? null : heap[0];
    }

    SimEvent poll() {
        if (size == 0) {
            return null;
        }
        SimEvent e = heap[0];
        removeAt(0);
        return e;
    }

    int size() {
        return size;
    }

    private void removeAt(int i) {
        SimEvent removed = heap[i];
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

    private static boolean before(SimEvent a, SimEvent b) {
        long d = a.atNs - b.atNs;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        SimEvent e = heap[i];
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
        SimEvent e = heap[i];
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
