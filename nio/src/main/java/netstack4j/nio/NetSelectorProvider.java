package netstack4j.nio;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import netstack4j.stack.NetStack;

/**
 * A {@link SelectorProvider} whose channels are sockets of a netstack4j stack: unmodified NIO
 * code (Netty, {@code HttpClient}, {@code HttpServer}) then talks over a simulated or TUN-backed
 * network.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>directly, bound to one host: {@code NetSelectorProvider.of(host).openSocketChannel()},
 *       or {@code NioIoHandler.newFactory(NetSelectorProvider.of(host))} for Netty;</li>
 *   <li>installed as the JVM's provider ({@code -Djava.nio.channels.spi.SelectorProvider=
 *       netstack4j.nio.NetSelectorProvider}, or a {@code META-INF/services} entry) so that
 *       {@code SocketChannel.open()} opens a socket on the host of the current {@link NetScope}.
 *       Outside any scope it refuses ({@link UnsupportedOperationException}), so that code
 *       meant for the simulated network never reaches the real one by mistake. With
 *       {@code -Dnetstack4j.nio.unscoped=platform} it hands out the JDK's own channels there
 *       instead, which it reaches through {@code sun.nio.ch.DefaultSelectorProvider}: run with
 *       {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} then.</li>
 * </ul>
 *
 * <p>A {@link Pipe} is always the JDK's (it carries no network traffic), so it cannot be
 * registered with this provider's selectors. Only IPv4 ({@link StandardProtocolFamily#INET}).
 *
 * <p>Thread-safe.
 */
public class NetSelectorProvider extends SelectorProvider {
    private final NetStack host;
    private volatile SelectorProvider platform;

    /** The provider of the current {@link NetScope}: what the JVM instantiates when installed. */
    public NetSelectorProvider() {
        this.host = null;
    }

    private NetSelectorProvider(NetStack host) {
        this.host = host;
    }

    /** A provider whose channels all live on {@code host}, whatever the current scope. */
    public static NetSelectorProvider of(NetStack host) {
        return new NetSelectorProvider(Objects.requireNonNull(host, "host"));
    }

    /** The host new channels open on now, or null (outside a scope, for the installed provider). */
    public NetStack host() {
        return host != null ? host : NetScope.current();
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        NetStack h = host();
        return h == null ? unscoped("a DatagramChannel").openDatagramChannel() : new NetDatagramChannel(this, h);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        NetStack h = host();
        if (h == null) {
            return unscoped("a DatagramChannel").openDatagramChannel(family);
        }
        checkFamily(family);
        return new NetDatagramChannel(this, h);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return platform().openPipe();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        NetStack h = host();
        return h == null ? unscoped("a Selector").openSelector() : new NetSelector(this, h);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        NetStack h = host();
        return h == null ? unscoped("a ServerSocketChannel").openServerSocketChannel() : new NetServerSocketChannel(this, h);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        NetStack h = host();
        if (h == null) {
            return unscoped("a ServerSocketChannel").openServerSocketChannel(family);
        }
        checkFamily(family);
        return new NetServerSocketChannel(this, h);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        NetStack h = host();
        return h == null ? unscoped("a SocketChannel").openSocketChannel() : new NetSocketChannel(this, h);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        NetStack h = host();
        if (h == null) {
            return unscoped("a SocketChannel").openSocketChannel(family);
        }
        checkFamily(family);
        return new NetSocketChannel(this, h);
    }

    private static void checkFamily(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET) {
            throw new UnsupportedOperationException("netstack4j speaks IPv4 only, not " + family);
        }
    }

    /** The JDK's own provider, for pipes and for channels opened outside a scope. */
    SelectorProvider platform() {
        SelectorProvider p = platform;
        if (p == null) {
            p = findPlatform();
            platform = p;
        }
        return p;
    }

    /** The system property that lets the installed provider hand out JDK channels outside a scope. */
    public static final String UNSCOPED_PROPERTY = "netstack4j.nio.unscoped";

    private SelectorProvider unscoped(String what) {
        if (!"platform".equals(System.getProperty(UNSCOPED_PROPERTY))) {
            throw new UnsupportedOperationException(what + " outside a NetScope: this thread is bound to no"
                    + " netstack4j host (enter one with NetScope.enter(host); a thread inherits the binding only"
                    + " from the thread that created it), and -D" + UNSCOPED_PROPERTY + "=platform is not set");
        }
        return platform();
    }

    private static SelectorProvider findPlatform() {
        SelectorProvider installed = SelectorProvider.provider();
        if (!(installed instanceof NetSelectorProvider)) {
            return installed;
        }
        try {
            Class<?> c = Class.forName("sun.nio.ch.DefaultSelectorProvider");
            return (SelectorProvider) c.getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedOperationException("outside a NetScope the installed NetSelectorProvider hands out"
                    + " the JDK's channels, which needs --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }

    @Override
    public String toString() {
        return "NetSelectorProvider[" + (host != null ? host.name() : "scoped") + "]";
    }
}
