package netstack4j.sim;

/**
 * The behaviour of one direction of a {@link SimLink}. Immutable; change a running link with
 * {@link SimLink#setParams}. The default ({@link #DEFAULT}) is an ideal link: infinite
 * bandwidth, no delay, no faults, MTU 1500, a 1 MiB transmit queue.
 *
 * <p>What happens to a frame, in order:
 * <ol>
 *   <li>Larger than {@code mtu + 14} bytes: dropped (counted as MTU drop).</li>
 *   <li>Link down: dropped (down).</li>
 *   <li>Transmit queue: frames serialise one after another at {@code bandwidthBitsPerSec}
 *       (frame bytes only: no preamble, inter-frame gap or FCS, so 1000 bytes at 8 Mbit/s take
 *       exactly 1 ms). When the bytes not yet serialised (including the rest of the frame on the
 *       wire) plus this frame exceed {@code queueLimitBytes}, the frame is tail-dropped (queue).
 *       With infinite bandwidth the queue is always empty.</li>
 *   <li>Loss: a lost frame still occupies the wire, then vanishes. Independent loss with
 *       probability {@code lossRate}; and the Gilbert–Elliott two-state model when
 *       {@code geP > 0}: before each frame the state moves good→bad with probability
 *       {@code geP} and bad→good with {@code geR}; the frame is lost with probability
 *       {@code 1 - geK} in the good state and {@code 1 - geH} in the bad one. The classic
 *       Gilbert model is {@code geK = 1, geH = 0}; mean burst length is {@code 1 / geR}.</li>
 *   <li>Arrival time: end of serialisation + {@code delayNs} + a uniform jitter in
 *       {@code [0, jitterNs]}. Jitter does not reorder: a frame never arrives before the one sent
 *       before it (its time is raised to that one's if needed).</li>
 *   <li>Reordering: with probability {@code reorderRate} the frame is held back and delivered
 *       immediately after the next frame sent in the same direction (same instant, next in
 *       order), so the two swap; if no frame follows before its normal arrival time plus
 *       {@code reorderHoldNs}, it arrives then, late but in order. One frame is held at a
 *       time.</li>
 *   <li>Duplication: with probability {@code duplicateRate} a copy arrives right after the
 *       frame.</li>
 *   <li>Corruption on the wire: with probability {@code corruptRate} (drawn for each copy) the
 *       frame is damaged in transit. Its Ethernet frame check sequence (IEEE 802.3 clause 3.2.9,
 *       a CRC-32 that detects every error burst up to 32 bits) no longer matches, so the
 *       receiving port discards it, as a NIC does, and counts it in
 *       {@link LinkStats#rxCrcErrors()} (the {@code rx_crc_errors} of {@code ip -s link} and
 *       {@code ethtool -S}). It never reaches the host: the frame still used the wire, then
 *       vanishes like a lost one.</li>
 *   <li>Corruption past the FCS: with probability {@code payloadCorruptRate} (drawn for each
 *       copy of an IPv4 frame whose IP payload is not empty) one bit chosen uniformly over the IP
 *       payload (the bytes after the IPv4 header, up to its Total Length) is flipped, and the
 *       frame is delivered. This is damage the FCS cannot see because it happened before the
 *       FCS was computed (a router's or NIC's memory, a bad DMA), which is what the TCP, UDP and
 *       ICMP checksums exist for (RFC 1122 section 4.2.2.7; Stone and Partridge, "When the CRC
 *       and TCP checksum disagree", SIGCOMM 2000). The Ethernet and IP headers and non-IPv4
 *       frames (ARP) are never touched.</li>
 * </ol>
 *
 * <p>Delays ({@code delayNs}, {@code jitterNs}, {@code reorderHoldNs}) are at most
 * {@link #MAX_DELAY_NS} each, so that arrival times stay far from the end of the simulator's
 * 64-bit clock.
 *
 * @param bandwidthBitsPerSec serialisation rate; 0 for infinite
 * @param delayNs             propagation delay
 * @param jitterNs            upper bound of the uniform extra delay
 * @param lossRate            probability of independent random loss
 * @param geP                 Gilbert–Elliott probability good→bad per frame (0 disables the model)
 * @param geR                 Gilbert–Elliott probability bad→good per frame
 * @param geH                 Gilbert–Elliott probability a frame survives in the bad state
 * @param geK                 Gilbert–Elliott probability a frame survives in the good state
 * @param duplicateRate       probability a frame is delivered twice
 * @param reorderRate         probability a frame is held back behind the next one
 * @param reorderHoldNs       how long past its normal arrival a held frame waits for a follower
 * @param corruptRate         probability a frame is damaged on the wire (its FCS fails: dropped by the receiver)
 * @param payloadCorruptRate  probability one bit of an IPv4 frame's IP payload is flipped past the FCS (delivered)
 * @param mtu                 largest IP packet carried (frames up to {@code mtu + 14} bytes pass)
 * @param queueLimitBytes     transmit queue capacity in bytes
 * @param ecnThresholdBytes   ECN marking (RFC 3168 section 5): an ECN-capable packet that finds at
 *                            least this many bytes queued is marked CE instead of waiting for a
 *                            drop; 0 turns marking off (as a step AQM, Linux's sch_red with ecn, or
 *                            fq_codel's ce_threshold)
 */
