package netstack4j.stack;

/**
 * A stack's tunables, named after the Linux sysctls they mirror. Defaults are Linux's (values from
 * Documentation/networking/ip-sysctl.rst and the kernel sources they cite).
 *
 * @param ipDefaultTtl            net.ipv4.ip_default_ttl (64)
 * @param ipForward               net.ipv4.ip_forward (0: a host, not a router)
 * @param ipfragTimeNs            net.ipv4.ipfrag_time: reassembly timeout (30 s)
 * @param ipfragHighThreshBytes   net.ipv4.ipfrag_high_thresh: reassembly memory per stack (4 MiB)
 * @param arpReachableTimeNs      neigh.default.base_reachable_time_ms (30 s)
 * @param arpRetransTimeNs        neigh.default.retrans_time_ms (1 s)
 * @param arpMcastSolicit         neigh.default.mcast_solicit: ARP requests before giving up (3)
 * @param arpUnresQlenBytes       neigh.default.unres_qlen_bytes: bytes queued per unresolved neighbour (212992)
 * @param udpRmemDefault          net.core.rmem_default: UDP receive buffer (212992)
 * @param udpWmemDefault          net.core.wmem_default: UDP send buffer (212992)
 * @param rmemMax                 net.core.rmem_max: ceiling for SO_RCVBUF (212992)
 * @param wmemMax                 net.core.wmem_max: ceiling for SO_SNDBUF (212992)
 * @param icmpRatelimitNs         net.ipv4.icmp_ratelimit: minimum gap between ICMP errors to one destination (1 s; 0 = off)
 * @param ephemeralPortLow        net.ipv4.ip_local_port_range low end (32768)
 * @param ephemeralPortHigh       net.ipv4.ip_local_port_range high end (60999)
 * @param personality             whose behaviour to follow where operating systems differ
 */
public record StackConfig(
        int ipDefaultTtl,
        boolean ipForward,
        long ipfragTimeNs,
        int ipfragHighThreshBytes,
        long arpReachableTimeNs,
        long arpRetransTimeNs,
        int arpMcastSolicit,
        int arpUnresQlenBytes,
        int udpRmemDefault,
        int udpWmemDefault,
        int rmemMax,
        int wmemMax,
        long icmpRatelimitNs,
        int ephemeralPortLow,
        int ephemeralPortHigh,
        Personality personality) {

    public static final long SECOND_NS = 1_000_000_000L;

    public StackConfig {
        if (ipDefaultTtl < 1 || ipDefaultTtl > 255) {
            throw new IllegalArgumentException("ip_default_ttl must be 1..255: " + ipDefaultTtl);
        }
        if (ephemeralPortLow < 1 || ephemeralPortHigh > 65535 || ephemeralPortLow > ephemeralPortHigh) {
            throw new IllegalArgumentException("bad ip_local_port_range " + ephemeralPortLow + " " + ephemeralPortHigh);
        }
        if (arpMcastSolicit < 1) {
            throw new IllegalArgumentException("mcast_solicit must be >= 1");
        }
        java.util.Objects.requireNonNull(personality, "personality");
    }

    /** Linux's defaults for a host. */
    public static StackConfig linuxDefaults() {
        return new StackConfig(64, false, 30 * SECOND_NS, 4 * 1024 * 1024, 30 * SECOND_NS, SECOND_NS, 3,
                212_992, 212_992, 212_992, 212_992, 212_992, SECOND_NS, 32768, 60999, Personality.LINUX);
    }

    public StackConfig withIpForward(boolean forward) {
        return new StackConfig(ipDefaultTtl, forward, ipfragTimeNs, ipfragHighThreshBytes, arpReachableTimeNs,
                arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax,
                wmemMax, icmpRatelimitNs, ephemeralPortLow, ephemeralPortHigh, personality);
    }

    public StackConfig withPersonality(Personality p) {
        return new StackConfig(ipDefaultTtl, ipForward, ipfragTimeNs, ipfragHighThreshBytes, arpReachableTimeNs,
                arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax,
                wmemMax, icmpRatelimitNs, ephemeralPortLow, ephemeralPortHigh, p);
    }

    public StackConfig withIcmpRatelimitNs(long ns) {
        return new StackConfig(ipDefaultTtl, ipForward, ipfragTimeNs, ipfragHighThreshBytes, arpReachableTimeNs,
                arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax,
                wmemMax, ns, ephemeralPortLow, ephemeralPortHigh, personality);
    }

    public StackConfig withIpfragHighThreshBytes(int bytes) {
        return new StackConfig(ipDefaultTtl, ipForward, ipfragTimeNs, bytes, arpReachableTimeNs,
                arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax,
                wmemMax, icmpRatelimitNs, ephemeralPortLow, ephemeralPortHigh, personality);
    }

    public StackConfig withEphemeralPorts(int low, int high) {
        return new StackConfig(ipDefaultTtl, ipForward, ipfragTimeNs, ipfragHighThreshBytes, arpReachableTimeNs,
                arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax,
                wmemMax, icmpRatelimitNs, low, high, personality);
    }
}
