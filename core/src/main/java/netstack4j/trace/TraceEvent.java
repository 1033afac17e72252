package netstack4j.trace;

/**
 * One thing that happened inside a stack, at a time on the stack's clock.
 *
 * @param timeNs  stack clock when it happened
 * @param host    the stack's host name
 * @param kind    what kind of event
 * @param where   interface, socket or component it concerns (e.g. {@code eth0}, {@code arp})
 * @param detail  human-readable decoded description
 */
public record TraceEvent(long timeNs, String host, Kind kind, String where, String detail) {
    public enum Kind {
        PACKET_IN, PACKET_OUT, DROP, ARP, ROUTE, FRAGMENT, REASSEMBLY, ICMP, IGMP, SOCKET, STATE, TIMER, CWND, APP
    }

    /** One line: {@code 12.345678 host KIND where: detail}. */
    public String format() {
        long us = timeNs / 1_000;
        return String.format("%d.%06d %s %s %s: %s", us / 1_000_000, us % 1_000_000, host, kind, where, detail);
    }

    @Override
    public String toString() {
        return format();
    }
}
