package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.SimLink;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ephemeral ports come from the personality's range: Linux 32768–60999, Windows 49152–65535. */
class PersonalityPortsScenarioTest {
    @ParameterizedTest
    @EnumSource(Personality.class)
    void connectAndBindZeroUseThePersonalitysRange(Personality p) {
        int low = p == Personality.LINUX ? 32768 : 49152;
        int high = p == Personality.LINUX ? 60999 : 65535;
        int[] ports = new int[2];
        try (Simulator sim = new Simulator(3)) {
            NetStack a = sim.attach(sim.builderFor("a").config(StackConfig.defaults(p)).build());
            NetStack b = sim.newHost("b");
            SimLink link = sim.connect(a, b, LinkParams.of(0, 1_000_000L));
            a.addInterface(link.a(), Ipv4Address.parse("10.0.0.1"), 24);
            b.addInterface(link.b(), Ipv4Address.parse("10.0.0.2"), 24);
            sim.spawn(b, "server", ctx -> {
                try (TcpListener l = b.sockets().listen(Ipv4SocketAddress.of("0.0.0.0", 80), 4)) {
                    l.accept().close();
                }
            });
            sim.spawn(a, "client", ctx -> {
                TcpSocket c = a.sockets().tcp();
                c.connect(Ipv4SocketAddress.of("10.0.0.2", 80));
                ports[0] = c.localAddress().port();
                c.close();
                try (UdpSocket u = a.sockets().udp()) {
                    u.bind(0);
                    ports[1] = u.localAddress().port();
                }
            });
            sim.run();
        }
        for (int port : ports) {
            assertTrue(port >= low && port <= high, p + ": port " + port + " outside " + low + "-" + high);
        }
    }
}
