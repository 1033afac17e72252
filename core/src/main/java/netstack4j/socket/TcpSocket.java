package netstack4j.socket;

import java.io.Closeable;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Objects;
import netstack4j.stack.NetStack;
import netstack4j.stack.Readiness;
import netstack4j.stack.StackRuntime;
import netstack4j.tcp.ErrorQueue;
import netstack4j.tcp.FastOpen;
import netstack4j.tcp.TxTimestamps;
import netstack4j.tcp.ZeroCopy;
import netstack4j.tcp.TcpConnection;
import netstack4j.tcp.TcpLayer;
import netstack4j.tcp.TcpState;
import netstack4j.time.TimerQueue;

/**
 * A TCP socket ({@code socket(AF_INET, SOCK_STREAM, 0)}) with C semantics: blocking by default,
 * non-blocking on request (EAGAIN, EINPROGRESS), timeouts (SO_RCVTIMEO/SO_SNDTIMEO end in EAGAIN),
 * errors as the errno a C program on Linux gets. See /work/TCP_API.md for the contract.
 *
 * <p>Thread-safe: every call enters the stack through its runtime; blocking calls wait on the
 * connection's queues, from simulated processes or, on a real stack, from any thread.
 */
public final class TcpSocket implements Closeable, Pollable {
    private final NetStack stack;
    private final TcpLayer tcp;
    private final TcpConnection conn;
    private volatile boolean nonBlocking;
    private volatile long readTimeoutNs;
    private volatile long writeTimeoutNs;
    private boolean connectStarted;
    /** TCP_FASTOPEN_CONNECT was set: a write may have to send the deferred SYN (checked in the stack). */
    private volatile boolean fastOpenConnect;
    private boolean closed;

    TcpSocket(NetStack stack, TcpConnection conn) {
        this.stack = stack;
        this.tcp = stack.tcp();
        this.conn = conn;
        this.connectStarted = conn.state() != TcpState.CLOSED;
    }

    /** bind(2): the local address and port (port 0: an ephemeral one); EADDRINUSE when taken. */
    public void bind(Ipv4SocketAddress local) throws ErrnoException {
        call(() -> check(tcp.bind(conn, local.address(), local.port()), "bind"));
    }

    /** listen(2): accept connections, at most {@code backlog} waiting in the accept queue. */
    public void listen(int backlog) throws ErrnoException {
        call(() -> check(tcp.listen(conn, backlog), "listen"));
    }

    /** accept(2): the next established connection; blocks unless non-blocking (EAGAIN). */
    public TcpSocket accept() throws ErrnoException {
        return call(() -> {
            long deadline = deadline(readTimeoutNs);
            while (true) {
                ensureOpen("accept");
                if (!conn.isListening()) {
                    throw new ErrnoException(Errno.EINVAL, "accept");
                }
                TcpConnection child = tcp.accept(conn);
                if (child != null) {
                    conn.readiness().signal();
                    TcpSocket accepted = new TcpSocket(stack, child);
                    accepted.connectStarted = true; // even if reset already (a Fast Open child): EOF, EPIPE as Linux
                    return accepted;
                }
                if (nonBlocking || expired(deadline)) {
                    throw new ErrnoException(Errno.EAGAIN, "accept");
                }
                Blocking.await(conn.readers(), deadline, "accept");
            }
        });
    }

    /** The peer of an accepted (or connected) socket. */
    public Ipv4SocketAddress acceptedFrom() {
        return remoteAddress();
    }

