package netstack4j.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import netstack4j.nio.NetScope;
import netstack4j.sim.LinkParams;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;

/**
 * Requests per second of unmodified {@code HttpClient} against unmodified {@code HttpServer}
 * over the real-time-paced simulated network (client - router - server, 1 Gbit/s, 50 us per
 * link, no loss): one request at a time, then 16 in flight (HTTP/1.1, keep-alive, 2-byte bodies).
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench -am
 * java -Djava.nio.channels.spi.SelectorProvider=netstack4j.nio.NetSelectorProvider --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar netstack4j.bench.HttpClientRate [REQUESTS]
 * </pre>
 */
public final class HttpClientRate {
    private static final int IN_FLIGHT = 16;

    private HttpClientRate() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (Simulator sim = new Simulator(51); RealTimePacer pacer = new RealTimePacer(sim, 1.0)) {
            var net = Topologies.clientRouterServer(sim, LinkParams.of(1_000_000_000L, 50_000L));
            pacer.start();
            HttpServer server;
            ExecutorService handlers = Executors.newFixedThreadPool(4);
            try (var here = NetScope.enter(net.server())) {
                server = HttpServer.create(new InetSocketAddress(80), 64);
                server.setExecutor(handlers);
                server.createContext("/", exchange -> {
                    byte[] body = "ok".getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(net.client());
                 HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .executor(NetScope.executor(net.client())).build()) {
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://10.0.2.2/")).build();
                for (int i = 0; i < 200; i++) { // warm up the JIT and the connection pool
                    check(client.send(get, HttpResponse.BodyHandlers.ofString()));
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < requests / 4; i++) {
                    check(client.send(get, HttpResponse.BodyHandlers.ofString()));
                }
                double sequential = requests / 4 / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                List<CompletableFuture<HttpResponse<String>>> window = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    window.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
                    if (window.size() == IN_FLIGHT || i == requests - 1) {
                        for (CompletableFuture<HttpResponse<String>> f : window) {
                            check(f.get());
                        }
                        window.clear();
                    }
                }
                double concurrent = requests / ((System.nanoTime() - t1) / 1e9);
                System.out.printf("HttpClient over the simulated network: %.0f requests/s one at a time,"
                        + " %.0f requests/s with %d in flight%n", sequential, concurrent, IN_FLIGHT);
            } finally {
                server.stop(0);
                handlers.shutdownNow();
            }
        }
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200 || !r.body().equals("ok")) {
            throw new IllegalStateException("bad answer: " + r.statusCode() + " " + r.body());
        }
    }
}
