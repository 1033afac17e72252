package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SocketChannel and ServerSocketChannel over a paced simulated network, from plain threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketChannelTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.2.2", 7);
    static final LinkParams LAN = LinkParams.of(100_000_000L, 1_000_000L);

    @Test
    void blockingEchoIsByteExact() throws Exception {
        try (PacedNetwork n = new PacedNetwork(1, LAN)) {
            NetSelectorProvider serverSide = NetSelectorProvider.of(n.server());
            NetSelectorProvider clientSide = NetSelectorProvider.of(n.client());
            try (ServerSocketChannel listener = serverSide.openServerSocketChannel()) {
                listener.bind(new InetSocketAddress(7));
                CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> echoOnce(listener));
                byte[] data = new byte[200_000];
                new SplittableRandom(7).nextBytes(data);
                try (SocketChannel c = clientSide.openSocketChannel()) {
                    assertTrue(c.connect(SERVER));
                    assertTrue(c.isConnected());
                    assertEquals(SERVER, c.getRemoteAddress());
                    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                        try {
                            c.write(ByteBuffer.wrap(data));
                            c.shutdownOutput();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
                    ByteBuffer back = ByteBuffer.allocateDirect(data.length + 1);
                    while (c.read(back) >= 0) {
                        assertTrue(back.position() <= data.length);
                    }
                    writer.get();
                    byte[] got = new byte[back.flip().remaining()];
                    back.get(got);
                    assertArrayEquals(data, got);
                }
                echo.get();
            }
        }
    }

    private static void echoOnce(ServerSocketChannel listener) {
        try (SocketChannel s = listener.accept()) {
            ByteBuffer buf = ByteBuffer.allocate(10_000);
            while (s.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    s.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void refusedConnectIsConnectExceptionAndClosesTheChannel() throws Exception {
        try (PacedNetwork n = new PacedNetwork(2, LAN)) {
            SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel();
            ConnectException e = assertThrows(ConnectException.class, () -> c.connect(SERVER));
            assertEquals("Connection refused", e.getMessage());
            assertFalse(c.isOpen());
        }
    }

    @Test
    void nonBlockingConnectFinishesLater() throws Exception {
        try (PacedNetwork n = new PacedNetwork(3, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7));
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.configureBlocking(false);
            assertFalse(c.connect(SERVER)); // a SYN needs a round trip of 4 ms
            assertTrue(c.isConnectionPending());
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
            c.configureBlocking(true);
            assertTrue(c.finishConnect());
            assertTrue(c.isConnected());
            listener.configureBlocking(false);
            SocketChannel accepted;
            while ((accepted = listener.accept()) == null) {
                Thread.onSpinWait();
            }
            assertTrue(accepted.isBlocking());
            accepted.close();
            c.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocate(4);
            int r;
            while ((r = c.read(b)) == 0) {
                Thread.onSpinWait();
            }
            assertEquals(-1, r); // the peer's FIN
        }
    }

    @Test
    void blockingFinishConnectAfterTheHandshakeCompletedIsTrue() throws Exception {
        try (PacedNetwork n = new PacedNetwork(3, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7));
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.configureBlocking(false);
            assertFalse(c.connect(SERVER));
            // The server accepts once the handshake's last ACK arrived, so the client is
            // ESTABLISHED before finishConnect is called (what a slow thread sees anyway).
            SocketChannel accepted = listener.accept();
            c.configureBlocking(true);
            assertTrue(c.finishConnect());
            assertTrue(c.isConnected());
            accepted.close();
        }
    }

    @Test
    void nonBlockingConnectRefusedSurfacesInFinishConnect() throws Exception {
        try (PacedNetwork n = new PacedNetwork(4, LAN);
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.configureBlocking(false);
            assertFalse(c.connect(SERVER));
            IOException e = assertThrows(IOException.class, () -> {
                while (!c.finishConnect()) {
                    Thread.onSpinWait();
                }
            });
            assertEquals(ConnectException.class, e.getClass());
            assertEquals("Connection refused", e.getMessage());
            assertFalse(c.isOpen());
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        try (PacedNetwork n = new PacedNetwork(5, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7));
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.connect(SERVER);
            Throwable[] thrown = new Throwable[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    thrown[0] = new AssertionError("read returned " + c.read(ByteBuffer.allocate(10)));
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            awaitParked(reader);
            c.close();
            reader.join();
            assertEquals(AsynchronousCloseException.class, thrown[0].getClass(), () -> thrown[0].toString());
            assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void interruptingABlockedAcceptClosesTheChannel() throws Exception {
        try (PacedNetwork n = new PacedNetwork(6, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7))) {
            Throwable[] thrown = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    thrown[0] = new AssertionError("accept returned " + listener.accept());
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            awaitParked(t);
            t.interrupt();
            t.join();
            assertEquals(ClosedByInterruptException.class, thrown[0].getClass(), () -> thrown[0].toString());
            assertFalse(listener.isOpen());
        }
    }

    @Test
    void aResetIsConnectionResetForTheReaderAndBreaksTheWriter() throws Exception {
        try (PacedNetwork n = new PacedNetwork(8, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7));
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.connect(SERVER);
            SocketChannel s = listener.accept();
            s.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            s.close(); // SO_LINGER 0: a RST instead of a FIN
            IOException e = assertThrows(IOException.class, () -> {
                while (c.read(ByteBuffer.allocate(10)) >= 0) {
                    Thread.onSpinWait();
                }
            });
            assertEquals(java.net.SocketException.class, e.getClass());
            assertEquals("Connection reset", e.getMessage());
            IOException w = assertThrows(IOException.class, () -> c.write(ByteBuffer.wrap(new byte[] {1})));
            assertEquals("Broken pipe", w.getMessage());
        }
    }

    @Test
    void unboundAndUnconnectedAddressesAreNull() throws Exception {
        try (PacedNetwork n = new PacedNetwork(7, LAN);
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            assertNull(c.getLocalAddress());
            assertNull(c.getRemoteAddress());
            c.bind(null);
            assertEquals(new InetSocketAddress("0.0.0.0", 0).getAddress(), ((InetSocketAddress) c.getLocalAddress()).getAddress());
        }
    }

    /** Waits, without sleeping, until {@code t} waits inside the stack (on a stack condition). */
    static void awaitParked(Thread t) {
        while (!waitsOnCondition(t)) {
            Thread.onSpinWait();
        }
    }

    private static boolean waitsOnCondition(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().endsWith("ConditionObject") && e.getMethodName().startsWith("await")) {
                return true;
            }
        }
        return false;
    }
}
