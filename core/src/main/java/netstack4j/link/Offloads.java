package netstack4j.link;

/**
 * The offload features of one device, as Linux's netdev features ({@code NETIF_F_TSO},
 * {@code NETIF_F_GSO}, {@code NETIF_F_GRO}) and its GSO limits ({@code gso_max_size},
 * {@code gso_max_segs}); {@code ethtool -k} shows them, {@code ethtool -K} sets them.
 *
 * <ul>
 *   <li>tx-checksumming: the device completes the TCP checksum, which TCP leaves partial.</li>
 *   <li>TSO: the device takes a TCP super-segment whole and cuts it to MSS itself.</li>
 *   <li>GSO: the stack hands super-segments down and cuts them in software just before a
 *       device without TSO ({@code skb_gso_segment}, see {@link Gso}); on by default in Linux.</li>
 *   <li>GRO: the receive path merges in-order segments of one flow before TCP.</li>
 * </ul>
 *
 * <p>Thread-compatible: set and read on the thread that owns the device's stack.
 */
public final class Offloads {
    /** GSO_LEGACY_MAX_SIZE: the largest super-segment a device takes by default. */
    public static final int GSO_MAX_SIZE = 65536;
    /** GSO_MAX_SEGS: the most segments one super-segment may be cut into. */
    public static final int GSO_MAX_SEGS = 65535;

    private boolean txChecksum;
    private boolean tso;
    private boolean gso;
    private boolean gro;
    private int gsoMaxSize = GSO_MAX_SIZE;
    private int gsoMaxSegs = GSO_MAX_SEGS;

    /** No offload at all: what a device that says nothing about offloads has. */
    public static Offloads none() {
        return new Offloads();
    }

    /** Linux's defaults for a device without hardware offloads: GSO and GRO on, TSO off. */
    public static Offloads linuxSoftware() {
        Offloads o = new Offloads();
        o.gso = true;
        o.gro = true;
        return o;
    }

    /**
     * Linux's defaults for a veth (and loopback): TSO, GSO and GRO on; the device takes
     * super-segments whole (veth passes them on uncut; a card with TSO cuts them).
     */
    public static Offloads linuxVeth() {
        Offloads o = linuxSoftware();
        o.tso = true;
        o.txChecksum = true;
        return o;
    }

    /**
     * Linux's loopback: checksum offload (NETIF_F_HW_CSUM: packets cross it with their checksum
     * partial and are trusted), nothing else here.
     */
    public static Offloads linuxLoopback() {
        Offloads o = new Offloads();
        o.txChecksum = true;
        return o;
    }

    /** tx-checksumming (NETIF_F_HW_CSUM): the device completes TCP checksums itself. */
    public boolean txChecksum() {
        return txChecksum;
    }

    public Offloads txChecksum(boolean on) {
        this.txChecksum = on;
        return this;
    }

    public boolean tso() {
        return tso;
    }

    public boolean gso() {
        return gso;
    }

    public boolean gro() {
        return gro;
    }

    public int gsoMaxSize() {
        return gsoMaxSize;
    }

    public int gsoMaxSegs() {
        return gsoMaxSegs;
    }

    public Offloads tso(boolean on) {
        this.tso = on;
        return this;
    }

    public Offloads gso(boolean on) {
        this.gso = on;
        return this;
    }

    public Offloads gro(boolean on) {
        this.gro = on;
        return this;
    }

    /** {@code ip link set dev X gso_max_size N}: at most 65536 (no BIG TCP here), at least one MSS-sized packet. */
    public Offloads gsoMaxSize(int bytes) {
        if (bytes < 576 || bytes > GSO_MAX_SIZE) {
            throw new IllegalArgumentException("gso_max_size must be in [576, " + GSO_MAX_SIZE + "]: " + bytes);
        }
        this.gsoMaxSize = bytes;
        return this;
    }

    /** {@code ip link set dev X gso_max_segs N}. */
    public Offloads gsoMaxSegs(int segs) {
        if (segs < 1 || segs > GSO_MAX_SEGS) {
            throw new IllegalArgumentException("gso_max_segs must be in [1, " + GSO_MAX_SEGS + "]: " + segs);
        }
        this.gsoMaxSegs = segs;
        return this;
    }

    /**
     * Whether TCP may hand this device super-segments (Linux's sk_can_gso after sk_setup_caps:
     * GSO or TSO on).
     */
    public boolean canGso() {
        return tso || gso;
    }

    /**
     * Sets one feature by its {@code ethtool -K} name ({@code tso}, {@code gso}, {@code gro},
     * or the long names {@code tcp-segmentation-offload}, {@code generic-segmentation-offload},
     * {@code generic-receive-offload}); false for a name this device does not have.
     */
    public boolean set(String feature, boolean on) {
        switch (feature) {
            case "tx", "tx-checksumming" -> txChecksum = on;
            case "tso", "tcp-segmentation-offload" -> tso = on;
            case "gso", "generic-segmentation-offload" -> gso = on;
            case "gro", "generic-receive-offload" -> gro = on;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The lines {@code ethtool -k DEV} prints for these features. */
    public String ethtoolText(String device) {
        return "Features for " + device + ":\n"
                + "tx-checksumming: " + onOff(txChecksum) + "\n"
                + "tcp-segmentation-offload: " + onOff(tso) + "\n"
                + "generic-segmentation-offload: " + onOff(gso) + "\n"
                + "generic-receive-offload: " + onOff(gro) + "\n";
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    @Override
    public String toString() {
        return "tso " + onOff(tso) + " gso " + onOff(gso) + " gro " + onOff(gro)
                + " gso_max_size " + gsoMaxSize + " gso_max_segs " + gsoMaxSegs;
    }
}
