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

    private final PacketBuffer[] free;
    private int count;
    private long allocated;
    private long reused;
    /** Pooled-size buffers handed out and not yet given back. */
    private long inUse;

    /** @param capacity how many idle buffers the pool keeps at most */
    public BufferPool(int capacity) {
        this.free = new PacketBuffer[capacity];
    }

    /** A buffer with {@code headroom} bytes in front and room for {@code capacity} bytes, empty. */
    public PacketBuffer acquire(int headroom, int capacity) {
        if (headroom + capacity > BUFFER_BYTES) {
            allocated++;
            return PacketBuffer.allocate(headroom, capacity);
        }
        if (count > 0) {
            PacketBuffer b = free[--count];
            free[count] = null;
            b.markInUse();
            b.setBounds(headroom, 0);
            reused++;
            inUse++;
            return b;
        }
        allocated++;
        inUse++;
        return PacketBuffer.allocate(headroom, BUFFER_BYTES - headroom);
    }

    /** Gives {@code b} back; the caller must hold the only reference to it. */
    public void recycle(PacketBuffer b) {
        if (b.array().length != BUFFER_BYTES) {
            return;
        }
        b.markPooled();
        inUse--;
        if (count < free.length) {
            free[count++] = b;
        }
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
     * Pooled-size buffers acquired and not yet {@link #recycle recycled}: the frames the stacks
     * hold right now (queues, reassembly, links). Zero once every frame has been consumed.
     */
    public long inUse() {
        return inUse;
    }

    public int idle() {
        return count;
    }
}
