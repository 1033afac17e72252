package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's "netstack4j as a library" example, kept compiling and working as printed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeLibraryExampleTest {
    @Test
    void httpExampleRunsAsPrinted() throws Exception {
        List<String> printed = new ArrayList<>();
        // --- as in the README, with System.out.println(x) as printed.add(x) ---
        try (Simulator sim = new Simulator(7);
             RealTimePacer pacer = new RealTimePacer(sim)) {                  // before the first host
            var net = Topologies.clientRouterServer(sim, LinkParams.of(100_000_000L, 10_000_000L).withLoss(0.05));
            pacer.start();                                                    // virtual time follows the wall clock
            HttpServer server;
            try (var here = NetScope.enter(net.server())) {                   // the one line: "run on this host"
                server = HttpServer.create(new InetSocketAddress(8080), 0);
                server.createContext("/", exchange -> {
                    byte[] body = "hello over a lossy network".getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    try (var out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(net.client());
                 HttpClient client = HttpClient.newBuilder().executor(NetScope.executor(net.client())).build()) {
                var response = client.send(HttpRequest.newBuilder(URI.create("http://10.0.2.2:8080/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                printed.add(response.body());
            }
            server.stop(0);
        }
        assertEquals(List.of("hello over a lossy network"), printed);
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String test = Files.readString(Path.of("src", "test", "java", "netstack4j", "nio", "ReadmeLibraryExampleTest.java"));
        String body = test.substring(test.indexOf("        try (Simulator sim"), test.indexOf("        assertEquals(List.of"));
        for (String line : body.lines().toList()) {
            String code = line.strip().replace("printed.add(response.body())", "System.out.println(response.body())");
            if (!code.isEmpty()) {
                assertTrue(readme.contains(code), "README.md lacks the example line: " + code);
            }
        }
    }
}
