package netstack4j.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import netstack4j.sim.Simulator;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * P3 and P6 on loopback, the same programs on two stacks: netstack4j (one simulated host talking
 * to itself over its {@code lo}, MTU 65536, run as fast as the simulator's thread goes) and the
 * JDK's sockets over Linux's loopback (a server thread and a client thread).
 * <ul>
 *   <li>{@code connect}: the client connects, sends 1 byte and closes; the server accepts, reads
 *   to end of stream and closes. Figure: connections per second.</li>
 *   <li>{@code pingpong}: one connection, TCP_NODELAY; the client sends 1 byte and waits for the
 *   server's 1-byte answer. Figure: microseconds per round trip.</li>
 * </ul>
 * Each runs a warm-up of a third of the time first. On the stack the connecting client sleeps
 * 2.5 ms of virtual time after each connection, so that its TIME-WAIT ports expire before the
 * ephemeral range runs out (see the loop); virtual time costs no wall time.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar netstack4j.bench.LoopbackRates connect|pingpong stack|jdk [SECONDS]}
 */
public final class LoopbackRates {
    private static final int PORT = 7001;

    private LoopbackRates() {
    }

    /** What a client loop reports: operations done in how many wall nanoseconds. */
    private record Count(long operations, long wallNs) {
    }

    /** The client side of one measure, over either stack's sockets. */
    private interface Client {
        /** Runs operations until the wall clock passes {@code endNs}; returns how many were done. */
        long runUntil(long endNs) throws Exception;
    }

    public static void main(String[] args) {
        Bench.main("LoopbackRates", args, a -> {
            if (a.length < 2 || !(a[0].equals("connect") || a[0].equals("pingpong"))
                    || !(a[1].equals("stack") || a[1].equals("jdk"))) {
                throw new NumberFormatException("usage: connect|pingpong stack|jdk [SECONDS]");
            }
            boolean connect = a[0].equals("connect");
            double seconds = Bench.doubleArg(a, 2, 3);
            Count c = a[1].equals("stack") ? onStack(connect, seconds) : onJdk(connect, seconds);
            return connect
                    ? String.format("%.0f connections/s (%d in %.1f s)", c.operations() / (c.wallNs() / 1e9), c.operations(), c.wallNs() / 1e9)
                    : String.format("%.2f us per round trip (%d in %.1f s)", c.wallNs() / 1e3 / c.operations(), c.operations(), c.wallNs() / 1e9);
        });
    }

    /** Warm-up for a third of the time, then the measured run. */
    private static Count measure(Client client, double seconds) throws Exception {
        client.runUntil(System.nanoTime() + (long) (seconds / 3 * 1e9));
        long t0 = System.nanoTime();
        long n = client.runUntil(t0 + (long) (seconds * 1e9));
        return new Count(n, System.nanoTime() - t0);
    }

    private static Count onStack(boolean connect, double seconds) throws Exception {
        Ipv4SocketAddress at = new Ipv4SocketAddress(Ipv4Address.LOOPBACK, PORT);
        try (Simulator sim = new Simulator(3)) {
            NetStack h = sim.newHost("h");
            Count[] result = {null};
            sim.spawn(h, "server", ctx -> {
                TcpListener l = h.sockets().listen(at, 1024);
                byte[] b = new byte[16];
                while (true) {
                    TcpSocket s = l.accept();
                    if (!connect) {
                        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        while (s.read(b, 0, 1) == 1) {
                            s.write(b, 0, 1);
                        }
                    } else {
                        while (s.read(b, 0, b.length) > 0) {
                            // to end of stream
                        }
                    }
                    s.close();
                }
            });
            sim.spawn(h, "client", ctx -> {
                byte[] b = {1};
                Client client;
                if (connect) {
                    client = end -> {
                        long n = 0;
                        for (; System.nanoTime() - end < 0; n++) {
                            TcpSocket s = h.sockets().tcp();
                            s.connect(at);
                            s.write(b, 0, 1);
                            s.close();
                            // The client closes first and holds TIME-WAIT for 60 s; Linux's
                            // tcp_tw_reuse (2: loopback) lets connect() take such a port again,
                            // this stack does not, so virtual time moves on instead: 2.5 ms a
                            // connection cycles the 28,232 ephemeral ports in 70 s. No wall time.
                            ctx.sleep(2_500_000L);
                        }
                        return n;
                    };
                } else {
                    TcpSocket s = h.sockets().tcp();
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    s.connect(at);
                    client = end -> {
                        long n = 0;
                        for (; System.nanoTime() - end < 0; n++) {
                            s.write(b, 0, 1);
                            if (s.read(b, 0, 1) != 1) {
                                throw new IllegalStateException("server closed");
                            }
                        }
                        return n;
                    };
                }
                result[0] = measure(client, seconds);
            });
            sim.runUntil(() -> result[0] != null, sim.nowNs() + 1_000_000_000_000_000L);
            if (result[0] == null) {
                throw new IllegalStateException("the client did not finish; processes: " + sim.processes());
            }
            return result[0];
        }
    }

    private static Count onJdk(boolean connect, double seconds) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1024, lo)) {
            Thread t = Thread.ofPlatform().daemon(true).start(() -> {
                byte[] b = new byte[16];
                try {
                    while (true) {
                        try (Socket s = server.accept()) {
                            InputStream in = s.getInputStream();
                            if (!connect) {
                                s.setTcpNoDelay(true);
                                OutputStream out = s.getOutputStream();
                                while (in.read(b, 0, 1) == 1) {
                                    out.write(b, 0, 1);
                                }
                            } else {
                                while (in.read(b) > 0) {
                                    // to end of stream
                                }
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // the server socket closed: done
                }
            });
            InetSocketAddress to = new InetSocketAddress(lo, server.getLocalPort());
            byte[] b = {1};
            Client client;
            Socket pp = null;
            if (connect) {
                client = end -> {
                    long n = 0;
                    for (; System.nanoTime() - end < 0; n++) {
                        try (Socket s = new Socket()) {
                            s.connect(to);
                            s.getOutputStream().write(b, 0, 1);
                        }
                    }
                    return n;
                };
            } else {
                Socket s = new Socket();
                pp = s;
                s.setTcpNoDelay(true);
                s.connect(to);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                client = end -> {
                    long n = 0;
                    for (; System.nanoTime() - end < 0; n++) {
                        out.write(b, 0, 1);
                        if (in.read(b, 0, 1) != 1) {
                            throw new IllegalStateException("server closed");
                        }
                    }
                    return n;
                };
            }
            try {
                return measure(client, seconds);
            } finally {
                if (pp != null) {
                    pp.close();
                }
                t.interrupt();
            }
        }
    }
}
