package netstack4j.ip;

import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;

/**
 * A protocol above IP (UDP, TCP) as the IP layer dispatches to it by protocol number.
 */
public interface TransportProtocol {
    /**
     * A datagram for this host. {@code ip} views {@code packet} (a complete, reassembled IP packet
     * with a valid header) and is valid only during the call; the protocol owns {@code packet}.
     *
     * @param linkBroadcast whether it arrived as a link-layer broadcast
     */
    void receive(NetInterface iface, Ipv4Packet ip, PacketBuffer packet, boolean linkBroadcast);

    /** An ICMP error about a datagram of this protocol that this host sent. */
    void icmpError(IcmpError error);
}
