package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netstack4j.sim.LinkParams;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.trace.MemoryTraceSink;
import netstack4j.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the real-time-paced mode keeps deterministic (package {@code netstack4j.nio}) and what
 * not: two runs with the same seed open their connections from the same ephemeral ports (the
 * stack's seeded draws, in order), another seed from others; but the initial sequence numbers
 * differ, because RFC 6528 adds a clock to them and the virtual time at which a thread connects
 * follows the wall clock, and so do the packet traces and their hashes. (The simulated-process
 * mode, where the same seed gives the same trace hash, is {@code SimulatedSelectorTest}'s.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PacedDeterminismTest {
    static final Pattern SYN = Pattern.compile("IP (\\S+) > (\\S+): Flags \\[S\\], seq (\\d+)");

    /** The client's SYNs ("10.0.1.2.PORT > 10.0.2.2.7 seq ISN") and the hash of the whole trace. */
    record Run(List<String> syns, String traceHash) {
    }

    static Run run(long seed) throws Exception {
        MemoryTraceSink trace = new MemoryTraceSink(100_000);
        try (Simulator sim = new Simulator(seed);
             RealTimePacer pacer = new RealTimePacer(sim)) {
            sim.setTrace(trace);
            var net = Topologies.clientRouterServer(sim, LinkParams.of(100_000_000L, 1_000_000L));
            pacer.start();
            NetSelectorProvider server = NetSelectorProvider.of(net.server());
            NetSelectorProvider client = NetSelectorProvider.of(net.client());
            try (ServerSocketChannel l = server.openServerSocketChannel().bind(new InetSocketAddress(7))) {
                for (int i = 0; i < 3; i++) {
                    try (SocketChannel c = client.openSocketChannel()) {
                        c.connect(new InetSocketAddress("10.0.2.2", 7));
                        c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                        l.accept().close();
                    }
                }
            }
        }
        List<String> syns = trace.events().stream().filter(e -> e.kind() == TraceEvent.Kind.PACKET_OUT && e.host().equals("client"))
                .map(TraceEvent::detail).map(SYN::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + " > " + m.group(2) + " seq " + m.group(3)).toList();
        return new Run(syns, trace.hash());
    }

    static List<String> ports(List<String> syns) {
        return syns.stream().map(s -> s.substring(0, s.indexOf(" seq "))).toList();
    }

    @Test
    void sameSeedSamePortsButClockDrivenSequenceNumbersAndTraces() throws Exception {
        Run first = run(5);
        Run again = run(5);
        assertEquals(3, first.syns().size(), first.syns().toString());
        assertEquals(ports(first.syns()), ports(again.syns()));
        assertNotEquals(ports(first.syns()), ports(run(6).syns()));
        assertNotEquals(first.syns(), again.syns(), "ISNs carry the (wall-paced) clock, RFC 6528");
        // What package netstack4j.nio states: in this mode the trace, hence its hash, is not the
        // seed's alone. Should this start to hold, the package documentation must say so.
        assertNotEquals(first.traceHash(), again.traceHash(), "two paced runs with one seed gave the same trace");
    }

    /**
     * The numbers of the datagrams that crossed client - router - server when, after a clean first
     * datagram (ARP done), both links lose 30 % of frames and the client sends 0..99 back to back
     * from this thread, at whatever virtual times the wall clock gives them.
     */
    static List<Integer> survivors(long seed) throws Exception {
        List<Integer> got = new ArrayList<>();
        try (PacedNetwork n = new PacedNetwork(seed, LinkParams.of(100_000_000L, 1_000_000L))) {
            try (DatagramChannel server = NetSelectorProvider.of(n.server()).openDatagramChannel().bind(new InetSocketAddress(9));
                 DatagramChannel client = NetSelectorProvider.of(n.client()).openDatagramChannel();
                 Selector selector = NetSelectorProvider.of(n.server()).openSelector()) {
                InetSocketAddress to = new InetSocketAddress("10.0.2.2", 9);
                client.send(ByteBuffer.wrap(new byte[] {-1}), to);
                ByteBuffer b = ByteBuffer.allocate(16);
                server.receive(b);
                LinkParams lossy = LinkParams.of(100_000_000L, 1_000_000L).withLoss(0.3);
                n.pacer.run(() -> {
                    n.net.clientLink().setParams(lossy);
                    n.net.serverLink().setParams(lossy);
                });
                for (int i = 0; i < 100; i++) {
                    client.send(ByteBuffer.wrap(new byte[] {(byte) i}), to);
                }
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_READ);
                // Timed waits end in virtual time: 200 ms is a hundred times the path's delay.
                while (selector.select(200) > 0) {
                    selector.selectedKeys().clear();
                    while (server.receive(b.clear()) != null) {
                        got.add((int) b.flip().get());
                    }
                }
            }
        }
        return got;
    }

    @Test
    void sameSeedSameFramesLostWhateverTheirTiming() throws Exception {
        List<Integer> first = survivors(8);
        assertTrue(first.size() > 20 && first.size() < 80, "about half of 100 cross two links losing 30 %: " + first.size());
        assertEquals(first, survivors(8), "the n-th frame on a link is lost alike with the seed");
        assertNotEquals(first, survivors(9));
    }
}
