package netstack4j.nio;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketImplFactory;

/**
 * Redirects {@code new Socket(...)} and {@code new ServerSocket(...)} made inside a
 * {@link NetScope} to the scope's host, for blocking libraries that create their sockets
 * themselves and take no {@code SocketFactory}.
 *
 * <p>What JDK 25 allows, and the limits: {@link Socket#setSocketImplFactory} and
 * {@link ServerSocket#setSocketFactory} still exist (deprecated since 17, not for removal), can
 * each be called once per JVM, and replace the JDK's socket implementation for every socket the
 * JVM creates afterwards, including sockets of code that has nothing to do with the simulation;
 * there is no public way to reach the JDK's own implementation from a factory. So outside a
 * scope these factories hand out the JDK's {@code sun.nio.ch.NioSocketImpl} only when
 * {@code -Dnetstack4j.nio.unscoped=platform} and {@code --add-exports
 * java.base/sun.nio.ch=ALL-UNNAMED} are given; otherwise such a socket fails on first use with a
 * {@link java.net.SocketException} that names the missing scope. Sockets created before
 * {@link #install()} keep the JDK's implementation. {@code DatagramSocket} is not redirected
 * ({@code DatagramSocket.setDatagramSocketImplFactory} would need a datagram implementation; use
 * a {@code DatagramChannel}).
 *
 * <p>Thread-safe.
 */
public final class NetSocketImplFactory implements SocketImplFactory {
    private static boolean installed;
    private final boolean server;

    private NetSocketImplFactory(boolean server) {
        this.server = server;
    }

    /**
     * Installs the client and server factories, once per JVM; later calls do nothing.
     *
     * @throws IOException when another factory was installed first
     */
    public static synchronized void install() throws IOException {
        if (installed) {
            return;
        }
        Socket.setSocketImplFactory(new NetSocketImplFactory(false));
        ServerSocket.setSocketFactory(new NetSocketImplFactory(true));
        installed = true;
    }

    @Override
    public SocketImpl createSocketImpl() {
        var host = NetScope.current();
        if (host == null && "platform".equals(System.getProperty(NetSelectorProvider.UNSCOPED_PROPERTY))) {
            return platformImpl(server);
        }
        return new NetSocketImpl(host);
    }

    private static SocketImpl platformImpl(boolean server) {
        try {
            Class<?> c = Class.forName("sun.nio.ch.NioSocketImpl");
            return (SocketImpl) c.getConstructor(boolean.class).newInstance(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedOperationException("the JDK's socket implementation needs"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }
}
