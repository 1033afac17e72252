package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * follows the wall clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PacedDeterminismTest {
    static final Pattern SYN = Pattern.compile("IP (\\S+) > (\\S+): Flags \\[S\\], seq (\\d+)");

    static List<String> syns(long seed) throws Exception {
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
        return trace.events().stream().filter(e -> e.kind() == TraceEvent.Kind.PACKET_OUT && e.host().equals("client"))
                .map(TraceEvent::detail).map(SYN::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + " > " + m.group(2) + " seq " + m.group(3)).toList();
    }

    static List<String> ports(List<String> syns) {
        return syns.stream().map(s -> s.substring(0, s.indexOf(" seq "))).toList();
    }

    @Test
    void sameSeedSamePortsButClockDrivenSequenceNumbers() throws Exception {
        List<String> first = syns(5);
        List<String> again = syns(5);
        assertEquals(3, first.size(), first.toString());
        assertEquals(ports(first), ports(again));
        assertNotEquals(ports(first), ports(syns(6)));
        assertNotEquals(first, again, "ISNs carry the (wall-paced) clock, RFC 6528");
    }
}
