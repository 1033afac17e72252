package netstack4j.ip;

import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;

/**
 * One routing table entry ({@code ip route}): packets to {@code destination} leave through
 * {@code iface}, to {@code gateway} when one is given, else directly to the destination.
 */
public record Route(Ipv4Prefix destination, Ipv4Address gateway, NetInterface iface) {
    public Route {
        java.util.Objects.requireNonNull(destination, "destination");
        java.util.Objects.requireNonNull(iface, "iface");
    }

    public boolean isDirect() {
        return gateway == null;
    }

    /** The neighbour a packet to {@code dst} is handed to on the link. */
    public Ipv4Address nextHop(Ipv4Address dst) {
        return gateway == null ? dst : gateway;
    }

    /** {@link #nextHop(Ipv4Address)} on a raw address. */
    public int nextHop(int dst) {
        return gateway == null ? dst : gateway.value();
    }

    @Override
    public String toString() {
        String d = destination.length() == 0 ? "default" : destination.toString();
        return gateway == null
                ? d + " dev " + iface.name() + " scope link src " + iface.address()
                : d + " via " + gateway + " dev " + iface.name();
    }
}
