package netstack4j.wire;

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers") the stack knows. */
public final class IpProtocol {
    public static final int ICMP = 1;
    public static final int IGMP = 2;
    public static final int TCP = 6;
    public static final int UDP = 17;

    private IpProtocol() {
    }

    /** {@code ICMP}, {@code TCP}, {@code UDP}, or {@code ip-proto-N} as tcpdump prints others. */
    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "ICMP";
            case IGMP -> "IGMP";
            case TCP -> "TCP";
            case UDP -> "UDP";
            default -> "ip-proto-" + (protocol & 0xff);
        };
    }
}
