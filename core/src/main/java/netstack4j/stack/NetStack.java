package netstack4j.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import netstack4j.dns.DnsResolver;
import netstack4j.ip.Ipv4Layer;
import netstack4j.ip.NetInterface;
import netstack4j.ip.Route;
import netstack4j.ip.RoutingTable;
import netstack4j.link.LoopbackDevice;
import netstack4j.link.NetworkDevice;
import netstack4j.socket.SocketFactory;
import netstack4j.tcp.TcpLayer;
import netstack4j.tcp.TcpSettings;
import netstack4j.udp.UdpLayer;
import netstack4j.time.Clock;
import netstack4j.time.TimerQueue;
import netstack4j.trace.TraceEvent;
import netstack4j.trace.TraceSink;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.BufferPool;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.Ipv4Prefix;

/**
 * One host's network kernel: its interfaces, routing table, protocol engines, timers, counters
 * and trace. Nothing here reads a wall clock or starts a thread: frames come in through the
 * devices' handlers, deadlines are data ({@link #pollAtNs()}), and the driver (simulator or
 * event loop) calls {@link #poll(long)} when one is due.
 *
 * <p>Thread-compatible: one thread owns a stack at a time, as {@link StackRuntime} arranges.
 */
public final class NetStack {
    private final String name;
    private final Clock clock;
    private final StackRuntime runtime;
    private final SplittableRandom random;
    private final TraceSink trace;
    private final StackConfig config;
    private final Counters counters = new Counters();
    private final BufferPool buffers;
    private final TimerQueue timers = new TimerQueue();
    private final RoutingTable routes = new RoutingTable();
    private final List<NetInterface> interfaces = new ArrayList<>();
    private final List<NetInterface> interfacesView = java.util.Collections.unmodifiableList(interfaces);
    private final Ipv4Layer ip;
    private final UdpLayer udp;
    private final TcpLayer tcp;
    private final SocketFactory sockets;
    private final DnsResolver resolver;

