/**
 * The IPv4 layer (RFC 791, RFC 1122 section 3, RFC 1812): interfaces and addresses, the ARP
 * neighbour table (RFC 826) with pending queues, longest-prefix routing, forwarding, path MTU
 * (RFC 1191), fragmentation and reassembly, and ICMP (RFC 792) with errors delivered to the
 * sockets that caused them, and IGMPv2 host group membership (RFC 2236, RFC 1112) for
 * multicast, which is never forwarded. Transports plug in through {@link netstack4j.ip.TransportProtocol}.
 */
package netstack4j.ip;
