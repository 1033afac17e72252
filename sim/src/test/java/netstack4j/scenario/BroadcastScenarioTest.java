package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A UDP datagram to the subnet's broadcast address reaches every host (SO_BROADCAST required). */
class BroadcastScenarioTest {
    @Test
    void subnetBroadcastReachesEveryHostAndIsCounted() {
        List<String> got = new ArrayList<>();
        try (Simulator sim = new Simulator(31)) {
            var lan = Topologies.lan(sim, 3, LinkParams.of(0, 1_000_000L));
            for (NetStack h : lan.hosts().subList(1, 3)) {
                sim.spawn(h, "listener", ctx -> {
                    try (UdpSocket s = h.sockets().udp()) {
                        s.bind(5000);
                        byte[] buf = new byte[100];
                        ReceivedDatagram d = s.receive(buf);
                        got.add(h.name() + " " + new String(buf, 0, d.length()) + " from " + d.source());
                    }
                });
            }
            NetStack h1 = lan.hosts().get(0);
            sim.spawn(h1, "sender", ctx -> {
                ctx.sleep(10_000_000L);
                try (UdpSocket s = h1.sockets().udp()) {
                    var everyone = Ipv4SocketAddress.of("10.0.0.255", 5000);
                    // Linux: sending to a broadcast address needs SO_BROADCAST, else EACCES.
                    assertEquals(Errno.EACCES, assertThrows(ErrnoException.class,
                            () -> s.sendTo("hi".getBytes(), everyone)).errno());
                    s.setOption(StandardSocketOptions.SO_BROADCAST, true);
                    s.bind(6000);
                    s.sendTo("hi".getBytes(), everyone);
                }
            });
            sim.run();
            assertEquals(1, h1.counters().get(Counter.IpExtOutBcastPkts));
            assertEquals(1, lan.hosts().get(1).counters().get(Counter.IpExtInBcastPkts));
            assertEquals(1, lan.hosts().get(2).counters().get(Counter.IpExtInBcastPkts));
        }
        got.sort(null);
        assertEquals(List.of("h2 hi from 10.0.0.1:6000", "h3 hi from 10.0.0.1:6000"), got);
    }
}
