package netstack4j.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;

/**
 * The exceptions the JDK throws for each errno, with the messages it gives them (strerror), as
 * {@code sun.nio.ch.Net}'s {@code handleSocketError} and {@code SocketDispatcher} do on Linux.
 * The errno survives as the cause.
 */
final class Errors {
    private Errors() {
    }

    /** connect(2) and finishConnect: ConnectException, NoRouteToHostException, BindException. */
    static IOException connect(ErrnoException e) {
        Errno n = e.errno();
        IOException x = switch (n) {
            case ECONNREFUSED, ETIMEDOUT, ENOTCONN -> new ConnectException(n.text());
            case EHOSTUNREACH -> new NoRouteToHostException(n.text());
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(n.text());
            // A blocking connect that ran out of SO_SNDTIMEO (Socket.connect with a timeout).
            case EINPROGRESS -> new java.net.SocketTimeoutException("Connect timed out");
            default -> new SocketException(n.text());
        };
        return withCause(x, e);
    }

    /** bind(2) and listen(2). */
    static IOException bind(ErrnoException e) {
        return connect(e);
    }

    /** read(2): a reset is {@code SocketException("Connection reset")}, as SocketDispatcher says. */
    static IOException read(ErrnoException e) {
        if (e.errno() == Errno.ECONNRESET) {
            return withCause(new SocketException("Connection reset"), e);
        }
        return withCause(new IOException(e.errno().text()), e);
    }

    /** write(2): IOException with strerror ("Broken pipe", "Connection reset by peer"). */
    static IOException write(ErrnoException e) {
        return withCause(new IOException(e.errno().text()), e);
    }

    /** Any other socket call: SocketException with strerror. */
    static IOException other(ErrnoException e) {
        return withCause(new SocketException(e.errno().text()), e);
    }

    /**
     * After {@code AbstractInterruptibleChannel.end}: {@code Thread.interrupt} sets the interrupt
     * status before it looks for the channel to close, so a wait in the stack can end (EINTR)
     * first and {@code end} then sees no interrupt; the channel is closed here, as the interrupt
     * would have closed it, with the exception the JDK throws then.
     */
    static void closeIfInterrupted(boolean completed, java.nio.channels.Channel ch) throws IOException {
        if (!completed && Thread.currentThread().isInterrupted()) {
            ch.close();
            throw new java.nio.channels.ClosedByInterruptException();
        }
    }

    private static IOException withCause(IOException x, ErrnoException e) {
        x.initCause(e);
        return x;
    }
}
