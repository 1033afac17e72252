package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Blocking {@code java.net.Socket} code against a {@code java.net.ServerSocket}, both the
 * adaptors of the provider's channels (the client through {@link NetSocketFactory}), on plain
 * threads over a paced, lossy network.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockingSocketTest {
    static final LinkParams LOSSY = LinkParams.of(100_000_000L, 2_000_000L).withLoss(0.02);

    @Test
    void requestResponseOverStreams() throws Exception {
        try (PacedNetwork n = new PacedNetwork(21, LOSSY, 5);
             ServerSocket ss = NetSocketFactory.of(n.server()).createServerSocket()) {
            ss.bind(new InetSocketAddress(5432));
            assertEquals(5432, ss.getLocalPort());
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept();
                     DataInputStream in = new DataInputStream(s.getInputStream());
                     DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                    for (int i = 0; i < 20; i++) {
                        byte[] q = new byte[in.readInt()];
                        in.readFully(q);
                        out.writeInt(q.length * 2);
                        out.write(q);
                        out.write(q);
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket c = NetSocketFactory.of(n.client()).createSocket("10.0.2.2", 5432)) {
                c.setTcpNoDelay(true);
                assertTrue(c.getTcpNoDelay());
                assertTrue(c.isConnected());
                assertEquals(new InetSocketAddress("10.0.2.2", 5432), c.getRemoteSocketAddress());
                DataOutputStream out = new DataOutputStream(c.getOutputStream());
                DataInputStream in = new DataInputStream(c.getInputStream());
                for (int i = 0; i < 20; i++) {
                    byte[] q = HttpOverSimulationTest.randomBytes(i, 1 + i * 3000);
                    out.writeInt(q.length);
                    out.write(q);
                    out.flush();
                    byte[] r = new byte[in.readInt()];
                    in.readFully(r);
                    assertEquals(2 * q.length, r.length);
                    assertArrayEquals(q, java.util.Arrays.copyOf(r, q.length));
                    assertArrayEquals(q, java.util.Arrays.copyOfRange(r, q.length, r.length));
                }
                assertEquals(-1, in.read()); // the server closed after 20 answers
            }
            server.get();
        }
    }

    @Test
    void soTimeoutEndsAReadAndTheSocketStaysUsable() throws Exception {
        try (PacedNetwork n = new PacedNetwork(22, LOSSY);
             ServerSocket ss = NetSocketFactory.of(n.server()).createServerSocket()) {
            ss.bind(new InetSocketAddress(80));
            ss.setSoTimeout(100);
            assertThrows(SocketTimeoutException.class, ss::accept);
            try (Socket c = NetSocketFactory.of(n.client()).createSocket()) {
                c.connect(new InetSocketAddress("10.0.2.2", 80), 5_000);
                ss.setSoTimeout(0);
                try (Socket s = ss.accept()) {
                    c.setSoTimeout(100);
                    InputStream in = c.getInputStream();
                    SocketTimeoutException e = assertThrows(SocketTimeoutException.class, in::read);
                    assertEquals("Read timed out", e.getMessage());
                    OutputStream out = s.getOutputStream();
                    out.write(42);
                    assertEquals(42, in.read());
                }
            }
        }
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        try (PacedNetwork n = new PacedNetwork(23, LinkParams.DEFAULT)) {
            ConnectException e = assertThrows(ConnectException.class,
                    () -> NetSocketFactory.of(n.client()).createSocket("10.0.2.2", 1));
            assertEquals("Connection refused", e.getMessage());
        }
    }
}
