package netstack4j.packetdrill;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.function.Consumer;
import netstack4j.link.FrameHandler;
import netstack4j.link.NetworkDevice;
import netstack4j.link.Offloads;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * The simulated network card the stack under test sends through: the runner plays everything
 * on the other side of it. ARP requests are answered at once and invisibly (the script never
 * sees them, as with packetdrill's TUN device); every IPv4 packet the stack sends is captured
 * with its send time for the runner to match against {@code >} lines.
 *
 * <p>Thread-compatible: used only as the stack's owner (simulator thread or running process).
 */
final class ScriptDevice implements NetworkDevice {
    /** An IPv4 packet the stack sent, without its Ethernet header. */
    record Captured(long timeNs, byte[] ip) {
    }

    static final MacAddress LOCAL_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress REMOTE_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;

    private final int mtu;
    private final LongSupplier clock;
    private final Consumer<Runnable> later;
    private final ArrayDeque<Captured> captured = new ArrayDeque<>();
    private Runnable onCapture = () -> { };
    private FrameHandler handler;
    /**
     * packetdrill's TUN device: no TSO (it sets no TUN offload flags), GSO on as Linux gives
     * every device, so the stack cuts its super-segments in software before the script sees them;
     * no GRO, as a TUN without IFF_NAPI hands each write up alone (tun_get_user, netif_rx), and
     * packetdrill injects its own aggregates with --mss.
     */
    private final Offloads offloads = Offloads.linuxSoftware().gro(false);

    /**
     * @param later runs an action as a separate simulator event at the current time (ARP replies
     *              arrive after the request has been sent, not inside it)
     */
    ScriptDevice(int mtu, LongSupplier clock, Consumer<Runnable> later) {
        this.mtu = mtu;
        this.clock = clock;
        this.later = later;
    }

    void setOnCapture(Runnable r) {
        onCapture = r;
    }

    ArrayDeque<Captured> captured() {
        return captured;
    }

    @Override
    public String name() {
        return "tun0";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public Offloads features() {
        return offloads;
    }

    @Override
    public MacAddress macAddress() {
        return LOCAL_MAC;
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        byte[] b = frame.array();
        int off = frame.offset();
        int len = frame.length();
        if (len < 14) {
            return true;
        }
        int type = (b[off + 12] & 0xff) << 8 | b[off + 13] & 0xff;
        if (type == ETHERTYPE_ARP && len >= 14 + 28 && (b[off + 14 + 7] & 0xff) == 1) {
            // An ARP request: whoever is asked for answers with the remote MAC.
            Ipv4Address sender = Ipv4Address.read(b, off + 14 + 14);
            Ipv4Address target = Ipv4Address.read(b, off + 14 + 24);
            byte[] reply = arpReply(target, sender);
            later.accept(() -> deliver(reply));
        } else if (type == ETHERTYPE_IPV4) {
            byte[] ip = new byte[len - 14];
            System.arraycopy(b, off + 14, ip, 0, ip.length);
            captured.addLast(new Captured(clock.getAsLong(), ip));
            onCapture.run();
        }
        return true;
    }

    /** Injects an IPv4 packet as if it arrived from the remote side. */
    void inject(byte[] ip) {
        inject(ip, 0);
    }

    /** An IPv4 packet from the script; with {@code gsoSize} above 0 a GRO aggregate of segments that size. */
    void inject(byte[] ip, int gsoSize) {
        byte[] frame = new byte[14 + ip.length];
        writeEthernet(frame, ETHERTYPE_IPV4);
        System.arraycopy(ip, 0, frame, 14, ip.length);
        deliver(frame, gsoSize);
    }

    private void deliver(byte[] frame) {
        deliver(frame, 0);
    }

    private void deliver(byte[] frame, int gsoSize) {
        if (handler != null) {
            PacketBuffer b = PacketBuffer.copyOf(frame, 0, frame.length);
            if (gsoSize > 0) { // a GRO aggregate of segments gsoSize long: its TCP payload is after the IP and TCP headers
                int ip = 14;
                int tcp = ip + (frame[ip] & 0x0f) * 4;
                int payload = ((frame[ip + 2] & 0xff) << 8 | (frame[ip + 3] & 0xff)) - (tcp - ip) - (frame[tcp + 12] >>> 4 & 0x0f) * 4;
                b.setGso(gsoSize, netstack4j.link.Gso.segments(payload, gsoSize));
            }
            handler.onFrame(this, b);
        }
    }

    private static void writeEthernet(byte[] frame, int type) {
        writeMac(frame, 0, LOCAL_MAC);
        writeMac(frame, 6, REMOTE_MAC);
        frame[12] = (byte) (type >>> 8);
        frame[13] = (byte) type;
    }

    private static void writeMac(byte[] b, int off, MacAddress mac) {
        long v = mac.value();
        for (int i = 0; i < 6; i++) {
            b[off + i] = (byte) (v >>> (8 * (5 - i)));
        }
    }

    private static byte[] arpReply(Ipv4Address asked, Ipv4Address requester) {
        byte[] f = new byte[14 + 28];
        writeEthernet(f, ETHERTYPE_ARP);
        int a = 14;
        f[a + 1] = 1; // hardware type Ethernet
        f[a + 2] = 0x08; // protocol IPv4
        f[a + 4] = 6;
        f[a + 5] = 4;
        f[a + 7] = 2; // reply
        writeMac(f, a + 8, REMOTE_MAC);
        asked.write(f, a + 14);
        writeMac(f, a + 18, LOCAL_MAC);
        requester.write(f, a + 24);
        return f;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }
}
