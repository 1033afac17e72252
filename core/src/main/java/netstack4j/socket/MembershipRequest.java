package netstack4j.socket;

import java.util.Objects;
import netstack4j.wire.Ipv4Address;

/**
 * {@code struct ip_mreq}: the group to join or leave and the address of the interface to do it
 * on ({@link Ipv4Address#ANY}: the interface the route to the group uses).
 */
public record MembershipRequest(Ipv4Address group, Ipv4Address interfaceAddress) {
    public MembershipRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interfaceAddress, "interfaceAddress");
    }

    /** Join {@code group} on the route's interface. */
    public static MembershipRequest of(Ipv4Address group) {
        return new MembershipRequest(group, Ipv4Address.ANY);
    }
}
