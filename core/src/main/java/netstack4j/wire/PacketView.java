package netstack4j.wire;

/**
 * What every packet view shares: a region {@code array[offset, offset+length)} it is pointed at
 * with {@link #wrap} (no checks, no allocation, so one view can be re-used for every packet),
 * the validation {@link #check()} each protocol defines, and big-endian field access relative to
 * the region's start.
 *
 * <p>The contract: after {@link #check()} returns null, no accessor of the view throws. Input
 * from the network must be checked ({@link #check()} or a view's {@code wrapChecked}) before
 * its fields are read.
 *
 * <p>Thread-compatible: a view belongs to one thread at a time.
 *
 * @param <V> the concrete view type, returned by {@link #wrap}
 */
public abstract class PacketView<V extends PacketView<V>> {
    protected byte[] array;
    protected int offset;
    protected int length;

    /** Points this view at {@code array[offset, offset+length)}; no checks. */
    @SuppressWarnings("unchecked")
    public final V wrap(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        return (V) this;
    }

    /** Null when the region holds a valid packet of this protocol, else a short reason. */
    public abstract String check();

    public final byte[] array() {
        return array;
    }

    public final int offset() {
        return offset;
    }

    public final int length() {
        return length;
    }

    /** True when the region lies within the array and holds at least {@code minimum} bytes. */
    protected final boolean regionHolds(int minimum) {
        return array != null && offset >= 0 && length >= minimum && offset <= array.length - length;
    }

    protected final int u8(int field) {
        return array[offset + field] & 0xff;
    }

    protected final int u16(int field) {
        return (array[offset + field] & 0xff) << 8 | (array[offset + field + 1] & 0xff);
    }

    protected final int u32(int field) {
        return Ipv4Address.readInt(array, offset + field);
    }

    protected final void setU16(int field, int value) {
        array[offset + field] = (byte) (value >>> 8);
        array[offset + field + 1] = (byte) value;
    }

    /** {@code view} if its {@link #check()} passes, else the reason as an exception. */
    protected static <V extends PacketView<V>> V checked(V view) throws MalformedPacketException {
        String reason = view.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        return view;
    }
}
