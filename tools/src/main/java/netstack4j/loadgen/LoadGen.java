package netstack4j.loadgen;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import netstack4j.sim.LinkParams;
import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimSwitch;
import netstack4j.sim.Simulator;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.stack.StackConfig;
import netstack4j.wire.Ipv4Address;

/**
 * Many dummy clients on host {@code client} against a server on host {@code server}
 * (10.0.0.2:80), both on one simulated switch: each client, with its own socket (and, with
 * several addresses, its own source address), connects, writes {@code bytes}, reads as many
 * back, and the side chosen closes first, with FIN (close) or with RST (SO_LINGER 0), again and
 * again until the run ends. The client host has one interface per address (10.0.0.10, .11, …),
 * each with its own cable to the switch.
 *
 * <p>Threading: {@link #run} runs the whole simulation on the caller's thread.
 */
public final class LoadGen {
    public static final long S = 1_000_000_000L;
    public static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.0.2", 80);

    /** Who closes a connection first, and how. */
    public enum Close { FIN, RST }

    public enum Closer { CLIENT, SERVER }

    /**
     * @param clients     dummy clients running at once
     * @param ratePerSec  new connections per second over all clients (0: each reconnects at once)
     * @param durationNs  simulated time during which connections start
     * @param bytes       bytes each side sends per connection
     * @param addresses   source addresses on the client host (one interface each)
     * @param portLow     the client host's ip_local_port_range
     */
    public record Config(int clients, double ratePerSec, long durationNs, int bytes, Close close, Closer closer,
                         int addresses, int portLow, int portHigh, long seed) {
        public Config {
            if (clients < 1 || addresses < 1 || addresses > 200 || bytes < 0 || ratePerSec < 0 || durationNs <= 0
                    || portLow < 1 || portHigh > 65535 || portLow > portHigh) {
                throw new IllegalArgumentException("bad load: " + clients + " clients, " + addresses + " addresses");
            }
        }

        public static Config defaults() {
            return new Config(10, 100, 10 * S, 100, Close.FIN, Closer.CLIENT, 1, 32768, 60999, 1);
        }
    }

    /** The figures of a run, live (each simulated second) and at the end. */
    public static final class Stats {
        public long timeNs;
        public long attempts;
        public long established;
        public long completed;
        /** Failed connects by errno ({@code EADDRNOTAVAIL} when the local ports ran out). */
        public final Map<String, Long> connectFailures = new TreeMap<>();
        /** Connections that failed after connect (read or write errors), by errno. */
        public final Map<String, Long> exchangeFailures = new TreeMap<>();
        public int clientTimeWait;
        public int serverTimeWait;
        public int maxClientTimeWait;
        public int maxServerTimeWait;
        public int clientConnections;
        public int serverConnections;
        public final Map<String, long[]> counters = new TreeMap<>();
        /** Each sample: {time ns, client TIME-WAIT, server TIME-WAIT, completed, connect failures}. */
        public final List<long[]> samples = new ArrayList<>();

        public long failures() {
            return connectFailures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** {@code  3.0s  attempts 300  ok 296  failed 4 (EADDRNOTAVAIL 4)  TIME-WAIT client 296 server 0}. */
        public String line() {
            return String.format(Locale.ROOT, "%5.1fs  attempts %d  ok %d  connect failed %d%s  TIME-WAIT client %d server %d  open client %d server %d",
                    timeNs / 1e9, attempts, completed, failures(), connectFailures.isEmpty() ? "" : " " + connectFailures,
                    clientTimeWait, serverTimeWait, clientConnections, serverConnections);
        }
    }

    private static final Counter[] SHOWN = {Counter.TcpActiveOpens, Counter.TcpPassiveOpens, Counter.TcpAttemptFails,
        Counter.TcpEstabResets, Counter.TcpOutRsts, Counter.TcpRetransSegs};

    private final Config config;
    private final Stats stats = new Stats();
    private long sampleEveryNs = S;

    public LoadGen(Config config) {
        this.config = config;
    }

    /**
     * Runs the load: the connections start during {@code durationNs}, then the run goes on until
     * every client is done (at most 10 s more). {@code live} gets {@link Stats#line()} once per
     * simulated second.
     */
    /** Samples (and live lines) every {@code ns} of simulated time instead of every second. */
    public LoadGen sampleEvery(long ns) {
        if (ns <= 0) {
            throw new IllegalArgumentException("sample interval must be > 0");
        }
        sampleEveryNs = ns;
        return this;
    }

    public Stats run(Consumer<String> live) {
        return run(live, hosts -> { });
    }

