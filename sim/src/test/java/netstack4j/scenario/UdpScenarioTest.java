package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimSwitch;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/** UDP sockets end to end: boundaries, buffers, binding, errors, ICMP. */
class UdpScenarioTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    /** a and b on a switch, b built with {@code bConfig}. */
    static Topologies.TwoHosts twoHosts(Simulator sim, StackConfig bConfig) {
        NetStack a = sim.newHost("a");
        NetStack b = sim.attach(sim.builderFor("b").config(bConfig).build());
        SimSwitch sw = sim.newSwitch("sw");
        var la = sw.connect(a, LinkParams.of(0, MS));
        var lb = sw.connect(b, LinkParams.of(0, MS));
        a.addInterface(la.a(), A, 24);
        b.addInterface(lb.a(), B, 24);
        return new Topologies.TwoHosts(a, b, sw, la, lb);
    }

    @Test
    void datagramBoundariesAreKept() {
        try (Simulator sim = new Simulator(41)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            byte[][] sent = {FakeHost.pattern(1, 1), FakeHost.pattern(1000, 2), FakeHost.pattern(3000, 3)};
            List<byte[]> got = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    byte[] buf = new byte[65536];
                    for (int i = 0; i < 3; i++) {
                        got.add(Arrays.copyOf(buf, s.receive(buf).length()));
                    }
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    for (byte[] d : sent) {
                        s.sendTo(d, new Ipv4SocketAddress(B, 9));
                    }
                }
            });
            sim.run();
            // N28: one receive, one whole datagram, never merged or split.
            assertEquals(3, got.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(sent[i], got.get(i));
            }
        }
    }

    @Test
    void smallBufferTruncatesAndDiscardsTheRest() {
        try (Simulator sim = new Simulator(42)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<ReceivedDatagram> got = new ArrayList<>();
            List<byte[]> bytes = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    byte[] buf = new byte[10];
                    got.add(s.receive(buf));
                    bytes.add(buf.clone());
                    got.add(s.receive(buf));
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(5000);
                    s.sendTo(FakeHost.pattern(100, 0), new Ipv4SocketAddress(B, 9));
                    s.sendTo(new byte[] {42}, new Ipv4SocketAddress(B, 9));
                }
            });
            sim.run();
            assertEquals(new ReceivedDatagram(10, 100, new Ipv4SocketAddress(A, 5000)), got.get(0));
            assertTrue(got.get(0).truncated());
            assertArrayEquals(Arrays.copyOf(FakeHost.pattern(100, 0), 10), bytes.getFirst());
            // The other 90 bytes are gone: the next receive is the next datagram.
            assertEquals(new ReceivedDatagram(1, 1, new Ipv4SocketAddress(A, 5000)), got.get(1));
        }
    }

    /** b's reader sleeps while a sends ten 1000-byte datagrams; returns how many b then reads. */
    private static int slowReader(Personality p, int rcvbuf, int size, int count, long[] drops, long[] rcvbufErrors) {
        try (Simulator sim = new Simulator(43)) {
            var t = twoHosts(sim, StackConfig.defaults(p));
            int[] read = {0};
            sim.spawn(t.b(), "slow", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
                    s.bind(9);
                    ctx.sleep(S);
                    s.setNonBlocking(true);
                    drops[0] = s.drops();
                    byte[] buf = new byte[65536];
                    try {
                        while (true) {
                            s.receive(buf);
                            read[0]++;
                        }
                    } catch (ErrnoException e) {
                        assertEquals(Errno.EAGAIN, e.errno());
                    }
                }
            });
            sim.spawn(t.a(), "fast", ctx -> {
                ctx.sleep(10 * MS);
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    for (int i = 0; i < count; i++) {
                        s.sendTo(new byte[size], new Ipv4SocketAddress(B, 9));
                    }
                }
            });
            sim.run();
            rcvbufErrors[0] = t.b().counters().get(Counter.UdpRcvbufErrors);
            assertEquals(rcvbufErrors[0], t.b().counters().drops(DropReason.UDP_RCVBUF_FULL));
            assertEquals(count, read[0] + rcvbufErrors[0]);
            return read[0];
        }
    }

    @Test
    void fullReceiveBufferDropsOnLinux() {
        long[] drops = new long[1];
        long[] errors = new long[1];
        // SO_RCVBUF 2000 -> 4000 (doubled). Each 1000-byte datagram is charged 1664 bytes (truesize);
        // Linux admits while the charge so far is within the buffer: 0, 1664, 3328 -> 3 admitted.
        int read = slowReader(Personality.LINUX, 2000, 1000, 10, drops, errors);
        assertEquals(3, read);
        assertEquals(7, errors[0]);
        assertEquals(7, drops[0], "per-socket drops (ss -m d)");
    }

    @Test
    void fullReceiveBufferDropsOnWindows() {
        long[] drops = new long[1];
        long[] errors = new long[1];
        // Windows keeps 2000 and admits only what fits: one datagram.
        int read = slowReader(Personality.WINDOWS, 2000, 1000, 10, drops, errors);
        assertEquals(1, read);
        assertEquals(9, errors[0]);
        assertEquals(9, drops[0]);
    }

    @Test
    void linuxAdmitsOneOversizedDatagramIntoAnEmptyQueue() {
        long[] drops = new long[1];
        long[] errors = new long[1];
        // SO_RCVBUF 0 -> SOCK_MIN_RCVBUF 2304; a 5000-byte datagram still gets in when the queue is empty.
        assertEquals(1, slowReader(Personality.LINUX, 0, 5000, 2, drops, errors));
        assertEquals(1, errors[0]);
    }

    @Test
    void windowsNeverAdmitsADatagramLargerThanTheBuffer() {
        long[] drops = new long[1];
        long[] errors = new long[1];
        // N30: a receive buffer smaller than the datagram always fails.
        assertEquals(0, slowReader(Personality.WINDOWS, 1000, 2000, 3, drops, errors));
        assertEquals(3, errors[0]);
    }

    @Test
    void soRcvbufReadsBackDoubledAndCappedOnLinux() {
        try (Simulator sim = new Simulator(44)) {
            NetStack h = sim.newHost("h");
            List<Integer> values = new ArrayList<>();
            sim.spawn(h, "app", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    values.add(s.getOption(StandardSocketOptions.SO_RCVBUF));
                    for (int v : new int[] {10_000, 1_000_000, 0}) {
                        s.setOption(StandardSocketOptions.SO_RCVBUF, v);
                        values.add(s.getOption(StandardSocketOptions.SO_RCVBUF));
                    }
                }
            });
            sim.run();
            // rmem_default 212992; 10000 -> 20000; capped at rmem_max 212992 -> 425984; 0 -> 2304.
            assertEquals(List.of(212_992, 20_000, 425_984, 2304), values);
        }
    }

    @Test
    void bindRules() {
        try (Simulator sim = new Simulator(45)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<Object> r = new ArrayList<>();
            sim.spawn(t.a(), "app", ctx -> {
                var f = ctx.host().sockets();
                UdpSocket s1 = f.udp();
                s1.bind(5000);
                UdpSocket s2 = f.udp();
                r.add(assertThrows(ErrnoException.class, () -> s2.bind(5000)).errno());
                // Specific address vs wildcard on the same port: both directions conflict.
                UdpSocket s3 = f.udp();
                s3.bind(new Ipv4SocketAddress(A, 6000));
                r.add(assertThrows(ErrnoException.class, () -> s2.bind(6000)).errno());
                // Two different specific addresses do not.
                UdpSocket s4 = f.udp();
                s4.bind(new Ipv4SocketAddress(Ipv4Address.LOOPBACK, 6000));
                // A foreign address cannot be bound.
                UdpSocket s5 = f.udp();
                r.add(assertThrows(ErrnoException.class,
                        () -> s5.bind(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.99"), 7000))).errno());
                // Port 0: an ephemeral port from ip_local_port_range.
                UdpSocket s6 = f.udp();
                s6.bind(0);
                r.add(s6.localAddress().port());
                // Binding twice is EINVAL.
                r.add(assertThrows(ErrnoException.class, () -> s6.bind(7001)).errno());
                s1.close();
                s2.bind(5000); // free again after close
                r.add("ok");
            });
            sim.run();
            assertEquals(Errno.EADDRINUSE, r.get(0));
            assertEquals(Errno.EADDRINUSE, r.get(1));
            assertEquals(Errno.EADDRNOTAVAIL, r.get(2));
            int port = (Integer) r.get(3);
            assertTrue(port >= 32768 && port <= 60999, "port " + port);
            assertEquals(Errno.EINVAL, r.get(4));
            assertEquals("ok", r.get(5));
        }
    }

    @Test
    void reuseAddrMostRecentBinderReceives() {
        try (Simulator sim = new Simulator(46)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<String> got = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                UdpSocket first = ctx.host().sockets().udp();
                first.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                first.bind(9);
                UdpSocket second = ctx.host().sockets().udp();
                second.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                second.bind(9);
                UdpSocket third = ctx.host().sockets().udp();
                // Without SO_REUSEADDR on the newcomer: refused.
                assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class, () -> third.bind(9)).errno());
                byte[] buf = new byte[10];
                second.receive(buf);
                got.add("second");
                first.setNonBlocking(true);
                assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> first.receive(buf)).errno());
                second.close();
                first.setNonBlocking(false);
                first.receive(buf);
                got.add("first");
            });
            sim.spawn(t.a(), "client", ctx -> {
                ctx.sleep(10 * MS);
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(new byte[1], new Ipv4SocketAddress(B, 9));
                    ctx.sleep(100 * MS);
                    s.sendTo(new byte[1], new Ipv4SocketAddress(B, 9));
                }
            });
            sim.run();
            // N31: both bound; the most recent binder got the datagram; after it closed, the first.
            assertEquals(List.of("second", "first"), got);
        }
    }

    @Test
    void portUnreachableRefusesConnectedSocketOnly() {
        try (Simulator sim = new Simulator(47)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<Object> r = new ArrayList<>();
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket connected = ctx.host().sockets().udp(); UdpSocket loose = ctx.host().sockets().udp()) {
                    connected.connect(new Ipv4SocketAddress(B, 9999));
                    connected.send(new byte[1]);
                    loose.sendTo(new byte[1], new Ipv4SocketAddress(B, 9998));
                    ctx.sleep(100 * MS);
                    // The next call on the connected socket reports the ICMP port unreachable, once.
                    r.add(assertThrows(ErrnoException.class, () -> connected.send(new byte[1])).errno());
                    ctx.sleep(100 * MS);
                    loose.sendTo(new byte[1], new Ipv4SocketAddress(B, 9998));
                    loose.setNonBlocking(true);
                    r.add(assertThrows(ErrnoException.class, () -> loose.receive(new byte[10])).errno());
                    r.add(loose.takeError() == null ? "no error" : "error");
                }
            });
            sim.run();
            assertEquals(List.of(Errno.ECONNREFUSED, Errno.EAGAIN, "no error"), r);
            assertEquals(3, t.b().counters().get(Counter.UdpNoPorts));
            assertEquals(3, t.b().counters().get(Counter.IcmpOutDestUnreachs));
            assertEquals(3, t.a().counters().get(Counter.IcmpInDestUnreachs));
        }
    }

    @Test
    void datagramSizeLimit() {
        try (Simulator sim = new Simulator(48)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<Integer> got = new ArrayList<>();
            List<Errno> errors = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    got.add(s.receive(new byte[70000]).length());
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    errors.add(assertThrows(ErrnoException.class,
                            () -> s.sendTo(new byte[65508], new Ipv4SocketAddress(B, 9))).errno());
                    s.sendTo(new byte[65507], new Ipv4SocketAddress(B, 9));
                }
            });
            sim.run();
            assertEquals(List.of(Errno.EMSGSIZE), errors);
            // 65507 + 8 + 20 = 65535: the largest datagram, in 45 fragments.
            assertEquals(List.of(65507), got);
            assertEquals(45, t.a().counters().get(Counter.IpFragCreates));
        }
    }

    @Test
    void nonBlockingAndTimedReceive() {
        try (Simulator sim = new Simulator(49)) {
            NetStack h = sim.newHost("h");
            List<Object> r = new ArrayList<>();
            sim.spawn(h, "app", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    s.setNonBlocking(true);
                    long t0 = ctx.nowNs();
                    r.add(assertThrows(ErrnoException.class, () -> s.receive(new byte[10])).errno());
                    r.add(ctx.nowNs() - t0);
                    s.setNonBlocking(false);
                    s.setReceiveTimeout(Duration.ofMillis(1500));
                    t0 = ctx.nowNs();
                    r.add(assertThrows(ErrnoException.class, () -> s.receive(new byte[10])).errno());
                    r.add(ctx.nowNs() - t0);
                }
            });
            sim.run();
            // EAGAIN at once, then EAGAIN exactly at the SO_RCVTIMEO deadline.
            assertEquals(List.of(Errno.EAGAIN, 0L, Errno.EAGAIN, 1500 * MS), r);
        }
    }

    @Test
    void icmpErrorsAreRateLimitedPerDestination() {
        try (Simulator sim = new Simulator(50)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    for (int i = 0; i < 20; i++) {
                        s.sendTo(new byte[1], new Ipv4SocketAddress(B, 9999));
                    }
                    ctx.sleep(S);
                    assertEquals(6L, t.b().counters().get(Counter.IcmpOutDestUnreachs));
                    // Then one token a second: one datagram every 250 ms for 4 s.
                    for (int i = 0; i < 16; i++) {
                        ctx.sleep(250 * MS);
                        s.sendTo(new byte[1], new Ipv4SocketAddress(B, 9999));
                    }
                }
            });
            sim.run();
            assertEquals(36, t.b().counters().get(Counter.UdpNoPorts));
            // Burst of 6 (XRLIM_BURST_FACTOR), then icmp_ratelimit 1 s: one token a second, so 4
            // more in the 4 s of slow sending (at 1.25, 2.25, 3.25 and 4.25 s).
            assertEquals(10, t.b().counters().get(Counter.IcmpOutDestUnreachs));
            assertEquals(26, t.b().counters().drops(DropReason.ICMP_RATELIMIT));
            assertEquals(10, t.a().counters().get(Counter.IcmpInDestUnreachs));
        }
    }

    @Test
    void corruptedDatagramsAreNeverDelivered() {
        try (Simulator sim = new Simulator(51)) {
            var t = Topologies.twoHostsOnSwitch(sim, LinkParams.of(0, MS));
            List<byte[]> got = new ArrayList<>();
            sim.spawn(t.b(), "server", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.bind(9);
                    s.setReceiveTimeout(Duration.ofSeconds(5));
                    byte[] buf = new byte[2000];
                    while (true) {
                        got.add(Arrays.copyOf(buf, s.receive(buf).length()));
                    }
                } catch (ErrnoException e) {
                    assertEquals(Errno.EAGAIN, e.errno());
                }
            });
            sim.spawn(t.a(), "client", ctx -> {
                try (UdpSocket s = ctx.host().sockets().udp()) {
                    s.sendTo(FakeHost.pattern(100, 0), new Ipv4SocketAddress(B, 9)); // resolves ARP cleanly
                    ctx.sleep(100 * MS);
                    t.linkA().setParams(LinkParams.of(0, MS).withPayloadCorrupt(1.0));
                    for (int i = 1; i <= 300; i++) {
                        s.sendTo(FakeHost.pattern(100 + i, i), new Ipv4SocketAddress(B, 9));
                    }
                }
            });
            sim.run();
            // Every datagram had one bit of its IP payload (UDP header or data) flipped past the
            // FCS. The UDP checksum detects every single-bit error (RFC 1071); a flip that makes
            // the UDP length exceed the datagram is refused before, as a short packet. (A flip
            // that turns a checksum with one bit set into 0, "no checksum", delivers the intact
            // data: the assertion on content covers that case.)
            for (byte[] d : got) {
                assertArrayEquals(FakeHost.pattern(d.length, d.length - 100), d);
            }
            var c = t.b().counters();
            assertEquals(100, got.getFirst().length, "the datagram sent before the damage began arrived");
            assertEquals(300, c.get(Counter.UdpInErrors) + got.size() - 1);
            assertEquals(c.get(Counter.UdpInCsumErrors), c.drops(DropReason.UDP_CSUM));
            assertEquals(c.get(Counter.UdpInErrors), c.drops(DropReason.UDP_CSUM) + c.drops(DropReason.UDP_MALFORMED));
            assertTrue(c.get(Counter.UdpInCsumErrors) > 280, "nearly all are checksum errors");
            assertEquals(0, c.get(Counter.IpExtInCsumErrors), "the IP header is never touched");
        }
    }
}
