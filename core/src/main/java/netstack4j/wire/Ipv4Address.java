package netstack4j.wire;

/**
 * An IPv4 address held in an {@code int}, most significant octet first.
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffffffff);
    public static final Ipv4Address LOOPBACK = new Ipv4Address(0x7f000001);

    /** Parses dotted-quad text such as {@code 192.0.2.1}. */
    public static Ipv4Address parse(String text) {
        Ipv4Address a = tryParse(text);
        if (a == null) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return a;
    }

    /** Parses dotted-quad text, or returns null when {@code text} is not an IPv4 address. */
    public static Ipv4Address tryParse(String text) {
        int v = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i < n && octets < 4) {
            int octet = 0;
            int digits = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
                if (++digits > 3 || octet > 255) {
                    return null;
                }
            }
            if (digits == 0) {
                return null;
            }
            v = (v << 8) | octet;
            octets++;
            if (octets < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return octets == 4 && i == n ? new Ipv4Address(v) : null;
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        for (int o : new int[] {a, b, c, d}) {
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("octet out of range: " + o);
            }
        }
        return new Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
    }

    public static Ipv4Address read(byte[] b, int off) {
        return new Ipv4Address(readInt(b, off));
    }

    public static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public void write(byte[] b, int off) {
        writeInt(b, off, value);
    }

    /** Writes {@code value} in network byte order, without making an address (the data path's form). */
    public static void writeInt(byte[] b, int off, int value) {
        b[off] = (byte) (value >>> 24);
        b[off + 1] = (byte) (value >>> 16);
        b[off + 2] = (byte) (value >>> 8);
        b[off + 3] = (byte) value;
    }

    public boolean isAny() {
        return value == 0;
    }

    public boolean isBroadcast() {
        return isBroadcast(value);
    }

    /** 224.0.0.0/4 (RFC 5771). */
    public boolean isMulticast() {
        return isMulticast(value);
    }

    /** 127.0.0.0/8 (RFC 1122 section 3.2.1.3). */
    public boolean isLoopback() {
        return isLoopback(value);
    }

    /** {@link #isBroadcast()} of a raw address, without making one (the data path's form). */
    public static boolean isBroadcast(int value) {
        return value == -1;
    }

    /** {@link #isMulticast()} of a raw address, without making one (the data path's form). */
    public static boolean isMulticast(int value) {
        return (value & 0xf0000000) == 0xe0000000;
    }

    /** {@link #isLoopback()} of a raw address, without making one (the data path's form). */
    public static boolean isLoopback(int value) {
        return (value >>> 24) == 127;
    }

    public java.net.Inet4Address toInetAddress() {
        byte[] b = new byte[4];
        write(b, 0);
        try {
            return (java.net.Inet4Address) java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }
}
