package netstack4j.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.stack.NetStack;
import org.junit.jupiter.api.Test;

/** The epoll-like poller over UDP sockets (N10), in simulated time. */
class PollerTest {
    private static final long MS = 1_000_000L;

    private static Ipv4SocketAddress addr(NetStack host, int port) {
        return new Ipv4SocketAddress(host.interfaceByName("eth0").address(), port);
    }

    @Test
    void blockingPollWakesWhenADatagramArrives() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            List<String> log = new ArrayList<>();
            sim.spawn(net.b(), "server", ctx -> {
                UdpSocket s = net.b().sockets().udp();
                s.bind(9000);
                try (Poller p = net.b().sockets().poller()) {
                    p.register(s, PollEvents.IN, "srv");
                    List<Poller.Ready> out = new ArrayList<>();
                    int n = p.poll(out, 8, null);
                    log.add(n + " " + out.get(0).attachment() + " " + PollEvents.toString(out.get(0).events()) + " @" + ctx.nowNs() / MS);
                }
            });
            sim.spawn(net.a(), "client", ctx -> {
                ctx.sleep(10 * MS);
                net.a().sockets().udp().sendTo(new byte[10], addr(net.b(), 9000));
            });
            sim.run();
            // Sent at 10 ms; ARP request and reply, then the datagram, each cross two 1 ms hops.
            assertEquals(1, log.size());
            assertTrue(log.get(0).startsWith("1 srv POLLIN @"), log.get(0));
        }
    }

    @Test
    void pollTimesOutWithZeroAndLevelTriggeredStaysReady() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            List<String> log = new ArrayList<>();
            sim.spawn(net.b(), "server", ctx -> {
                UdpSocket s = net.b().sockets().udp();
                s.bind(9000);
                Poller p = net.b().sockets().poller();
                p.register(s, PollEvents.IN, null);
                List<Poller.Ready> out = new ArrayList<>();
                log.add("timeout " + p.poll(out, 8, Duration.ofMillis(5)) + " @" + ctx.nowNs() / MS);
                log.add("ready " + p.poll(out, 8, null));
                out.clear();
                // Level-triggered: the datagram is still queued, so it is reported again.
                log.add("again " + p.poll(out, 8, Duration.ZERO));
                s.receive(new byte[100]);
                out.clear();
                log.add("drained " + p.poll(out, 8, Duration.ZERO));
            });
            sim.spawn(net.a(), "client", ctx -> {
                ctx.sleep(20 * MS);
                net.a().sockets().udp().sendTo(new byte[10], addr(net.b(), 9000));
            });
            sim.run();
            assertEquals(List.of("timeout 0 @5", "ready 1", "again 1", "drained 0"), log);
        }
    }

    @Test
    void edgeTriggeredReportsOncePerArrivalAndOneshotOnceUntilModified() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            List<String> log = new ArrayList<>();
            sim.spawn(net.b(), "server", ctx -> {
                UdpSocket et = net.b().sockets().udp();
                et.bind(9000);
                UdpSocket once = net.b().sockets().udp();
                once.bind(9001);
                Poller p = net.b().sockets().poller();
                p.register(et, PollEvents.IN | PollEvents.ET, "et");
                p.register(once, PollEvents.IN | PollEvents.ONESHOT, "once");
                List<Poller.Ready> out = new ArrayList<>();
                ctx.sleepUntil(30 * MS);
                log.add("first " + p.poll(out, 8, Duration.ZERO) + " " + names(out));
                out.clear();
                // Both datagrams are still queued, but neither registration reports again.
                log.add("second " + p.poll(out, 8, Duration.ZERO) + " " + names(out));
                out.clear();
                ctx.sleepUntil(60 * MS);
                // A second datagram on each: ET fires again, ONESHOT stays disabled.
                log.add("third " + p.poll(out, 8, Duration.ZERO) + " " + names(out));
                out.clear();
                p.modify(once, PollEvents.IN, "once");
                log.add("rearmed " + p.poll(out, 8, Duration.ZERO) + " " + names(out));
            });
            sim.spawn(net.a(), "client", ctx -> {
                UdpSocket c = net.a().sockets().udp();
                ctx.sleep(20 * MS);
                c.sendTo(new byte[1], addr(net.b(), 9000));
                c.sendTo(new byte[1], addr(net.b(), 9001));
                ctx.sleep(20 * MS);
                c.sendTo(new byte[1], addr(net.b(), 9000));
                c.sendTo(new byte[1], addr(net.b(), 9001));
            });
            sim.run();
            assertEquals(List.of("first 2 [et, once]", "second 0 []", "third 1 [et]", "rearmed 1 [once]"), log);
        }
    }

    private static List<Object> names(List<Poller.Ready> out) {
        return out.stream().map(Poller.Ready::attachment).toList();
    }

    @Test
    void errorsAndClosedSocketsAndBadCalls() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            sim.spawn(net.a(), "app", ctx -> {
                UdpSocket s = net.a().sockets().udp();
                // Connected to a port nobody listens on: ICMP port unreachable makes ERR pending.
                s.connect(addr(net.b(), 4444));
                Poller p = net.a().sockets().poller();
                p.register(s, PollEvents.IN, "s");
                assertThrows(ErrnoException.class, () -> p.register(s, PollEvents.IN, "s"));
                s.send(new byte[5]);
                List<Poller.Ready> out = new ArrayList<>();
                assertEquals(1, p.poll(out, 8, Duration.ofSeconds(1)));
                assertEquals(PollEvents.ERR, out.get(0).events() & PollEvents.ERR, "ERR is reported unasked");
                assertEquals(Errno.ECONNREFUSED, s.takeError());
                s.close();
                out.clear();
                // A closed socket leaves the poller.
                assertEquals(0, p.poll(out, 8, Duration.ZERO));
                assertFalse(p.isRegistered(s));
                ErrnoException e = assertThrows(ErrnoException.class, () -> p.unregister(s));
                assertEquals(Errno.ENOENT, e.errno());
                e = assertThrows(ErrnoException.class, () -> p.poll(out, 0, Duration.ZERO));
                assertEquals(Errno.EINVAL, e.errno());
            });
            sim.run();
            assertTrue(sim.processes().get(0).isDone());
            assertSame(null, sim.processes().get(0).failure());
        }
    }

    @Test
    void hundredThousandRegisteredOneReadyCostsOneExamination() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            int sockets = 100_000;
            long[] examined = new long[2];
            List<Object> got = new ArrayList<>();
            sim.spawn(net.b(), "server", ctx -> {
                Poller p = net.b().sockets().poller();
                List<UdpSocket> all = new ArrayList<>(sockets);
                for (int i = 0; i < sockets; i++) {
                    UdpSocket s = net.b().sockets().udp();
                    if (i == 4242) {
                        s.bind(4242);
                    }
                    all.add(s);
                }
                for (int i = 0; i < sockets; i++) {
                    p.register(all.get(i), PollEvents.IN, i);
                }
                List<Poller.Ready> out = new ArrayList<>();
                // Nothing is ready: a poll looks at no socket at all.
                assertEquals(0, p.poll(out, 64, Duration.ZERO));
                examined[0] = p.examinedCount();
                assertEquals(1, p.poll(out, 64, null));
                examined[1] = p.examinedCount() - examined[0];
                got.add(out.get(0).attachment());
                assertEquals(sockets, p.size());
            });
            sim.spawn(net.a(), "client", ctx -> {
                ctx.sleep(10 * MS);
                net.a().sockets().udp().sendTo(new byte[10], addr(net.b(), 4242));
            });
            sim.run();
            assertEquals(0, examined[0]);
            assertEquals(1, examined[1], "a poll after one socket became ready examines only that socket");
            assertEquals(List.of(4242), got);
        }
    }

    @Test
    void tcpListenerAndConnectionReadiness() {
        try (Simulator sim = new Simulator(7)) {
            Topologies.TwoHosts net = Topologies.twoHostsOnSwitch(sim, LinkParams.of(1_000_000_000L, MS));
            List<String> log = new ArrayList<>();
            sim.spawn(net.b(), "server", ctx -> {
                TcpSocket listener = net.b().sockets().tcp();
                listener.bind(addr(net.b(), 8080));
                listener.listen(4);
                Poller p = net.b().sockets().poller();
                p.register(listener, PollEvents.IN, "listener");
                List<Poller.Ready> out = new ArrayList<>();
                p.poll(out, 8, null);
                log.add(out.getFirst().attachment() + " " + PollEvents.toString(out.getFirst().events()));
                TcpSocket conn = listener.accept();
                p.register(conn, PollEvents.IN | PollEvents.RDHUP, "conn");
                out.clear();
                p.poll(out, 8, null);
                log.add(out.getFirst().attachment() + " " + PollEvents.toString(out.getFirst().events()));
                conn.read(new byte[100], 0, 100);
                out.clear();
                p.poll(out, 8, null);
                log.add(out.getFirst().attachment() + " " + PollEvents.toString(out.getFirst().events()));
                log.add("read " + conn.read(new byte[100], 0, 100));
            });
            sim.spawn(net.a(), "client", ctx -> {
                ctx.sleep(10 * MS);
                TcpSocket c = net.a().sockets().tcp();
                c.connect(addr(net.b(), 8080));
                ctx.sleep(10 * MS);
                c.write(new byte[5], 0, 5);
                ctx.sleep(10 * MS);
                c.close();
            });
            sim.run();
            assertEquals(List.of("listener POLLIN", "conn POLLIN", "conn POLLIN|POLLRDHUP", "read 0"), log);
        }
    }
}
