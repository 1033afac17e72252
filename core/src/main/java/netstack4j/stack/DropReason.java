package netstack4j.stack;

/**
 * Why the stack dropped a packet, in the spirit of Linux's {@code skb_drop_reason}: every packet
 * the stack refuses is counted under exactly one of these, in addition to the MIB counter the
 * RFCs define for it.
 */
public enum DropReason {
    ETHERNET_TRUNCATED("Ethernet frame shorter than its header"),
    ETHERNET_NOT_FOR_US("Ethernet destination is neither our address nor broadcast"),
    ETHERNET_UNKNOWN_TYPE("unknown EtherType"),
    ETHERNET_MCAST_NOT_JOINED("multicast frame for a group this host has not joined (the NIC's filter)"),
    IP_MCAST_NOT_JOINED("IPv4 multicast datagram for a group not joined on the interface"),
    IGMP_MALFORMED("malformed IGMP message or checksum error"),
    ARP_MALFORMED("malformed ARP packet"),
    ARP_UNRESOLVED("neighbour resolution failed"),
    ARP_QUEUE_FULL("too many packets waiting for neighbour resolution"),
    ARP_TABLE_FULL("neighbour table overflow (gc_thresh3 entries)"),
    NO_BUFFER("no frame buffer: the frame pool's limit is reached"),
    IP_TRUNCATED("IPv4 packet shorter than its header or total length"),
    IP_BAD_VERSION("IP version is not 4"),
    IP_BAD_HEADER("IPv4 header length or options invalid"),
    IP_CSUM("IPv4 header checksum error"),
    IP_BAD_SOURCE("IPv4 source address is broadcast, multicast or ours"),
    IP_NOT_FOR_US("IPv4 destination is not ours and forwarding is off"),
    IP_NO_ROUTE("no route to destination"),
    IP_TTL_EXPIRED("TTL exceeded in transit"),
    IP_FRAG_NEEDED("packet needs fragmentation but DF is set"),
    IP_UNKNOWN_PROTOCOL("no handler for IP protocol"),
    IP_REASM_TIMEOUT("fragment reassembly timed out"),
    IP_REASM_OVERLAP("fragments overlap inconsistently"),
    IP_REASM_MEMORY("reassembly memory limit reached"),
    IP_REASM_TOO_BIG("reassembled datagram would exceed 65535 bytes"),
    ICMP_MALFORMED("malformed ICMP message"),
    ICMP_CSUM("ICMP checksum error"),
    ICMP_RATELIMIT("ICMP error rate limit"),
    UDP_MALFORMED("malformed UDP header or length"),
    UDP_CSUM("UDP checksum error"),
    UDP_NO_SOCKET("no socket bound to the UDP port"),
    UDP_RCVBUF_FULL("UDP socket receive buffer full"),
    TCP_MALFORMED("malformed TCP header or options"),
    TCP_CSUM("TCP checksum error"),
    TCP_NO_SOCKET("no TCP socket for the segment"),
    TCP_INVALID_SEQUENCE("TCP segment outside the receive window"),
    TCP_PAWS("TCP segment older than the last timestamp (PAWS, RFC 7323 section 5)"),
    TCP_INVALID_ACK("TCP acknowledgment not acceptable"),
    TCP_LISTEN_OVERFLOW("listen queue full"),
    TCP_OTHER("TCP segment not acceptable in the connection state"),
    TCP_RESET("TCP RST not at RCV.NXT, answered with a challenge ACK (RFC 5961 section 3.2)"),
    TCP_PROTO_MEM("TCP socket memory refused: tcp_mem reached (SKB_DROP_REASON_PROTO_MEM)"),
    TCP_OFO_QUEUE_PRUNE("out-of-order TCP data pruned under memory pressure (SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE)"),
    TCP_INVALID_SYN("TCP SYN in a synchronized state, answered with a challenge ACK (RFC 5961 section 4.2)"),
    LINK_DOWN("interface is down"),
    TX_QUEUE_FULL("device transmit queue full");

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
