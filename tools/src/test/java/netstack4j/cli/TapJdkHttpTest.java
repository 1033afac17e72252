package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import netstack4j.nio.NetScope;
import netstack4j.nio.NetSelectorProvider;
import netstack4j.tap.Netns;
import netstack4j.tap.TapHost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified JDK HTTP code on the stack, on a real TAP device ({@link TapHost}: a
 * {@code DeviceLoop} on the wall clock), against the Linux kernel's own HTTP programs in the
 * namespace: {@link HttpClient} fetches from python3's {@code http.server}, and curl fetches
 * from and posts to {@link HttpServer}. Both JDK classes open their channels through
 * {@code SelectorProvider.provider()}, which in this test JVM is {@link NetSelectorProvider}
 * (tools' pom runs the classes tagged {@value #TAG} in a JVM of their own that installs it), inside
 * a {@link NetScope} bound to the TAP host's stack. Bodies of 1 MB, checked byte for byte.
 */
@Tag(TapJdkHttpTest.TAG)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TapJdkHttpTest {
    /** The tag of tests that need the JVM-wide provider (see tools' pom). */
    static final String TAG = "jvm-selector-provider";
    private static final int BODY = 1 << 20;

    @Test
    void httpClientOnTheStackFetchesAMegabyteFromTheKernelsHttpServer(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("python3", "ss");
        assertInstanceOf(NetSelectorProvider.class, SelectorProvider.provider(), "the JVM-wide provider is not installed");
        byte[] file = randomBytes(21, BODY);
        try (TapHost h = TapFixture.start(dir); var server = TapFixture.pythonHttpServer(h, dir, file, 8000)) {
            String base = "http://" + h.kernelAddress() + ":8000/";
            try (var here = NetScope.enter(h.stack());
                 HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .executor(NetScope.executor(h.stack())).build()) {
                for (int i = 0; i < 2; i++) {
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "data.bin")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode());
                    assertArrayEquals(file, r.body());
                    System.out.printf("HttpClient on the stack fetched %d bytes from the kernel's http.server%n",
                            r.body().length);
                }
                HttpResponse<String> none = client.send(HttpRequest.newBuilder(URI.create(base + "absent")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, none.statusCode());
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void curlFetchesAndPostsAMegabyteToHttpServerOnTheStack(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("curl");
        assertInstanceOf(NetSelectorProvider.class, SelectorProvider.provider(), "the JVM-wide provider is not installed");
        byte[] download = randomBytes(22, BODY);
        byte[] upload = randomBytes(23, BODY);
        Path uploadFile = dir.resolve("upload.bin");
        Files.write(uploadFile, upload);
        try (TapHost h = TapFixture.start(dir)) {
            HttpServer server;
            try (var here = NetScope.enter(h.stack())) {
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
                    byte[] hex = (got.length + " " + HexFormat.of().formatHex(sha256(got))).getBytes();
                    exchange.sendResponseHeaders(200, hex.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(hex);
                    }
                });
                server.start();
            }
            try {
                String base = "http://" + h.stackAddress() + ":8080/";
                Path got = dir.resolve("download.bin");
                Netns.Result r = h.netns().exec(90, "curl", "-sS", "-m", "60", "-o", got.toString(),
                        "-w", "%{http_code} %{size_download} %{time_total}", base + "blob");
                assertTrue(r.ok(), "curl: " + r.output());
                assertTrue(r.output().startsWith("200 " + BODY + " "), r.output());
                assertArrayEquals(download, Files.readAllBytes(got));
                System.out.println("curl fetched " + BODY + " bytes from HttpServer on the stack (code, bytes, seconds): " + r.output());

                Netns.Result posted = h.netns().exec(90, "curl", "-sS", "-m", "60", "-H", "Content-Type: application/octet-stream",
                        "--data-binary", "@" + uploadFile, base + "sha256");
                assertTrue(posted.ok(), "curl: " + posted.output());
                assertEquals(BODY + " " + HexFormat.of().formatHex(sha256(upload)), posted.output().trim());
            } finally {
                server.stop(0);
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
