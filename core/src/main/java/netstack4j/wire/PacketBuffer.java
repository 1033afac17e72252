package netstack4j.wire;

import java.util.Arrays;

/**
 * A region of a byte array that holds one packet, with headroom in front so that lower layers
 * can prepend their headers without copying (the role {@code sk_buff} plays in Linux).
 *
 * <pre>
 *   0          offset()                  offset()+length()        array().length
 *   | headroom | packet bytes ...........| tailroom ...............|
 * </pre>
 *
 * <p>Verbs follow Netty's convention: {@link #prepend} and {@link #trimFront} move the start,
 * {@link #setLength} and {@link #append} move the end; {@link #copy} copies, nothing else does.
 *
 * <p>Thread-compatible: owned by one thread at a time. A buffer handed to
 * {@link netstack4j.link.NetworkDevice#transmit} belongs to the device afterwards.
 */
public final class PacketBuffer {
    /** Headroom that leaves space for Ethernet + IPv4 (with options) + TCP (with options). */
    public static final int DEFAULT_HEADROOM = 14 + 60 + 60;

    private final byte[] array;
    private int start;
    private int end;
    /** True while the buffer sits idle in a {@link BufferPool}. */
    private boolean pooled;
    /** The pool that counts this buffer as handed out ({@link BufferPool#inUse()}), or null. */
    BufferPool owner;
    /** Payload bytes per segment of a TCP super-segment (skb_shinfo(skb)->gso_size); 0 for a plain packet. */
    private int gsoSize;
    /** How many segments that is (skb_shinfo(skb)->gso_segs); 1 for a plain packet. */
    private int gsoSegments = 1;
    /** The transport checksum was verified below the transport (CHECKSUM_UNNECESSARY), as for a GRO aggregate. */
    private boolean checksumUnnecessary;
    /** The TCP checksum field holds only the pseudo-header sum, to be completed by whoever puts the packet on a wire (CHECKSUM_PARTIAL). */
    private boolean checksumPartial;

    /**
     * What a buffer costs beyond its array: the object and the array's header, as Linux's skb
     * truesize adds the sk_buff to the data it holds.
     */
    public static final int OVERHEAD_BYTES = 64;

    private PacketBuffer(byte[] array, int start, int end) {
        this.array = array;
        this.start = start;
        this.end = end;
    }

    /** An empty buffer with {@code headroom} bytes in front and room for {@code capacity} bytes. */
    public static PacketBuffer allocate(int headroom, int capacity) {
        if (headroom < 0 || capacity < 0) {
            throw new IllegalArgumentException("headroom and capacity must be >= 0");
        }
        return new PacketBuffer(new byte[headroom + capacity], headroom, headroom);
    }

    /** A buffer whose packet is the whole array (no headroom). */
    public static PacketBuffer wrap(byte[] bytes) {
        return new PacketBuffer(bytes, 0, bytes.length);
    }

    /** A buffer whose packet is {@code bytes[offset, offset+length)}. */
    public static PacketBuffer wrap(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        return new PacketBuffer(bytes, offset, offset + length);
    }

    /** A copy of {@code bytes} with {@link #DEFAULT_HEADROOM} in front. */
    public static PacketBuffer copyOf(byte[] bytes, int offset, int length) {
        PacketBuffer b = allocate(DEFAULT_HEADROOM, length);
        System.arraycopy(bytes, offset, b.array, b.start, length);
        b.end = b.start + length;
        return b;
    }

    public byte[] array() {
        return array;
    }

    /** Index in {@link #array()} of the packet's first byte. */
    public int offset() {
        return start;
    }

    public int length() {
        return end - start;
    }

    public int headroom() {
        return start;
    }

    public int tailroom() {
        return array.length - end;
    }

    /** Grows the packet by {@code n} bytes at the front and returns the new {@link #offset()}. */
    public int prepend(int n) {
        if (n < 0 || n > start) {
            throw new IllegalStateException("no headroom for " + n + " bytes (have " + start + ")");
        }
        start -= n;
        return start;
    }

    /** Removes {@code n} bytes from the front (a layer consumed its header). */
    public void trimFront(int n) {
        if (n < 0 || n > length()) {
            throw new IllegalArgumentException("cannot trim " + n + " of " + length() + " bytes");
        }
        start += n;
    }

