package netstack4j.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/**
 * The {@link SocketImpl} that {@link NetSocketImplFactory} gives {@code new Socket()} and
 * {@code new ServerSocket()} inside a {@link NetScope}: a {@link TcpSocket} of the scope's host,
 * blocking, with SO_TIMEOUT for reads and accepts, connect timeouts, the usual options, and the
 * JDK's exceptions. Names in an unresolved address are resolved by the host's resolver. Urgent
 * data is not supported; IP_TOS reaches the stack (its DSCP bits are sent).
 *
 * <p>Thread-compatible, as {@code SocketImpl}s are: {@link java.net.Socket} serialises its use.
 */
final class NetSocketImpl extends SocketImpl {
    private final NetStack host;
    private TcpSocket socket;
    private volatile int timeoutMs;
    private int trafficClass;

    /** @param host the scope's host, or null outside a scope (every call then fails) */
    NetSocketImpl(NetStack host) {
        this.host = host;
    }

    private NetStack host() throws SocketException {
        if (host == null) {
            throw new SocketException("java.net.Socket outside a NetScope: this thread is bound to no netstack4j host");
        }
        return host;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("netstack4j: datagram SocketImpls are not supported");
        }
        socket = host().sockets().tcp();
    }

    private TcpSocket socket() throws SocketException {
        if (socket == null) {
            throw new SocketException("Socket is closed");
        }
        return socket;
    }

    @Override
    protected void connect(String name, int port) throws IOException {
        connect(new InetSocketAddress(host().resolver().resolve(name).toInetAddress(), port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress remote, int timeout) throws IOException {
        InetSocketAddress isa = (InetSocketAddress) Objects.requireNonNull(remote, "remote");
        if (isa.isUnresolved()) {
            isa = new InetSocketAddress(host().resolver().resolve(isa.getHostString()).toInetAddress(), isa.getPort());
        }
        TcpSocket s = socket();
        s.setWriteTimeout(Duration.ofMillis(timeout));
        try {
            s.connect(Addresses.toStack(isa));
        } catch (ErrnoException e) {
            throw Errors.connect(e);
        } finally {
            s.setWriteTimeout(Duration.ZERO);
        }
        learnAddresses();
    }

    /** Fills the fields {@link java.net.Socket} reads: peer address and port, local port. */
    private void learnAddresses() {
        Ipv4SocketAddress r = socket.remoteAddress();
        if (r != null) {
            address = r.address().toInetAddress();
            port = r.port();
        }
        Ipv4SocketAddress l = socket.localAddress();
        localport = l == null ? 0 : l.port();
    }

    @Override
    protected void bind(InetAddress address, int port) throws IOException {
        try {
            socket().bind(new Ipv4SocketAddress(Addresses.toStack(address), port));
        } catch (ErrnoException e) {
            throw Errors.bind(e);
        }
        localport = socket.localAddress().port();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        try {
            socket().listen(backlog < 1 ? 50 : backlog);
        } catch (ErrnoException e) {
            throw Errors.bind(e);
        }
    }

    @Override
    protected void accept(SocketImpl target) throws IOException {
        if (!(target instanceof NetSocketImpl t)) {
            throw new SocketException("netstack4j accepts into its own SocketImpl only, not " + target.getClass());
        }
        TcpSocket s = socket();
        s.setReadTimeout(Duration.ofMillis(timeoutMs));
        try {
            t.socket = s.accept();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                throw new SocketTimeoutException("Accept timed out");
            }
            throw Errors.other(e);
        } finally {
            s.setReadTimeout(Duration.ZERO);
        }
        t.learnAddresses();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        TcpSocket s = socket();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                s.setReadTimeout(Duration.ofMillis(timeoutMs));
                try {
                    int n = s.read(b, off, len);
                    return n == 0 ? -1 : n;
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                    if (e.errno() == Errno.EBADF) {
                        throw new SocketException("Socket closed");
                    }
                    throw Errors.read(e);
                }
            }

            @Override
            public int available() {
                return s.availableBytes();
            }
        };
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        TcpSocket s = socket();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                try {
                    s.write(b, off, len);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EBADF) {
                        throw new SocketException("Socket closed");
                    }
                    throw Errors.write(e);
                }
            }
        };
    }

    @Override
    protected int available() throws IOException {
        return socket().availableBytes();
    }

    @Override
    protected void close() {
        TcpSocket s = socket;
        if (s != null) {
            AdaptorOptions.closeAndWake(s);
        }
    }

    @Override
    protected void shutdownInput() throws IOException {
        shutdown(Shutdown.READ);
    }

    @Override
    protected void shutdownOutput() throws IOException {
        shutdown(Shutdown.WRITE);
    }

    private void shutdown(Shutdown how) throws IOException {
        try {
            socket().shutdown(how);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data not supported");
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        switch (optID) {
            case SocketOptions.SO_TIMEOUT -> timeoutMs = (Integer) value;
            case SocketOptions.IP_TOS -> {
                set(StandardSocketOptions.IP_TOS, value); // DSCP bits sent; ECN stays TCP's
                trafficClass = (Integer) value;
            }
            case SocketOptions.SO_OOBINLINE -> {
                if ((Boolean) value) {
                    throw new SocketException("OOBINLINE not supported");
                }
            }
            case SocketOptions.SO_LINGER -> set(StandardSocketOptions.SO_LINGER,
                    value instanceof Integer i ? i : -1); // Boolean.FALSE turns it off
            default -> set(standard(optID), value);
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        return switch (optID) {
            case SocketOptions.SO_TIMEOUT -> timeoutMs;
            case SocketOptions.IP_TOS -> trafficClass;
            case SocketOptions.SO_OOBINLINE -> false;
            case SocketOptions.SO_BINDADDR -> {
                Ipv4SocketAddress l = socket().localAddress();
                yield l == null ? new InetSocketAddress(0).getAddress() : l.address().toInetAddress();
            }
            case SocketOptions.SO_LINGER -> {
                int v = get(StandardSocketOptions.SO_LINGER);
                yield v < 0 ? (Object) Boolean.FALSE : (Object) v;
            }
            default -> get(standard(optID));
        };
    }

    private static SocketOption<?> standard(int optID) throws SocketException {
        return switch (optID) {
            case SocketOptions.TCP_NODELAY -> StandardSocketOptions.TCP_NODELAY;
            case SocketOptions.SO_KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
            case SocketOptions.SO_REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
            case SocketOptions.SO_SNDBUF -> StandardSocketOptions.SO_SNDBUF;
            case SocketOptions.SO_RCVBUF -> StandardSocketOptions.SO_RCVBUF;
            default -> throw new SocketException("option " + optID + " not supported");
        };
    }

    @SuppressWarnings("unchecked")
    private <T> void set(SocketOption<T> name, Object value) throws SocketException {
        try {
            socket().setOption(name, (T) value);
        } catch (ErrnoException e) {
            throw new SocketException(e.errno().text());
        }
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        try {
            return socket().getOption(name);
        } catch (ErrnoException e) {
            throw new SocketException(e.errno().text());
        }
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (!ChannelOptions.TCP.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        set(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        if (!ChannelOptions.TCP.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        return get(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return ChannelOptions.TCP;
    }

    @Override
    public String toString() {
        return "NetSocketImpl[" + (host == null ? "no host" : host.name()) + " " + socket + "]";
    }
}
