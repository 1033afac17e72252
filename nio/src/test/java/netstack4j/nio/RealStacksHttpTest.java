package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import netstack4j.link.PipeDevice;
import netstack4j.stack.EventLoop;
import netstack4j.stack.NetStack;
import netstack4j.time.Clock;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider on real (non-simulated) stacks: each driven by its own {@link EventLoop} thread on
 * the system clock, joined by an in-memory cable, the way a stack on a TUN device runs. No
 * simulator: {@code HttpClient} and {@code HttpServer} talk through two netstack4j stacks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RealStacksHttpTest {
    @Test
    void httpClientAndServerOverTwoRealStacks() throws Exception {
        byte[] body = HttpOverSimulationTest.randomBytes(99, 300_000);
        try (EventLoop loopA = new EventLoop("a", Clock.system()); EventLoop loopB = new EventLoop("b", Clock.system())) {
            NetStack a = NetStack.builder("a").clock(Clock.system()).runtime(loopA.runtime()).build();
            NetStack b = NetStack.builder("b").clock(Clock.system()).runtime(loopB.runtime()).build();
            PipeDevice[] cable = PipeDevice.pair("eth0", loopA::execute, "eth0", loopB::execute, 1500);
            loopA.runtime().call(() -> a.addInterface(cable[0], Ipv4Address.parse("10.9.2.1"), 24));
            loopB.runtime().call(() -> b.addInterface(cable[1], Ipv4Address.parse("10.9.2.2"), 24));
            loopA.start(a);
            loopB.start(b);
            HttpServer server;
            try (var here = NetScope.enter(b)) {
                server = HttpServer.create(new InetSocketAddress(80), 0);
                server.createContext("/", exchange -> {
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
            }
            try (var here = NetScope.enter(a);
                 HttpClient client = HttpClient.newBuilder().executor(NetScope.executor(a)).build()) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://10.9.2.2/")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode());
                    assertArrayEquals(body, r.body());
                }
            } finally {
                server.stop(0);
            }
        }
    }
}
