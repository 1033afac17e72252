package netstack4j.tcp;

/**
 * The out-of-order intervals of a receive buffer: a sorted list of disjoint, non-adjacent
 * half-open ranges {@code [start, end)} of stream positions that have arrived beyond a gap (the
 * role smoltcp's {@code Assembler} plays). Adding a range merges it with every range it overlaps
 * or touches. The number of ranges is bounded; an addition that would need one more range than
 * allowed is refused and leaves the list unchanged, so a peer cannot make the receiver track
 * unbounded holes (the segment is dropped and the peer retransmits it later).
 *
 * <p>The intervals are also what SACK blocks report (RFC 2018 section 4).
 *
 * <p>Positions are {@code long}s on a scale chosen by the owner. Allocation-free after
 * construction. Thread-compatible: owned by the stack's thread.
 */
public final class Assembler {
    /** The default bound on intervals (holes) a receive buffer tracks. */
    public static final int DEFAULT_MAX_INTERVALS = 32;

    /** Grown on demand up to {@link #max}: an idle connection holds a few intervals' room only. */
    private long[] starts;
    private long[] ends;
    private final int max;
    private int count;

    public Assembler(int maxIntervals) {
        if (maxIntervals < 1) {
            throw new IllegalArgumentException("need at least one interval: " + maxIntervals);
        }
        max = maxIntervals;
        starts = new long[Math.min(4, maxIntervals)];
        ends = new long[starts.length];
    }

    /** Index of the first interval that ends at or after {@code pos} (overlaps or touches from the left). */
    private int firstTouching(long pos) {
        int i = 0;
        while (i < count && ends[i] < pos) {
            i++;
        }
        return i;
    }

    /** True when {@link #add} of {@code [start, end)} would be accepted. */
    public boolean canAdd(long start, long end) {
        if (start >= end) {
            return true;
        }
        int i = firstTouching(start);
        boolean touches = i < count && starts[i] <= end;
        return touches || count < max;
    }

    /**
     * Adds {@code [start, end)}, merging it with the intervals it overlaps or touches.
     *
     * @return false, and no change, when it would exceed the bound on intervals
     */
    public boolean add(long start, long end) {
        if (start >= end) {
            return true;
        }
        int i = firstTouching(start);
        int j = i;
        while (j < count && starts[j] <= end) {
            j++;
        }
        if (j == i) {
            if (count == max) {
                return false;
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, Math.min(max, starts.length * 2));
                ends = java.util.Arrays.copyOf(ends, starts.length);
            }
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            starts[i] = start;
            ends[i] = end;
            count++;
            return true;
        }
        long mergedStart = Math.min(start, starts[i]);
        long mergedEnd = Math.max(end, ends[j - 1]);
        starts[i] = mergedStart;
        ends[i] = mergedEnd;
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
        return true;
    }

    /**
     * The contiguous data now ends at {@code contiguousEnd}: removes every interval that starts at
     * or before it and returns the new end of contiguous data (the end of the last removed interval,
     * or {@code contiguousEnd}).
     */
    public long advance(long contiguousEnd) {
        int k = 0;
        long end = contiguousEnd;
        while (k < count && starts[k] <= end) {
            end = Math.max(end, ends[k]);
            k++;
        }
        if (k > 0) {
            System.arraycopy(starts, k, starts, 0, count - k);
            System.arraycopy(ends, k, ends, 0, count - k);
            count -= k;
        }
        return end;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int maxIntervals() {
        return max;
    }

    /** Start of interval {@code i} (0 is the earliest). */
    public long start(int i) {
        checkIndex(i);
        return starts[i];
    }

    /** End (exclusive) of interval {@code i}. */
    public long end(int i) {
        checkIndex(i);
        return ends[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("interval " + i + " of " + count);
        }
    }

    /** Bytes covered by all intervals. */
    public long totalBytes() {
        long t = 0;
        for (int i = 0; i < count; i++) {
            t += ends[i] - starts[i];
        }
        return t;
    }

    public void clear() {
        count = 0;
    }

    /** Keeps the first {@code n} intervals and forgets the later ones. */
    public void truncate(int n) {
        if (n < 0 || n > count) {
            throw new IndexOutOfBoundsException("keep " + n + " of " + count);
        }
        count = n;
    }

    /** {@code [a, b) [c, d) ...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
        }
        return count == 0 ? "(none)" : sb.toString();
    }
}