    /** Cuts or extends the packet to {@code n} bytes from {@link #offset()}. */
    public void setLength(int n) {
        if (n < 0 || start + n > array.length) {
            throw new IllegalArgumentException("length " + n + " out of range");
        }
        end = start + n;
    }

    /** Grows the packet by {@code n} bytes at the end; returns the index of the first new byte. */
    public int append(int n) {
        if (n < 0 || n > tailroom()) {
            throw new IllegalStateException("no tailroom for " + n + " bytes (have " + tailroom() + ")");
        }
        int at = end;
        end += n;
        return at;
    }

    /** Places the packet at {@code offset} with {@code length} bytes (both within the array). */
    public void setBounds(int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, array.length);
        start = offset;
        end = offset + length;
    }

    /** A deep copy that keeps the same headroom (and gso size). */
    public PacketBuffer copy() {
        PacketBuffer c = new PacketBuffer(array.clone(), start, end);
        c.gsoSize = gsoSize;
        c.gsoSegments = gsoSegments;
        c.checksumUnnecessary = checksumUnnecessary;
        c.checksumPartial = checksumPartial;
        return c;
    }

    /**
     * The payload of each segment this TCP super-segment is to be cut into by TSO or GSO, or
     * that a received GRO aggregate was merged from (Linux's skb_shinfo gso_size); 0 for a
     * packet that is what it is.
     */
    public int gsoSize() {
        return gsoSize;
    }

    /** The segments this super-segment is cut into, or that an aggregate merged (gso_segs); 1 for a plain packet. */
    public int gsoSegments() {
        return gsoSegments;
    }

    /**
     * Marks this packet as a TCP super-segment of {@code segments} segments of {@code bytes}
     * payload each (the last may be shorter), or as a plain packet with {@code (0, 1)}.
     */
    public void setGso(int bytes, int segments) {
        if (bytes < 0 || segments < 1 || bytes == 0 && segments != 1) {
            throw new IllegalArgumentException("gso size must be >= 0 and segments >= 1 (1 without gso): " + bytes + ", " + segments);
        }
        gsoSize = bytes;
        gsoSegments = segments;
    }

    /**
     * Gives the buffer back to the pool that handed it out, from that pool's thread (a device
     * that passes a copy to another stack's thread, for instance); nothing for other buffers.
     */
    public void release() {
        if (owner != null) {
            owner.recycle(this);
        }
    }

    /**
     * The memory this buffer pins, whatever the length of its packet (Linux's skb truesize):
     * the whole array plus {@link #OVERHEAD_BYTES}. Queues that hold buffers charge this.
     */
    public int truesize() {
        return array.length + OVERHEAD_BYTES;
    }

    void markPooled() {
        if (pooled) {
            throw new IllegalStateException("buffer recycled twice");
        }
        pooled = true;
    }

    void markInUse() {
        pooled = false;
        gsoSize = 0;
        gsoSegments = 1;
        checksumUnnecessary = false;
        checksumPartial = false;
    }

    /**
     * Whether the TCP or UDP checksum needs no check (Linux's CHECKSUM_UNNECESSARY): set by GRO,
     * which verified every segment it merged, on the aggregate whose checksum field it did not
     * recompute.
     */
    public boolean checksumUnnecessary() {
        return checksumUnnecessary;
    }

    public void setChecksumUnnecessary(boolean verified) {
        checksumUnnecessary = verified;
    }

    /**
     * Whether the TCP checksum is still to be completed (Linux's CHECKSUM_PARTIAL): TCP leaves it
     * to the device when the device checksums in hardware ({@code tx-checksumming}); software
     * completes it before a device that cannot ({@code skb_checksum_help}). A receiver may trust
     * such a packet as a veth's peer does: it never crossed a wire that could damage it.
     */
    public boolean checksumPartial() {
        return checksumPartial;
    }

    public void setChecksumPartial(boolean partial) {
        checksumPartial = partial;
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, start, end);
    }

    public int getUnsignedByte(int index) {
        return array[start + index] & 0xff;
    }

    @Override
    public String toString() {
        return "PacketBuffer[" + length() + " bytes, headroom " + start + "]";
    }
}
