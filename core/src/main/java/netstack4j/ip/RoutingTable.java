package netstack4j.ip;

import java.util.ArrayList;
import java.util.List;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;

/**
 * Longest-prefix-match IPv4 routing (RFC 1812 section 5.2.4.3). Routes are kept sorted by
 * prefix length, longest first, so that the first match wins; equal prefixes keep insertion order.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class RoutingTable {
    private final List<Route> routes = new ArrayList<>();
    /** Bumped on every change, as Linux's rt_genid: sockets holding a route look it up again. */
    private int generation;

    public int generation() {
        return generation;
    }

    /** {@code ip route replace}: the route for the same prefix is replaced, or the route added. */
    public void replace(Route route) {
        remove(route.destination());
        add(route);
    }

    public void add(Route route) {
        generation++;
        int i = 0;
        while (i < routes.size() && routes.get(i).destination().length() >= route.destination().length()) {
            i++;
        }
        routes.add(i, route);
    }

    public boolean remove(Ipv4Prefix destination) {
        generation++;
        return routes.removeIf(r -> r.destination().equals(destination));
    }

    /** The route for {@code dst}, or null when there is none (ENETUNREACH). */
    public Route lookup(Ipv4Address dst) {
        return lookup(dst.value());
    }

    /** {@link #lookup(Ipv4Address)} on a raw address (no allocation). */
    public Route lookup(int dst) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.destination().contains(dst) && r.iface().isUp()) {
                return r;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** As {@code ip route} prints it. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Route r : routes) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }
}
