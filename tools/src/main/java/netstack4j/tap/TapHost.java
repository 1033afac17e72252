package netstack4j.tap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import netstack4j.link.CaptureDevice;
import netstack4j.link.NetworkDevice;
import netstack4j.stack.NetStack;
import netstack4j.time.Clock;
import netstack4j.trace.PcapWriter;
import netstack4j.trace.TraceSink;
import netstack4j.tun.DeviceLoop;
import netstack4j.tun.TunDevice;
import netstack4j.tun.TunMode;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;

/**
 * A netstack4j host on a real Linux TAP (or TUN) device: the device is made in this process's
 * namespace, moved into a network namespace (made for the run, or given), where the kernel's side
 * gets its address and comes up; the stack runs on the other side, driven by a
 * {@link DeviceLoop} in real time. Everything the kernel sends the stack's address arrives
 * through the device, so the kernel's own tools inside the namespace are the stack's peers.
 *
 * <p>{@link #close} undoes it all (loop stopped, device closed and so removed, namespace removed
 * if this run made it, capture flushed); it is idempotent and safe from a shutdown hook.
 *
 * <p>Thread-safe: the stack is used through its sockets, which take the loop's lock.
 */
public final class TapHost implements AutoCloseable {
    /** The MAC of the stack's interface (locally administered). */
    public static final MacAddress STACK_MAC = MacAddress.parse("02:4e:53:34:4a:02");

    /** What to build: names, addresses, MTU, mode, capture and trace. */
    public record Settings(String netns, boolean createNetns, String device, TunMode mode, InterfaceAddress kernelAddress,
                           InterfaceAddress stackAddress, int mtu, Path pcap, TraceSink trace, boolean offloads) {
        public Settings {
            Objects.requireNonNull(netns, "netns");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(kernelAddress, "kernelAddress");
            Objects.requireNonNull(stackAddress, "stackAddress");
            Objects.requireNonNull(trace, "trace");
            if (mtu < 576 || mtu > 65521) {
                throw new IllegalArgumentException("mtu must be 576..65521");
            }
        }

        /** The command's defaults in namespace {@code netns} with device {@code device}. */
        public static Settings defaults(String netns, String device) {
            return new Settings(netns, true, device, TunMode.TAP, InterfaceAddress.parse("10.200.0.1/24"),
                    InterfaceAddress.parse("10.200.0.2/24"), 1500, null, TraceSink.NONE, false);
        }

        public Settings withMode(TunMode m) {
            return new Settings(netns, createNetns, device, m, kernelAddress, stackAddress, mtu, pcap, trace, offloads);
        }

        /** With IFF_VNET_HDR and TUNSETOFFLOAD: the kernel hands over TCP super-segments (see TunDevice). */
        public Settings withOffloads(boolean on) {
            return new Settings(netns, createNetns, device, mode, kernelAddress, stackAddress, mtu, pcap, trace, on);
        }

        public Settings withPcap(Path p) {
            return new Settings(netns, createNetns, device, mode, kernelAddress, stackAddress, mtu, p, trace, offloads);
        }

        public Settings withAddresses(InterfaceAddress kernel, InterfaceAddress stack) {
            return new Settings(netns, createNetns, device, mode, kernel, stack, mtu, pcap, trace, offloads);
        }
    }

    private final Settings settings;
    private Netns netns;
    private TunDevice tun;
    private DeviceLoop loop;
    private NetStack stack;
    private PcapWriter pcap;
    private boolean closed;

    private TapHost(Settings settings) {
        this.settings = settings;
    }

    /** Builds and starts everything; on failure undoes what was done and throws one line. */
    public static TapHost start(Settings s) throws IOException {
        TapHost h = new TapHost(s);
        try {
            h.setUp();
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private void setUp() throws IOException {
        if (!isRoot()) {
            throw new IOException("needs root: making a network namespace and a TAP device takes CAP_SYS_ADMIN and CAP_NET_ADMIN");
        }
        if (settings.stackAddress().address().equals(settings.kernelAddress().address())) {
            throw new IOException("the stack and the kernel cannot both have " + settings.stackAddress().address());
        }
        if (!settings.stackAddress().sameSubnet(settings.kernelAddress())) {
            throw new IOException("the stack's address " + settings.stackAddress() + " is not on the kernel's subnet "
                    + settings.kernelAddress());
        }
        netns = settings.createNetns() ? Netns.create(settings.netns()) : Netns.existing(settings.netns());
        tun = TunDevice.open(settings.device(), settings.mode(), settings.mtu(), STACK_MAC, settings.offloads());
        netns.adopt(settings.device());
        String dev = settings.device();
        try {
            // No IPv6 on the link: the stack is IPv4 only, and router solicitations would be noise.
            netns.sysctl("net.ipv6.conf." + dev + ".disable_ipv6", "1");
        } catch (IOException e) {
            // A kernel without IPv6 has no such file; nothing to turn off.
        }
        netns.ip("addr", "add", settings.kernelAddress().toString(), "dev", dev);
        netns.ip("link", "set", "dev", dev, "mtu", Integer.toString(settings.mtu()), "up");

        Clock clock = Clock.system();
        loop = new DeviceLoop(dev, clock);
        stack = NetStack.builder("netstack4j").clock(clock).runtime(loop.runtime()).trace(settings.trace())
                .seed(System.nanoTime()).build();
        NetworkDevice attached = tun;
        if (settings.pcap() != null) {
            Path parent = settings.pcap().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(settings.pcap()), 1 << 16);
            pcap = new PcapWriter(out);
            attached = new CaptureDevice(tun, pcap, epochClock(clock));
        }
        NetworkDevice device = attached;
        loop.runtime().call(() -> stack.addInterface(device, settings.stackAddress().address(), settings.stackAddress().prefixLength()));
        loop.add(tun);
        loop.start(stack);
    }

    /** Whether this process runs with effective user id 0 ({@code /proc/self/status}, line {@code Uid:}). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0");
                }
            }
        } catch (IOException e) {
            // no /proc: assume not, and say so
        }
        return false;
    }

    /** The capture's clock: wall-clock time (so that Wireshark shows the date), moving as the monotonic one. */
    private static Clock epochClock(Clock monotonic) {
        long originNs = monotonic.nowNs();
        long epochNs = System.currentTimeMillis() * 1_000_000L;
        return () -> epochNs + (monotonic.nowNs() - originNs);
    }

    public Settings settings() {
        return settings;
    }

    public NetStack stack() {
        return stack;
    }

    public Netns netns() {
        return netns;
    }

    public TunDevice device() {
        return tun;
    }

    public DeviceLoop loop() {
        return loop;
    }

    public Ipv4Address stackAddress() {
        return settings.stackAddress().address();
    }

    public Ipv4Address kernelAddress() {
        return settings.kernelAddress().address();
    }

    /** Stops the stack, removes the device and the namespace (if made here), closes the capture. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            loop.close();
        } else if (tun != null) {
            tun.close();
        }
        if (pcap != null) {
            try {
                pcap.close();
            } catch (IOException e) {
                System.err.println("netstack4j: capture " + settings.pcap() + ": " + e.getMessage());
            }
        }
        if (netns != null) {
            netns.delete();
        }
    }
}
