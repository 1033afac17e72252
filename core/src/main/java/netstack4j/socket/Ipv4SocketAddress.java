package netstack4j.socket;

import netstack4j.wire.Ipv4Address;

/**
 * An IPv4 address and port ({@code struct sockaddr_in}).
 *
 * @param address the address (0.0.0.0: any)
 * @param port    0 to 65535 (0: any, or an ephemeral port at bind)
 */
public record Ipv4SocketAddress(Ipv4Address address, int port) {
    /** 0.0.0.0:0: any address, any port. */
    public static final Ipv4SocketAddress ANY = new Ipv4SocketAddress(Ipv4Address.ANY, 0);

    /** Checks that the port is 0 to 65535. */
    public Ipv4SocketAddress {
        java.util.Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The address {@code a.b.c.d} with {@code port}. */
    public static Ipv4SocketAddress of(String address, int port) {
        return new Ipv4SocketAddress(Ipv4Address.parse(address), port);
    }

    /** Parses {@code a.b.c.d:port}. */
    public static Ipv4SocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected address:port, got " + text);
        }
        try {
            return new Ipv4SocketAddress(Ipv4Address.parse(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
    }

    @Override
    public String toString() {
        return (address.isAny() ? "*" : address.toString()) + ":" + (port == 0 ? "*" : Integer.toString(port));
    }
}
