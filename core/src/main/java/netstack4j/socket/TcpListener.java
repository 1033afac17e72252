package netstack4j.socket;

import java.io.Closeable;
import java.time.Duration;
import netstack4j.stack.NetStack;
import netstack4j.stack.Readiness;

/** A listening TCP socket: a thin wrapper over a {@link TcpSocket} in LISTEN (N16). */
public final class TcpListener implements Closeable, Pollable {
    private final TcpSocket socket;

    TcpListener(TcpSocket socket) {
        this.socket = socket;
    }

    /** accept(2). */
    public TcpSocket accept() throws ErrnoException {
        return socket.accept();
    }

    /** getsockname(2): the address and port it listens on. */
    public Ipv4SocketAddress localAddress() {
        return socket.localAddress();
    }

    /** O_NONBLOCK: {@link #accept} fails with EAGAIN instead of waiting. */
    public void setNonBlocking(boolean on) {
        socket.setNonBlocking(on);
    }

    /** How long {@link #accept} waits before EAGAIN (SO_RCVTIMEO); zero waits forever. */
    public void setAcceptTimeout(Duration d) {
        socket.setReadTimeout(d);
    }

    /** The listening socket itself (options, state, {@code info()}). */
    public TcpSocket socket() {
        return socket;
    }

    @Override
    public NetStack stack() {
        return socket.stack();
    }

    @Override
    public Readiness readiness() {
        return socket.readiness();
    }

    @Override
    public int readyEvents() {
        return socket.readyEvents();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "TcpListener[" + socket + "]";
    }
}