    /** As {@link #run(Consumer)}; {@code atEnd} sees the client and server stacks before the simulation closes. */
    public Stats run(Consumer<String> live, Consumer<List<NetStack>> atEnd) {
        try (Simulator sim = new Simulator(config.seed())) {
            StackConfig clientConfig = StackConfig.linuxDefaults().withEphemeralPorts(config.portLow(), config.portHigh());
            NetStack client = sim.attach(sim.builderFor("client").config(clientConfig).build());
            NetStack server = sim.attach(sim.builderFor("server").config(StackConfig.linuxDefaults()).build());
            SimSwitch sw = sim.newSwitch("sw");
            LinkParams cable = LinkParams.of(1_000_000_000L, 100_000L);
            server.addInterface(sw.connect(server, cable).a(), SERVER.address(), 24);
            List<Ipv4Address> sources = new ArrayList<>();
            for (int i = 0; i < config.addresses(); i++) {
                Ipv4Address a = Ipv4Address.of(10, 0, 0, 10 + i);
                client.addInterface(sw.connect(client, cable).a(), a, 24);
                sources.add(a);
            }
            sim.spawn(server, "server", ctx -> serve(ctx));
            int[] done = {0};
            for (int i = 0; i < config.clients(); i++) {
                int me = i;
                sim.spawn(client, "client" + i, ctx -> {
                    clientLoop(ctx, me, config.addresses() > 1 ? sources.get(me % sources.size()) : null);
                    done[0]++;
                });
            }
            for (long t = sampleEveryNs; t <= config.durationNs() + 10 * S; t += sampleEveryNs) {
                long at = t;
                sim.schedule(at, () -> {
                    sample(client, server, at);
                    if (at <= config.durationNs() || done[0] < config.clients()) {
                        live.accept(stats.line());
                    }
                });
            }
            sim.runUntil(() -> done[0] == config.clients(), config.durationNs() + 10 * S);
            sim.runFor(S / 10); // the last closes reach the other side
            sample(client, server, sim.nowNs());
            for (Counter c : SHOWN) {
                stats.counters.put(c.name(), new long[] {client.counters().get(c), server.counters().get(c)});
            }
            atEnd.accept(List.of(client, server));
        }
        return stats;
    }

    private void sample(NetStack client, NetStack server, long nowNs) {
        stats.timeNs = nowNs;
        stats.clientTimeWait = client.tcp().timeWaitSockets().size();
        stats.serverTimeWait = server.tcp().timeWaitSockets().size();
        stats.maxClientTimeWait = Math.max(stats.maxClientTimeWait, stats.clientTimeWait);
        stats.maxServerTimeWait = Math.max(stats.maxServerTimeWait, stats.serverTimeWait);
        stats.clientConnections = open(client);
        stats.serverConnections = open(server);
        stats.samples.add(new long[] {nowNs, stats.clientTimeWait, stats.serverTimeWait, stats.completed, stats.failures()});
    }

    /** Connections that are not listeners (nor in TIME_WAIT, which is kept apart). */
    private static int open(NetStack host) {
        return (int) host.tcp().connections().stream().filter(c -> c.state() != netstack4j.tcp.TcpState.LISTEN).count();
    }

    private void serve(ProcessContext ctx) throws Exception {
        TcpListener l = ctx.host().sockets().listen(SERVER, 4096);
        while (true) {
            TcpSocket s = l.accept();
            ctx.spawn("conn", c -> {
                try {
                    byte[] buf = new byte[Math.max(1, config.bytes())];
                    if (!readFully(s, buf, config.bytes())) {
                        return;
                    }
                    s.write(buf, 0, config.bytes());
                    if (config.closer() == Closer.SERVER) {
                        closeFirst(s);
                        return;
                    }
                    while (s.read(buf, 0, buf.length) > 0) {
                        // the client sends nothing more: wait for its FIN or RST
                    }
                } catch (ErrnoException e) {
                    // the client reset the connection
                } finally {
                    s.close();
                }
            });
        }
    }

    private void closeFirst(TcpSocket s) throws ErrnoException {
        if (config.close() == Close.RST) {
            s.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        s.close();
    }

    private void clientLoop(ProcessContext ctx, int me, Ipv4Address source) throws InterruptedException {
        byte[] buf = new byte[Math.max(1, config.bytes())];
        for (long k = me; ; k += config.clients()) {
            if (config.ratePerSec() > 0) {
                long startNs = (long) (k * (S / config.ratePerSec()));
                if (startNs >= config.durationNs()) {
                    return;
                }
                ctx.sleepUntil(Math.max(startNs, ctx.nowNs()));
            } else if (ctx.nowNs() >= config.durationNs()) {
                return;
            }
            stats.attempts++;
            TcpSocket s = ctx.host().sockets().tcp();
            try {
                if (source != null) {
                    s.bind(new Ipv4SocketAddress(source, 0));
                }
                s.connect(SERVER);
            } catch (ErrnoException e) {
                stats.connectFailures.merge(e.errno().name(), 1L, Long::sum);
                s.close();
                if (config.ratePerSec() == 0) {
                    ctx.sleep(S / 100); // no busy loop while the ports are all taken
                }
                continue;
            }
            stats.established++;
            try {
                s.write(buf, 0, config.bytes());
                if (!readFully(s, buf, config.bytes())) {
                    stats.exchangeFailures.merge("end of stream", 1L, Long::sum);
                } else if (config.closer() == Closer.CLIENT) {
                    closeFirst(s);
                    stats.completed++;
                } else {
                    while (s.read(buf, 0, buf.length) > 0) {
                        // wait for the server's FIN (or RST)
                    }
                    stats.completed++;
                }
            } catch (ErrnoException e) {
                if (config.closer() == Closer.SERVER && config.close() == Close.RST) {
                    stats.completed++; // the server's RST is how this connection ends
                } else {
                    stats.exchangeFailures.merge(e.errno().name(), 1L, Long::sum);
                }
            } finally {
                s.close();
            }
        }
    }

    private static boolean readFully(TcpSocket s, byte[] buf, int n) throws ErrnoException {
        int got = 0;
        while (got < n) {
            int r = s.read(buf, got, n - got);
            if (r <= 0) {
                return false;
            }
            got += r;
        }
        return true;
    }
}
