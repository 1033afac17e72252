package netstack4j.wire;

/** EtherType values (IEEE 802.3 clause 3.2.6; IANA "IEEE 802 Numbers") the stack knows. */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;

    /**
     * Values below this are an IEEE 802.3 length, not an EtherType (IEEE 802.3 clause 3.2.6):
     * such frames are not Ethernet II.
     */
    public static final int MIN_ETHER_TYPE = 0x0600;

    private EtherType() {
    }

    /** A readable name: {@code IPv4}, {@code ARP}, … or {@code 0x88cc} for others. */
    public static String name(int etherType) {
        return switch (etherType) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            default -> String.format("0x%04x", etherType & 0xffff);
        };
    }
}
