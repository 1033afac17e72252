package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.socket.NetSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket options through the channels, binding errors, and datagram channels from plain threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelOptionsAndDatagramTest {
    static final LinkParams LAN = LinkParams.of(100_000_000L, 500_000L);

    @Test
    void optionsReachTheStackAsLinuxReportsThem() throws Exception {
        try (PacedNetwork n = new PacedNetwork(81, LAN);
             SocketChannel c = NetSelectorProvider.of(n.client()).openSocketChannel()) {
            c.setOption(StandardSocketOptions.SO_RCVBUF, 16384);
            assertEquals(32768, c.getOption(StandardSocketOptions.SO_RCVBUF)); // Linux doubles it (N1)
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
            c.setOption(NetSocketOptions.TCP_KEEPIDLE, 60);
            assertEquals(60, c.getOption(NetSocketOptions.TCP_KEEPIDLE));
            c.setOption(StandardSocketOptions.IP_TOS, 0x13);
            assertEquals(0x10, c.getOption(StandardSocketOptions.IP_TOS)); // the ECN bits stay TCP's (Linux)
            c.setOption(NetSocketOptions.TCP_NOTSENT_LOWAT, 16384);
            assertEquals(16384, c.getOption(NetSocketOptions.TCP_NOTSENT_LOWAT));
            assertTrue(c.supportedOptions().contains(StandardSocketOptions.SO_LINGER));
            assertThrows(UnsupportedOperationException.class, () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            assertThrows(IllegalArgumentException.class, () -> c.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            assertThrows(NotYetConnectedException.class, () -> c.write(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void bindingErrorsAreTheJdks() throws Exception {
        try (PacedNetwork n = new PacedNetwork(82, LAN);
             ServerSocketChannel a = NetSelectorProvider.of(n.server()).openServerSocketChannel();
             ServerSocketChannel b = NetSelectorProvider.of(n.server()).openServerSocketChannel()) {
            assertThrows(NotYetBoundException.class, a::accept);
            a.bind(new InetSocketAddress(80));
            assertThrows(AlreadyBoundException.class, () -> a.bind(new InetSocketAddress(81)));
            BindException e = assertThrows(BindException.class, () -> b.bind(new InetSocketAddress(80)));
            assertEquals("Address already in use", e.getMessage());
            assertEquals(new InetSocketAddress("0.0.0.0", 80), a.getLocalAddress());
        }
    }

    @Test
    void datagramsCrossTheRouterAndAConnectedChannelHearsPortUnreachable() throws Exception {
        try (PacedNetwork n = new PacedNetwork(83, LAN);
             DatagramChannel server = NetSelectorProvider.of(n.server()).openDatagramChannel();
             DatagramChannel client = NetSelectorProvider.of(n.client()).openDatagramChannel()) {
            server.bind(new InetSocketAddress(9));
            assertNull(client.getLocalAddress());
            client.send(ByteBuffer.wrap(new byte[1400]), new InetSocketAddress("10.0.2.2", 9));
            assertTrue(((InetSocketAddress) client.getLocalAddress()).getPort() > 0, "sending bound it");
            ByteBuffer in = ByteBuffer.allocate(2000);
            InetSocketAddress from = (InetSocketAddress) server.receive(in);
            assertEquals(1400, in.position());
            assertEquals("10.0.1.2", from.getAddress().getHostAddress());

            client.connect(new InetSocketAddress("10.0.2.2", 10)); // nobody listens there
            assertTrue(client.isConnected());
            client.write(ByteBuffer.wrap(new byte[] {1}));
            assertThrows(PortUnreachableException.class, () -> client.read(ByteBuffer.allocate(10)));
            client.disconnect();
            assertFalse(client.isConnected());
        }
    }
}
