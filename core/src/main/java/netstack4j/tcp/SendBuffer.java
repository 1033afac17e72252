package netstack4j.tcp;

import java.util.Objects;

/**
 * SendQ (N7): the bytes the application wrote and the peer has not yet acknowledged, both those
 * already sent (between SND.UNA and SND.NXT) and those not yet sent. The sender builds every
 * segment, first transmissions and retransmissions alike, by copying from an offset relative to
 * SND.UNA; an acknowledgement releases bytes from the front.
 *
 * <pre>
 *   SND.UNA                      SND.NXT
 *   | sent, unacknowledged ......| not yet sent .......|
 *   0                                              size()          capacity()
 * </pre>
 *
 * <p>Capacity is SO_SNDBUF's effective value: {@link #write} accepts at most
 * {@code capacity() - size()} bytes. Memory is not reserved up front (N2): storage is chunked, a
 * chunk is taken when data is written into it and given back when every byte in it is
 * acknowledged, so {@link #allocatedBytes()} follows the queue. Released chunks are kept for reuse
 * (up to one buffer's worth) so steady-state traffic allocates nothing; {@link #releaseSpare()}
 * returns them (an idle socket, memory pressure).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class SendBuffer {
    /** Chunk size: one page, the unit Linux charges socket memory in. */
    public static final int DEFAULT_CHUNK_BYTES = 4096;

    private final ChunkStore store;
    /** Stream position of the byte at SND.UNA. */
    private long head;
    private int size;
    private int capacity;

    /** A buffer holding at most {@code capacityBytes}, in 4 KiB chunks. */
    public SendBuffer(int capacityBytes) {
        this(capacityBytes, DEFAULT_CHUNK_BYTES);
    }

    /** @param chunkBytes storage granule, a power of two of at least 16 */
    public SendBuffer(int capacityBytes, int chunkBytes) {
        checkCapacity(capacityBytes);
        this.capacity = capacityBytes;
        this.store = new ChunkStore(chunkBytes, capacityBytes);
    }

    private static void checkCapacity(int capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacityBytes);
        }
    }

    /**
     * Appends up to {@code len} bytes of {@code src[off..]}, as many as fit below the capacity.
     *
     * @return the bytes accepted, 0 when the buffer is full
     */
    public int write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int n = Math.min(len, free());
        if (n > 0) {
            store.write(head + size, src, off, n);
            size += n;
        }
        return n;
    }

    /**
     * Copies the bytes at {@code [offsetFromUna, offsetFromUna + len)} into {@code dst} without
     * removing them, to build a segment starting at SND.UNA + offsetFromUna. Copies fewer than
     * {@code len} when the buffer ends first.
     *
     * @return the bytes copied
     */
    public int copyTo(long offsetFromUna, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (offsetFromUna < 0 || offsetFromUna > size) {
            throw new IndexOutOfBoundsException("offset " + offsetFromUna + " outside [0, " + size + "]");
        }
        int n = (int) Math.min(len, size - offsetFromUna);
        store.read(head + offsetFromUna, dst, dstOff, n);
        return n;
    }

    /** {@link #copyTo} from SND.UNA. */
    public int peek(byte[] dst, int dstOff, int len) {
        return copyTo(0, dst, dstOff, len);
    }

    /** The peer acknowledged {@code bytes} more: SND.UNA advances and they are released. */
    public void acknowledge(int bytes) {
        if (bytes < 0 || bytes > size) {
            throw new IllegalArgumentException("cannot acknowledge " + bytes + " of " + size + " bytes");
        }
        long oldHead = head;
        head += bytes;
        size -= bytes;
        store.releaseBefore(oldHead, head);
        if (size == 0) {
            store.releaseChunkAt(head);
        }
    }

    /** Send-Q as {@code ss} shows it: bytes written and not yet acknowledged, sent or not. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int capacity() {
        return capacity;
    }

    /** Bytes {@link #write} would accept now. */
    public int free() {
        return Math.max(0, capacity - size);
    }

    /**
     * Sets the capacity (SO_SNDBUF after the personality's adjustment). Shrinking below
     * {@link #size()} keeps the queued bytes; writes are refused until it drains below the new size.
     */
    public void setCapacity(int capacityBytes) {
        checkCapacity(capacityBytes);
        store.ensureSpan(Math.max(capacityBytes, size), head);
        this.capacity = capacityBytes;
    }

    /** Memory held for queued bytes, in whole chunks (what the socket is charged, N2). */
    public long allocatedBytes() {
        return store.allocatedBytes();
    }

    /** Memory kept in released chunks for reuse. */
    public long spareBytes() {
        return store.spareBytes();
    }

    /** Gives the chunks kept for reuse back to the garbage collector. */
    public void releaseSpare() {
        store.releaseSpare();
    }

    @Override
    public String toString() {
        return "SendBuffer[size=" + size + " capacity=" + capacity + " allocated=" + allocatedBytes() + "]";
    }
}
