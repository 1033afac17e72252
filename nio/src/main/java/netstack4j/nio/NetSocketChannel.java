package netstack4j.nio;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Pollable;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpState;

/**
 * A {@link SocketChannel} over a {@link TcpSocket}, with the JDK's semantics: blocking by default;
 * a non-blocking {@code connect} returns false and {@link #finishConnect} completes it (and
 * closes the channel when it failed); reads return -1 at end of stream and 0 when nothing is
 * queued in non-blocking mode; a blocked call is ended by {@link #close} from another thread
 * ({@code AsynchronousCloseException}) or by interrupting its thread, which closes the channel
 * ({@code ClosedByInterruptException}); errors are the exceptions the JDK throws on Linux
 * ({@code ConnectException: Connection refused}, {@code SocketException: Connection reset}, ...).
 *
 * <p>Thread-safe: one reader and one writer at a time (others wait, as in the JDK).
 */
final class NetSocketChannel extends SocketChannel implements NetChannel {
    private enum State { UNCONNECTED, PENDING, CONNECTED }

    private final NetStack stack;
    private final TcpSocket socket;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private final byte[] readScratch = new byte[ByteIo.SCRATCH_BYTES];
    private final byte[] writeScratch = new byte[ByteIo.SCRATCH_BYTES];
    private volatile State state;
    private volatile boolean bound;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private SocketAdaptor adaptor;

    NetSocketChannel(NetSelectorProvider provider, NetStack stack) {
        this(provider, stack, stack.sockets().tcp(), State.UNCONNECTED);
    }

    /** An accepted connection: connected, blocking. */
    NetSocketChannel(NetSelectorProvider provider, NetStack stack, TcpSocket accepted) {
        this(provider, stack, accepted, State.CONNECTED);
        bound = true;
    }

    private NetSocketChannel(NetSelectorProvider provider, NetStack stack, TcpSocket socket, State state) {
        super(provider);
        this.stack = stack;
        this.socket = socket;
        this.state = state;
    }

    TcpSocket tcpSocket() {
        return socket;
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
        int ev = 0;
        if ((ops & SelectionKey.OP_READ) != 0) {
            ev |= PollEvents.IN;
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            ev |= PollEvents.OUT;
        }
        return ev;
    }

