package netstack4j.nio;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.DeterministicThreads;
import netstack4j.sim.Partition;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.stack.Counter;
import netstack4j.trace.MemoryTraceSink;

/**
 * The programs {@code DeterministicAgentTest} runs in child JVMs under the agent's deterministic
 * mode: {@code http SEED} is {@link HttpOverSimulationTest}'s exchange (unmodified
 * {@code HttpClient} and {@code HttpServer}, 1 MB each way, 5 % loss, 20 ms), {@code netty SEED}
 * is {@link NettyEchoTest}'s (Netty's event loops, loss, a partition that heals), both run by
 * {@link DeterministicThreads} instead of a pacer. Prints one line,
 * {@code ok trace=HASH events=N packets=N virtualMs=N ...}, and exits 0; anything else is a
 * failure (exit 1).
 */
final class DeterministicScenarios {
    private DeterministicScenarios() {
    }

    public static void main(String[] args) throws Exception {
        try {
            String line = run(args[0], Long.parseLong(args[1]));
            System.out.println("ok " + line);
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static String run(String scenario, long seed) throws Exception {
        MemoryTraceSink trace = new MemoryTraceSink(0);
        PacketCount packets = new PacketCount();
        // -Dtrace.out=FILE writes the trace, to compare two runs line by line.
        String out = System.getProperty("trace.out");
        java.io.PrintWriter lines = out == null ? null : new java.io.PrintWriter(out, java.nio.charset.StandardCharsets.UTF_8);
        try (Simulator sim = new Simulator(seed)) {
            DeterministicThreads threads = new DeterministicThreads(sim);
            sim.setTrace(new netstack4j.trace.TraceSink() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public void accept(netstack4j.trace.TraceEvent event) {
                    trace.accept(event);
                    if (lines != null) {
                        lines.println(event.format());
                    }
                    packets.see(event);
                }
            });
            var net = Topologies.clientRouterServer(sim, scenario.equals("http") ? HttpOverSimulationTest.LOSSY : NettyEchoTest.LOSSY);
            String outcome = threads.run(() -> switch (scenario) {
                case "http" -> http(net);
                case "netty" -> netty(sim, net);
                case "clocks" -> demo.JdkClocks.run(sim);
                default -> throw new IllegalArgumentException(scenario);
            });
            if (lines != null) {
                lines.close();
            }
            return "trace=" + trace.hash() + " events=" + trace.count() + " packets=" + packets.count
                    + " virtualMs=" + sim.nowNs() / 1_000_000 + " " + outcome + " switches=" + threads.tasksRun()
                    + " instants=" + threads.instantsFired() + " monitorHandOffs=" + threads.monitorHandOffs();
        }
    }

    /** Counts the frames hosts send (the packet trace's length). */
    private static final class PacketCount {
        long count;

        void see(netstack4j.trace.TraceEvent e) {
            if (e.kind() == netstack4j.trace.TraceEvent.Kind.PACKET_OUT) {
                count++;
            }
        }
    }

    private static String http(Topologies.ClientRouterServer net) throws Exception {
        byte[] download = HttpOverSimulationTest.randomBytes(11, HttpOverSimulationTest.BODY);
        byte[] upload = HttpOverSimulationTest.randomBytes(12, HttpOverSimulationTest.BODY);
        HttpServer server;
        try (var here = NetScope.enter(net.server())) {
            server = HttpServer.create(new InetSocketAddress(8080), 0);
            server.createContext("/blob", exchange -> {
                exchange.sendResponseHeaders(200, download.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(download);
                }
            });
            server.createContext("/sha256", exchange -> {
                byte[] got;
                try (InputStream in = exchange.getRequestBody()) {
                    got = in.readAllBytes();
                }
                byte[] digest = HttpOverSimulationTest.sha256(got);
                exchange.sendResponseHeaders(200, digest.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(digest);
                }
            });
            server.start();
        }
        try (var here = NetScope.enter(net.client());
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://10.0.2.2:8080/blob")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            check(r.statusCode() == 200 && Arrays.equals(download, r.body()), "download not byte-exact");
            HttpResponse<byte[]> posted = client.send(HttpRequest.newBuilder(URI.create("http://10.0.2.2:8080/sha256"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            check(posted.statusCode() == 200 && Arrays.equals(HttpOverSimulationTest.sha256(upload), posted.body()),
                    "upload not byte-exact");
        } finally {
            server.stop(0);
        }
        long retransmitted = net.server().counters().get(Counter.TcpRetransSegs) + net.client().counters().get(Counter.TcpRetransSegs);
        check(retransmitted > 0, "5 % loss cost no retransmission");
        return "retransmitted=" + retransmitted;
    }

    private static String netty(Simulator sim, Topologies.ClientRouterServer net) throws Exception {
        byte[] data = HttpOverSimulationTest.randomBytes(5, NettyEchoTest.BYTES);
        NetSelectorProvider serverSide = NetSelectorProvider.of(net.server());
        NetSelectorProvider clientSide = NetSelectorProvider.of(net.client());
        EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(serverSide));
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(clientSide));
        long healAtNs;
        long doneAtNs;
        try {
            Channel server = new ServerBootstrap()
                    .group(serverLoop)
                    .channelFactory(() -> new NioServerSocketChannel(serverSide))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new NettyEchoTest.Echo());
                        }
                    })
                    .bind(new InetSocketAddress(9000)).sync().channel();
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap()
                    .group(clientLoop)
                    .channelFactory(() -> new NioSocketChannel(clientSide))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new NettyEchoTest.Collector(NettyEchoTest.BYTES, echoed))
                    .connect(new InetSocketAddress("10.0.2.2", 9000)).sync().channel();
            long now = sim.nowNs();
            Partition.of(sim, List.of(net.clientLink())).schedule(now + 50_000_000L, now + 2_050_000_000L);
            healAtNs = now + 2_050_000_000L;
            client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            check(Arrays.equals(data, echoed.get(600, TimeUnit.SECONDS)), "echo not byte-exact");
            doneAtNs = sim.nowNs();
            client.close().sync();
            server.close().sync();
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        check(doneAtNs > healAtNs, "the echo finished before the partition healed");
        long timeouts = net.client().counters().get(Counter.TcpExtTCPTimeouts) + net.server().counters().get(Counter.TcpExtTCPTimeouts);
        check(timeouts > 0, "the partition cost no retransmission timeout");
        return "rtoTimeouts=" + timeouts;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
