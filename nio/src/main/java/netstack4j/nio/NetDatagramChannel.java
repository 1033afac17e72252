package netstack4j.nio;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Pollable;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;

/**
 * A {@link DatagramChannel} over a {@link UdpSocket}: one datagram per send and per receive,
 * boundaries kept; a datagram larger than the buffer's remaining space is truncated, the rest
 * discarded, as the JDK documents. Receiving on an unbound channel binds it to an ephemeral
 * port first; a non-blocking receive with nothing queued returns null, a non-blocking send
 * never waits. A connected channel learns of ICMP port unreachable as
 * {@link java.net.PortUnreachableException}. Multicast ({@code join}) and the
 * {@link DatagramSocket} adaptor are not supported.
 *
 * <p>Thread-safe: one receiver and one sender at a time.
 */
final class NetDatagramChannel extends DatagramChannel implements NetChannel {
    /** The largest UDP payload over IPv4 (65535 - 20 - 8). */
    private static final int MAX_DATAGRAM = 65507;

    private final NetStack stack;
    private final UdpSocket socket;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private final byte[] receiveScratch = new byte[MAX_DATAGRAM];
    private final byte[] sendScratch = new byte[MAX_DATAGRAM];
    private volatile boolean bound;
    private volatile SocketAddress connectedTo;

    NetDatagramChannel(NetSelectorProvider provider, NetStack stack) {
        super(provider);
        this.stack = stack;
        this.socket = stack.sockets().udp();
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
        if ((ops & SelectionKey.OP_WRITE) != 0) {
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
        if ((events & PollEvents.IN) != 0) {
            ops |= interestOps & SelectionKey.OP_READ;
        }
        if ((events & PollEvents.OUT) != 0) {
            ops |= interestOps & SelectionKey.OP_WRITE;
        }
        return ops;
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
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

    private void bindIfUnbound() throws IOException {
        synchronized (stateLock) {
            if (!bound) {
                bind(null);
            }
        }
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        Ipv4SocketAddress to = Addresses.toStack(Objects.requireNonNull(remote, "remote"));
        synchronized (stateLock) {
            ensureOpen();
            if (connectedTo != null) {
                throw new AlreadyConnectedException();
            }
            try {
                socket.connect(to);
            } catch (ErrnoException e) {
                throw Errors.connect(e);
            }
            bound = true;
            connectedTo = Addresses.toJdk(to);
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        synchronized (stateLock) {
            if (connectedTo == null || !isOpen()) {
                return this;
            }
            try {
                socket.disconnect();
            } catch (ErrnoException e) {
                throw Errors.other(e);
            }
            connectedTo = null;
        }
        return this;
    }

    @Override
    public boolean isConnected() {
        return connectedTo != null;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return connectedTo;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? Addresses.toJdk(socket.localAddress()) : null;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        readLock.lock();
        try {
            ensureOpen();
            bindIfUnbound();
            ReceivedDatagram d = receiveOne();
            if (d == null) {
                return null;
            }
            dst.put(receiveScratch, 0, Math.min(d.length(), dst.remaining()));
            return Addresses.toJdk(d.source());
        } finally {
            readLock.unlock();
        }
    }

    /** One datagram into the scratch array, or null when none is queued (non-blocking). */
    private ReceivedDatagram receiveOne() throws IOException {
        boolean completed = false;
        begin();
        try {
            ReceivedDatagram d = socket.receive(receiveScratch, 0, receiveScratch.length);
            completed = true;
            return d;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN) {
                completed = true;
                return null;
            }
            if (!isOpen() || e.errno() == Errno.EINTR || e.errno() == Errno.EBADF) {
                return null;
            }
            completed = true;
            throw datagramError(e);
        } finally {
            endBlocking(completed);
        }
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        Ipv4SocketAddress to = Addresses.toStack(Objects.requireNonNull(target, "target"));
        writeLock.lock();
        try {
            ensureOpen();
            SocketAddress peer = connectedTo;
            if (peer != null && !peer.equals(Addresses.toJdk(to))) {
                throw new AlreadyConnectedException();
            }
            return sendOne(src, to);
        } finally {
            writeLock.unlock();
        }
    }

    /** One datagram of everything {@code src} holds; null {@code to} for the connected peer. */
    private int sendOne(ByteBuffer src, Ipv4SocketAddress to) throws IOException {
        int n = src.remaining();
        if (n > MAX_DATAGRAM) {
            throw new java.net.SocketException("Message too long");
        }
        int pos = src.position();
        src.get(pos, sendScratch, 0, n);
        boolean completed = false;
        begin();
        try {
            if (to == null) {
                socket.send(sendScratch, 0, n);
            } else {
                socket.sendTo(sendScratch, 0, n, to);
            }
            bound = true;
            src.position(pos + n);
            completed = true;
            return n;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOBUFS) {
                completed = true;
                return 0;
            }
            if (!isOpen() || e.errno() == Errno.EINTR) {
                return 0;
            }
            completed = true;
            throw datagramError(e);
        } finally {
            endBlocking(completed);
        }
    }

    private static IOException datagramError(ErrnoException e) {
        if (e.errno() == Errno.ECONNREFUSED) {
            IOException x = new java.net.PortUnreachableException(e.errno().text());
            x.initCause(e);
            return x;
        }
        return Errors.other(e);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        readLock.lock();
        try {
            ensureConnected();
            ReceivedDatagram d = receiveOne();
            if (d == null) {
                return 0;
            }
            int n = Math.min(d.length(), dst.remaining());
            dst.put(receiveScratch, 0, n);
            return n;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        readLock.lock();
        try {
            ensureConnected();
            ReceivedDatagram d = receiveOne();
            if (d == null) {
                return 0;
            }
            int copied = 0;
            for (int i = offset; i < offset + length && copied < d.length(); i++) {
                int n = Math.min(dsts[i].remaining(), d.length() - copied);
                dsts[i].put(receiveScratch, copied, n);
                copied += n;
            }
            return copied;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        writeLock.lock();
        try {
            ensureConnected();
            return sendOne(src, null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        int total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ByteBuffer one = ByteBuffer.allocate(total);
        for (int i = offset; i < offset + length; i++) {
            one.put(srcs[i].duplicate());
        }
        one.flip();
        int n = write(one);
        if (n == total) {
            for (int i = offset; i < offset + length; i++) {
                srcs[i].position(srcs[i].limit());
            }
        }
        return n;
    }

    private void ensureConnected() throws IOException {
        ensureOpen();
        if (connectedTo == null) {
            throw new NotYetConnectedException();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("netstack4j: no DatagramSocket adaptor; use the channel");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("netstack4j: multicast is not supported");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("netstack4j: multicast is not supported");
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        ChannelOptions.setUdp(socket, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return ChannelOptions.getUdp(socket, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ChannelOptions.UDP;
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        socket.setNonBlocking(!block);
    }

    @Override
    protected void implCloseSelectableChannel() {
        socket.close();
        stack.runtime().call(() -> {
            socket.readiness().signal();
            return null;
        });
    }

    /** {@code end}, and the case it misses ({@link Errors#closeIfInterrupted}). */
    private void endBlocking(boolean completed) throws IOException {
        end(completed);
        Errors.closeIfInterrupted(completed, this);
    }

    @Override
    public String toString() {
        return "NetDatagramChannel[" + stack.name() + " " + (isOpen() ? socket : "closed") + "]";
    }
}
