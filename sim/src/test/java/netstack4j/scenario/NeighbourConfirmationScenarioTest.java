package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.trace.MemoryTraceSink;
import netstack4j.trace.TraceEvent;
import org.junit.jupiter.api.Test;

/**
 * Linux's neighbour confirmation: TCP forward progress (new ACKs) confirms the next hop, so a
 * sender that keeps getting ACKs never needs to re-verify it with ARP; a host that only receives
 * (its ACKs are never acknowledged) sees its entry age and verifies it with unicast probes
 * after delay_first_probe_time.
 */
class NeighbourConfirmationScenarioTest {
    static final long S = 1_000_000_000L;

    @Test
    void tcpProgressKeepsTheSendersNeighbourReachableWhileTheReceiverReprobes() {
        MemoryTraceSink trace = new MemoryTraceSink(1 << 20);
        try (Simulator sim = new Simulator(4)) {
            sim.setTrace(trace);
            // 1 Mbit/s: 12 MB take about 100 simulated seconds, several reachable times.
            var t = Topologies.hostPair(sim, LinkParams.of(1_000_000L, 1_000_000L), Topologies.DeviceDecorator.NONE);
            sim.spawn(t.b(), "receiver", ctx -> {
                try (TcpListener l = t.b().sockets().listen(Ipv4SocketAddress.of("0.0.0.0", 9), 4)) {
                    TcpSocket s = l.accept();
                    byte[] buf = new byte[65536];
                    while (s.read(buf, 0, buf.length) > 0) {
                        // drain
                    }
                }
            });
            sim.spawn(t.a(), "sender", ctx -> {
                TcpSocket c = t.a().sockets().tcp();
                c.connect(Ipv4SocketAddress.of("10.0.0.2", 9));
                c.write(new byte[12_000_000], 0, 12_000_000);
                c.close();
            });
            sim.run();
            assertTrue(sim.nowNs() > 90 * S, "the transfer outlived several reachable times: " + sim.nowNs() / S + " s");
        }
        long senderProbes = trace.events().stream().filter(e -> e.host().equals("a") && e.kind() == TraceEvent.Kind.ARP
                && e.detail().contains("unicast probe")).count();
        long receiverProbes = trace.events().stream().filter(e -> e.host().equals("b") && e.kind() == TraceEvent.Kind.ARP
                && e.detail().contains("unicast probe")).count();
        assertEquals(0, senderProbes, "ACK progress confirmed the receiver all along");
        assertTrue(receiverProbes >= 1, "the receiver re-verified the sender: " + receiverProbes);
    }
}
