package netstack4j.nio;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.wire.Ipv4Address;

/** Conversions between {@link InetSocketAddress} and the stack's {@link Ipv4SocketAddress}. */
final class Addresses {
    private Addresses() {
    }

    /**
     * As the JDK checks a socket address: null is the wildcard with port 0 (for bind), an
     * unresolved name is {@link UnresolvedAddressException}, anything but IPv4 (and the IPv6
     * wildcard and loopback, which an IPv4-only stack reads as their IPv4 twins) is
     * {@link UnsupportedAddressTypeException}.
     */
    static Ipv4SocketAddress toStack(SocketAddress address) {
        if (address == null) {
            return Ipv4SocketAddress.ANY;
        }
        if (!(address instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return new Ipv4SocketAddress(toStack(isa.getAddress()), isa.getPort());
    }

    static Ipv4Address toStack(InetAddress a) {
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            return Ipv4Address.read(b, 0);
        }
        if (a instanceof Inet6Address) {
            if (a.isAnyLocalAddress()) {
                return Ipv4Address.ANY;
            }
            if (a.isLoopbackAddress()) {
                return Ipv4Address.LOOPBACK;
            }
        }
        throw new UnsupportedAddressTypeException();
    }

    /** Null stays null (not bound, not connected). */
    static InetSocketAddress toJdk(Ipv4SocketAddress a) {
        if (a == null) {
            return null;
        }
        return new InetSocketAddress(a.address().toInetAddress(), a.port());
    }
}
