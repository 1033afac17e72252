package netstack4j.tun;

/** What a {@code /dev/net/tun} device carries ({@code <linux/if_tun.h>}). */
public enum TunMode {
    /** {@code IFF_TAP}: Ethernet frames; the stack answers ARP on the link itself. */
    TAP,
    /**
     * {@code IFF_TUN}: bare IP packets, a point-to-point link with no link layer. The device
     * gives the stack Ethernet framing all the same (see {@link TunDevice}).
     */
    TUN
}
