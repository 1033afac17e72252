package netstack4j.tcp;

/**
 * Byte storage for a socket buffer, addressed by stream position (a {@code long} that counts bytes
 * from the start of the stream and never wraps), held in fixed-size chunks that are allocated when
 * the first byte lands in them and released when the owner says the bytes before a position are
 * gone. This is what makes socket memory grow with queued data and shrink as it drains (N2),
 * rather than being reserved up front.
 *
 * <p>Chunks live in a ring of slots indexed by {@code chunkIndex & mask}; the ring covers any
 * window of {@code span} bytes, so all live chunks have distinct slots. Released chunks go to a
 * small spare list (at most one ring's worth) and are reused before anything new is allocated, so
 * a buffer whose occupancy moves within its capacity allocates nothing in steady state, as Linux
 * keeps per-socket forward-allocated memory ({@code sk_forward_alloc}) instead of returning every
 * page. {@link #releaseSpare()} gives the spares back to the garbage collector.
 *
 * <p>Package-private; thread-compatible: owned by the stack's thread.
 */
final class ChunkStore {
    private final int chunkBytes;
    private final int chunkShift;
    private final int offsetMask;
    private byte[][] slots;
    private int slotMask;
    private byte[][] spare;
    private int spareCount;
    private int inUse;

    ChunkStore(int chunkBytes, int spanBytes) {
        if (chunkBytes < 16 || Integer.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two >= 16: " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        this.chunkShift = Integer.numberOfTrailingZeros(chunkBytes);
        this.offsetMask = chunkBytes - 1;
        int n = slotsFor(spanBytes);
        this.slots = new byte[n][];
        this.slotMask = n - 1;
        this.spare = new byte[n][];
    }

    private int slotsFor(int spanBytes) {
        long chunks = ((long) Math.max(spanBytes, 1) >>> chunkShift) + 2;
        int n = 2;
        while (n < chunks) {
            n <<= 1;
        }
        return n;
    }

    int chunkBytes() {
        return chunkBytes;
    }

    /**
     * Makes the ring cover any {@code spanBytes} window; live chunks all lie at or after the chunk
     * holding {@code basePos}. Never shrinks (a smaller buffer keeps what it already holds).
     */
    void ensureSpan(int spanBytes, long basePos) {
        int n = slotsFor(spanBytes);
        if (n <= slots.length) {
            return;
        }
        byte[][] grown = new byte[n][];
        long first = basePos >>> chunkShift;
        for (int i = 0; i < slots.length; i++) {
            long index = first + i;
            grown[(int) (index & (n - 1))] = slots[(int) (index & slotMask)];
        }
        slots = grown;
        slotMask = n - 1;
        byte[][] grownSpare = new byte[n][];
        System.arraycopy(spare, 0, grownSpare, 0, spareCount);
        spare = grownSpare;
    }

    /** Copies {@code src[off, off+len)} to stream positions {@code [pos, pos+len)}, allocating chunks as needed. */
    void write(long pos, byte[] src, int off, int len) {
        while (len > 0) {
            int slot = (int) ((pos >>> chunkShift) & slotMask);
            byte[] chunk = slots[slot];
            if (chunk == null) {
                if (spareCount > 0) {
                    chunk = spare[--spareCount];
                    spare[spareCount] = null;
                } else {
                    chunk = new byte[chunkBytes];
                }
                slots[slot] = chunk;
                inUse++;
            }
            int at = (int) (pos & offsetMask);
            int n = Math.min(len, chunkBytes - at);
            System.arraycopy(src, off, chunk, at, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Copies stream positions {@code [pos, pos+len)} into {@code dst}; every position must have been written. */
    void read(long pos, byte[] dst, int off, int len) {
        while (len > 0) {
            byte[] chunk = slots[(int) ((pos >>> chunkShift) & slotMask)];
            int at = (int) (pos & offsetMask);
            int n = Math.min(len, chunkBytes - at);
            System.arraycopy(chunk, at, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Bytes of the chunks not yet held that a write to {@code [start, end)} would take. */
    long missingBytes(long start, long end) {
        long missing = 0;
        if (start < end) {
            for (long index = start >>> chunkShift; index <= (end - 1) >>> chunkShift; index++) {
                if (slots[(int) (index & slotMask)] == null) {
                    missing += chunkBytes;
                }
            }
        }
        return missing;
    }

    /**
     * Releases the chunks of {@code [start, end)} that hold nothing else: those wholly after
     * {@code keptEnd}, the end of the data that stays.
     */
    void releaseAfter(long keptEnd, long end) {
        releaseChunks((keptEnd + chunkBytes - 1) >>> chunkShift, ((end - 1) >>> chunkShift) + 1);
    }

    /** Releases every chunk lying wholly before {@code newBase}, starting from the one holding {@code oldBase}. */
    void releaseBefore(long oldBase, long newBase) {
        releaseChunks(oldBase >>> chunkShift, newBase >>> chunkShift);
    }

    /** Releases the chunk holding {@code pos} (when the owner knows nothing in it is held). */
    void releaseChunkAt(long pos) {
        long index = pos >>> chunkShift;
        releaseChunks(index, index + 1);
    }

    private void releaseChunks(long fromIndex, long toIndex) {
        for (long index = fromIndex; index < toIndex; index++) {
            int slot = (int) (index & slotMask);
            byte[] chunk = slots[slot];
            if (chunk != null) {
                slots[slot] = null;
                inUse--;
                if (spareCount < spare.length) {
                    spare[spareCount++] = chunk;
                }
            }
        }
    }

    /** Drops the spare chunks so the garbage collector can take them. */
    void releaseSpare() {
        for (int i = 0; i < spareCount; i++) {
            spare[i] = null;
        }
        spareCount = 0;
    }

    /** Bytes in chunks that hold data: what the socket is charged. */
    long allocatedBytes() {
        return (long) inUse * chunkBytes;
    }

    /** Bytes in chunks kept for reuse. */
    long spareBytes() {
        return (long) spareCount * chunkBytes;
    }
}
