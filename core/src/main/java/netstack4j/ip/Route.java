package netstack4j.ip;

import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;

/**
 * One routing table entry ({@code ip route}): packets to {@code destination} leave through
 * {@code iface}, to {@code gateway} when one is given, else directly to the destination. Its
 * metrics (Linux's RTAX_*) are 0 when unset: {@code mtu} the path MTU of the route (RTAX_MTU;
 * {@code mtuLocked}: {@code mtu lock}, not lowered by ICMP), {@code advmss} the MSS TCP advertises
 * (RTAX_ADVMSS), {@code initcwnd} TCP's initial window in segments (RTAX_INITCWND).
 */
public record Route(Ipv4Prefix destination, Ipv4Address gateway, NetInterface iface, int mtu, boolean mtuLocked,
                    int advmss, int initcwnd) {
    public Route {
        java.util.Objects.requireNonNull(destination, "destination");
        java.util.Objects.requireNonNull(iface, "iface");
        if (mtu < 0 || advmss < 0 || initcwnd < 0 || mtu != 0 && mtu < 68) {
            throw new IllegalArgumentException("route metrics: mtu 0 or at least 68, advmss and initcwnd at least 0");
        }
    }

    /** A route without metrics. */
    public Route(Ipv4Prefix destination, Ipv4Address gateway, NetInterface iface) {
        this(destination, gateway, iface, 0, false, 0, 0);
    }

    /** dst_mtu: the route's MTU metric when it has one, else the device's. */
    public int mtuOr(int deviceMtu) {
        return mtu > 0 ? mtu : deviceMtu;
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
        String text = gateway == null
                ? d + " dev " + iface.name() + " scope link src " + iface.address()
                : d + " via " + gateway + " dev " + iface.name();
        return text + (mtu > 0 ? " mtu " + (mtuLocked ? "lock " : "") + mtu : "") + (advmss > 0 ? " advmss " + advmss : "")
                + (initcwnd > 0 ? " initcwnd " + initcwnd : "");
    }
}
