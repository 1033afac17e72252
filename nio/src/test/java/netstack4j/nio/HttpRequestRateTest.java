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
 * Many requests of {@code HttpClient} to {@code HttpServer} over the paced simulated network
 * (1 Gbit/s, 50 us per link, no loss), one at a time and 16 in flight on keep-alive connections:
 * every answer is right. How many per second is measured by {@code bench/HttpClientRate}, not here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpRequestRateTest {
    static final int REQUESTS = 800;
    static final int IN_FLIGHT = 16;

    @Test
    void requestsOneAtATimeAndManyInFlightAreAllAnswered() throws Exception {
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
                for (int i = 0; i < REQUESTS / 4; i++) {
                    assertEquals("ok", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
                }
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
            } finally {
                server.stop(0);
            }
        }
    }
}