    /** connect(2): blocks until ESTABLISHED or an error; non-blocking gives EINPROGRESS. */
    public void connect(Ipv4SocketAddress remote) throws ErrnoException {
        call(() -> {
            ensureOpen("connect");
            TcpState s = conn.state();
            if (conn.isListening() || s.isSynchronized() || s == TcpState.SYN_RECEIVED && connectStarted
                    || FastOpen.deferred(conn)) {
                // A deferred Fast Open connect counts as connected (__inet_stream_connect, DEFER_CONNECT).
                throw new ErrnoException(Errno.EISCONN, "connect");
            }
            if (s == TcpState.SYN_SENT) {
                if (nonBlocking) {
                    throw new ErrnoException(Errno.EALREADY, "connect");
                }
            } else {
                Errno pending = conn.takeError();
                if (pending != null && connectStarted) {
                    throw new ErrnoException(pending, "connect");
                }
                check(tcp.connect(conn, remote.address(), remote.port()), "connect");
                connectStarted = true;
                if (FastOpen.deferred(conn)) {
                    return null; // TCP_FASTOPEN_CONNECT with a cookie: the first write sends the SYN
                }
                if (nonBlocking) {
                    throw new ErrnoException(Errno.EINPROGRESS, "connect");
                }
            }
            long deadline = deadline(writeTimeoutNs);
            while (conn.state() == TcpState.SYN_SENT || conn.state() == TcpState.SYN_RECEIVED) {
                if (expired(deadline)) {
                    throw new ErrnoException(Errno.EINPROGRESS, "connect");
                }
                Blocking.await(conn.writers(), deadline, "connect");
            }
            if (conn.state() == TcpState.CLOSED) {
                Errno e = conn.takeError();
                throw new ErrnoException(e != null ? e : Errno.ECONNREFUSED, "connect");
            }
            return null;
        });
    }

    /** read(2): {@link #recv} without flags; returns the bytes read, 0 at end of stream. */
    public int read(byte[] b, int off, int len) throws ErrnoException {
        return recv(b, off, len, 0);
    }

