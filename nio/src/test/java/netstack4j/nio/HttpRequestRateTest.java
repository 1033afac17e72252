package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How many requests per second {@code HttpClient} gets from {@code HttpServer} over the paced
 * simulated network (1 Gbit/s, 50 us per link, no loss, speed 1): printed, not asserted (speed is
 * measured, never asserted, in this project); the test checks only that every answer is right.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpRequestRateTest {
    static final int REQUESTS = 2000;
    static final int IN_FLIGHT = 16;

    @Test
    void requestsPerSecond() throws Exception {
        try (PacedNetwork n = new PacedNetwork(51, LinkParams.of(1_000_000_000L, 50_000L))) {
            HttpServer server;
            try (var here = NetScope.enter(n.server())) {
                server = HttpServer.create(new InetSocketAddress(80), 64);
                server.setExecutor(Executors.newFixedThreadPool(4));
                server.createContext("/", exchange -> {
                    byte[] body = "ok".getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(n.client());
                 HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .executor(NetScope.executor(n.client())).build()) {
                HttpRequest get = HttpRequest.newBuilder(URI.create("http://10.0.2.2/")).build();
                for (int i = 0; i < 200; i++) { // warm up the JIT and the connection pool
                    assertEquals("ok", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < REQUESTS / 4; i++) {
                    assertEquals("ok", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
                }
                double sequential = REQUESTS / 4 / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                List<CompletableFuture<HttpResponse<String>>> window = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    window.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
                    if (window.size() == IN_FLIGHT) {
                        for (CompletableFuture<HttpResponse<String>> f : window) {
                            assertEquals("ok", f.get().body());
                        }
                        window.clear();
                    }
                }
                for (CompletableFuture<HttpResponse<String>> f : window) {
                    assertEquals("ok", f.get().body());
                }
                double concurrent = REQUESTS / ((System.nanoTime() - t1) / 1e9);
                System.out.printf("HttpClient over the simulated network: %.0f requests/s one at a time,"
                        + " %.0f requests/s with %d in flight (HTTP/1.1, keep-alive, 2-byte bodies)%n",
                        sequential, concurrent, IN_FLIGHT);
            } finally {
                server.stop(0);
            }
        }
    }
}
