package netstack4j.tap;

import java.util.function.Consumer;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/**
 * The Echo Protocol (RFC 862) over TCP, port 7: what arrives is sent back. A half-close is
 * honoured: when the client's FIN arrives (read returns 0) everything has been echoed and the
 * server sends its own FIN ({@code shutdown(SHUT_WR)}), as {@code nc -N} expects.
 */
public final class EchoService extends TcpService {
    public static final int PORT = 7;

    public EchoService(NetStack stack, int port, Consumer<String> log) {
        super(stack, port, "echo", log);
    }

    @Override
    protected void serve(TcpSocket s) throws ErrnoException {
        byte[] buf = new byte[65536];
        long total = 0;
        while (true) {
            int n = s.read(buf, 0, buf.length);
            if (n == 0) {
                s.shutdown(Shutdown.WRITE);
                log(s.remoteAddress() + ": " + total + " bytes echoed, closed by the client");
                return;
            }
            writeFully(s, buf, 0, n);
            total += n;
        }
    }
}