    @Override
    public int readyOps(int events, int interestOps) {
        if ((events & PollEvents.NVAL) != 0) {
            return 0;
        }
        if ((events & (PollEvents.ERR | PollEvents.HUP)) != 0) {
            return interestOps;
        }
        int ops = 0;
        State s = state;
        if ((events & PollEvents.IN) != 0 && (interestOps & SelectionKey.OP_READ) != 0 && s == State.CONNECTED) {
            ops |= SelectionKey.OP_READ;
        }
        if ((events & PollEvents.OUT) != 0 && (interestOps & SelectionKey.OP_CONNECT) != 0 && s == State.PENDING) {
            ops |= SelectionKey.OP_CONNECT;
        }
        if ((events & PollEvents.OUT) != 0 && (interestOps & SelectionKey.OP_WRITE) != 0 && s == State.CONNECTED) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    // ---------------------------------------------------------------- binding and connecting

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.PENDING) {
                throw new ConnectionPendingException();
            }
            if (state == State.CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (bound) {
                throw new AlreadyBoundException();
            }
            try {
                socket.bind(Addresses.toStack(local));
            } catch (ErrnoException e) {
                throw Errors.bind(e);
            }
            bound = true;
        }
        return this;
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        Ipv4SocketAddress to = Addresses.toStack(Objects.requireNonNull(remote, "remote"));
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == State.PENDING) {
                throw new ConnectionPendingException();
            }
            state = State.PENDING;
        }
        boolean blocking = isBlocking();
        boolean completed = false;
        begin();
        try {
            socket.connect(to);
            state = State.CONNECTED;
            bound = true;
            completed = true;
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINPROGRESS && !blocking) {
                bound = true;
                completed = true;
                return false;
            }
            if (!isOpen() || e.errno() == Errno.EINTR) {
                return false; // end() throws AsynchronousCloseException or ClosedByInterruptException
            }
            completed = true;
            close();
            throw Errors.connect(e);
        } finally {
            endBlocking(completed);
        }
    }

    /**
     * Waits for the pending connection in a second {@code connect}, as the JDK's blocking
     * {@code finishConnect} waits. A connection the peer completed in the meantime answers it with
     * EISCONN here (Linux answers the first connect after completion with 0): that is success.
     */
    private void awaitConnected() throws ErrnoException {
        try {
            socket.connect(socket.remoteAddress());
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EISCONN) {
                throw e;
            }
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        State s = state;
        if (s == State.CONNECTED) {
            return true;
        }
        if (s != State.PENDING) {
            throw new NoConnectionPendingException();
        }
        boolean completed = false;
        begin();
        try {
            if (isBlocking()) {
                awaitConnected();
            } else {
                TcpState ts = socket.state();
                if (ts == TcpState.SYN_SENT || ts == TcpState.SYN_RECEIVED) {
                    completed = true;
                    return false;
                }
                if (!ts.isSynchronized()) {
                    Errno err = socket.takeError();
                    throw new ErrnoException(err != null ? err : Errno.ECONNREFUSED, "connect");
                }
            }
            state = State.CONNECTED;
            completed = true;
            return true;
        } catch (ErrnoException e) {
            if (!isOpen() || e.errno() == Errno.EINTR) {
                return false;
            }
            completed = true;
            close();
            throw Errors.connect(e);
        } finally {
            endBlocking(completed);
        }
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == State.PENDING;
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
        if (!inputShut) {
            shutdown(Shutdown.READ);
            inputShut = true;
        }
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
        if (!outputShut) {
            shutdown(Shutdown.WRITE);
            outputShut = true;
        }
        return this;
    }

    private void shutdown(Shutdown how) throws IOException {
        try {
            socket.shutdown(how);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOTCONN) { // the peer already closed: nothing left to shut
                throw Errors.other(e);
            }
        }
    }

    boolean isInputShutdown() {
        return inputShut;
    }

    boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public Socket socket() {
        synchronized (stateLock) {
            if (adaptor == null) {
                adaptor = SocketAdaptor.create(this);
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
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return state == State.UNCONNECTED ? null : Addresses.toJdk(socket.remoteAddress());
    }

    // ---------------------------------------------------------------- reading and writing

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return (int) io(true, () -> {
            int want = dst.remaining();
            int n = ByteIo.read(socket, dst, 0, readScratch);
            return n == 0 && want > 0 ? -1 : n; // recv's 0 is the end of the stream
        });
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return io(true, () -> ByteIo.read(socket, dsts, offset, length, readScratch));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        return (int) io(false, () -> ByteIo.write(socket, src, isBlocking(), writeScratch));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        boolean blocking = isBlocking();
        return io(false, () -> {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                int want = b.remaining();
                if (want == 0) {
                    continue;
                }
                int n;
                try {
                    n = ByteIo.write(socket, b, blocking, writeScratch);
                } catch (ErrnoException e) {
                    if (total > 0) {
                        return total; // what was written counts; the error comes with the next call
                    }
                    throw e;
                }
                total += n;
                if (n < want) {
                    break;
                }
            }
            return total;
        });
    }

    /** One read or write on the socket. */
    @FunctionalInterface
    private interface Io {
        long run() throws ErrnoException;
    }

    /**
     * Runs a read or a write as the JDK does: one reader (writer) at a time, the channel's state
     * checked, the blocking part between {@code begin} and {@link #endBlocking}; a read after
     * {@code shutdownInput} is the end of the stream.
     */
    private long io(boolean reading, Io op) throws IOException {
        ReentrantLock lock = reading ? readLock : writeLock;
        lock.lock();
        try {
            if (reading) {
                ensureReadable();
                if (inputShut) {
                    return -1;
                }
            } else {
                ensureWritable();
            }
            boolean completed = false;
            begin();
            try {
                long n = op.run();
                completed = true;
                return n;
            } catch (ErrnoException e) {
                return failed(e, reading);
            } finally {
                endBlocking(completed);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A failed read or write: EAGAIN is "nothing now" (0); after a close or an interrupt it is 0
     * too, and {@link #endBlocking} throws; the rest become the JDK's exceptions.
     */
    private int failed(ErrnoException e, boolean reading) throws IOException {
        if (e.errno() == Errno.EAGAIN || !isOpen() || e.errno() == Errno.EINTR || e.errno() == Errno.EBADF) {
            return 0;
        }
        throw reading ? Errors.read(e) : Errors.write(e);
    }

    private void ensureReadable() throws IOException {
        ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
    }

    private void ensureWritable() throws IOException {
        ensureOpen();
        if (state != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
        if (outputShut) {
            throw new ClosedChannelException();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    // ---------------------------------------------------------------- options, mode, closing

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        ChannelOptions.setTcp(socket, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return ChannelOptions.getTcp(socket, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ChannelOptions.TCP;
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        socket.setNonBlocking(!block);
    }

    /** Closes the socket and wakes every thread blocked in it (they see the channel closed). */
    @Override
    protected void implCloseSelectableChannel() {
        AdaptorOptions.closeAndWake(socket);
    }

    /** {@code end}, and the case it misses ({@link Errors#closeIfInterrupted}). */
    private void endBlocking(boolean completed) throws IOException {
        end(completed);
        Errors.closeIfInterrupted(completed, this);
    }

    @Override
    public String toString() {
        return "NetSocketChannel[" + stack.name() + " " + (isOpen() ? socket : "closed") + "]";
    }
}
