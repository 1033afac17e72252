package netstack4j.torture;

import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import netstack4j.sim.ProcessBody;
import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimProcess;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpState;
import netstack4j.wire.Ipv4Address;

/**
 * The applications of a run, written as a careful C program would be: every call's error is
 * caught and recorded on its {@link Endpoint} (with SO_ERROR after an ENOTCONN), the socket is then
 * closed, and nothing else is assumed. Clients retry a connect that failed with ETIMEDOUT or
 * EHOSTUNREACH (twice). Every socket has keepalive, or (when the plan turns it off) a read
 * timeout, so that no read waits forever for a peer that is gone, as on Linux.
 *
 * <p>Only socket errors are caught: anything else a socket call throws escapes the process and
 * is reported as an exception that escaped the stack.
 *
 * <p>Threading: each body runs as a simulated process of the run's simulator.
 */
final class Apps {
    private static final int CONNECT_ATTEMPTS = 3;
    private static final int BACKLOG = 128;

    private final RunState run;

    Apps(RunState run) {
        this.run = run;
    }

    /** Spawns the servers' acceptors and the client lanes. */
    void start() {
        for (NetStack s : run.net.servers) {
            spawn(s, "acceptor " + s.name(), ctx -> acceptor(ctx, s));
        }
        List<List<Plan.ConnPlan>> lanes = run.plan.lanes();
        for (int l = 0; l < lanes.size(); l++) {
            List<Plan.ConnPlan> lane = lanes.get(l);
            NetStack host = run.net.clients.get(lane.get(0).client());
            spawn(host, "lane " + l, ctx -> {
                for (Plan.ConnPlan c : lane) {
                    ctx.sleepUntil(c.startNs());
                    client(ctx, c, host);
                }
                run.lanesLeft--;
            });
        }
    }

    private SimProcess spawn(NetStack host, String name, ProcessBody body) {
        run.liveProcesses++;
        return run.sim.spawn(host, name, ctx -> {
            try {
                body.run(ctx);
            } finally {
                run.liveProcesses--;
            }
        });
    }

    // ---------------------------------------------------------------- clients

    private void client(ProcessContext ctx, Plan.ConnPlan c, NetStack host) throws InterruptedException {
        int port = c.mode() == Plan.Mode.REFUSED ? RunState.CLOSED_PORT : RunState.SERVER_PORT;
        Ipv4SocketAddress server = new Ipv4SocketAddress(TortureNet.serverAddress(c.server()), port);
        for (int attempt = 1; ; attempt++) {
            Endpoint e = endpoint(c, true, host, "#" + c.id() + (attempt > 1 ? "." + attempt : "") + " " + c.mode() + " client");
            TcpSocket s = host.sockets().tcp();
            e.attach(s);
            if (!configure(e, c)) {
                close(e);
                opened();
                return;
            }
            e.connectStartNs = ctx.nowNs();
            try {
                s.connect(server);
            } catch (ErrnoException x) {
                fail(e, "connect", x);
                s.close();
                e.closedNs = ctx.nowNs();
                Errno err = x.errno();
                if (c.mode() != Plan.Mode.REFUSED && attempt < CONNECT_ATTEMPTS && (err == Errno.ETIMEDOUT || err == Errno.EHOSTUNREACH)) {
                    continue;
                }
                opened();
                return;
            }
            e.connectedNs = ctx.nowNs();
            e.name += " " + s.localAddress() + ">" + server;
            run.byTuple.put(RunState.tuple(s.localAddress(), server), e);
            opened();
            while (run.opening > 0) {
                run.opened.await(netstack4j.time.TimerQueue.NEVER);
            }
            clientBody(ctx, e, c);
            return;
        }
    }

    private void clientBody(ProcessContext ctx, Endpoint e, Plan.ConnPlan c) throws InterruptedException {
        StreamBytes out = new StreamBytes(StreamBytes.seedOf(run.scenario.seed(), c.id(), true));
        StreamBytes in = new StreamBytes(StreamBytes.seedOf(run.scenario.seed(), c.id(), false));
        switch (c.mode()) {
            case STREAM -> {
                if (writeAll(e, out, c.up()) && shutdown(e) && read(ctx, e, in, c.down(), true, Plan.Pace.FAST)) {
                    finish(e);
                } else {
                    close(e);
                }
            }
            case DUPLEX -> duplex(ctx, e, in, out, c.up(), c.down());
            case RPC -> {
                long got = 0;
                for (int i = 0; i < c.requests().length; i++) {
                    got += c.responses()[i];
                    if (!writeAll(e, out, c.requests()[i]) || !read(ctx, e, in, got, false, Plan.Pace.FAST)) {
                        close(e);
                        return;
                    }
                }
                if (shutdown(e) && read(ctx, e, in, got, true, Plan.Pace.FAST)) {
                    finish(e);
                } else {
                    close(e);
                }
            }
            case ABORT -> {
                if (writeAll(e, out, c.up())) {
                    abort(e);
                } else {
                    close(e);
                }
            }
            case SERVER_ABORT -> {
                if (writeAll(e, out, c.up())) {
                    read(ctx, e, in, 0, true, Plan.Pace.FAST); // the server resets: ECONNRESET expected
                }
                close(e);
            }
            case REFUSED -> {
                e.connectedToClosedPort = true;
                close(e);
            }
        }
    }

