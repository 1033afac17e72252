package netstack4j.wire;

/**
 * An IPv4 network prefix such as {@code 10.0.1.0/24}; the host bits of {@link #address} are zero.
 */
public record Ipv4Prefix(Ipv4Address address, int length) {
    public static final Ipv4Prefix DEFAULT = new Ipv4Prefix(Ipv4Address.ANY, 0);

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + length);
        }
        address = new Ipv4Address(address.value() & mask(length));
    }

    /** Parses {@code a.b.c.d/len}; a bare address is a /32. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Prefix(Ipv4Address.parse(text), 32);
        }
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix: " + text, e);
        }
        return new Ipv4Prefix(Ipv4Address.parse(text.substring(0, slash)), len);
    }

    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public int mask() {
        return mask(length);
    }

    public boolean contains(Ipv4Address a) {
        return contains(a.value());
    }

    public boolean contains(int a) {
        return (a & mask()) == address.value();
    }

    /** The directed broadcast address of this prefix. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(broadcastInt());
    }

    /** {@link #broadcast()} as an int, without making an address (the data path's form). */
    public int broadcastInt() {
        return address.value() | ~mask();
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
