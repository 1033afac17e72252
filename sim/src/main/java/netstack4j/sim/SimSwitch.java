package netstack4j.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netstack4j.link.NetworkDevice;
import netstack4j.stack.NetStack;
import netstack4j.wire.PacketBuffer;

/**
 * A learning Ethernet switch (IEEE 802.1D transparent bridging, without spanning tree). It
 * learns each frame's source MAC on the port it arrived on, forwards frames for a known unicast
 * MAC out of that one port, floods broadcast, multicast and unknown destinations to every other
 * port (in port order), and filters frames whose destination sits on the ingress port. Learned
 * entries age out after {@link #macAgeingNs()} (300 s by default, as in 802.1D).
 *
 * <p>Every port is the switch end of a {@link SimLink} cable. The cable's switch-to-host
 * direction is the port's output queue: it is bounded by the switch's per-port queue limit and
 * tail-drops (counted in that direction's {@link LinkStats#droppedQueue()}). Forwarding itself
 * takes no time; the cables carry the delay.
 *
 * <p>Threading: frames are switched on the simulator thread; configure it from the simulation's
 * owner.
 */
public final class SimSwitch {
    private static final long DEFAULT_AGEING_NS = 300_000_000_000L;

    private final Simulator sim;
    private final String name;
    private final int portQueueLimitBytes;
    private final List<SimPort> ports = new ArrayList<>();
    private final List<SimLink> links = new ArrayList<>();
    private final MacTable table = new MacTable();
    private long macAgeingNs = DEFAULT_AGEING_NS;
    private long forwarded;
    private long flooded;
    private long filtered;
    private long runts;

    SimSwitch(Simulator sim, String name, int portQueueLimitBytes) {
        if (portQueueLimitBytes < 0) {
            throw new IllegalArgumentException("portQueueLimitBytes must be >= 0");
        }
        this.sim = sim;
        this.name = name;
        this.portQueueLimitBytes = portQueueLimitBytes;
    }

    public String name() {
        return name;
    }

    /**
     * Cables {@code host} to a new switch port. The host side is {@code link.a()} (its next
     * {@code ethN}); give it an address with {@code host.addInterface(link.a(), …)}.
     */
    public SimLink connect(NetStack host, LinkParams cable) {
        return connect(sim.nextPortName(host), host.name(), cable);
    }

    /** Cables a free-standing device port named {@code deviceName} (its {@code link.a()}) to a new switch port. */
    public SimLink connect(String deviceName, LinkParams cable) {
        return connect(deviceName, deviceName, cable);
    }

    /** A trunk between this switch and {@code other}; both ends are switch ports. */
    public SimLink connect(SimSwitch other, LinkParams cable) {
        String mine = name + "p" + ports.size();
        String theirs = other.name + "p" + other.ports.size();
        SimLink link = new SimLink(sim, mine + "-" + theirs, mine, theirs,
                cable.withQueueLimit(portQueueLimitBytes), cable.withQueueLimit(other.portQueueLimitBytes));
        addPort(link, link.a());
        other.addPort(link, link.b());
        return link;
    }

    private SimLink connect(String deviceName, String owner, LinkParams cable) {
        String portName = name + "p" + ports.size();
        SimLink link = new SimLink(sim, owner + "." + deviceName + "-" + portName, deviceName, portName,
                cable, cable.withQueueLimit(portQueueLimitBytes));
        addPort(link, link.b());
        return link;
    }

    private void addPort(SimLink link, SimPort port) {
        ports.add(port);
        links.add(link);
        port.setFrameHandler(this::onFrame);
    }

    /** The switch's own ports, in the order they were connected. */
    public List<SimPort> ports() {
        return List.copyOf(ports);
    }

    /** The cables, in port order. */
    public List<SimLink> links() {
        return List.copyOf(links);
    }

    public int portQueueLimitBytes() {
        return portQueueLimitBytes;
    }

    public long macAgeingNs() {
        return macAgeingNs;
    }

