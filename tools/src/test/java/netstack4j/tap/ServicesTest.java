package netstack4j.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import netstack4j.link.PipeDevice;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.EventLoop;
import netstack4j.stack.NetStack;
import netstack4j.time.Clock;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tap command's services against odd clients, between two real stacks on an in-memory
 * cable (no root needed): what curl and iperf3 never send, answered without the server failing.
 */
class ServicesTest {
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.9.7.2");
    private EventLoop clientLoop;
    private EventLoop serverLoop;
    private NetStack client;
    private NetStack server;

    @BeforeEach
    void twoStacks() {
        clientLoop = new EventLoop("c", Clock.system());
        serverLoop = new EventLoop("s", Clock.system());
        client = NetStack.builder("c").runtime(clientLoop.runtime()).build();
        server = NetStack.builder("s").runtime(serverLoop.runtime()).build();
        PipeDevice[] cable = PipeDevice.pair("eth0", clientLoop::execute, "eth0", serverLoop::execute, 1500);
        clientLoop.runtime().call(() -> client.addInterface(cable[0], Ipv4Address.parse("10.9.7.1"), 24));
        serverLoop.runtime().call(() -> server.addInterface(cable[1], SERVER, 24));
        clientLoop.start(client);
        serverLoop.start(server);
    }

    @AfterEach
    void stop() {
        clientLoop.close();
        serverLoop.close();
    }

    /** Sends {@code request}, half-closes, returns everything the server sent until its FIN. */
    private String exchange(int port, String request) throws Exception {
        try (TcpSocket s = client.sockets().tcp()) {
            s.setReadTimeout(Duration.ofSeconds(20));
            s.connect(new Ipv4SocketAddress(SERVER, port));
            byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
            s.write(b, 0, b.length);
            s.shutdown(netstack4j.socket.Shutdown.WRITE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = s.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void httpAnswersBadRequestsAndKeepsServing() throws Exception {
        try (HttpService http = new HttpService(server, 80, line -> { })) {
            http.start();
            assertTrue(exchange(80, "hello\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
            assertTrue(exchange(80, "POST / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 405 "));
            String head = exchange(80, "HEAD /bytes/5000 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("Content-Length: 5000\r\n") && head.endsWith("\r\n\r\n"), head);
            // Two requests on one connection, then the client's FIN ends it.
            String two = exchange(80, "GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(two.contains("\r\n\r\nabcHTTP/1.1 404 Not Found\r\n"), two);
            // A head larger than the server takes: 400, and the close with the rest unread is a
            // reset, as Linux's close(2) resets with data in the receive queue.
            try {
                String huge = exchange(80, "GET /" + "x".repeat(20_000) + " HTTP/1.1\r\n\r\n");
                assertTrue(huge.startsWith("HTTP/1.1 400 "), huge);
            } catch (netstack4j.socket.ErrnoException e) {
                // The reset seen by read (ECONNRESET), or, when it arrived before our shutdown(2)
                // (the two stacks run on threads of their own), by shutdown: ENOTCONN, as on Linux.
                assertTrue(e.errno() == netstack4j.socket.Errno.ECONNRESET
                        || e.errno() == netstack4j.socket.Errno.ENOTCONN && e.getMessage().contains("shutdown"), e.toString());
            }
            StackClients.HttpResponse ok = StackClients.httpGet(client, "http://" + SERVER + "/", Duration.ofSeconds(20));
            assertEquals(200, ok.status());
        }
    }

    @Test
    void iperf3RefusesUdpAndASecondTestAndSurvivesGarbage() throws Exception {
        try (Iperf3Service iperf = new Iperf3Service(server, 5201, line -> { })) {
            iperf.start();
            String cookie = "abcdefghijklmnopqrstuvwxyz0123456789\0";
            // A test that stays in parameter exchange holds the server.
            try (TcpSocket first = openTest(cookie)) {
                byte[] state = new byte[1];
                String other = exchange(5201, "ZZZdefghijklmnopqrstuvwxyz0123456789\0");
                assertEquals(1, other.length());
                assertEquals(Iperf3Service.ACCESS_DENIED, (byte) other.charAt(0), "a second test is refused");
                byte[] json = Json.write(Map.of("udp", true, "parallel", 1)).getBytes(StandardCharsets.UTF_8);
                byte[] len = {0, 0, 0, (byte) json.length};
                first.write(len, 0, 4);
                first.write(json, 0, json.length);
                assertEquals(1, first.read(state, 0, 1));
                assertEquals(Iperf3Service.SERVER_ERROR, state[0], "UDP is refused");
            }
            // Garbage: a short cookie then FIN, and a JSON length out of range.
            exchange(5201, "short");
            String bad = exchange(5201, cookie + "\u007f\u00ff\u00ff\u00ff");
            assertEquals(String.valueOf((char) Iperf3Service.PARAM_EXCHANGE), bad);
            // The server still takes a test.
            try (TcpSocket again = openTest(cookie)) {
                assertEquals(SERVER, again.remoteAddress().address());
            }
        }
    }

    /** An iperf3 control connection that has sent its cookie and been asked for parameters. */
    private TcpSocket openTest(String cookie) throws Exception {
        TcpSocket s = client.sockets().tcp();
        s.setReadTimeout(Duration.ofSeconds(20));
        s.connect(new Ipv4SocketAddress(SERVER, 5201));
        s.write(cookie.getBytes(StandardCharsets.US_ASCII), 0, 37);
        byte[] state = new byte[1];
        assertEquals(1, s.read(state, 0, 1));
        assertEquals(Iperf3Service.PARAM_EXCHANGE, state[0]);
        return s;
    }

    @Test
    void jsonRoundTripsWhatIperf3Sends() {
        Map<String, Object> m = Json.parseObject("{\"tcp\":true,\"omit\":0,\"time\":10,\"num\":0,\"parallel\":3,"
                + "\"len\":131072,\"client_version\":\"3.12\",\"x\":[1,2.5,null,\"a\\\"b\\u0041\"],\"big\":18446744073709551615}");
        assertEquals(3L, m.get("parallel"));
        assertTrue(Json.getFlag(m, "tcp"));
        assertEquals(1.8446744073709552E19, m.get("big"));
        assertEquals("[1,2.500000,null,\"a\\\"bA\"]", Json.write(m.get("x")));
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "tru", "{\"a\":1} x", "\"open"}) {
            try {
                Json.parse(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("JSON: "), expected.getMessage());
            }
        }
    }
}