    /** recv(2) with MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL: returns 0 at end of stream (N12, N35). */
    public int recv(byte[] b, int off, int len, int flags) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, b.length);
        refuseOutOfBand(flags, "recv");
        return stack.runtime().callOnBytes(TcpSocket::recvOwned, this, b, off, len, flags);
    }

    /** The body of {@link #recv}, run as the stack's owner (a method, so the call allocates nothing). */
    private int recvOwned(byte[] b, int off, int len, int flags) throws ErrnoException {
        boolean peek = (flags & MessageFlags.MSG_PEEK) != 0;
        boolean dontWait = nonBlocking || (flags & MessageFlags.MSG_DONTWAIT) != 0;
        boolean waitAll = (flags & MessageFlags.MSG_WAITALL) != 0 && !peek;
        long deadline = deadline(readTimeoutNs);
        int done = 0;
        while (true) {
            ensureOpen("recv");
            if (conn.isListening()) {
                throw new ErrnoException(Errno.ENOTCONN, "recv");
            }
            if (len == 0) {
                return 0;
            }
            // Queued data first, then the end of stream after the peer's FIN (SOCK_DONE), then
            // the error, then SHUT_RD's end of stream, as Linux's tcp_recvmsg_locked (on
            // Windows a reset has already dropped the data and is reported first, N37).
            if (conn.readableBytes() > 0) {
                done += conn.appRead(b, off + done, len - done, peek);
                if (!waitAll || done == len) {
                    return done;
                }
                continue;
            }
            if (conn.peerClosed() && conn.settings().resetKeepsReceived()) {
                return done;
            }
            Errno err = conn.pendingError();
            if (err != null) {
                if (done > 0) {
                    return done;
                }
                throw new ErrnoException(conn.takeError(), "recv"); // N37
            }
            if (conn.readShutdown()) {
                return done;
            }
            TcpState s = conn.state();
            if (conn.peerClosed() || s == TcpState.CLOSED && connectStarted) {
                return done;
            }
            if (s == TcpState.CLOSED) {
                throw new ErrnoException(Errno.ENOTCONN, "recv");
            }
            if (dontWait || expired(deadline)) {
                if (done > 0) {
                    return done;
                }
                throw new ErrnoException(Errno.EAGAIN, "recv");
            }
            Blocking.await(conn.readers(), deadline, "recv");
        }
    }

    /** write(2): {@link #send} without flags; returns the bytes queued. */
    public int write(byte[] b, int off, int len) throws ErrnoException {
        return send(b, off, len, 0);
    }

    /**
     * send(2): blocking copies all of {@code b} into SendQ, waiting for space (N8); non-blocking
     * copies what fits or fails with EAGAIN. MSG_MORE holds a partial last segment (N23).
     */
    public int send(byte[] b, int off, int len, int flags) throws ErrnoException {
        return sendTo(b, off, len, flags, null);
    }

    /**
     * sendto(2): {@link #send}; with MSG_FASTOPEN (or after a TCP_FASTOPEN_CONNECT connect that was
     * deferred) it connects to {@code remote} first, as much of the data as Fast Open allows going
     * in the SYN (RFC 7413, Linux's tcp_sendmsg_fastopen): non-blocking, it returns what the SYN
     * took or fails with EINPROGRESS; blocking, it waits for the handshake and sends the rest.
     */
    public int sendTo(byte[] b, int off, int len, int flags, Ipv4SocketAddress remote) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, b.length);
        return zeroCopyAware(b, off, len, flags, remote, null);
    }

    /**
     * sendmsg(2) with an iovec: the elements are the consecutive ranges of {@code b} from
     * {@code off} with the given {@code lengths}. The bytes go out as one {@link #sendTo} of their
     * total would send them, except that with MSG_ZEROCOPY each element takes page fragments of
     * its own (at most 17 per skb, as Linux), which decides where segments end.
     */
    public int sendGathered(byte[] b, int off, int[] lengths, int flags, Ipv4SocketAddress remote) throws ErrnoException {
        long total = 0;
        for (int l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("negative iovec length " + l);
            }
            total += l;
        }
        if (total > Integer.MAX_VALUE) {
            throw new ErrnoException(Errno.EINVAL, "sendmsg: iovec total exceeds 2 GiB");
        }
        Objects.checkFromIndexSize(off, (int) total, b.length);
        return zeroCopyAware(b, off, (int) total, flags, remote, lengths.clone());
    }

    /**
     * A send with MSG_ZEROCOPY takes a notification id before it sends and gives it back when it
     * copied nothing (tcp_sendmsg_locked's msg_zerocopy_realloc ... net_zcopy_put[_abort]).
     */
    private int zeroCopyAware(byte[] b, int off, int len, int flags, Ipv4SocketAddress remote, int[] iov) throws ErrnoException {
        if ((flags & MessageFlags.MSG_ZEROCOPY) == 0 || len == 0) {
            return sendUncounted(b, off, len, flags, remote);
        }
        call(() -> {
            ZeroCopy.beginSend(conn, len, iov);
            return null;
        });
        int copied = 0;
        try {
            copied = sendUncounted(b, off, len, flags, remote);
            return copied;
        } finally {
            int done = copied;
            call(() -> {
                ZeroCopy.endSend(conn, done);
                return null;
            });
        }
    }

    private int sendUncounted(byte[] b, int off, int len, int flags, Ipv4SocketAddress remote) throws ErrnoException {
        refuseOutOfBand(flags, "send");
        boolean dontWait = nonBlocking || (flags & MessageFlags.MSG_DONTWAIT) != 0;
        if ((flags & MessageFlags.MSG_FASTOPEN) != 0 || fastOpenConnect && stack.runtime().call(() -> FastOpen.deferred(conn))) {
            int copied = sendFastOpen(remote, b, off, len, dontWait);
            if (copied >= 0) {
                return copied == len || dontWait ? copied : copied + sendUncounted(b, off + copied, len - copied,
                        flags & ~MessageFlags.MSG_FASTOPEN, null);
            }
        }
        return stack.runtime().callOnBytes(TcpSocket::sendOwned, this, b, off, len, flags);
    }

    /** The body of {@link #send} once connected, run as the stack's owner (allocates nothing). */
    private int sendOwned(byte[] b, int off, int len, int flags) throws ErrnoException {
        boolean dontWait = nonBlocking || (flags & MessageFlags.MSG_DONTWAIT) != 0;
        int sendFlags = flags & (MessageFlags.MSG_MORE | MessageFlags.MSG_EOR);
        long deadline = deadline(writeTimeoutNs);
        int done = 0;
        while (true) {
            ensureOpen("send");
            Errno err = conn.pendingError();
            if (err != null) {
                if (done > 0) {
                    return partialSend(done);
                }
                throw new ErrnoException(conn.takeError(), "send"); // ECONNRESET once, then EPIPE
            }
            TcpState s = conn.state();
            if (conn.writeShutdown() || s == TcpState.CLOSED && connectStarted || conn.resetReported()) {
                if (done > 0) {
                    return partialSend(done);
                }
                throw new ErrnoException(Errno.EPIPE, "send");
            }
            if (s == TcpState.CLOSED || s == TcpState.LISTEN) {
                // sk_stream_wait_connect: a socket neither connected nor connecting (never
                // connected, or listening) fails with EPIPE, not ENOTCONN.
                throw new ErrnoException(Errno.EPIPE, "send: the socket is not connected");
            }
            // A Fast Open child may send before its handshake completes (tcp_passive_fastopen).
            boolean connecting = s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED && !FastOpen.passive(conn);
            if (!connecting) {
                done += conn.appWrite(b, off + done, len - done, sendFlags, done > 0);
                if (done == len) {
                    return done;
                }
            }
            if (dontWait || expired(deadline)) {
                if (done > 0) {
                    return partialSend(done);
                }
                throw new ErrnoException(Errno.EAGAIN, "send");
            }
            Blocking.await(conn.writers(), deadline, "send");
        }
    }

    /**
     * A send call that copied some bytes and ends short of all (no room, an error): its tail
     * skb is stamped now (tcp_sendmsg_locked's out: tcp_tx_timestamp), as a complete one was
     * when its last bytes were copied.
     */
    private int partialSend(int done) {
        TxTimestamps.onWrite(conn);
        return done;
    }

    /**
     * The connecting part of a Fast Open send (tcp_sendmsg_fastopen and __inet_stream_connect):
     * the bytes the SYN took (after the handshake when blocking), or -1 when the socket is
     * already connected or connecting and the data is to be sent the usual way.
     */
    private int sendFastOpen(Ipv4SocketAddress remote, byte[] b, int off, int len, boolean dontWait) throws ErrnoException {
        return call(() -> {
            ensureOpen("sendto");
            check(tcp.fastOpen().checkSend(conn), "sendto");
            boolean deferred = FastOpen.deferred(conn);
            TcpState s = conn.state();
            if (!deferred) {
                if (conn.isListening()) {
                    throw new ErrnoException(Errno.EISCONN, "sendto");
                }
                if (s == TcpState.SYN_SENT && dontWait) {
                    throw new ErrnoException(Errno.EALREADY, "sendto");
                }
                if (s != TcpState.CLOSED) {
                    return -1; // EISCONN or EALREADY from the connect, then the usual send (which waits)
                }
                if (remote == null) {
                    throw new ErrnoException(Errno.EINVAL, "sendto"); // tcp_v4_connect without an address
                }
            }
            FastOpen.offerData(conn, b, off, len);
            if (deferred) {
                FastOpen.sendDeferredSyn(conn);
            } else {
                Errno e = tcp.connect(conn, remote.address(), remote.port());
                if (e != null) {
                    FastOpen.takeCopied(conn);
                    throw new ErrnoException(e, "sendto");
                }
                connectStarted = true;
            }
            int copied = FastOpen.takeCopied(conn);
            conn.readiness().signal();
            if (dontWait) {
                if (copied > 0) {
                    return copied;
                }
                throw new ErrnoException(Errno.EINPROGRESS, "sendto");
            }
            long deadline = deadline(writeTimeoutNs);
            FastOpen.setWritePending(conn, copied < len);
            try {
                while (conn.state() == TcpState.SYN_SENT || conn.state() == TcpState.SYN_RECEIVED) {
                    if (expired(deadline)) {
                        throw new ErrnoException(Errno.EINPROGRESS, "sendto");
                    }
                    Blocking.await(conn.writers(), deadline, "sendto");
                }
            } finally {
                FastOpen.setWritePending(conn, false);
            }
            if (conn.state() == TcpState.CLOSED) {
                Errno e = conn.takeError();
                throw new ErrnoException(e != null ? e : Errno.ECONNREFUSED, "sendto");
            }
            return copied;
        });
    }

    /** shutdown(2) (N39). */
    public void shutdown(Shutdown how) throws ErrnoException {
        call(() -> {
            ensureOpen("shutdown");
            TcpState s = conn.state();
            if (s == TcpState.CLOSED || s == TcpState.SYN_SENT) {
                throw new ErrnoException(Errno.ENOTCONN, "shutdown");
            }
            if (conn.isListening()) {
                conn.appClose();
                return null;
            }
            conn.appShutdown(how != Shutdown.WRITE, how != Shutdown.READ);
            return null;
        });
    }

    /**
     * close(2) (N36): by default returns at once and the rest is sent, then FIN; SO_LINGER 0 resets;
     * SO_LINGER &gt; 0 blocks until everything is acknowledged or the time runs out. When it runs
     * out, Windows resets; Linux returns 0 and leaves the orphan to finish (tcp_close sends no RST
     * after sk_stream_wait_close times out).
     */
    @Override
    public void close() {
        stack.runtime().call(() -> {
            if (closed) {
                return null;
            }
            closed = true;
            int linger = conn.lingerSeconds();
            conn.appClose();
            if (linger > 0 && !nonBlocking) {
                long deadline = stack.nowNs() + linger * 1_000_000_000L;
                while (conn.state() != TcpState.CLOSED && !conn.allAcknowledged()) {
                    if (expired(deadline)) {
                        if (conn.settings().lingerTimeoutResets()) {
                            conn.appAbort(); // N36 (Windows): reset when the time runs out
                        }
                        break;
                    }
                    try {
                        conn.writers().await(deadline);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            return null;
        });
    }

    /** setsockopt(2): a {@link java.net.StandardSocketOptions} or {@link NetSocketOptions} option. */
    public <T> void setOption(SocketOption<T> option, T value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        call(() -> {
            TcpOptions.set(stack, conn, option, value);
            return null;
        });
        if (option == NetSocketOptions.TCP_FASTOPEN_CONNECT) {
            fastOpenConnect = (Integer) value == 1;
        }
    }

    /**
     * What TCP_CM_INQ reports after a read (Linux's tcp_inq_hint): the bytes received and not yet
     * read; once the peer's FIN has arrived, its sequence number counts too (rcv_nxt -
     * copied_seq): after the last byte is read it reports 1, telling the reader to read on and
     * find the end of the stream.
     */
    public int inqHint() throws ErrnoException {
        return call(() -> {
            ensureOpen("recvmsg");
            return conn.readableBytes() + (conn.peerClosed() ? 1 : 0);
        });
    }

    /** getsockopt(2). */
    public <T> T getOption(SocketOption<T> option) throws ErrnoException {
        return call(() -> TcpOptions.get(conn, option));
    }

    /** O_NONBLOCK: calls that would wait fail with EAGAIN (connect: EINPROGRESS) instead. */
    public void setNonBlocking(boolean on) {
        nonBlocking = on;
    }

    /** Whether O_NONBLOCK is set. */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /** SO_RCVTIMEO (also bounds accept); zero waits forever. */
    public void setReadTimeout(Duration d) {
        readTimeoutNs = nonNegative(d);
    }

    /** SO_SNDTIMEO (also bounds connect); zero waits forever. */
    public void setWriteTimeout(Duration d) {
        writeTimeoutNs = nonNegative(d);
    }

    /** The connection's state (RFC 9293 names). */
    public TcpState state() {
        return stack.runtime().call(conn::state);
    }

    /** getsockname(2), or null before the socket has a port. */
    public Ipv4SocketAddress localAddress() {
        return stack.runtime().call(() -> conn.localPort() == 0 ? null
                : new Ipv4SocketAddress(conn.localAddress(), conn.localPort()));
    }

    /** getpeername(2), or null when not connected. */
    public Ipv4SocketAddress remoteAddress() {
        return stack.runtime().call(() -> conn.remotePort() == 0 ? null
                : new Ipv4SocketAddress(conn.remoteAddress(), conn.remotePort()));
    }

    /** SO_ERROR: returns and clears the pending error, null if none. */
    public Errno takeError() {
        return stack.runtime().call(conn::takeError);
    }

    /** SIOCINQ (FIONREAD, Recv-Q): bytes that can be read now. */
    public int availableBytes() {
        return stack.runtime().call(conn::readableBytes);
    }

    /** SIOCOUTQ (Send-Q): bytes written and not yet acknowledged. */
    public int sendQueueBytes() {
        return stack.runtime().call(conn::sendQueueBytes);
    }

    /** SIOCOUTQNSD: bytes written and not yet sent. */
    public int unsentBytes() {
        return stack.runtime().call(conn::unsentBytes);
    }

    /** A snapshot of what {@code ss -tinm} shows for this socket. */
    public SocketInfo info() {
        return stack.runtime().call(conn::info);
    }

    private static void refuseOutOfBand(int flags, String call) throws ErrnoException {
        if ((flags & MessageFlags.MSG_OOB) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, call + " with MSG_OOB: out-of-band data is not supported");
        }
    }

    /** The engine's connection (for diagnostics and tests). */
    public TcpConnection connection() {
        return conn;
    }

    @Override
    public NetStack stack() {
        return stack;
    }

    @Override
    public Readiness readiness() {
        return conn.readiness();
    }

    /**
     * recvmsg(2) with MSG_ERRQUEUE (Linux's ip_recv_error): the oldest record of the socket's
     * error queue, removed from it. Never waits: an empty queue fails with EAGAIN even on a
     * blocking socket.
     */
    public ExtendedError receiveError() throws ErrnoException {
        return call(() -> {
            ensureOpen("recvmsg");
            long[] e = ErrorQueue.take(conn);
            if (e == null) {
                throw new ErrnoException(Errno.EAGAIN, "recvmsg MSG_ERRQUEUE: the error queue is empty");
            }
            return new ExtendedError((int) e[0], (int) e[1], (int) e[2], (int) e[3], (int) e[4], (int) e[5],
                    e[6] >= 0 && TxTimestamps.reportsSoftware(conn) ? e[6] : -1, (int) e[7]);
        });
    }

    /** As Linux's tcp_poll (see TCP_API.md for the bits). */
    @Override
    public int readyEvents() {
        if (closed) {
            return PollEvents.NVAL;
        }
        if (conn.isListening()) {
            return conn.acceptQueueLength() > 0 ? PollEvents.IN | PollEvents.RDNORM : 0;
        }
        TcpState s = conn.state();
        int ev = 0;
        boolean over = s == TcpState.CLOSED && connectStarted;
        boolean rdShut = conn.peerClosed() || conn.readShutdown() || over;
        boolean wrShut = conn.writeShutdown() || over;
        if (conn.pendingError() != null || ErrorQueue.pending(conn)) {
            ev |= PollEvents.ERR; // sk_err or a non-empty sk_error_queue
        }
        if (s == TcpState.CLOSED || rdShut && wrShut) {
            ev |= PollEvents.HUP;
        }
        if (rdShut) {
            ev |= PollEvents.IN | PollEvents.RDNORM | PollEvents.RDHUP;
        }
        if (s == TcpState.SYN_SENT && FastOpen.deferred(conn)) {
            return ev | PollEvents.OUT | PollEvents.WRNORM; // tcp_poll: write() will send the SYN
        }
        if (s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED && !FastOpen.passive(conn)) {
            return ev;
        }
        if (conn.readableBytes() > 0) {
            ev |= PollEvents.IN | PollEvents.RDNORM;
        }
        if (wrShut || conn.writable()) {
            ev |= PollEvents.OUT | PollEvents.WRNORM;
        }
        return ev;
    }

    private void ensureOpen(String what) throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EBADF, what);
        }
    }

    private long deadline(long timeoutNs) {
        return timeoutNs > 0 ? stack.nowNs() + timeoutNs : TimerQueue.NEVER;
    }

    private boolean expired(long deadline) {
        return deadline != TimerQueue.NEVER && stack.nowNs() - deadline >= 0;
    }


    private static long nonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative timeout");
        }
        return d.toNanos();
    }

    private <T> T call(StackRuntime.StackCall<T, ErrnoException> op) throws ErrnoException {
        return stack.runtime().call(op);
    }

    private static Void check(Errno e, String what) throws ErrnoException {
        if (e != null) {
            throw new ErrnoException(e, what);
        }
        return null;
    }

    @Override
    public String toString() {
        return "TcpSocket[" + conn + " " + conn.state() + "]";
    }
}
