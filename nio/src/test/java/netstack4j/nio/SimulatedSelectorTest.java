package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.trace.MemoryTraceSink;
import org.junit.jupiter.api.Test;

/**
 * NIO code run as simulated processes (virtual threads scheduled by the simulator, virtual time):
 * one Selector serves a ServerSocketChannel, the TCP connections it accepts and a
 * DatagramChannel; a client uses a blocking SocketChannel and a DatagramChannel. Fully
 * deterministic: the same seed gives the same packet trace.
 */
class SimulatedSelectorTest {
    static final long MS = 1_000_000L;
    static final InetSocketAddress TCP = new InetSocketAddress("10.0.2.2", 7);
    static final InetSocketAddress UDP = new InetSocketAddress("10.0.2.2", 9);
    static final byte[] QUIT = "quit".getBytes();

    record Run(String traceHash, long events, List<Integer> datagramSizes, int tcpBytes) {
    }

    static Run run(long seed) {
        try (Simulator sim = new Simulator(seed)) {
            MemoryTraceSink trace = new MemoryTraceSink(0);
            sim.setTrace(trace);
            // Loss on the TCP path only matters to TCP: the UDP client retries nothing, so the
            // links are clean but slow enough that the two protocols' traffic interleaves.
            var t = Topologies.clientRouterServer(sim, LinkParams.of(10_000_000L, 2 * MS));
            NetSelectorProvider server = NetSelectorProvider.of(t.server());
            NetSelectorProvider client = NetSelectorProvider.of(t.client());
            sim.spawn(t.server(), "selector-server", ctx -> serve(server));
            List<Integer> sizes = new ArrayList<>();
            int[] tcpBytes = new int[1];
            sim.spawn(t.client(), "udp-client", ctx -> sizes.addAll(udpClient(client)));
            sim.spawn(t.client(), "tcp-client", ctx -> tcpBytes[0] = tcpClient(client));
            sim.runFor(30_000 * MS);
            assertTrue(sim.processes().stream().allMatch(p -> p.isDone()), "every process ended");
            return new Run(trace.hash(), trace.count(), sizes, tcpBytes[0]);
        }
    }

    /** One selector over a listener, its connections and a datagram channel; echoes everything. */
    static void serve(NetSelectorProvider p) throws IOException {
        try (Selector sel = p.openSelector();
             ServerSocketChannel listener = p.openServerSocketChannel();
             DatagramChannel udp = p.openDatagramChannel()) {
            listener.bind(new InetSocketAddress(7)).configureBlocking(false);
            udp.bind(new InetSocketAddress(9)).configureBlocking(false);
            listener.register(sel, SelectionKey.OP_ACCEPT);
            udp.register(sel, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            boolean quit = false;
            int tcpOpen = 0;
            while (!quit || tcpOpen > 0) {
                sel.select();
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel c = listener.accept();
                        c.configureBlocking(false).register(sel, SelectionKey.OP_READ);
                        tcpOpen++;
                    } else if (k.channel() == udp) {
                        buf.clear();
                        SocketAddress from = udp.receive(buf);
                        buf.flip();
                        quit |= buf.remaining() == QUIT.length && buf.equals(ByteBuffer.wrap(QUIT));
                        udp.send(buf, from);
                    } else {
                        SocketChannel c = (SocketChannel) k.channel();
                        buf.clear();
                        if (c.read(buf) < 0) {
                            c.close();
                            tcpOpen--;
                            continue;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            c.write(buf); // small echoes: the send buffer takes them whole
                        }
                    }
                }
            }
        }
    }

    /** Datagrams of many sizes, each echoed with its boundary; one read into a small buffer truncates. */
    static List<Integer> udpClient(NetSelectorProvider p) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        try (DatagramChannel c = p.openDatagramChannel()) {
            ByteBuffer in = ByteBuffer.allocate(3000);
            for (int i = 0; i < 20; i++) {
                byte[] d = new byte[1 + i * 97];
                Arrays.fill(d, (byte) i);
                c.send(ByteBuffer.wrap(d), UDP);
                in.clear();
                assertEquals(UDP, c.receive(in));
                in.flip();
                sizes.add(in.remaining());
                byte[] got = new byte[in.remaining()];
                in.get(got);
                assertArrayEquals(d, got);
            }
            c.connect(UDP);
            c.write(ByteBuffer.wrap(new byte[100]));
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ByteBuffer small = ByteBuffer.allocate(10);
            assertEquals(10, c.read(small)); // the rest of the 100-byte datagram is discarded
            small.clear();
            assertEquals(3, c.read(small)); // the next datagram, whole
            c.configureBlocking(false);
            assertNull(c.receive(ByteBuffer.allocate(10)));
            c.configureBlocking(true);
            c.write(ByteBuffer.wrap(QUIT));
        }
        return sizes;
    }

    /** A blocking client: 50 KB out in 1000-byte writes, each read back before the next. */
    static int tcpClient(NetSelectorProvider p) throws IOException {
        int total = 0;
        try (SocketChannel c = p.openSocketChannel()) {
            c.connect(TCP);
            for (int i = 0; i < 50; i++) {
                byte[] out = new byte[1000];
                Arrays.fill(out, (byte) i);
                c.write(ByteBuffer.wrap(out));
                ByteBuffer back = ByteBuffer.allocate(1000);
                while (back.hasRemaining()) {
                    assertTrue(c.read(back) > 0);
                }
                assertArrayEquals(out, back.array());
                total += 1000;
            }
        }
        return total;
    }

    @Test
    void oneSelectorServesTcpAndUdpAndTheRunRepeats() {
        Run first = run(3);
        assertEquals(20, first.datagramSizes().size());
        assertEquals(50_000, first.tcpBytes());
        assertTrue(first.events() > 300, "a trace of " + first.events() + " events");
        assertEquals(first, run(3));
        assertNotEquals(first.traceHash(), run(4).traceHash());
    }
}
