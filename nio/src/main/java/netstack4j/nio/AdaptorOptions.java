package netstack4j.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import netstack4j.socket.TcpSocket;

/**
 * What the adaptor sockets share: options as {@code java.net.Socket}'s methods declare them
 * (only {@link SocketException}), the local address or null, closing a TCP socket so that every
 * thread blocked in it wakes and sees it closed.
 */
final class AdaptorOptions {
    private AdaptorOptions() {
    }

    static <T> void set(NetworkChannel ch, SocketOption<T> name, T value) throws SocketException {
        try {
            ch.setOption(name, value);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }

    static <T> T get(NetworkChannel ch, SocketOption<T> name) throws SocketException {
        try {
            return ch.getOption(name);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }

    /** The channel's local address, or null when unbound or closed. */
    static InetSocketAddress local(NetworkChannel ch) {
        try {
            return (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Closes {@code s} and wakes every thread waiting in it, which then sees it closed (EBADF). */
    static void closeAndWake(TcpSocket s) {
        s.close();
        s.stack().runtime().call(() -> {
            s.connection().readers().wakeAll();
            s.connection().writers().wakeAll();
            s.readiness().signal();
            return null;
        });
    }
}
