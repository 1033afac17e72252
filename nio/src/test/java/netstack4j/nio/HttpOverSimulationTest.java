package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.stack.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unmodified {@link HttpClient} against unmodified {@link HttpServer}, each on its own simulated
 * host, across a router; the links lose 5 % of frames and the path delays 20 ms each way. Both
 * JDK classes open their channels through {@code SelectorProvider.provider()}, which is
 * {@link NetSelectorProvider} in this test JVM (see the module's pom), inside a {@link NetScope}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpOverSimulationTest {
    /** 10 ms per link, two links: 20 ms from client to server; 2.5 % per link: 5 % on the path. */
    static final LinkParams LOSSY = LinkParams.of(100_000_000L, 10_000_000L).withLoss(0.025);
    static final int BODY = 1 << 20;
    /** Virtual time runs this many times faster than the wall clock (RealTimePacer). */
    static final double SPEED = 10;

    @Test
    void megabyteBodiesBothWaysAreByteExact() throws Exception {
        byte[] download = randomBytes(11, BODY);
        byte[] upload = randomBytes(12, BODY);
        try (PacedNetwork n = new PacedNetwork(42, LOSSY, SPEED)) {
            HttpServer server;
            try (var here = NetScope.enter(n.server())) {
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
                    byte[] digest = sha256(got);
                    exchange.sendResponseHeaders(200, digest.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(digest);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(n.client());
                 HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://10.0.2.2:8080/blob")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertArrayEquals(download, r.body());

                HttpResponse<byte[]> posted = client.send(HttpRequest.newBuilder(URI.create("http://10.0.2.2:8080/sha256"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, posted.statusCode());
                assertArrayEquals(sha256(upload), posted.body());
            } finally {
                server.stop(0);
            }
            long retransmitted = n.pacer.call(() -> n.server().counters().get(Counter.TcpRetransSegs)
                    + n.client().counters().get(Counter.TcpRetransSegs));
            assertTrue(retransmitted > 0, "5 % loss must have cost retransmissions");
        }
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
