package netstack4j.nio;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;

/**
 * The socket options the channels support, checked as the JDK checks them (unsupported:
 * {@link UnsupportedOperationException}; a bad value: {@link IllegalArgumentException}) before
 * they reach the stack.
 */
final class ChannelOptions {
    private ChannelOptions() {
    }

    static final Set<SocketOption<?>> TCP = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY,
            NetSocketOptions.TCP_CORK, NetSocketOptions.TCP_QUICKACK, NetSocketOptions.TCP_KEEPIDLE,
            NetSocketOptions.TCP_KEEPINTVL, NetSocketOptions.TCP_KEEPCNT, NetSocketOptions.TCP_MAXSEG,
            NetSocketOptions.TCP_SYNCNT, NetSocketOptions.TCP_USER_TIMEOUT, NetSocketOptions.TCP_CONGESTION,
            NetSocketOptions.TCP_INFO, NetSocketOptions.TCP_NOTSENT_LOWAT, StandardSocketOptions.IP_TOS,
            NetSocketOptions.IP_MTU_DISCOVER);

    static final Set<SocketOption<?>> LISTEN = Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR);

    static final Set<SocketOption<?>> UDP = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS, NetSocketOptions.IP_TTL,
            NetSocketOptions.IP_MTU_DISCOVER);

    static <T> void setTcp(TcpSocket s, SocketOption<T> name, T value) throws IOException {
        check(TCP, name, value);
        try {
            s.setOption(name, value);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    static <T> T getTcp(TcpSocket s, SocketOption<T> name) throws IOException {
        check(TCP, name);
        try {
            return s.getOption(name);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    static <T> void setListen(TcpSocket s, SocketOption<T> name, T value) throws IOException {
        check(LISTEN, name, value);
        setTcp(s, name, value);
    }

    static <T> T getListen(TcpSocket s, SocketOption<T> name) throws IOException {
        check(LISTEN, name);
        return getTcp(s, name);
    }

    static <T> void setUdp(UdpSocket s, SocketOption<T> name, T value) throws IOException {
        check(UDP, name, value);
        try {
            s.setOption(name, value);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    static <T> T getUdp(UdpSocket s, SocketOption<T> name) throws IOException {
        check(UDP, name);
        try {
            return s.getOption(name);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    private static void check(Set<SocketOption<?>> supported, SocketOption<?> name) {
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    private static void check(Set<SocketOption<?>> supported, SocketOption<?> name, Object value) {
        check(supported, name);
        if (value == null) {
            throw new IllegalArgumentException("Invalid value 'null'");
        }
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
    }
}
