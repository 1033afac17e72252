package netstack4j.scenario;

import java.io.ByteArrayOutputStream;
import java.net.StandardSocketOptions;
import java.util.Arrays;
import java.util.Random;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimProcess;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceSink;

/**
 * Traffic in both directions at once: the client writes a message in chunks of at most 4 KiB and
 * reads back what the server echoes between writes; the server echoes everything. Two hosts on
 * one cable with the same faults each way.
 */
final class TcpEcho {
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 7);

    /**
     * {@code failure} is the errno text of the first failed call, or null; {@code buffersInUse}
     * and {@code memoryBytes} are what the stacks still hold once every socket is closed and
     * every timer (TIME-WAIT included) has run: both must be 0.
     */
    record Result(boolean completed, boolean intact, int echoed, long simNs, String failure, long buffersInUse,
                  long memoryBytes) {
    }

    private TcpEcho() {
    }

    /**
     * Connects as an application would: when every ARP request is lost, connect fails with
     * EHOSTUNREACH after 3 s, as on Linux, and the application tries again.
     */
    static TcpSocket connect(NetStack host, int sndbuf) throws ErrnoException {
        for (int attempt = 1; ; attempt++) {
            TcpSocket c = host.sockets().tcp();
            c.setOption(StandardSocketOptions.SO_SNDBUF, sndbuf);
            try {
                c.connect(SERVER);
                return c;
            } catch (ErrnoException e) {
                c.close();
                if (e.errno() != Errno.EHOSTUNREACH || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static Result run(long seed, LinkParams params, int bytes, int sndbuf, long limitNs, TraceSink trace) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        String[] failure = new String[1];
        try (Simulator sim = new Simulator(seed)) {
            sim.setTrace(trace);
            var t = Topologies.hostPair(sim, params, Topologies.DeviceDecorator.NONE);
            SimProcess server = sim.spawn(t.b(), "server", ctx -> {
                try (TcpListener l = ctx.host().sockets().listen(SERVER, 8)) {
                    TcpSocket s = l.accept();
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = s.read(buf, 0, buf.length)) > 0) {
                        s.write(buf, 0, n);
                    }
                    s.close();
                } catch (ErrnoException e) {
                    failure[0] = "server: " + e.getMessage();
                }
            });
            SimProcess client = sim.spawn(t.a(), "client", ctx -> {
                try (TcpSocket c = connect(ctx.host(), sndbuf)) {
                    byte[] buf = new byte[16384];
                    int sent = 0;
                    while (back.size() < bytes) {
                        if (sent < bytes) {
                            int n = Math.min(4096, bytes - sent);
                            c.write(data, sent, n);
                            sent += n;
                        }
                        int n = c.read(buf, 0, buf.length);
                        if (n <= 0) {
                            break;
                        }
                        back.write(buf, 0, n);
                    }
                } catch (ErrnoException e) {
                    failure[0] = "client: " + e.getMessage();
                }
            });
            boolean done = sim.runUntil(() -> server.isDone() && client.isDone(), limitNs);
            for (SimProcess p : new SimProcess[] {server, client}) {
                if (p.failure() != null) {
                    throw new AssertionError(p + " failed", p.failure());
                }
            }
            byte[] got = back.toByteArray();
            boolean intact = Arrays.equals(data, 0, got.length, got, 0, got.length);
            long endNs = sim.nowNs();
            sim.runFor(130 * 1_000_000_000L); // TIME-WAIT, FIN-WAIT-2 and ARP timers run out
            return new Result(done && got.length == bytes && failure[0] == null, intact, got.length,
                    endNs, failure[0], sim.bufferPool().inUse(), t.a().tcp().memoryBytes() + t.b().tcp().memoryBytes());
        }
    }
}
