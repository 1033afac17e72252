package netstack4j.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The {@link SocketImpl} under the adaptor sockets, which override every public method of
 * {@link java.net.Socket} and {@link java.net.ServerSocket}: reaching it is a bug, so each
 * method fails (as the JDK's own {@code DummySocketImpl}).
 */
final class NoSocketImpl extends SocketImpl {
    private static SocketException fail() {
        return new SocketException("not reachable through a netstack4j adaptor socket");
    }

    @Override
    protected void create(boolean stream) throws IOException {
        throw fail();
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw fail();
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw fail();
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw fail();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        throw fail();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw fail();
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw fail();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw fail();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw fail();
    }

    @Override
    protected int available() throws IOException {
        throw fail();
    }

    @Override
    protected void close() {
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw fail();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        throw fail();
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        throw fail();
    }
}
