package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain {@code new Socket(host, port)} and {@code new ServerSocket(port)}, as a blocking library
 * writes them, redirected by {@link NetSocketImplFactory} (installed once for this test JVM).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketImplFactoryTest {
    @Test
    void plainSocketsInsideScopesTalkOverTheSimulatedNetwork() throws Exception {
        NetSocketImplFactory.install();
        try (PacedNetwork n = new PacedNetwork(71, LinkParams.of(100_000_000L, 1_000_000L).withLoss(0.02))) {
            n.client().resolver().addHost("db.lab", Ipv4Address.parse("10.0.2.2"));
            ServerSocket ss;
            try (var here = NetScope.enter(n.server())) {
                ss = new ServerSocket(5433);
            }
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (var here = NetScope.enter(n.server());
                     Socket s = ss.accept();
                     var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                     var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    String line = in.readLine();
                    out.println("echo " + line);
                    assertEquals("bye", in.readLine());
                    return s.getInetAddress().getHostAddress();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (var here = NetScope.enter(n.client());
                 Socket c = new Socket("db.lab", 5433)) {
                assertEquals("/10.0.2.2", c.getInetAddress().toString().replace("db.lab", ""));
                assertEquals(5433, c.getPort());
                assertTrue(c.getLocalPort() > 1024);
                c.setTcpNoDelay(true);
                assertTrue(c.getTcpNoDelay());
                var out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8);
                var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                out.println("SELECT 1");
                assertEquals("echo SELECT 1", in.readLine());
                c.setSoTimeout(50);
                assertThrows(SocketTimeoutException.class, () -> in.read()); // the server waits for "bye"
                out.println("bye");
            }
            assertEquals("10.0.1.2", served.get());
            ss.close();
        }
        try (Socket outside = new Socket()) {
            SocketException e = assertThrows(SocketException.class,
                    () -> outside.connect(new java.net.InetSocketAddress("127.0.0.1", 9)));
            assertTrue(e.getMessage().contains("NetScope"), e.getMessage());
        }
    }
}
