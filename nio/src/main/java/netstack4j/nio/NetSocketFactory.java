package netstack4j.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import netstack4j.stack.NetStack;

/**
 * A {@link javax.net.SocketFactory} whose sockets live on one host: how blocking
 * {@code java.net.Socket} code that accepts a factory (JDBC drivers' {@code socketFactory}
 * property, HTTP clients, mail clients) runs over the stack. Each socket is the adaptor of a
 * {@link NetSelectorProvider} channel: blocking streams, SO_TIMEOUT, connect timeouts and the
 * usual options, with the JDK's exceptions. Host names are resolved by the host's resolver.
 *
 * <p>Thread-safe.
 */
public final class NetSocketFactory extends javax.net.SocketFactory {
    private final NetSelectorProvider provider;
    private final NetStack host;

    private NetSocketFactory(NetStack host) {
        this.host = host;
        this.provider = NetSelectorProvider.of(host);
    }

    /** Sockets on {@code host}. */
    public static NetSocketFactory of(NetStack host) {
        return new NetSocketFactory(Objects.requireNonNull(host, "host"));
    }

    /** An unconnected socket. */
    @Override
    public Socket createSocket() throws IOException {
        return provider.openSocketChannel().socket();
    }

    @Override
    public Socket createSocket(String name, int port) throws IOException {
        return createSocket(host.resolver().resolve(name).toInetAddress(), port);
    }

    @Override
    public Socket createSocket(String name, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(host.resolver().resolve(name).toInetAddress(), port, localAddress, localPort);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        Socket s = createSocket();
        try {
            s.connect(new InetSocketAddress(address, port));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        try {
            s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(address, port));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A {@link java.net.ServerSocket} on the same host, unbound (the adaptor of a server channel). */
    public java.net.ServerSocket createServerSocket() throws IOException {
        return provider.openServerSocketChannel().socket();
    }

    @Override
    public String toString() {
        return "NetSocketFactory[" + host.name() + "]";
    }
}
