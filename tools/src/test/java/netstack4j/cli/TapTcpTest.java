package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.tap.EchoService;
import netstack4j.tap.HttpService;
import netstack4j.tap.Netns;
import netstack4j.tap.StackClients;
import netstack4j.tap.TapHost;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP between the stack on a TAP device and the Linux kernel's own programs in the namespace:
 * curl, python3's http.server, nc, and python sockets for resets. Each test checks the bytes
 * both sides saw and, afterwards, that tshark reads the capture without complaint.
 */
class TapTcpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void curlFetchesPagesFromTheStacksHttpServer(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("curl");
        try (TapHost h = TapFixture.start(dir); var http = new HttpService(h.stack(), 80, line -> { }).start()) {
            String base = "http://" + h.stackAddress();
            Netns.Result page = h.netns().exec(60, "curl", "-sS", "-m", "30", base + "/");
            assertTrue(page.ok(), page.output());
            assertTrue(page.output().contains("<h1>Hello from netstack4j</h1>"), page.output());
            // Two requests on one persistent connection; the second is 3 MB, checked byte for byte.
            Path body = dir.resolve("body");
            Netns.Result big = h.netns().exec(60, "curl", "-sS", "-m", "30", "-o", "/dev/null", base + "/",
                    "-o", body.toString(), "-w", "%{num_connects} %{http_code}\\n", base + "/bytes/3000000");
            assertTrue(big.ok(), big.output());
            assertTrue(big.output().endsWith("0 200\n"), "the second request reuses the connection: " + big.output());
            byte[] got = Files.readAllBytes(body);
            assertEquals(3_000_000, got.length);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != HttpService.patternByte(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            Netns.Result missing = h.netns().exec(60, "curl", "-s", "-m", "30", "-o", "/dev/null", "-w", "%{http_code}", base + "/nope");
            assertEquals("404", missing.output().trim());
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void theStackFetchesAFileFromPythonsHttpServer(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("python3", "ss");
        byte[] file = new byte[700_000];
        new Random(7).nextBytes(file);
        try (TapHost h = TapFixture.start(dir); var server = TapFixture.pythonHttpServer(h, dir, file, 8000)) {
            StackClients.HttpResponse r = StackClients.httpGet(h.stack(),
                    "http://" + h.kernelAddress() + ":8000/data.bin", TIMEOUT);
            assertEquals(200, r.status(), r.head());
            assertArrayEquals(file, r.body());
            StackClients.HttpResponse none = StackClients.httpGet(h.stack(),
                    "http://" + h.kernelAddress() + ":8000/absent", TIMEOUT);
            assertEquals(404, none.status());
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void ncEchoesThroughTheStackWithAHalfClose(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("nc");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 300_000; i++) {
            text.append("line ").append(i).append(" of what nc sends\n");
        }
        byte[] sent = text.toString().getBytes(StandardCharsets.US_ASCII);
        try (TapHost h = TapFixture.start(dir); var echo = new EchoService(h.stack(), 7, line -> { }).start()) {
            // -N: at the end of its input nc shuts down its sending side (FIN); the stack echoes
            // everything, then sends its own FIN, and nc exits.
            Netns.Result r = h.netns().exec(60, sent, "nc", "-N", h.stackAddress().toString(), "7");
            assertTrue(r.ok(), "nc: exit " + r.exitCode() + (r.timedOut() ? " (timed out)" : ""));
            assertEquals(text.toString(), r.output());
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void theStackTalksToAListeningNcWithHalfClosesBothWays(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("nc", "ss");
        byte[] fromKernel = "what the kernel's nc sends\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        byte[] fromStack = "what the stack sends\n".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        Path input = dir.resolve("nc-input");
        Files.write(input, fromKernel);
        try (TapHost h = TapFixture.start(dir)) {
            Process nc = new ProcessBuilder(h.netns().command("nc", "-N", "-l", h.kernelAddress().toString(), "9000"))
                    .redirectInput(input.toFile()).redirectErrorStream(true).start();
            try {
                ByteArrayOutputStream ncOut = new ByteArrayOutputStream();
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        nc.getInputStream().transferTo(ncOut);
                    } catch (java.io.IOException e) {
                        // the process ended
                    }
                });
                assertTrue(TapFixture.awaitListening(h.netns(), 9000), "nc did not listen");
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                long n = StackClients.pipe(h.stack(), new Ipv4SocketAddress(h.kernelAddress(), 9000),
                        new ByteArrayInputStream(fromStack), got, TIMEOUT);
                assertEquals(fromKernel.length, n);
                assertArrayEquals(fromKernel, got.toByteArray());
                assertTrue(nc.waitFor(30, TimeUnit.SECONDS), "nc did not exit after both FINs");
                reader.join(10_000);
                assertArrayEquals(fromStack, ncOut.toByteArray());
            } finally {
                nc.destroyForcibly();
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void aResetFromTheKernelIsEconnresetOnTheStack(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("python3", "ss");
        try (TapHost h = TapFixture.start(dir)) {
            // Accept, read the request, then close with SO_LINGER 0: the kernel sends RST.
            String script = "import socket,struct\n"
                    + "l=socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                    + "l.bind(('" + h.kernelAddress() + "', 9001)); l.listen(1)\n"
                    + "c,_=l.accept(); c.recv(100)\n"
                    + "c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close()\n";
            Process server = new ProcessBuilder(h.netns().command("python3", "-c", script))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertTrue(TapFixture.awaitListening(h.netns(), 9001), "the python server did not listen");
                try (TcpSocket s = h.stack().sockets().tcp()) {
                    s.setReadTimeout(TIMEOUT);
                    s.connect(new Ipv4SocketAddress(h.kernelAddress(), 9001));
                    s.write("request".getBytes(StandardCharsets.US_ASCII), 0, 7);
                    ErrnoException e = assertThrows(ErrnoException.class, () -> s.read(new byte[100], 0, 100));
                    assertEquals(Errno.ECONNRESET, e.errno());
                }
                assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            } finally {
                server.destroyForcibly();
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void aResetFromTheStackIsEconnresetInTheKernel(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("python3");
        try (TapHost h = TapFixture.start(dir);
             TcpListener l = h.stack().sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, 7001), 8)) {
            Thread stackSide = Thread.ofPlatform().start(() -> {
                try (TcpSocket c = l.accept()) {
                    c.setReadTimeout(TIMEOUT);
                    c.read(new byte[100], 0, 100);
                    c.setOption(StandardSocketOptions.SO_LINGER, 0); // close(2) now resets (N36)
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            });
            String script = "import socket,errno\n"
                    + "s=socket.create_connection(('" + h.stackAddress() + "', 7001), timeout=30)\n"
                    + "s.sendall(b'hello')\n"
                    + "try:\n    print('read', len(s.recv(100)))\n"
                    + "except OSError as e:\n    print(errno.errorcode[e.errno])\n";
            Netns.Result r = h.netns().exec(60, "python3", "-c", script);
            stackSide.join(30_000);
            assertEquals("ECONNRESET", r.output().trim());
        }
        TapFixture.assertCleanCapture(dir);
    }
}
