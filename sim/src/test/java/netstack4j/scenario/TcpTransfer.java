package netstack4j.scenario;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimProcess;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.trace.TraceSink;

/** A bulk transfer client → server over client–router–server, for the scenario tests. */
final class TcpTransfer {
    static final long MS = 1_000_000L;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.2.2", 5001);

    record Result(boolean completed, String sha256Sent, String sha256Received, int bytesReceived, long simNs,
                  long retransSegs, String traceHash) {
    }

    private TcpTransfer() {
    }

    static Result run(long seed, LinkParams params, int bytes, long limitNs) {
        return run(seed, params, bytes, limitNs, TraceSink.NONE, t -> { });
    }

    static Result run(long seed, LinkParams params, int bytes, long limitNs, TraceSink trace,
                      Consumer<Topologies.ClientRouterServer> setup) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Simulator sim = new Simulator(seed)) {
            sim.setTrace(trace);
            var t = Topologies.clientRouterServer(sim, params);
            // Faults on one of the two links only, so the end-to-end loss per direction is the rate given.
            t.clientLink().setParams(params.toBuilder().lossRate(0).reorderRate(0).duplicateRate(0).build());
            setup.accept(t);
            SimProcess server = sim.spawn(t.server(), "server", ctx -> {
                try (TcpListener l = ctx.host().sockets().listen(SERVER, 8)) {
                    TcpSocket s = l.accept();
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = s.read(buf, 0, buf.length)) > 0) {
                        got.write(buf, 0, n);
                    }
                    s.close();
                }
            });
            SimProcess client = sim.spawn(t.client(), "client", ctx -> {
                // Under heavy loss every ARP request may be lost: connect then fails with
                // EHOSTUNREACH after 3 s, as on Linux. Like an application, try again.
                TcpSocket c = ctx.host().sockets().tcp();
                for (int attempt = 1; ; attempt++) {
                    try {
                        c.connect(SERVER);
                        break;
                    } catch (netstack4j.socket.ErrnoException e) {
                        if (e.errno() != netstack4j.socket.Errno.EHOSTUNREACH || attempt == 5) {
                            throw e;
                        }
                        c.close();
                        c = ctx.host().sockets().tcp();
                    }
                }
                c.write(data, 0, data.length);
                c.close();
            });
            boolean done = sim.runUntil(() -> server.isDone() && client.isDone(), limitNs);
            if (server.failure() != null) {
                throw new AssertionError("server failed", server.failure());
            }
            if (client.failure() != null) {
                throw new AssertionError("client failed", client.failure());
            }
            String traceHash = trace instanceof netstack4j.trace.MemoryTraceSink m ? m.hash() : "";
            return new Result(done, sha256(data), sha256(got.toByteArray()), got.size(), sim.nowNs(),
                    t.client().counters().get(Counter.TcpRetransSegs), traceHash);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