    /** One more connection of a {@link Plan#barrier()} plan is open or has given up opening. */
    private void opened() {
        if (run.opening > 0 && --run.opening == 0) {
            run.opened.wakeAll();
        }
    }

    // ---------------------------------------------------------------- servers

    private void acceptor(ProcessContext ctx, NetStack host) throws InterruptedException {
        TcpListener l;
        try {
            l = host.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, RunState.SERVER_PORT), BACKLOG);
            if (run.plan.listenRcvBuf() > 0) {
                l.socket().setOption(StandardSocketOptions.SO_RCVBUF, run.plan.listenRcvBuf());
            }
        } catch (ErrnoException x) {
            run.violation(Violation.Kind.ERRNO, host.name() + ": listen failed: " + x.getMessage());
            return;
        }
        l.setAcceptTimeout(Duration.ofSeconds(1));
        while (true) {
            TcpSocket s;
            try {
                s = l.accept();
            } catch (ErrnoException x) {
                if (x.errno() == Errno.EAGAIN) {
                    if (run.lanesLeft == 0) {
                        break;
                    }
                    continue;
                }
                run.violation(Violation.Kind.ERRNO, host.name() + ": accept failed: " + x.getMessage());
                break;
            }
            Ipv4SocketAddress remote = s.remoteAddress();
            Ipv4SocketAddress local = s.localAddress();
            Endpoint ce = run.byTuple.get(RunState.tuple(remote, local));
            if (ce == null) {
                run.violation(Violation.Kind.ERRNO, host.name() + ": accepted " + remote + ">" + local
                        + ", a connection whose client never saw connect succeed");
                s.close();
                continue;
            }
            Endpoint se = endpoint(ce.plan, false, host, "#" + ce.plan.id() + " " + ce.plan.mode() + " server " + remote + ">" + local);
            se.attach(s);
            se.peer = ce;
            ce.peer = se;
            spawn(host, "server #" + ce.plan.id(), c -> serve(c, se));
        }
        l.close();
    }

    private void serve(ProcessContext ctx, Endpoint e) throws InterruptedException {
        Plan.ConnPlan c = e.plan;
        if (!configure(e, c)) {
            close(e);
            return;
        }
        StreamBytes in = new StreamBytes(StreamBytes.seedOf(run.scenario.seed(), c.id(), true));
        StreamBytes out = new StreamBytes(StreamBytes.seedOf(run.scenario.seed(), c.id(), false));
        switch (c.mode()) {
            case STREAM -> {
                if (read(ctx, e, in, c.up(), true, c.serverPace()) && writeAll(e, out, c.down())) {
                    finish(e);
                } else {
                    close(e);
                }
            }
            case DUPLEX -> duplex(ctx, e, in, out, c.down(), c.up());
            case RPC -> {
                long got = 0;
                for (int i = 0; i < c.requests().length; i++) {
                    got += c.requests()[i];
                    if (!read(ctx, e, in, got, false, c.serverPace()) || !writeAll(e, out, c.responses()[i])) {
                        close(e);
                        return;
                    }
                }
                if (read(ctx, e, in, got, true, c.serverPace())) {
                    finish(e);
                } else {
                    close(e);
                }
            }
            case ABORT -> {
                read(ctx, e, in, c.up(), true, c.serverPace()); // the client resets: ECONNRESET expected
                close(e);
            }
            case SERVER_ABORT -> {
                if (read(ctx, e, in, c.up(), false, c.serverPace())) {
                    abort(e);
                } else {
                    close(e);
                }
            }
            case REFUSED -> close(e);
        }
    }

    // ---------------------------------------------------------------- both sides

    /** Sends {@code send} bytes (then half-closes) while a second process reads {@code receive} bytes and the end of stream. */
    private void duplex(ProcessContext ctx, Endpoint e, StreamBytes in, StreamBytes out, long send, long receive)
            throws InterruptedException {
        boolean[] readOk = new boolean[1];
        SimProcess reader = spawn(e.host, e.name + " reader", c -> readOk[0] = read(c, e, in, receive, true, Plan.Pace.FAST));
        boolean wrote = writeAll(e, out, send) && shutdown(e);
        reader.awaitDone();
        if (wrote && readOk[0]) {
            finish(e);
        } else {
            close(e);
        }
    }

    private Endpoint endpoint(Plan.ConnPlan c, boolean client, NetStack host, String name) {
        Endpoint e = new Endpoint(name, c, client, host);
        run.endpoints.add(e);
        return e;
    }

    private boolean configure(Endpoint e, Plan.ConnPlan c) {
        TcpSocket s = e.socket;
        Plan.Keepalive k = run.plan.keepalive();
        try {
            if (k.on()) {
                s.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                s.setOption(NetSocketOptions.TCP_KEEPIDLE, k.idleSeconds());
                s.setOption(NetSocketOptions.TCP_KEEPINTVL, k.intervalSeconds());
                s.setOption(NetSocketOptions.TCP_KEEPCNT, k.count());
            } else {
                s.setReadTimeout(Duration.ofNanos(RunState.READ_TIMEOUT_NS));
            }
            if (c.noDelay()) {
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (c.sndBuf() > 0) {
                s.setOption(StandardSocketOptions.SO_SNDBUF, c.sndBuf());
            }
            return true;
        } catch (ErrnoException x) {
            fail(e, "setsockopt", x);
            return false;
        }
    }

    /** Writes the next {@code n} bytes of {@code out}; false (recorded) on error. */
    private boolean writeAll(Endpoint e, StreamBytes out, long n) {
        byte[] buf = new byte[(int) Math.max(1, Math.min(n, 16 * 1024))];
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(left, buf.length);
            out.fill(buf, 0, k);
            int off = 0;
            while (off < k) {
                try {
                    off += e.socket.write(buf, off, k - off);
                } catch (ErrnoException x) {
                    fail(e, "write", x);
                    return false;
                }
            }
            e.written += k;
            left -= k;
        }
        return true;
    }

    /**
     * Reads and checks bytes until {@code target} in all have arrived; with {@code toEof}, then
     * also the end of stream (more bytes are a violation). False (recorded) on an error, an early
     * end of stream or a content violation.
     */
    private boolean read(ProcessContext ctx, Endpoint e, StreamBytes in, long target, boolean toEof, Plan.Pace pace)
            throws InterruptedException {
        byte[] buf = new byte[pace.maxChunk()];
        SplittableRandom r = new SplittableRandom(RunSeeds.mix(run.scenario.seed() + e.name.hashCode()));
        while (toEof || e.verified < target) {
            int want = pace.maxChunk() == pace.minChunk() ? buf.length : pace.minChunk() + r.nextInt(pace.maxChunk() - pace.minChunk() + 1);
            if (!toEof) {
                want = (int) Math.min(want, target - e.verified);
            }
            int n;
            try {
                n = e.socket.read(buf, 0, want);
            } catch (ErrnoException x) {
                if (x.errno() == Errno.EAGAIN && e.socket.sendQueueBytes() > 0) {
                    continue; // SO_RCVTIMEO, but our own data is still on its way: the retransmission timer watches the peer
                }
                fail(e, "read", x);
                return false;
            }
            if (n == 0) {
                e.eofNs = ctx.nowNs();
                if (e.verified < target) {
                    e.earlyEof = "end of stream after " + e.verified + " of " + target + " bytes";
                    return false;
                }
                return true;
            }
            int expected = (int) Math.min(n, target - e.verified);
            int bad = in.check(buf, 0, expected);
            if (bad >= 0 && run.scenario.faults().kinds().contains(Fault.CORRUPT) && in.checksumBlind(buf, 0, expected)) {
                run.checksumBlind++; // corruption no checksum can catch: delivered, as on Linux
                bad = -1;
            }
            if (bad >= 0) {
                e.integrity = "byte " + (e.verified + bad) + " of the stream differs from what the peer sent";
                e.integrityNs = ctx.nowNs();
                return false;
            }
            e.verified += expected;
            if (n > expected) {
                e.integrity = (n - expected) + " bytes more than the peer sent (" + target + ")";
                e.integrityNs = ctx.nowNs();
                return false;
            }
            if (pace.pauseChance() > 0 && r.nextDouble() < pace.pauseChance()) {
                ctx.sleep(r.nextLong(pace.pauseNs()));
            }
        }
        return true;
    }

    private boolean shutdown(Endpoint e) {
        try {
            e.socket.shutdown(Shutdown.WRITE);
            e.finNs = run.sim.nowNs();
            return true;
        } catch (ErrnoException x) {
            fail(e, "shutdown", x);
            return false;
        }
    }

    private void fail(Endpoint e, String op, ErrnoException x) {
        Errno so = x.errno() == Errno.ENOTCONN ? e.socket.takeError() : null;
        long now = run.sim.nowNs();
        if (e.diedAfterNs < 0 && e.conn.state() == TcpState.CLOSED) {
            // The connection may have ended before this call saw it: at the latest after the last sample.
            e.diedAfterNs = Math.max(e.lastAliveNs, e.connectStartNs);
            e.diedByNs = now;
        }
        e.fail(op, x.errno(), so, now);
    }

    /** The end's part is done: close (a FIN if not sent yet). */
    private void finish(Endpoint e) {
        close(e);
        e.doneNs = run.sim.nowNs();
    }

    private void close(Endpoint e) {
        e.orphaned = e.socket.state() != TcpState.CLOSED;
        if (e.finNs < 0 && e.orphaned) {
            e.finNs = run.sim.nowNs();
        }
        e.socket.close();
        e.closedNs = run.sim.nowNs();
    }

    /** close() with SO_LINGER 0: a reset (tcp_disconnect). */
    private void abort(Endpoint e) {
        try {
            e.socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (ErrnoException x) {
            fail(e, "setsockopt SO_LINGER", x);
        }
        e.abortedNs = run.sim.nowNs();
        e.socket.close();
        e.closedNs = e.abortedNs;
        e.doneNs = e.abortedNs;
    }
}
