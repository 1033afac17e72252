package netstack4j.tap;

import java.util.function.Consumer;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/** The Discard Protocol (RFC 863) over TCP, port 9: reads everything, answers nothing. */
public final class DiscardService extends TcpService {
    public static final int PORT = 9;

    public DiscardService(NetStack stack, int port, Consumer<String> log) {
        super(stack, port, "discard", log);
    }

    @Override
    protected void serve(TcpSocket s) throws ErrnoException {
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while ((n = s.read(buf, 0, buf.length)) > 0) {
            total += n;
        }
        log(s.remoteAddress() + ": " + total + " bytes discarded");
    }
}
