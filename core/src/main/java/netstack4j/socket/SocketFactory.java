package netstack4j.socket;

import netstack4j.stack.NetStack;

/**
 * Opens sockets on one stack ({@code socket(2)}). Obtain it from {@link NetStack#sockets()}.
 *
 * <p>Thread-safe: each open enters the stack through its runtime.
 */
public final class SocketFactory {
    private final NetStack stack;

    /** The factory of {@code stack}; {@link NetStack#sockets()} is the usual way to get one. */
    public SocketFactory(NetStack stack) {
        this.stack = stack;
    }

    /** {@code socket(AF_INET, SOCK_DGRAM, 0)}. */
    public UdpSocket udp() {
        return stack.runtime().call(() -> new UdpSocket(stack, stack.udp().open()));
    }

    /** {@code socket(AF_INET, SOCK_STREAM, 0)}. */
    public TcpSocket tcp() {
        return stack.runtime().call(() -> new TcpSocket(stack, stack.tcp().open()));
    }

    /** {@code socket} + {@code bind} + {@code listen}. */
    public TcpListener listen(Ipv4SocketAddress local, int backlog) throws ErrnoException {
        TcpSocket s = tcp();
        try {
            s.bind(local);
            s.listen(backlog);
        } catch (ErrnoException e) {
            s.close();
            throw e;
        }
        return new TcpListener(s);
    }

    /** {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}: an unprivileged ping socket. */
    public PingSocket ping() throws ErrnoException {
        return stack.runtime().call(() -> PingSocket.open(stack));
    }

    /** {@code epoll_create}: a poller for this stack's sockets. */
    public Poller poller() {
        return new Poller(stack);
    }
}
