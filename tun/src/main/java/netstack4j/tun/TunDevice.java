package netstack4j.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import netstack4j.link.FrameHandler;
import netstack4j.link.NetworkDevice;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.BufferPool;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.MacAddress;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.PacketBuffer;

/**
 * A {@link NetworkDevice} over a Linux TUN/TAP interface: {@code open("/dev/net/tun")} and
 * {@code ioctl(TUNSETIFF)} with {@code IFF_TAP|IFF_NO_PI} or {@code IFF_TUN|IFF_NO_PI}, through
 * the FFM API. The kernel creates the interface when the device opens and removes it when the
 * file descriptor closes ({@link #close}; the process exiting closes it too). The kernel's side
 * is configured with {@code ip} as any interface is.
 *
 * <p>Each {@code read(2)} gives one frame, each {@code write(2)} sends one. The descriptor is
 * non-blocking: {@link DeviceLoop} waits for it with {@code ppoll(2)} and then reads a batch.
 *
 * <p>TUN mode has no link layer, but the stack speaks Ethernet: the device wraps each received
 * IPv4 packet in an Ethernet header (to the stack's MAC from {@link #TUN_PEER_MAC}), strips the
 * header of each transmitted one, and answers the stack's ARP requests itself (every address is
 * at {@link #TUN_PEER_MAC}: everything on a point-to-point link is the peer), delivering the
 * reply on the stack's thread at the next turn of the loop.
 *
 * <p>Buffers: a transmitted frame is copied to native memory and released to its pool at once;
 * received frames are built in buffers of the pool the loop passes to {@link #receive}, which the
 * stack then owns.
 *
 * <p>Thread-compatible: {@link #transmit} and {@link #receive} run on the stack's thread (the
 * event loop or an application thread inside a stack call), as {@link NetworkDevice} requires.
 */
public final class TunDevice implements NetworkDevice, AutoCloseable {
    /** The MAC the device gives the peer of a TUN (point-to-point) link. */
    public static final MacAddress TUN_PEER_MAC = MacAddress.parse("02:00:00:00:00:fe");
    /** Room in front of a received frame, for replies built in place. */
    static final int RX_HEADROOM = 64;
    private static final int IO_BYTES = 65536 + 64;

    private final String name;
    private final TunMode mode;
    private final int mtu;
    private final MacAddress mac;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoState = LinuxCalls.newErrnoState(arena);
    private final MemorySegment rx = arena.allocate(IO_BYTES, 64);
    private final MemorySegment tx = arena.allocate(IO_BYTES, 64);
    private final ArrayDeque<PacketBuffer> synthesized = new ArrayDeque<>();
    private final int fd;
    /** Bytes of virtio_net_hdr in front of every packet read and written: 10 with offloads, else 0. */
    private final int vnetHeader;
    private final byte[] gsoIn;
    private final byte[] gsoOut;
    private final MemorySegment gsoInSegment;
    private final MemorySegment gsoOutSegment;
    private BufferPool rxPool;
    private final VirtioNet.SegmentSink segmentSink = this::receiveSegment;
    private long rxSuperSegments;
    private FrameHandler handler;
    private Runnable wakeup = () -> { };
    private boolean closed;
    private long rxFrames;
    private long txFrames;
    private long rxDropped;
    private long txDropped;

    private TunDevice(String name, TunMode mode, int mtu, MacAddress mac, int fd, boolean offloads) {
        this.name = name;
        this.mode = mode;
        this.mtu = mtu;
        this.mac = mac;
        this.fd = fd;
        this.vnetHeader = offloads ? VirtioNet.HEADER_BYTES : 0;
        this.gsoIn = offloads ? new byte[IO_BYTES] : null;
        this.gsoOut = offloads ? new byte[IO_BYTES] : null;
        this.gsoInSegment = offloads ? MemorySegment.ofArray(gsoIn) : null;
        this.gsoOutSegment = offloads ? MemorySegment.ofArray(gsoOut) : null;
    }