    private NetStack(Builder b) {
        this.name = b.name;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.runtime = b.runtime != null ? b.runtime : new LockingRuntime(clock);
        this.random = new SplittableRandom(b.seed);
        this.trace = b.trace;
        this.config = b.config;
        this.buffers = b.buffers != null ? b.buffers : new BufferPool(4096);
        counters.set(Counter.IpForwarding, config.ipForward() ? 1 : 2);
        this.ip = new Ipv4Layer(this);
        this.udp = new UdpLayer(this);
        this.tcp = new TcpLayer(this, b.tcpSettings != null ? b.tcpSettings
                : config.personality() == Personality.WINDOWS ? TcpSettings.windows() : TcpSettings.linux());
        this.sockets = new SocketFactory(this);
        this.resolver = new DnsResolver(this);
        addInterface(new LoopbackDevice(timers, clock), Ipv4Address.LOOPBACK, 8);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public Clock clock() {
        return clock;
    }

    public long nowNs() {
        return clock.nowNs();
    }

    public StackRuntime runtime() {
        return runtime;
    }

    public StackConfig config() {
        return config;
    }

    public Counters counters() {
        return counters;
    }

    /** The frame buffers this stack builds packets in and gives back when it has consumed them. */
    public BufferPool buffers() {
        return buffers;
    }

    public TimerQueue timers() {
        return timers;
    }

    public TraceSink trace() {
        return trace;
    }

    /** The stack's own seeded generator (ISNs, ephemeral ports, IP identification). */
    public SplittableRandom random() {
        return random;
    }

    public RoutingTable routes() {
        return routes;
    }

    /** The interfaces, {@code lo} first (a read-only view; no copy). */
    public List<NetInterface> interfaces() {
        return interfacesView;
    }

    /** The IP layer and the protocol engines above it. */
    public Ipv4Layer ip() {
        return ip;
    }

    /** The UDP engine. */
    public UdpLayer udp() {
        return udp;
    }

    /** The TCP engine. */
    public TcpLayer tcp() {
        return tcp;
    }

    /** The host's resolver ({@code /etc/resolv.conf} and {@code /etc/hosts}). */
    public DnsResolver resolver() {
        return resolver;
    }

    /** Opens sockets on this stack. */
    public SocketFactory sockets() {
        return sockets;
    }

    /**
     * Attaches {@code device} with {@code address/prefixLength} ({@code ip addr add}) and adds the
     * connected route for its subnet, as Linux does.
     */
    public NetInterface addInterface(NetworkDevice device, Ipv4Address address, int prefixLength) {
        for (NetInterface existing : interfaces) {
            if (existing.device() == device) {
                throw new IllegalArgumentException(device.name() + " is already attached");
            }
        }
        NetInterface iface = new NetInterface(interfaces.size() + 1, device, address, prefixLength);
        interfaces.add(iface);
        routes.add(new Route(iface.subnet(), null, iface));
        device.setFrameHandler(ip.receiver());
        ip.interfaceAdded(iface);
        return iface;
    }

    /** {@code ip route add prefix via gateway}; the interface is the one whose subnet holds the gateway. */
    public void addRoute(Ipv4Prefix destination, Ipv4Address gateway) {
        Route via = routes.lookup(gateway);
        if (via == null || !via.isDirect()) {
            throw new IllegalArgumentException("gateway " + gateway + " is not on a connected subnet");
        }
        routes.add(new Route(destination, gateway, via.iface()));
    }

    /** {@code ip route add default via gateway}. */
    public void setDefaultGateway(Ipv4Address gateway) {
        routes.remove(Ipv4Prefix.DEFAULT);
        addRoute(Ipv4Prefix.DEFAULT, gateway);
    }

    public NetInterface interfaceByName(String ifname) {
        for (int k = 0; k < interfaces.size(); k++) {
            NetInterface i = interfaces.get(k);
            if (i.name().equals(ifname)) {
                return i;
            }
        }
        return null;
    }

    /** True when {@code a} is one of this host's addresses (or loopback). */
    public boolean isLocalAddress(Ipv4Address a) {
        return isLocalAddress(a.value());
    }

    /** {@link #isLocalAddress(Ipv4Address)} on a raw address (no allocation). */
    public boolean isLocalAddress(int a) {
        if ((a >>> 24) == 127) {
            return true;
        }
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).address().value() == a) {
                return true;
            }
        }
        return false;
    }

    /** When the stack next needs {@link #poll}, or {@link TimerQueue#NEVER}. */
    public long pollAtNs() {
        return timers.nextDeadlineNs();
    }

    /** Runs the timers due at {@code nowNs}. */
    public void poll(long nowNs) {
        timers.runDue(nowNs);
    }

    /** Told whenever a newly armed timer becomes the stack's earliest deadline. */
    public void setWakeupListener(LongConsumer listener) {
        timers.setEarlierDeadlineListener(listener);
    }

    /** Whether trace events are wanted; check before building an event's text. */
    public boolean tracing() {
        return trace.enabled();
    }

    /** Records a trace event if tracing is on. */
    public void trace(TraceEvent.Kind kind, String where, String detail) {
        if (trace.enabled()) {
            trace.accept(new TraceEvent(clock.nowNs(), name, kind, where, detail));
        }
    }

    /** Counts a drop, traces it, and gives the dropped frame's buffer back to the pool. */
    public void drop(DropReason reason, String where, PacketBuffer frame) {
        drop(reason, where);
        buffers.recycle(frame);
    }

    /** Counts a drop and traces it. */
    public void drop(DropReason reason, String where) {
        counters.drop(reason);
        if (trace.enabled()) {
            trace.accept(new TraceEvent(clock.nowNs(), name, TraceEvent.Kind.DROP, where, reason.description()));
        }
    }

    @Override
    public String toString() {
        return "NetStack[" + name + "]";
    }

    /** Builds a {@link NetStack}. */
    public static final class Builder {
        private final String name;
        private Clock clock = Clock.system();
        private StackRuntime runtime;
        private long seed = 1;
        private TraceSink trace = TraceSink.NONE;
        private StackConfig config = StackConfig.linuxDefaults();
        private BufferPool buffers;
        private TcpSettings tcpSettings;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder runtime(StackRuntime r) {
            this.runtime = r;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder trace(TraceSink t) {
            this.trace = Objects.requireNonNull(t);
            return this;
        }

        public Builder config(StackConfig c) {
            this.config = Objects.requireNonNull(c);
            return this;
        }

        /** TCP tunables; the default follows the config's personality. */
        public Builder tcpSettings(TcpSettings s) {
            this.tcpSettings = Objects.requireNonNull(s);
            return this;
        }

        /** Shares {@code pool} (the simulator gives all its stacks one, as they run on one thread). */
        public Builder bufferPool(BufferPool pool) {
            this.buffers = Objects.requireNonNull(pool);
            return this;
        }

        /** Makes the host a router (net.ipv4.ip_forward=1). */
        public Builder forwarding(boolean on) {
            this.config = config.withIpForward(on);
            return this;
        }

        public NetStack build() {
            return new NetStack(this);
        }
    }
}
