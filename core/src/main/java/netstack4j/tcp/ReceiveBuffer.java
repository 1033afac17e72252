package netstack4j.tcp;

import java.util.Objects;

/**
 * RecvQ (N7) and the out-of-order data behind it: bytes that arrived in order and wait for the
 * application's {@link #read}, and bytes that arrived beyond a gap, held at their place in the
 * stream (tracked by an {@link Assembler}) until the gap fills.
 *
 * <pre>
 *   read position   RCV.NXT                               RCV.NXT + window()
 *   | readable() ....| gap | out of order | gap | ooo ....|
 *   |&lt;------------------------- capacity() ------------------------&gt;|
 * </pre>
 *
 * <p>{@link #insert} takes a segment's payload at its offset from RCV.NXT and returns how far
 * RCV.NXT moves. It follows RFC 9293 section 3.10.7.4: the payload is trimmed to the receive window
 * (bytes before RCV.NXT are duplicates, bytes past the window's right edge are dropped), segments
 * beyond a gap are held for later, and where a segment overlaps data already held the held bytes
 * are kept (only the gaps are filled).
 *
 * <p>{@link #window()} is the free space, capacity minus readable bytes: out-of-order bytes lie
 * inside the window and do not shrink it. The advertised window is the engine's decision (Linux
 * advertises a share of the buffer set by tcp_adv_win_scale and never shrinks the right edge).
 *
 * <p>Memory is not reserved up front (N2): chunks are taken as data lands in them and given back
 * as the application reads, so {@link #allocatedBytes()} grows when the application stops reading.
 * Released chunks are kept for reuse (up to one buffer's worth) so steady-state traffic allocates
 * nothing; {@link #releaseSpare()} returns them.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class ReceiveBuffer {
    /** {@link #insert}'s answer when the segment would need more out-of-order intervals than allowed. */
    public static final int REFUSED = -1;
    /** Chunk size: one page, the unit Linux charges socket memory in. */
    public static final int DEFAULT_CHUNK_BYTES = 4096;

    /** Receives the out-of-order intervals, as offsets from RCV.NXT (for SACK blocks). */
    @FunctionalInterface
    public interface IntervalConsumer {
        void accept(int offsetFromRcvNxt, int length);
    }

    private final ChunkStore store;
    private final Assembler assembler;
    /** Stream position of the next byte the application reads. */
    private long readPos;
    private int readable;
    private int capacity;

    /** A buffer of {@code capacityBytes} tracking up to {@value Assembler#DEFAULT_MAX_INTERVALS} holes. */
    public ReceiveBuffer(int capacityBytes) {
        this(capacityBytes, DEFAULT_CHUNK_BYTES, Assembler.DEFAULT_MAX_INTERVALS);
    }

    /**
     * @param chunkBytes   storage granule, a power of two of at least 16
     * @param maxIntervals bound on out-of-order intervals held at once
     */
    public ReceiveBuffer(int capacityBytes, int chunkBytes, int maxIntervals) {
        checkCapacity(capacityBytes);
        this.capacity = capacityBytes;
        this.store = new ChunkStore(chunkBytes, capacityBytes);
        this.assembler = new Assembler(maxIntervals);
    }

    private static void checkCapacity(int capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacityBytes);
        }
    }

    /**
     * Places a segment's payload {@code src[off, off+len)}, whose first byte is at sequence number
     * RCV.NXT + {@code offsetFromRcvNxt} (negative for a retransmission overlapping delivered data).
     *
     * @return how many bytes became contiguous (RCV.NXT advances by this much), or {@link #REFUSED}
     *         when the segment lies beyond a gap and would need more intervals than allowed
     */
    public int insert(int offsetFromRcvNxt, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        long rcvNxt = readPos + readable;
        long segStart = rcvNxt + offsetFromRcvNxt;
        // RFC 9293 section 3.10.7.4: trim to the window; what lies before RCV.NXT is a duplicate.
        long start = Math.max(segStart, rcvNxt);
        long end = Math.min(segStart + len, rcvNxt + window());
        if (start >= end) {
            return 0;
        }
        if (start > rcvNxt && !assembler.canAdd(start, end)) {
            return REFUSED;
        }
        fillGaps(start, end, src, off + (int) (start - segStart));
        if (start > rcvNxt) {
            // RFC 9293 section 3.10.7.4: a segment beyond a gap is held for later processing.
            assembler.add(start, end);
            return 0;
        }
        long newRcvNxt = assembler.advance(end);
        int advanced = (int) (newRcvNxt - rcvNxt);
        readable += advanced;
        return advanced;
    }

    /**
     * The memory {@link #insert} of {@code len} bytes at {@code offsetFromRcvNxt} would take: the
     * chunks not yet held that its bytes within the window fall in (0 for a duplicate or data
     * outside the window). This is what the segment is charged (sk_rmem_schedule's size): data
     * lands in pages, so its truesize is the pages it adds.
     */
    public long memoryNeeded(int offsetFromRcvNxt, int len) {
        long rcvNxt = readPos + readable;
        long segStart = rcvNxt + offsetFromRcvNxt;
        long start = Math.max(segStart, rcvNxt);
        long end = Math.min(segStart + len, rcvNxt + window());
        return store.missingBytes(start, end);
    }

    /**
     * Linux's tcp_prune_ofo_queue: drops out-of-order data from the highest sequence down, every
     * interval that starts at or after {@code offsetFromRcvNxt} (the segment that needs room would
     * not land last), and gives back the chunks only that data held. In-order data is never
     * touched.
     *
     * @return the bytes dropped (0 when nothing lay there)
     */
    public long pruneOutOfOrder(int offsetFromRcvNxt) {
        long rcvNxt = readPos + readable;
        long from = rcvNxt + Math.max(0, offsetFromRcvNxt);
        int keep = assembler.count();
        while (keep > 0 && assembler.start(keep - 1) >= from) {
            keep--;
        }
        if (keep == assembler.count()) {
            return 0;
        }
        long end = assembler.end(assembler.count() - 1);
        long dropped = 0;
        for (int i = keep; i < assembler.count(); i++) {
            dropped += assembler.end(i) - assembler.start(i);
        }
        long keptEnd = keep > 0 ? assembler.end(keep - 1) : rcvNxt;
        assembler.truncate(keep);
        if (keep == 0 && readable == 0) {
            keptEnd = keptEnd & -(long) store.chunkBytes(); // read bytes before RCV.NXT hold nothing
        }
        store.releaseAfter(keptEnd, end);
        return dropped;
    }

    /** Copies the parts of {@code [start, end)} not already held; held bytes stay as they are. */
    private void fillGaps(long start, long end, byte[] src, int srcOffAtStart) {
        long cursor = start;
        for (int i = 0; i < assembler.count() && cursor < end; i++) {
            long s = assembler.start(i);
            long e = assembler.end(i);
            if (e <= cursor) {
                continue;
            }
            if (s >= end) {
                break;
            }
            if (s > cursor) {
                store.write(cursor, src, srcOffAtStart + (int) (cursor - start), (int) (s - cursor));
            }
            cursor = e;
        }
        if (cursor < end) {
            store.write(cursor, src, srcOffAtStart + (int) (cursor - start), (int) (end - cursor));
        }
    }

    /**
     * Moves up to {@code len} in-order bytes into {@code dst} and frees their space.
     *
     * @return the bytes read, 0 when none is readable
     */
    public int read(byte[] dst, int off, int len) {
        int n = peek(dst, off, len);
        long old = readPos;
        readPos += n;
        readable -= n;
        store.releaseBefore(old, readPos);
        if (readable == 0 && assembler.isEmpty()) {
            store.releaseChunkAt(readPos);
        }
        return n;
    }

    /**
     * Drops every byte held, readable and out of order, and gives their chunks back: for a
     * connection that is gone, as Linux's tcp_v4_destroy_sock purges the receive queue and the
     * out-of-order queue. RCV.NXT stays where it was; the out-of-order bytes are forgotten.
     */
    public void discard() {
        long rcvNxt = readPos + readable;
        long end = assembler.isEmpty() ? rcvNxt : Math.max(rcvNxt, assembler.end(assembler.count() - 1));
        store.releaseBefore(readPos, end);
        store.releaseChunkAt(end);
        readPos = rcvNxt;
        readable = 0;
        assembler.clear();
    }

    /** Copies up to {@code len} in-order bytes into {@code dst} without consuming them (MSG_PEEK). */
    public int peek(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = Math.min(len, readable);
        store.read(readPos, dst, off, n);
        return n;
    }

    /** Recv-Q as {@code ss} shows it: in-order bytes the application has not read. */
    public int readable() {
        return readable;
    }

    /** Free space: capacity minus readable bytes (0 when the capacity was lowered below them). */
    public int window() {
        return Math.max(0, capacity - readable);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Sets the capacity (SO_RCVBUF after the personality's adjustment). Held bytes are kept when it
     * shrinks below them; the window is 0 until they are read.
     */
    public void setCapacity(int capacityBytes) {
        checkCapacity(capacityBytes);
        long heldEnd = assembler.isEmpty() ? readPos + readable : assembler.end(assembler.count() - 1);
        store.ensureSpan((int) Math.max(capacityBytes, heldEnd - readPos), readPos);
        this.capacity = capacityBytes;
    }

    /** Bytes held beyond a gap. */
    public long outOfOrderBytes() {
        return assembler.totalBytes();
    }

    /** Whether out-of-order data already holds all of {@code [offsetFromRcvNxt, +len)} (a duplicate). */
    public boolean holds(int offsetFromRcvNxt, int len) {
        long rcvNxt = readPos + readable;
        long start = rcvNxt + offsetFromRcvNxt;
        long end = start + len;
        for (int i = 0; i < assembler.count(); i++) {
            if (assembler.start(i) <= start && end <= assembler.end(i)) {
                return true;
            }
        }
        return false;
    }

    /** Number of out-of-order intervals. */
    public int intervalCount() {
        return assembler.count();
    }

    /** Hands each out-of-order interval, earliest first, to {@code consumer}; allocates nothing. */
    public void forEachInterval(IntervalConsumer consumer) {
        long rcvNxt = readPos + readable;
        for (int i = 0; i < assembler.count(); i++) {
            long s = assembler.start(i);
            consumer.accept((int) (s - rcvNxt), (int) (assembler.end(i) - s));
        }
    }

    /** Memory held for received bytes, in whole chunks (what the socket is charged, N2). */
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
        return "ReceiveBuffer[readable=" + readable + " window=" + window() + " ooo=" + assembler
                + " allocated=" + allocatedBytes() + "]";
    }
}