    /**
     * Creates interface {@code name} in the caller's network namespace. Fails with one line that
     * says why: no {@code /dev/net/tun}, not root, the name taken.
     */
    public static TunDevice open(String name, TunMode mode, int mtu, MacAddress mac) throws IOException {
        return open(name, mode, mtu, mac, false);
    }

    /**
     * As {@link #open(String, TunMode, int, MacAddress)}; with {@code offloads}, the device is
     * opened with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)}: the
     * kernel may then hand over TCP super-segments of up to 64 KiB with the checksum left partial
     * (one read instead of some forty), which the device cuts and completes in software (see
     * {@link VirtioNet}) so that the stack sees ordinary frames.
     */
    public static TunDevice open(String name, TunMode mode, int mtu, MacAddress mac, boolean offloads) throws IOException {
        checkName(name);
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new IOException("no /dev/net/tun: this system has no TUN/TAP driver (try modprobe tun)");
        }
        if (Files.exists(Path.of("/sys/class/net", name))) {
            throw new IOException("the interface name " + name + " is taken (ip link show " + name + ")");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.newErrnoState(a);
            int fd = LinuxCalls.open(state, a.allocateFrom("/dev/net/tun"),
                    LinuxCalls.O_RDWR | LinuxCalls.O_NONBLOCK | LinuxCalls.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException(openFailure(-fd));
            }
            MemorySegment ifr = a.allocate(LinuxCalls.IFREQ_BYTES);
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
            short flags = (short) ((mode == TunMode.TAP ? LinuxCalls.IFF_TAP : LinuxCalls.IFF_TUN) | LinuxCalls.IFF_NO_PI
                    | (offloads ? LinuxCalls.IFF_VNET_HDR : 0));
            ifr.set(ValueLayout.JAVA_SHORT, LinuxCalls.IFREQ_FLAGS_OFFSET, flags);
            int r = LinuxCalls.ioctl(state, fd, LinuxCalls.TUNSETIFF, ifr);
            if (r < 0) {
                LinuxCalls.close(state, fd);
                throw new IOException(setIffFailure(name, -r));
            }
            if (offloads) {
                int o = LinuxCalls.ioctl(state, fd, LinuxCalls.TUNSETOFFLOAD, (long) (LinuxCalls.TUN_F_CSUM | LinuxCalls.TUN_F_TSO4));
                if (o < 0) {
                    LinuxCalls.close(state, fd);
                    throw new IOException("ioctl(TUNSETOFFLOAD) for " + name + " failed: " + LinuxCalls.errnoName(-o));
                }
            }
            return new TunDevice(name, mode, mtu, mac, fd, offloads);
        }
    }

    private static void checkName(String name) throws IOException {
        if (name.isEmpty() || name.length() >= LinuxCalls.IFNAMSIZ || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IOException("bad interface name '" + name + "': 1 to 15 letters, digits, '_', '.', '-'");
        }
    }

    static String openFailure(int errno) {
        return switch (errno) {
            case LinuxCalls.EACCES, LinuxCalls.EPERM ->
                    "cannot open /dev/net/tun: permission denied (run as root, or with CAP_NET_ADMIN)";
            case LinuxCalls.ENOENT, LinuxCalls.ENODEV ->
                    "no /dev/net/tun: this system has no TUN/TAP driver (try modprobe tun)";
            default -> "cannot open /dev/net/tun: " + LinuxCalls.errnoName(errno);
        };
    }

    static String setIffFailure(String name, int errno) {
        return switch (errno) {
            case LinuxCalls.EPERM, LinuxCalls.EACCES -> "creating " + name + " needs CAP_NET_ADMIN (run as root)";
            case LinuxCalls.EBUSY -> "the interface name " + name + " is taken (a TUN/TAP device of that name is in use)";
            case LinuxCalls.EINVAL, LinuxCalls.EEXIST -> "the interface name " + name + " is taken by a device that is not TUN/TAP";
            default -> "ioctl(TUNSETIFF) for " + name + " failed: " + LinuxCalls.errnoName(errno);
        };
    }

    @Override
    public String name() {
        return name;
    }

    public TunMode mode() {
        return mode;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    int fd() {
        return fd;
    }

    /** Called by {@link DeviceLoop} so that frames the device makes up get delivered promptly. */
    void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        try {
            if (closed || frame.length() > mtu + EthernetPacket.HEADER_LENGTH || frame.length() < EthernetPacket.HEADER_LENGTH) {
                txDropped++;
                return false;
            }
            int from = frame.offset();
            int len = frame.length();
            if (mode == TunMode.TUN) {
                int type = ((frame.array()[from + 12] & 0xff) << 8) | (frame.array()[from + 13] & 0xff);
                if (type == EtherType.ARP) {
                    answerArp(frame);
                    return true;
                }
                if (type != EtherType.IPV4) {
                    txDropped++;
                    return false;
                }
                from += EthernetPacket.HEADER_LENGTH;
                len -= EthernetPacket.HEADER_LENGTH;
            }
            // With offloads, a zero virtio_net_hdr (no GSO, checksum complete) goes first; it stays zero.
            MemorySegment.copy(frame.array(), from, tx, ValueLayout.JAVA_BYTE, vnetHeader, len);
            long w = LinuxCalls.write(errnoState, fd, tx, vnetHeader + len);
            if (w != vnetHeader + len) {
                txDropped++; // EAGAIN (kernel queue full), EIO (interface down): dropped, as a full qdisc drops
                return false;
            }
            txFrames++;
            return true;
        } finally {
            frame.release();
        }
    }

    /** TUN mode: the peer of a point-to-point link has every address (see the class comment). */
    private void answerArp(PacketBuffer frame) {
        ArpMessage request;
        try {
            request = ArpMessage.parse(ArpPacket.wrapChecked(frame.array(), frame.offset() + EthernetPacket.HEADER_LENGTH,
                    frame.length() - EthernetPacket.HEADER_LENGTH));
        } catch (MalformedPacketException e) {
            txDropped++;
            return;
        }
        if (request.operation() != ArpOperation.REQUEST) {
            return;
        }
        ArpMessage reply = ArpMessage.replyTo(request, TUN_PEER_MAC);
        PacketBuffer b = PacketBuffer.allocate(RX_HEADROOM, EthernetPacket.HEADER_LENGTH + ArpMessage.LENGTH);
        int at = b.append(EthernetPacket.HEADER_LENGTH + ArpMessage.LENGTH);
        new EthernetHeader(mac, TUN_PEER_MAC, EtherType.ARP).emit(b.array(), at);
        reply.emit(b.array(), at + EthernetPacket.HEADER_LENGTH);
        synthesized.addLast(b);
        wakeup.run();
    }

    /**
     * Reads up to {@code max} frames that are waiting (never blocks) and hands each to the frame
     * handler in a buffer from {@code pool}. Returns how many were read: {@code max} means more
     * may be waiting.
     */
    int receive(BufferPool pool, int max) {
        int n = 0;
        while (!synthesized.isEmpty() && n < max) {
            deliver(synthesized.removeFirst());
            n++;
        }
        while (n < max && !closed) {
            long r = LinuxCalls.read(errnoState, fd, rx, IO_BYTES);
            if (r <= 0) {
                break; // EAGAIN: nothing more; other errors: the interface went away, the loop ends us
            }
            n++;
            if (vnetHeader > 0) {
                receiveWithHeader(pool, (int) r);
            } else {
                receivePacket(pool, rx, 0, (int) r);
            }
        }
        return n;
    }

    /** One packet at {@code seg[off, off+len)}: framed for the stack (TUN) and delivered in a pool buffer. */
    private void receivePacket(BufferPool pool, MemorySegment seg, long off, int len) {
        int linkHeader = mode == TunMode.TUN ? EthernetPacket.HEADER_LENGTH : 0;
        if (mode == TunMode.TUN && (seg.get(ValueLayout.JAVA_BYTE, off) & 0xf0) != 0x40) {
            rxDropped++; // IPv6 and anything else: the stack is IPv4 only
            return;
        }
        PacketBuffer b = pool.acquire(RX_HEADROOM, linkHeader + len);
        if (b == null) {
            rxDropped++;
            return;
        }
        int at = b.append(linkHeader + len);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b.array(), at + linkHeader, len);
        if (linkHeader > 0) {
            new EthernetHeader(mac, TUN_PEER_MAC, EtherType.IPV4).emit(b.array(), at);
        }
        deliver(b);
    }

    /** A packet read with its virtio_net_hdr: cut a super-segment, finish a partial checksum. */
    private void receiveWithHeader(BufferPool pool, int r) {
        int len = r - vnetHeader;
        if (len <= 0) {
            rxDropped++;
            return;
        }
        int flags = rx.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        int gsoType = rx.get(ValueLayout.JAVA_BYTE, 1) & 0xff & ~VirtioNet.GSO_ECN;
        int gsoSize = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, 4) & 0xffff;
        int csumStart = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, 6) & 0xffff;
        int csumOffset = rx.get(ValueLayout.JAVA_SHORT_UNALIGNED, 8) & 0xffff;
        if (gsoType == VirtioNet.GSO_NONE && (flags & VirtioNet.F_NEEDS_CSUM) == 0) {
            receivePacket(pool, rx, vnetHeader, len);
            return;
        }
        MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, vnetHeader, gsoIn, 0, len);
        if (gsoType == VirtioNet.GSO_TCPV4) {
            // The segments' checksums are computed whole, so a partial one needs no completing.
            rxSuperSegments++;
            rxPool = pool;
            int linkHeader = mode == TunMode.TAP ? EthernetPacket.HEADER_LENGTH : 0;
            if (VirtioNet.segmentTcp4(gsoIn, 0, len, linkHeader, gsoSize, gsoOut, segmentSink) < 0) {
                rxDropped++;
            }
        } else if (gsoType == VirtioNet.GSO_NONE && VirtioNet.completeChecksum(gsoIn, 0, len, csumStart, csumOffset)) {
            receivePacket(pool, gsoInSegment, 0, len);
        } else {
            rxDropped++; // a GSO type we did not enable (UDP, IPv6)
        }
    }

    /** A segment {@link VirtioNet#segmentTcp4} built in {@link #gsoOut}. */
    private void receiveSegment(byte[] b, int off, int len) {
        receivePacket(rxPool, gsoOutSegment, off, len);
    }

    /** TCP super-segments the kernel handed over whole (offloads only), each cut into segments. */
    public long rxSuperSegments() {
        return rxSuperSegments;
    }

    /** Whether the device was opened with IFF_VNET_HDR and offloads. */
    public boolean offloads() {
        return vnetHeader > 0;
    }

    private void deliver(PacketBuffer b) {
        rxFrames++;
        FrameHandler h = handler;
        if (h != null) {
            h.onFrame(this, b);
        } else {
            rxDropped++;
            b.release();
        }
    }

    /** Frames the device made up (TUN mode's ARP replies) waiting for {@link #receive}. */
    boolean hasSynthesized() {
        return !synthesized.isEmpty();
    }

    public long rxFrames() {
        return rxFrames;
    }

    public long txFrames() {
        return txFrames;
    }

    public long rxDropped() {
        return rxDropped;
    }

    public long txDropped() {
        return txDropped;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the descriptor: the kernel removes the interface. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LinuxCalls.close(errnoState, fd);
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + " " + mode + " mtu " + mtu + " " + mac + "]";
    }
}
