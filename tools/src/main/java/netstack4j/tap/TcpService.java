package netstack4j.tap;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * A TCP server on the stack, written as any program uses sockets: a listener on a port, an
 * acceptor thread, a thread per connection running {@link #serve}. The socket is closed when
 * {@code serve} returns. {@link #close} stops accepting and closes every connection.
 *
 * <p>Thread-safe.
 */
public abstract class TcpService implements AutoCloseable {
    private final NetStack stack;
    private final int port;
    private final String name;
    private final Consumer<String> log;
    private final Set<TcpSocket> connections = ConcurrentHashMap.newKeySet();
    private TcpListener listener;
    private volatile boolean closed;

    protected TcpService(NetStack stack, int port, String name, Consumer<String> log) {
        this.stack = stack;
        this.port = port;
        this.name = name;
        this.log = log;
    }

    public final String name() {
        return name;
    }

    public final int port() {
        return port;
    }

    protected final NetStack stack() {
        return stack;
    }

    protected final void log(String line) {
        log.accept(name + ": " + line);
    }

    /** Listens on {@code 0.0.0.0:port} and starts accepting. */
    public final TcpService start() throws ErrnoException {
        listener = stack.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, port), 128);
        // Accept wakes every second to notice close(): a listener closed from another thread
        // need not wake a blocked accept.
        listener.setAcceptTimeout(Duration.ofSeconds(1));
        Thread.ofPlatform().daemon(true).name(name + "-accept").start(this::acceptLoop);
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            TcpSocket s;
            try {
                s = listener.accept();
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    continue;
                }
                if (!closed) {
                    log("accept failed: " + e.getMessage());
                }
                return;
            }
            connections.add(s);
            Thread.ofPlatform().daemon(true).name(name + "-" + s.remoteAddress()).start(() -> {
                try {
                    serve(s);
                } catch (ErrnoException e) {
                    if (!closed) {
                        log(s.remoteAddress() + ": " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    log(s.remoteAddress() + ": failed: " + e);
                } finally {
                    s.close();
                    connections.remove(s);
                }
            });
        }
    }

    /** Runs one connection; returns (or throws) when it is done. */
    protected abstract void serve(TcpSocket s) throws ErrnoException;

    protected final boolean isClosed() {
        return closed;
    }

    /** Writes all of {@code b[off, off+len)}. */
    protected static void writeFully(TcpSocket s, byte[] b, int off, int len) throws ErrnoException {
        while (len > 0) {
            int n = s.write(b, off, len);
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.close();
        }
        for (TcpSocket s : connections) {
            s.close();
        }
    }
}
