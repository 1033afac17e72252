package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netstack4j.dns.DnsServer;
import netstack4j.sim.LinkParams;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code InetAddress.getByName} inside a scope asks the scope host's resolver, which queries a
 * DNS server on the simulated network; {@code HttpClient} then finds its server by name.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameResolutionTest {
    @Test
    void namesResolveOverTheSimulatedNetworkInsideAScope() throws Exception {
        try (PacedNetwork n = new PacedNetwork(31, LinkParams.of(100_000_000L, 1_000_000L))) {
            DnsServer dns = new DnsServer(n.server(), 53, Map.of("server.lab", Ipv4Address.parse("10.0.2.2")));
            Thread dnsThread = Thread.ofPlatform().daemon().start(() -> {
                try {
                    dns.serve();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            n.client().resolver().addNameserver(Ipv4Address.parse("10.0.2.2"));
            HttpServer server;
            try (var here = NetScope.enter(n.server())) {
                server = HttpServer.create(new InetSocketAddress(80), 0);
                server.createContext("/", exchange -> {
                    byte[] hello = "hello from server.lab".getBytes();
                    exchange.sendResponseHeaders(200, hello.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(hello);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(n.client());
                 HttpClient client = HttpClient.newHttpClient()) {
                assertEquals(InetAddress.getByAddress("server.lab", new byte[] {10, 0, 2, 2}), InetAddress.getByName("server.lab"));
                assertThrows(UnknownHostException.class, () -> InetAddress.getByName("nowhere.lab"));
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://server.lab/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals("hello from server.lab", r.body());
            } finally {
                server.stop(0);
                dns.close();
                dnsThread.join();
            }
            assertTrue(dns.answered() >= 2, "the names came from the DNS server on the simulated network");
            assertTrue(InetAddress.getByName("localhost").isLoopbackAddress(), "outside a scope the JDK's resolver answers");
        }
    }
}
