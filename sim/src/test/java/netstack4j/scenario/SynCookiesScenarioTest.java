package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import org.junit.jupiter.api.Test;

/**
 * N16 with Linux's default tcp_syncookies=1: SYNs that find the SYN queue full are answered with
 * SYN cookies instead of being dropped, so a burst of clients larger than the backlog is served
 * without retransmitted SYNs.
 */
class SynCookiesScenarioTest {
    static final long MS = 1_000_000L;
    static final Ipv4SocketAddress SERVER = Ipv4SocketAddress.of("10.0.2.2", 7);

    @Test
    void aBurstLargerThanTheSynQueueIsServedWithCookies() {
        int clients = 8;
        List<String> replies = new ArrayList<>();
        try (Simulator sim = new Simulator(21)) {
            var t = Topologies.clientRouterServer(sim, LinkParams.of(100_000_000L, MS));
            sim.spawn(t.server(), "server", ctx -> {
                try (TcpListener l = t.server().sockets().listen(SERVER, 1)) {
                    for (int i = 0; i < clients; i++) {
                        TcpSocket c = l.accept();
                        byte[] buf = new byte[64];
                        int n = c.read(buf, 0, buf.length);
                        c.write(buf, 0, n);
                        c.close();
                    }
                }
            });
            for (int i = 0; i < clients; i++) {
                int id = i;
                sim.spawn(t.client(), "client" + i, ctx -> {
                    TcpSocket s = t.client().sockets().tcp();
                    s.connect(SERVER);
                    byte[] msg = ("hello " + id).getBytes();
                    s.write(msg, 0, msg.length);
                    byte[] buf = new byte[64];
                    int n = s.read(buf, 0, buf.length);
                    replies.add(new String(buf, 0, n));
                    s.close();
                });
            }
            sim.run();
            long sent = t.server().counters().get(Counter.TcpExtSyncookiesSent);
            assertTrue(sent > 0, "the SYN queue overflowed and cookies went out");
            assertEquals(sent, t.server().counters().get(Counter.TcpExtSyncookiesRecv), "every cookie came back valid");
            assertEquals(0, t.server().counters().get(Counter.TcpExtSyncookiesFailed));
            assertEquals(0, t.client().counters().get(Counter.TcpRetransSegs), "no SYN had to be retransmitted");
        }
        assertEquals(clients, replies.size());
        for (int i = 0; i < clients; i++) {
            assertTrue(replies.contains("hello " + i), replies.toString());
        }
    }
}
