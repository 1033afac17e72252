package netstack4j.nio;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Pollable;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/**
 * A {@link ServerSocketChannel} over a listening {@link TcpSocket}. As the JDK on Linux it sets
 * SO_REUSEADDR before binding, uses a backlog of 50 when none (or less than 1) is given, and
 * returns accepted channels in blocking mode; a non-blocking accept with nothing queued returns
 * null.
 *
 * <p>Thread-safe.
 */
final class NetServerSocketChannel extends ServerSocketChannel implements NetChannel {
    private static final int DEFAULT_BACKLOG = 50;

    private final NetSelectorProvider provider;
    private final NetStack stack;
    private final TcpSocket socket;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile boolean bound;
    private ServerSocketAdaptor adaptor;

    NetServerSocketChannel(NetSelectorProvider provider, NetStack stack) throws IOException {
        super(provider);
        this.provider = provider;
        this.stack = stack;
        this.socket = stack.sockets().tcp();
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    @Override
    public NetStack stack() {
        return stack;
    }

    @Override
    public Pollable pollable() {
        return socket;
    }

    @Override
    public int pollEvents(int ops) {
        return (ops & SelectionKey.OP_ACCEPT) != 0 ? PollEvents.IN : 0;
    }

    @Override
    public int readyOps(int events, int interestOps) {
        if ((events & PollEvents.NVAL) != 0) {
            return 0;
        }
        if ((events & (PollEvents.ERR | PollEvents.HUP)) != 0) {
            return interestOps;
        }
        return (events & PollEvents.IN) != 0 ? interestOps & SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (bound) {
                throw new AlreadyBoundException();
            }
            try {
                socket.bind(Addresses.toStack(local));
                socket.listen(backlog < 1 ? DEFAULT_BACKLOG : backlog);
            } catch (ErrnoException e) {
                throw Errors.bind(e);
            }
            bound = true;
        }
        return this;
    }

    boolean isBound() {
        return bound;
    }

    @Override
    public SocketChannel accept() throws IOException {
        acceptLock.lock();
        try {
            ensureOpen();
            if (!bound) {
                throw new NotYetBoundException();
            }
            boolean completed = false;
            begin();
            try {
                TcpSocket child = socket.accept();
                completed = true;
                return new NetSocketChannel(provider, stack, child);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    completed = true;
                    if (isBlocking()) { // the adaptor's SO_TIMEOUT ran out
                        throw new java.net.SocketTimeoutException("Accept timed out");
                    }
                    return null;
                }
                if (!isOpen() || e.errno() == Errno.EINTR || e.errno() == Errno.EBADF) {
                    return null; // end() throws
                }
                throw Errors.other(e);
            } finally {
                endBlocking(completed);
            }
        } finally {
            acceptLock.unlock();
        }
    }

    @Override
    public ServerSocket socket() {
        synchronized (stateLock) {
            if (adaptor == null) {
                adaptor = ServerSocketAdaptor.create(this);
            }
            return adaptor;
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? Addresses.toJdk(socket.localAddress()) : null;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        ChannelOptions.setListen(socket, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return ChannelOptions.getListen(socket, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ChannelOptions.LISTEN;
    }

    /** SO_RCVTIMEO of the listening socket: bounds a blocking accept (the adaptor's SO_TIMEOUT). */
    void setAcceptTimeout(java.time.Duration d) {
        socket.setReadTimeout(d);
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        socket.setNonBlocking(!block);
    }

    @Override
    protected void implCloseSelectableChannel() {
        AdaptorOptions.closeAndWake(socket);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** {@code end}, and the case it misses ({@link Errors#closeIfInterrupted}). */
    private void endBlocking(boolean completed) throws IOException {
        end(completed);
        Errors.closeIfInterrupted(completed, this);
    }

    @Override
    public String toString() {
        return "NetServerSocketChannel[" + stack.name() + " " + (isOpen() ? socket : "closed") + "]";
    }
}
