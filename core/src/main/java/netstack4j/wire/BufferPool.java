package netstack4j.wire;

/**
 * Re-usable frame buffers, so that the data path allocates nothing per packet in steady state:
 * whoever builds a frame {@link #acquire}s a buffer, whoever consumes it for good (the receiving
 * transport after copying its payload, a link that drops it) {@link #recycle}s it. Buffers of
 * {@link #BUFFER_BYTES} (room for an Ethernet frame of MTU 1500 with headroom) are pooled;
 * larger requests get a plain buffer that is never pooled.
 *
 * <p>A stack has one pool, used only by the thread that owns the stack; a simulator gives all its
 * stacks one pool, as they all run on its thread. Recycling a buffer twice is a bug and throws.
 *
 * <p>Thread-compatible.
 */
public final class BufferPool {
    /** Size of a pooled buffer's array. */
    public static final int BUFFER_BYTES = 2048;
    /**
     * Size of a large pooled buffer's array: a TCP super-segment or GRO aggregate of up to 64 KiB
     * with its headers and headroom (Linux builds those from page fragments).
     */
    public static final int LARGE_BUFFER_BYTES = 65536 + 512;
    /** Idle large buffers kept at most (the rest are left to the garbage collector). */
    static final int LARGE_IDLE = 64;
    /** What a large buffer counts for against {@link #limit()}, in pooled-size buffers. */
    static final int LARGE_UNITS = LARGE_BUFFER_BYTES / BUFFER_BYTES;

    private final PacketBuffer[] freeLarge = new PacketBuffer[LARGE_IDLE];
    private int countLarge;

    private final PacketBuffer[] free;
    private int count;
    private long allocated;
    private long reused;
    /** Pooled-size buffers handed out and not yet given back. */
    private long inUse;

    /** Buffers handed out at most by default: 65,536 of 2 KiB, about 136 MiB with their overhead. */
    public static final int DEFAULT_LIMIT = 65536;

    private final int limit;
    private long refused;

    /** @param capacity how many idle buffers the pool keeps at most */
    public BufferPool(int capacity) {
        this(capacity, DEFAULT_LIMIT);
    }

    /**
     * @param capacity how many idle buffers the pool keeps at most
     * @param limit    how many pooled buffers may be handed out at once: the bound on the frames
     *                 that queues, links and reassembly can pin, whatever floods the stacks
     */
    public BufferPool(int capacity, int limit) {
        if (capacity < 0 || limit < 1) {
            throw new IllegalArgumentException("capacity must be >= 0 and limit >= 1");
        }
        this.free = new PacketBuffer[capacity];
        this.limit = limit;
    }

    /**
     * A buffer with {@code headroom} bytes in front and room for {@code capacity} bytes, empty;
     * null when {@link #limit()} buffers are handed out already (the caller drops what it was
     * building, counted as {@code NO_BUFFER}, as Linux's senders give up on an skb allocation
     * failure).
     */
    public PacketBuffer acquire(int headroom, int capacity) {
        if (inUse + (headroom + capacity > BUFFER_BYTES ? LARGE_UNITS : 1) > limit) {
            refused++;
            return null;
        }
        if (headroom + capacity > BUFFER_BYTES) {
            if (headroom + capacity > LARGE_BUFFER_BYTES) {
                allocated++;
                return PacketBuffer.allocate(headroom, capacity);
            }
            if (countLarge > 0) {
                PacketBuffer b = freeLarge[--countLarge];
                freeLarge[countLarge] = null;
                return reuse(b, headroom);
            }
            allocated++;
            return issue(PacketBuffer.allocate(headroom, LARGE_BUFFER_BYTES - headroom));
        }
        if (count > 0) {
            PacketBuffer b = free[--count];
            free[count] = null;
            return reuse(b, headroom);
        }
        allocated++;
        return issue(PacketBuffer.allocate(headroom, BUFFER_BYTES - headroom));
    }

    /**
     * A buffer holding a copy of {@code b[off, off+len)} after {@link PacketBuffer#DEFAULT_HEADROOM},
     * or null when the limit is reached (as {@link #acquire}).
     */
    public PacketBuffer copyOf(byte[] b, int off, int len) {
        PacketBuffer s = acquire(PacketBuffer.DEFAULT_HEADROOM, len);
        if (s != null) {
            System.arraycopy(b, off, s.array(), s.append(len), len);
        }
        return s;
    }

    /** A buffer from a free list, made ready for its next use. */
    private PacketBuffer reuse(PacketBuffer b, int headroom) {
        b.markInUse();
        b.setBounds(headroom, 0);
        reused++;
        return issue(b);
    }

    private PacketBuffer issue(PacketBuffer b) {
        b.owner = this;
        inUse += units(b);
        return b;
    }

    /** A large buffer counts as many small ones as its bytes make, so the limit still bounds memory. */
    private static int units(PacketBuffer b) {
        return b.array().length == LARGE_BUFFER_BYTES ? LARGE_UNITS : 1;
    }

    /**
     * Gives {@code b} back; the caller must hold the only reference to it. Any buffer may be
     * given: one of another size is left to the garbage collector, and so is one handed out by
     * another pool (which belongs to another thread; see {@link PacketBuffer#release}).
     */
    public void recycle(PacketBuffer b) {
        int length = b.array().length;
        if (length != BUFFER_BYTES && length != LARGE_BUFFER_BYTES || b.owner != null && b.owner != this) {
            return;
        }
        b.markPooled();
        if (b.owner == this) {
            b.owner = null;
            inUse -= units(b);
        }
        if (length == LARGE_BUFFER_BYTES) {
            if (countLarge < freeLarge.length) {
                freeLarge[countLarge++] = b;
            }
        } else if (count < free.length) {
            free[count++] = b;
        }
    }

    public int limit() {
        return limit;
    }

    /** Requests refused because the limit was reached. */
    public long refused() {
        return refused;
    }

    /** Buffers created because none was idle (or too large to pool). */
    public long allocated() {
        return allocated;
    }

    /** Buffers handed out again from the pool. */
    public long reused() {
        return reused;
    }

    /**
     * Pooled buffers acquired and not yet {@link #recycle recycled}, in pooled-size units (a large
     * one counts {@link #LARGE_UNITS}): the frames the stacks
     * hold right now (queues, reassembly, links). Zero once every frame has been consumed.
     */
    public long inUse() {
        return inUse;
    }

    public int idle() {
        return count;
    }
}
