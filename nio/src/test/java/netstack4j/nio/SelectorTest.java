package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Selector semantics across threads on the paced network: wakeup, interest changes, cancel, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectorTest {
    static final LinkParams LAN = LinkParams.of(100_000_000L, 500_000L);

    @Test
    void wakeupEndsABlockedSelectAndAPendingWakeupTheNextOne() throws Exception {
        try (PacedNetwork n = new PacedNetwork(61, LAN);
             Selector sel = NetSelectorProvider.of(n.client()).openSelector()) {
            int[] selected = {-1};
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    selected[0] = sel.select();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SocketChannelTest.awaitParked(t);
            sel.wakeup();
            t.join();
            assertEquals(0, selected[0]);
            sel.wakeup();
            assertEquals(0, sel.select()); // returns at once: the wakeup came first
            assertEquals(0, sel.selectNow());
            assertEquals(0, sel.select(20)); // the wakeup was consumed: this one times out
        }
    }

    @Test
    void interestSetChangesReachABlockedSelect() throws Exception {
        try (PacedNetwork n = new PacedNetwork(62, LAN);
             ServerSocketChannel listener = NetSelectorProvider.of(n.server()).openServerSocketChannel().bind(new InetSocketAddress(7));
             Selector sel = NetSelectorProvider.of(n.client()).openSelector();
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.configureBlocking(false);
            c.connect(new InetSocketAddress("10.0.2.2", 7));
            SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT, "attached");
            assertEquals(1, sel.select());
            assertTrue(sel.selectedKeys().contains(k));
            assertTrue(k.isConnectable());
            assertEquals("attached", k.attachment());
            assertTrue(c.finishConnect());
            sel.selectedKeys().clear();
            k.interestOps(0);
            assertEquals(0, sel.selectNow()); // writable, but nobody asked
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    sel.select();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SocketChannelTest.awaitParked(t);
            k.interestOps(SelectionKey.OP_WRITE); // from another thread, while it selects
            t.join();
            assertTrue(k.isWritable());
            assertThrows(UnsupportedOperationException.class, () -> sel.selectedKeys().add(k));
            k.cancel();
            assertThrows(CancelledKeyException.class, k::interestOps);
            sel.selectNow();
            assertFalse(sel.keys().contains(k));
            c.configureBlocking(true); // allowed once the cancelled key is gone
            c.write(ByteBuffer.wrap(new byte[] {1}));
        }
    }

    @Test
    void channelsOfAnotherHostAreRefusedAndAClosedSelectorSaysSo() throws Exception {
        try (PacedNetwork n = new PacedNetwork(63, LAN);
             SocketChannel other = NetSelectorProvider.of(n.server()).openSocketChannel()) {
            Selector sel = NetSelectorProvider.of(n.client()).openSelector();
            other.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> other.register(sel, SelectionKey.OP_READ));
            sel.close();
            assertThrows(ClosedSelectorException.class, sel::selectNow);
            assertThrows(ClosedSelectorException.class, sel::keys);
        }
    }

    @Test
    void theProviderIsInstalledJvmWideAndFoundByServiceLoader() throws Exception {
        assertInstanceOf(NetSelectorProvider.class, SelectorProvider.provider()); // -D in the pom
        assertTrue(ServiceLoader.load(SelectorProvider.class).stream()
                .anyMatch(p -> p.type() == NetSelectorProvider.class));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, SocketChannel::open);
        assertTrue(e.getMessage().contains("outside a NetScope"), e.getMessage());
        try (PacedNetwork n = new PacedNetwork(64, LAN);
             var here = NetScope.enter(n.client());
             SocketChannel c = SocketChannel.open()) {
            assertEquals("NetSocketChannel", c.getClass().getSimpleName());
            assertTrue(Selector.open().provider() instanceof NetSelectorProvider);
            assertEquals(n.client(), NetScope.current());
        }
        assertEquals(null, NetScope.current());
    }
}
