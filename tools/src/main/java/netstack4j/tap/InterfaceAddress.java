package netstack4j.tap;

import netstack4j.wire.Ipv4Address;

/** An interface's address with its prefix length, as {@code ip addr add 10.200.0.1/24} takes it. */
public record InterfaceAddress(Ipv4Address address, int prefixLength) {
    public InterfaceAddress {
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length must be 1..30: " + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/len}; the length defaults to 24. */
    public static InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                return new InterfaceAddress(Ipv4Address.parse(text), 24);
            }
            return new InterfaceAddress(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an address with prefix length (a.b.c.d/len): " + text);
        }
    }

    /** Whether {@code other} is on this address's subnet. */
    public boolean sameSubnet(InterfaceAddress other) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return other.prefixLength == prefixLength && (address.value() & mask) == (other.address.value() & mask);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
