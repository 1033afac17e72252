package netstack4j.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Socket} a {@link NetSocketChannel} returns from {@code socket()}: every public method
 * goes to the channel, as the JDK's {@code sun.nio.ch.SocketAdaptor} does. Its streams need the
 * channel in blocking mode; SO_TIMEOUT bounds reads ({@link SocketTimeoutException}: Read timed
 * out) and a connect timeout bounds {@link #connect(SocketAddress, int)}. Out-of-band data
 * ({@link #sendUrgentData}, OOBINLINE) is not supported; IP_TOS reaches the stack, which sends
 * its DSCP bits (the ECN bits stay TCP's, as on Linux); getTrafficClass returns what was set.
 *
 * <p>Thread-safe.
 */
final class SocketAdaptor extends Socket {
    private final NetSocketChannel ch;
    private volatile int soTimeoutMs;
    private volatile int trafficClass;

    private SocketAdaptor(NetSocketChannel ch) throws SocketException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    static SocketAdaptor create(NetSocketChannel ch) {
        try {
            return new SocketAdaptor(ch);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SocketChannel getChannel() {
        return ch;
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeoutMs) throws IOException {
        Objects.requireNonNull(remote, "connect: The address can't be null");
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        if (!ch.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        ch.tcpSocket().setWriteTimeout(Duration.ofMillis(timeoutMs));
        try {
            ch.connect(remote);
        } finally {
            ch.tcpSocket().setWriteTimeout(Duration.ZERO);
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        ch.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress a = remote();
        return a == null ? null : a.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        InetSocketAddress a = local();
        return a == null ? anyLocal() : a.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress a = remote();
        return a == null ? 0 : a.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress a = local();
        return a == null ? -1 : a.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    private InetSocketAddress remote() {
        try {
            return (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private InetSocketAddress local() {
        return AdaptorOptions.local(ch);
    }

    private static InetAddress anyLocal() {
        return new InetSocketAddress(0).getAddress();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureUsable();
        if (ch.isInputShutdown()) {
            throw new SocketException("Socket input is shutdown");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (!ch.isBlocking()) {
                    throw new IllegalBlockingModeException();
                }
                int timeout = soTimeoutMs;
                if (timeout == 0) {
                    return ch.read(ByteBuffer.wrap(b, off, len));
                }
                ch.tcpSocket().setReadTimeout(Duration.ofMillis(timeout));
                try {
                    int n = ch.read(ByteBuffer.wrap(b, off, len));
                    if (n == 0) { // a blocking read returns nothing only when SO_TIMEOUT ran out
                        throw new SocketTimeoutException("Read timed out");
                    }
                    return n;
                } finally {
                    ch.tcpSocket().setReadTimeout(Duration.ZERO);
                }
            }

            @Override
            public int available() throws IOException {
                return ch.isOpen() ? ch.tcpSocket().availableBytes() : 0;
            }

            @Override
            public void close() throws IOException {
                SocketAdaptor.this.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureUsable();
        if (ch.isOutputShutdown()) {
            throw new SocketException("Socket output is shutdown");
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (!ch.isBlocking()) {
                    throw new IllegalBlockingModeException();
                }
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }

            @Override
            public void close() throws IOException {
                SocketAdaptor.this.close();
            }
        };
    }

    private void ensureUsable() throws SocketException {
        if (!ch.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!ch.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException {
        AdaptorOptions.set(ch, name, value);
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        return AdaptorOptions.get(ch, name);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? Math.min(linger, 65535) : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data not supported");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) {
            throw new SocketException("OOBINLINE not supported");
        }
    }

    @Override
    public boolean getOOBInline() {
        return false;
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
    public int getSoTimeout() throws SocketException {
        return soTimeoutMs;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid send size");
        }
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid receive size");
        }
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        if (tc < 0 || tc > 255) {
            throw new IllegalArgumentException("tc is not in range 0 -- 255");
        }
        set(StandardSocketOptions.IP_TOS, tc); // the stack keeps the DSCP bits; ECN stays TCP's
        trafficClass = tc;
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
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
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        try {
            ch.shutdownInput();
        } catch (java.nio.channels.NotYetConnectedException e) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            ch.shutdownOutput();
        } catch (java.nio.channels.NotYetConnectedException e) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public boolean isConnected() {
        return ch.isConnected();
    }

    @Override
    public boolean isBound() {
        return local() != null;
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return ch.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return ch.isOutputShutdown();
    }

    @Override
    public String toString() {
        InetSocketAddress r = remote();
        return r == null ? "Socket[unconnected]" : "Socket[addr=" + r.getAddress() + ",port=" + r.getPort() + ",localport=" + getLocalPort() + "]";
    }
}
