package netstack4j.wire;

/**
 * A 48-bit IEEE 802 MAC address held in the low 48 bits of a {@code long}.
 */
public record MacAddress(long value) implements Comparable<MacAddress> {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: " + Long.toHexString(value));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -}). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: " + text, e);
            }
        }
        return new MacAddress(v);
    }

    /** A locally administered unicast address (02:…) whose low 40 bits are {@code id}. */
    public static MacAddress local(long id) {
        return new MacAddress(0x02_00_0000_0000L | (id & 0xff_ffff_ffffL));
    }

    /**
     * The Ethernet group address of IPv4 multicast group {@code group} (RFC 1112 section 6.4):
     * 01:00:5e followed by a zero bit and the group's low 23 bits, so 32 groups share one MAC.
     */
    public static MacAddress multicast(int group) {
        return new MacAddress(0x01_00_5e_00_00_00L | (group & 0x7f_ffffL));
    }

    public static MacAddress read(byte[] b, int off) {
        return new MacAddress(readLong(b, off));
    }

    /** The address at {@code b[off]} as its {@link #value()}, without making one (the data path's form). */
    public static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    public void write(byte[] b, int off) {
        for (int i = 5; i >= 0; i--) {
            b[off + i] = (byte) (value >>> (8 * (5 - i)));
        }
    }

    public boolean isBroadcast() {
        return isBroadcast(value);
    }

    /** The I/G bit: group (multicast or broadcast) address. */
    public boolean isMulticast() {
        return isMulticast(value);
    }

    /** {@link #isBroadcast()} of a raw address (the data path's form). */
    public static boolean isBroadcast(long value) {
        return value == 0xffff_ffff_ffffL;
    }

    /** {@link #isMulticast()} of a raw address (the data path's form). */
    public static boolean isMulticast(long value) {
        return (value & 0x0100_0000_0000L) != 0;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (value >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 15, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
