package netstack4j.lab;

import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimProcess;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;

/**
 * The small applications experiments run: a server on {@code b} that accepts one connection, a
 * client on {@code a} that connects to it, each handing its socket to the experiment's code.
 */
final class Apps {
    private Apps() {
    }

    /** What an application does with its socket. */
    @FunctionalInterface
    interface SocketBody {
        void run(ProcessContext ctx, TcpSocket s) throws Exception;
    }

    static final SocketBody NOTHING = (ctx, s) -> { };

    /** On {@code b}: a listener on {@code port} (options set by {@code before}), accepting one connection. */
    static SimProcess server(Bench bench, int port, SocketBody before, SocketBody body) {
        return bench.spawn(bench.b(), "server", ctx -> {
            TcpSocket l = ctx.host().sockets().tcp();
            before.run(ctx, l);
            l.bind(Ipv4SocketAddress.of("10.0.0.2", port));
            l.listen(8);
            TcpSocket s = l.accept();
            l.close();
            body.run(ctx, s);
        });
    }

    static SimProcess server(Bench bench, int port, SocketBody body) {
        return server(bench, port, NOTHING, body);
    }

    /** On {@code a}: a socket (options set by {@code before}) connected to {@code b}'s {@code port}. */
    static SimProcess client(Bench bench, int port, SocketBody before, SocketBody body) {
        return bench.spawn(bench.a(), "client", ctx -> {
            TcpSocket s = ctx.host().sockets().tcp();
            before.run(ctx, s);
            s.connect(Ipv4SocketAddress.of("10.0.0.2", port));
            body.run(ctx, s);
        });
    }

    static SimProcess client(Bench bench, int port, SocketBody body) {
        return client(bench, port, NOTHING, body);
    }

    /** Reads until end of stream; returns the bytes read. */
    static long drain(TcpSocket s, int bufferBytes) throws ErrnoException {
        byte[] buf = new byte[bufferBytes];
        long total = 0;
        int n;
        while ((n = s.read(buf, 0, buf.length)) > 0) {
            total += n;
        }
        return total;
    }

    /** Writes all of {@code n} bytes (a pattern), as one write call. */
    static int write(TcpSocket s, int n) throws ErrnoException {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) i;
        }
        return s.write(data, 0, n);
    }
}
