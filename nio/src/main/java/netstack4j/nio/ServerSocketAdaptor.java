package netstack4j.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;

/**
 * The {@link ServerSocket} a {@link NetServerSocketChannel} returns from {@code socket()}: every
 * public method goes to the channel, as the JDK's {@code sun.nio.ch.ServerSocketAdaptor} does;
 * {@link #accept()} needs blocking mode, SO_TIMEOUT bounds it, and it returns the accepted
 * channel's adaptor socket.
 *
 * <p>Thread-safe.
 */
final class ServerSocketAdaptor extends ServerSocket {
    private final NetServerSocketChannel ch;
    private volatile int soTimeoutMs;

    private ServerSocketAdaptor(NetServerSocketChannel ch) throws IOException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    static ServerSocketAdaptor create(NetServerSocketChannel ch) {
        try {
            return new ServerSocketAdaptor(ch);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ch;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        ch.bind(local, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress a = local();
        return a == null ? null : a.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress a = local();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    private InetSocketAddress local() {
        return AdaptorOptions.local(ch);
    }

    @Override
    public Socket accept() throws IOException {
        if (!ch.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        int timeout = soTimeoutMs;
        ch.setAcceptTimeout(Duration.ofMillis(timeout));
        try {
            SocketChannel c = ch.accept();
            return c.socket();
        } finally {
            if (timeout > 0) {
                ch.setAcceptTimeout(Duration.ZERO);
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public boolean isBound() {
        return ch.isBound();
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public void setSoTimeout(int timeoutMs) throws SocketException {
        if (!ch.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        soTimeoutMs = timeoutMs;
    }

    @Override
    public int getSoTimeout() {
        return soTimeoutMs;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("negative receive size");
        }
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException {
        AdaptorOptions.set(ch, name, value);
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        return AdaptorOptions.get(ch, name);
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ch.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ch.supportedOptions();
    }

    @Override
    public String toString() {
        InetSocketAddress a = local();
        return a == null ? "ServerSocket[unbound]" : "ServerSocket[addr=" + a.getAddress() + ",localport=" + a.getPort() + "]";
    }
}