    public void setMacAgeingNs(long ns) {
        if (ns <= 0) {
            throw new IllegalArgumentException("ageing time must be > 0");
        }
        this.macAgeingNs = ns;
    }

    /** The port index {@code mac} was last seen on (if not aged out), or -1. */
    public int lookup(long mac) {
        int port = table.port(mac);
        if (port < 0 || sim.nowNs() - table.lastSeenNs(mac) > macAgeingNs) {
            return -1;
        }
        return port;
    }

    /** Forgets every learned address. */
    public void flushMacTable() {
        table.clear();
    }

    /** Frames sent out of exactly one port. */
    public long forwardedFrames() {
        return forwarded;
    }

    /** Frames flooded (broadcast, multicast or unknown destination). */
    public long floodedFrames() {
        return flooded;
    }

    /** Frames dropped because their destination is on the port they came from. */
    public long filteredFrames() {
        return filtered;
    }

    /** Frames shorter than an Ethernet header, dropped. */
    public long runtFrames() {
        return runts;
    }

    /** Frames tail-dropped by port {@code index}'s output queue. */
    public long queueDrops(int index) {
        return ports.get(index).txStats().droppedQueue();
    }

    private void onFrame(NetworkDevice device, PacketBuffer frame) {
        int ingress = ports.indexOf(device);
        if (frame.length() < LinkParams.ETHERNET_HEADER_BYTES) {
            runts++;
            return;
        }
        byte[] bytes = frame.array();
        int off = frame.offset();
        long dst = readMac(bytes, off);
        long src = readMac(bytes, off + 6);
        if (!isGroup(src)) {
            table.learn(src, ingress, sim.nowNs());
        }
        int egress = isGroup(dst) ? -1 : lookup(dst);
        if (egress == ingress) {
            filtered++;
            return;
        }
        if (egress >= 0) {
            forwarded++;
            ports.get(egress).transmit(frame);
            return;
        }
        flooded++;
        int last = ports.size() - 1 == ingress ? ports.size() - 2 : ports.size() - 1;
        for (int i = 0; i <= last; i++) {
            if (i != ingress) {
                ports.get(i).transmit(i == last ? frame : frame.copy());
            }
        }
    }

    private static long readMac(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        return "SimSwitch[" + name + ", " + ports.size() + " ports]";
    }

    /** MAC → (port, last seen): open addressing over primitive arrays, so lookups allocate nothing. */
    private static final class MacTable {
        private static final long EMPTY = -1L;
        private long[] keys = newKeys(16);
        private int[] portOf = new int[16];
        private long[] seenNs = new long[16];
        private int size;

        private static long[] newKeys(int n) {
            long[] k = new long[n];
            Arrays.fill(k, EMPTY);
            return k;
        }

        private int slot(long mac) {
            int mask = keys.length - 1;
            int i = (int) (mac ^ (mac >>> 17) ^ (mac >>> 31)) * 0x9E3779B9 >>> 7 & mask;
            while (keys[i] != EMPTY && keys[i] != mac) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void learn(long mac, int port, long nowNs) {
            int i = slot(mac);
            if (keys[i] == EMPTY) {
                if (2 * (size + 1) > keys.length) {
                    grow();
                    i = slot(mac);
                }
                keys[i] = mac;
                size++;
            }
            portOf[i] = port;
            seenNs[i] = nowNs;
        }

        int port(long mac) {
            int i = slot(mac);
            return keys[i] == EMPTY ? -1 : portOf[i];
        }

        long lastSeenNs(long mac) {
            return seenNs[slot(mac)];
        }

        void clear() {
            Arrays.fill(keys, EMPTY);
            size = 0;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldPorts = portOf;
            long[] oldSeen = seenNs;
            keys = newKeys(oldKeys.length * 2);
            portOf = new int[oldKeys.length * 2];
            seenNs = new long[oldKeys.length * 2];
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != EMPTY) {
                    int i = slot(oldKeys[j]);
                    keys[i] = oldKeys[j];
                    portOf[i] = oldPorts[j];
                    seenNs[i] = oldSeen[j];
                }
            }
        }
    }
}
