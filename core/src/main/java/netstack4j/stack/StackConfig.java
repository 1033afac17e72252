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
 * @param icmpMsgsPerSec          net.ipv4.icmp_msgs_per_sec: ICMP errors per second for the whole host (1000; 0 = off)
 * @param icmpMsgsBurst           net.ipv4.icmp_msgs_burst: the host-wide burst (50)
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
        Personality personality,
        int icmpMsgsPerSec,
        int icmpMsgsBurst) {

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
                212_992, 212_992, 212_992, 212_992, 212_992, SECOND_NS, 32768, 60999, Personality.LINUX, 1000, 50);
    }

    public StackConfig withIpForward(boolean forward) {
        return toBuilder().ipForward(forward).build();
    }

    /**
     * The defaults of {@code p}: Linux's, or for Windows the same with its dynamic port range
     * 49152–65535 (the IANA range Windows uses since Vista; Linux's ip_local_port_range is
     * 32768–60999).
     */
    public static StackConfig defaults(Personality p) {
        StackConfig linux = linuxDefaults();
        return p == Personality.LINUX ? linux
                : linux.toBuilder().personality(p).ephemeralPortLow(49152).ephemeralPortHigh(65535).build();
    }

    /** Only the personality flag changes; see {@link #defaults(Personality)} for a personality's defaults. */
    public StackConfig withPersonality(Personality p) {
        return toBuilder().personality(p).build();
    }

    public StackConfig withIcmpRatelimitNs(long ns) {
        return toBuilder().icmpRatelimitNs(ns).build();
    }

    public StackConfig withIpfragHighThreshBytes(int bytes) {
        return toBuilder().ipfragHighThreshBytes(bytes).build();
    }

    public StackConfig withEphemeralPorts(int low, int high) {
        return toBuilder().ephemeralPortLow(low).ephemeralPortHigh(high).build();
    }

    /** A builder holding this configuration's values, to change any of them by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ipDefaultTtl = ipDefaultTtl;
        b.ipForward = ipForward;
        b.ipfragTimeNs = ipfragTimeNs;
        b.ipfragHighThreshBytes = ipfragHighThreshBytes;
        b.arpReachableTimeNs = arpReachableTimeNs;
        b.arpRetransTimeNs = arpRetransTimeNs;
        b.arpMcastSolicit = arpMcastSolicit;
        b.arpUnresQlenBytes = arpUnresQlenBytes;
        b.udpRmemDefault = udpRmemDefault;
        b.udpWmemDefault = udpWmemDefault;
        b.rmemMax = rmemMax;
        b.wmemMax = wmemMax;
        b.icmpRatelimitNs = icmpRatelimitNs;
        b.ephemeralPortLow = ephemeralPortLow;
        b.ephemeralPortHigh = ephemeralPortHigh;
        b.personality = personality;
        b.icmpMsgsPerSec = icmpMsgsPerSec;
        b.icmpMsgsBurst = icmpMsgsBurst;
        return b;
    }

    /** Changes settings by name; {@link #build()} validates them as the record does. */
    public static final class Builder {
        private int ipDefaultTtl;
        private boolean ipForward;
        private long ipfragTimeNs;
        private int ipfragHighThreshBytes;
        private long arpReachableTimeNs;
        private long arpRetransTimeNs;
        private int arpMcastSolicit;
        private int arpUnresQlenBytes;
        private int udpRmemDefault;
        private int udpWmemDefault;
        private int rmemMax;
        private int wmemMax;
        private long icmpRatelimitNs;
        private int ephemeralPortLow;
        private int ephemeralPortHigh;
        private Personality personality;
        private int icmpMsgsPerSec;
        private int icmpMsgsBurst;

        public Builder icmpMsgsPerSec(int value) {
            this.icmpMsgsPerSec = value;
            return this;
        }

        public Builder icmpMsgsBurst(int value) {
            this.icmpMsgsBurst = value;
            return this;
        }

        public Builder ipDefaultTtl(int value) {
            this.ipDefaultTtl = value;
            return this;
        }

        public Builder ipForward(boolean value) {
            this.ipForward = value;
            return this;
        }

        public Builder ipfragTimeNs(long value) {
            this.ipfragTimeNs = value;
            return this;
        }

        public Builder ipfragHighThreshBytes(int value) {
            this.ipfragHighThreshBytes = value;
            return this;
        }

        public Builder arpReachableTimeNs(long value) {
            this.arpReachableTimeNs = value;
            return this;
        }

        public Builder arpRetransTimeNs(long value) {
            this.arpRetransTimeNs = value;
            return this;
        }

        public Builder arpMcastSolicit(int value) {
            this.arpMcastSolicit = value;
            return this;
        }

        public Builder arpUnresQlenBytes(int value) {
            this.arpUnresQlenBytes = value;
            return this;
        }

        public Builder udpRmemDefault(int value) {
            this.udpRmemDefault = value;
            return this;
        }

        public Builder udpWmemDefault(int value) {
            this.udpWmemDefault = value;
            return this;
        }

        public Builder rmemMax(int value) {
            this.rmemMax = value;
            return this;
        }

        public Builder wmemMax(int value) {
            this.wmemMax = value;
            return this;
        }

        public Builder icmpRatelimitNs(long value) {
            this.icmpRatelimitNs = value;
            return this;
        }

        public Builder ephemeralPortLow(int value) {
            this.ephemeralPortLow = value;
            return this;
        }

        public Builder ephemeralPortHigh(int value) {
            this.ephemeralPortHigh = value;
            return this;
        }

        public Builder personality(Personality value) {
            this.personality = value;
            return this;
        }

        public StackConfig build() {
            return new StackConfig(ipDefaultTtl, ipForward, ipfragTimeNs, ipfragHighThreshBytes, arpReachableTimeNs, arpRetransTimeNs, arpMcastSolicit, arpUnresQlenBytes, udpRmemDefault, udpWmemDefault, rmemMax, wmemMax, icmpRatelimitNs, ephemeralPortLow, ephemeralPortHigh, personality, icmpMsgsPerSec, icmpMsgsBurst);
        }
    }
}