public record LinkParams(
        long bandwidthBitsPerSec,
        long delayNs,
        long jitterNs,
        double lossRate,
        double geP,
        double geR,
        double geH,
        double geK,
        double duplicateRate,
        double reorderRate,
        long reorderHoldNs,
        double corruptRate,
        double payloadCorruptRate,
        int mtu,
        int queueLimitBytes,
        int ecnThresholdBytes) {

    public static final int DEFAULT_MTU = 1500;
    public static final int DEFAULT_QUEUE_LIMIT_BYTES = 1 << 20;
    public static final long DEFAULT_REORDER_HOLD_NS = 10_000_000L;
    /** Ethernet header bytes a frame may carry on top of the MTU. */
    public static final int ETHERNET_HEADER_BYTES = 14;
    /** The longest delay, jitter or reorder hold a link takes: 10^6 s (about 11.6 days). */
    public static final long MAX_DELAY_NS = 1_000_000L * 1_000_000_000L;

    /** An ideal link: instant, lossless, MTU 1500, 1 MiB queue. */
    public static final LinkParams DEFAULT = new LinkParams(0, 0, 0, 0, 0, 1, 0, 1, 0, 0,
            DEFAULT_REORDER_HOLD_NS, 0, 0, DEFAULT_MTU, DEFAULT_QUEUE_LIMIT_BYTES, 0);

    public LinkParams {
        nonNegative("bandwidthBitsPerSec", bandwidthBitsPerSec);
        delay("delayNs", delayNs);
        delay("jitterNs", jitterNs);
        delay("reorderHoldNs", reorderHoldNs);
        probability("lossRate", lossRate);
        probability("geP", geP);
        probability("geR", geR);
        probability("geH", geH);
        probability("geK", geK);
        probability("duplicateRate", duplicateRate);
        probability("reorderRate", reorderRate);
        probability("corruptRate", corruptRate);
        probability("payloadCorruptRate", payloadCorruptRate);
        if (mtu < 68) {
            throw new IllegalArgumentException("mtu " + mtu + " below the IPv4 minimum of 68");
        }
        if (queueLimitBytes < 0) {
            throw new IllegalArgumentException("queueLimitBytes must be >= 0: " + queueLimitBytes);
        }
        if (ecnThresholdBytes < 0) {
            throw new IllegalArgumentException("ecnThresholdBytes must be >= 0: " + ecnThresholdBytes);
        }
    }

    /** An otherwise ideal link with this rate and propagation delay. */
    public static LinkParams of(long bandwidthBitsPerSec, long delayNs) {
        return DEFAULT.withBandwidth(bandwidthBitsPerSec).withDelay(delayNs);
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Serialisation time of {@code bytes} at this rate, rounded up to whole nanoseconds. */
    public long serializationNs(int bytes) {
        if (bandwidthBitsPerSec == 0) {
            return 0;
        }
        long bits = 8L * bytes;
        return Math.ceilDiv(Math.multiplyExact(bits, 1_000_000_000L), bandwidthBitsPerSec);
    }

    public boolean gilbertElliott() {
        return geP > 0;
    }

    public LinkParams withBandwidth(long bitsPerSec) {
        return toBuilder().bandwidthBitsPerSec(bitsPerSec).build();
    }

    public LinkParams withDelay(long ns) {
        return toBuilder().delayNs(ns).build();
    }

    public LinkParams withJitter(long ns) {
        return toBuilder().jitterNs(ns).build();
    }

    public LinkParams withLoss(double rate) {
        return toBuilder().lossRate(rate).build();
    }

    /** Gilbert–Elliott burst loss ({@link LinkParams} explains the parameters). */
    public LinkParams withGilbertElliott(double p, double r, double h, double k) {
        return toBuilder().gilbertElliott(p, r, h, k).build();
    }

    public LinkParams withDuplicate(double rate) {
        return toBuilder().duplicateRate(rate).build();
    }

    public LinkParams withReorder(double rate) {
        return toBuilder().reorderRate(rate).build();
    }

    /** Damage on the wire, caught by the receiver's FCS check: the frame is dropped and counted. */
    public LinkParams withCorrupt(double rate) {
        return toBuilder().corruptRate(rate).build();
    }

    /** Damage past the FCS: one bit of the IP payload flipped, for the transport checksums to catch. */
    public LinkParams withPayloadCorrupt(double rate) {
        return toBuilder().payloadCorruptRate(rate).build();
    }

    public LinkParams withMtu(int mtu) {
        return toBuilder().mtu(mtu).build();
    }

    public LinkParams withQueueLimit(int bytes) {
        return toBuilder().queueLimitBytes(bytes).build();
    }

    /** CE marks for ECN-capable packets that find {@code bytes} or more queued (0: no marking). */
    public LinkParams withEcnThreshold(int bytes) {
        return toBuilder().ecnThresholdBytes(bytes).build();
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + v);
        }
    }

    private static void delay(String name, long v) {
        if (v < 0 || v > MAX_DELAY_NS) {
            throw new IllegalArgumentException(name + " must be in [0, " + MAX_DELAY_NS + "]: " + v);
        }
    }

    private static void probability(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
        }
    }

    /** Builds {@link LinkParams}, starting from a given value. Thread-compatible. */
    public static final class Builder {
        private long bandwidthBitsPerSec;
        private long delayNs;
        private long jitterNs;
        private double lossRate;
        private double geP;
        private double geR;
        private double geH;
        private double geK;
        private double duplicateRate;
        private double reorderRate;
        private long reorderHoldNs;
        private double corruptRate;
        private double payloadCorruptRate;
        private int mtu;
        private int queueLimitBytes;
        private int ecnThresholdBytes;

        private Builder(LinkParams p) {
            bandwidthBitsPerSec = p.bandwidthBitsPerSec;
            delayNs = p.delayNs;
            jitterNs = p.jitterNs;
            lossRate = p.lossRate;
            geP = p.geP;
            geR = p.geR;
            geH = p.geH;
            geK = p.geK;
            duplicateRate = p.duplicateRate;
            reorderRate = p.reorderRate;
            reorderHoldNs = p.reorderHoldNs;
            corruptRate = p.corruptRate;
            payloadCorruptRate = p.payloadCorruptRate;
            mtu = p.mtu;
            queueLimitBytes = p.queueLimitBytes;
            ecnThresholdBytes = p.ecnThresholdBytes;
        }

        public Builder bandwidthBitsPerSec(long v) {
            bandwidthBitsPerSec = v;
            return this;
        }

        public Builder delayNs(long v) {
            delayNs = v;
            return this;
        }

        public Builder jitterNs(long v) {
            jitterNs = v;
            return this;
        }

        public Builder lossRate(double v) {
            lossRate = v;
            return this;
        }

        public Builder gilbertElliott(double p, double r, double h, double k) {
            geP = p;
            geR = r;
            geH = h;
            geK = k;
            return this;
        }

        public Builder duplicateRate(double v) {
            duplicateRate = v;
            return this;
        }

        public Builder reorderRate(double v) {
            reorderRate = v;
            return this;
        }

        public Builder reorderHoldNs(long v) {
            reorderHoldNs = v;
            return this;
        }

        public Builder corruptRate(double v) {
            corruptRate = v;
            return this;
        }

        public Builder payloadCorruptRate(double v) {
            payloadCorruptRate = v;
            return this;
        }

        public Builder mtu(int v) {
            mtu = v;
            return this;
        }

        public Builder ecnThresholdBytes(int v) {
            ecnThresholdBytes = v;
            return this;
        }

        public Builder queueLimitBytes(int v) {
            queueLimitBytes = v;
            return this;
        }

        public LinkParams build() {
            return new LinkParams(bandwidthBitsPerSec, delayNs, jitterNs, lossRate, geP, geR, geH, geK,
                    duplicateRate, reorderRate, reorderHoldNs, corruptRate, payloadCorruptRate, mtu, queueLimitBytes,
                    ecnThresholdBytes);
        }
    }
}
