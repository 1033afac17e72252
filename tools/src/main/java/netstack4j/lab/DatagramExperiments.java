package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PingSocket;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.Personality;
import netstack4j.wire.Ipv4Address;

/** Experiments on UDP and IP: N28–N31, N33. */
final class DatagramExperiments {
    private DatagramExperiments() {
    }

    static final Ipv4SocketAddress B9000 = Ipv4SocketAddress.of("10.0.0.2", 9000);

    static List<Experiment> all() {
        return List.of(
                new Experiment("N28", "udp-boundaries", "UDP keeps message boundaries: each recvfrom returns one whole datagram", "", DatagramExperiments::boundaries),
                new Experiment("N29", "fragmentation", "IP fragments a datagram larger than the MTU; the receiver reassembles it before any of it can be read",
                        "", DatagramExperiments::fragmentation),
                new Experiment("N30", "udp-rcvbuf", "a UDP receive buffer smaller than the datagram always fails; a full buffer drops datagrams, counted in netstat -s",
                        "windows", DatagramExperiments::udpRcvbuf),
                new Experiment("N31", "reuseaddr", "SO_REUSEADDR: TCP binds an address still in TIME_WAIT; UDP lets several sockets bind one port (the most recent receives)",
                        "", DatagramExperiments::reuseAddr),
                new Experiment("N33", "icmp-arp", "ICMP reports delivery errors (port unreachable) and answers echo; ARP maps an IP address to a MAC address",
                        "", DatagramExperiments::icmpArp));
    }

    private static Verdict boundaries(Run run) {
        Bench bench = run.bench();
        run.setup("a sends three datagrams of 100, 2000 and 50 bytes to b:9000 back to back; b reads afterwards with a 65536-byte buffer.");
        List<Integer> got = new ArrayList<>();
        bench.spawn(bench.b(), "rx", ctx -> {
            try (UdpSocket rx = ctx.host().sockets().udp()) {
                rx.bind(9000);
                ctx.sleep(100 * MS);
                byte[] buf = new byte[65536];
                for (int i = 0; i < 3; i++) {
                    got.add(rx.receive(buf).length());
                }
            }
        });
        bench.spawn(bench.a(), "tx", ctx -> {
            ctx.sleep(1 * MS);
            try (UdpSocket tx = ctx.host().sockets().udp()) {
                for (int n : new int[] {100, 2000, 50}) {
                    tx.sendTo(new byte[n], B9000);
                }
            }
        });
        bench.runFor(1 * S);
        run.say("recvfrom returned " + got + " (a stream socket would have returned the 2150 bytes in any split)");
        return Verdict.of(got.equals(List.of(100, 2000, 50)), "datagrams read as " + got);
    }

    private static Verdict fragmentation(Run run) {
        Bench bench = run.bench();
        run.setup("a sends one 4000-byte UDP datagram to b:9000 over a 1500-byte MTU; b is waiting in recvfrom.");
        long[] readAt = {0};
        int[] len = {0};
        bench.spawn(bench.b(), "rx", ctx -> {
            try (UdpSocket rx = ctx.host().sockets().udp()) {
                rx.bind(9000);
                ReceivedDatagram d = rx.receive(new byte[65536]);
                len[0] = d.length();
                readAt[0] = ctx.nowNs();
            }
        });
        bench.spawn(bench.a(), "tx", ctx -> {
            ctx.sleep(1 * MS);
            try (UdpSocket tx = ctx.host().sockets().udp()) {
                tx.sendTo(new byte[4000], B9000);
            }
        });
        bench.runFor(1 * S);
        List<Segment> frags = bench.sentBy(bench.a()).stream().filter(Segment::fragment).toList();
        bench.show(Segment::fragment, 5);
        long lastArrival = bench.segments().stream().filter(s -> !s.out() && s.host().equals("b") && s.fragment())
                .mapToLong(Segment::timeNs).max().orElse(Long.MAX_VALUE);
        run.say(frags.size() + " fragments; the last reached b at " + Bench.ms(lastArrival) + "; recvfrom returned " + len[0]
                + " bytes at " + Bench.ms(readAt[0]) + " (IpReasmOKs " + bench.grew(bench.b(), Counter.IpReasmOKs) + ")");
        boolean holds = frags.size() == 3 && len[0] == 4000 && readAt[0] >= lastArrival && bench.grew(bench.b(), Counter.IpReasmOKs) == 1;
        return Verdict.of(holds, frags.size() + " fragments, read " + len[0] + " bytes");
    }

    /** {large datagram delivered (1/0), small datagrams read, UdpRcvbufErrors}. */
    private static long[] rcvbufRun(Bench bench) {
        long[] r = new long[3];
        bench.spawn(bench.b(), "rx", ctx -> {
            try (UdpSocket rx = ctx.host().sockets().udp()) {
                rx.setOption(StandardSocketOptions.SO_RCVBUF, 2048);
                rx.bind(9000);
                rx.setReceiveTimeout(Duration.ofMillis(50));
                byte[] buf = new byte[65536];
                ctx.sleep(50 * MS);
                try {
                    r[0] = rx.receive(buf).length() == 6000 ? 1 : 0;
                } catch (ErrnoException e) {
                    r[0] = 0;
                }
                ctx.sleep(100 * MS);
                rx.setNonBlocking(true);
                while (true) {
                    try {
                        rx.receive(buf);
                        r[1]++;
                    } catch (ErrnoException e) {
                        break;
                    }
                }
            }
        });
        bench.spawn(bench.a(), "tx", ctx -> {
            ctx.sleep(1 * MS);
            try (UdpSocket tx = ctx.host().sockets().udp()) {
                tx.sendTo(new byte[6000], B9000);
                ctx.sleep(100 * MS);
                for (int i = 0; i < 20; i++) {
                    tx.sendTo(new byte[500], B9000);
                }
            }
        });
        bench.runFor(1 * S);
        r[2] = bench.grew(bench.b(), Counter.UdpRcvbufErrors);
        return r;
    }

    private static Verdict udpRcvbuf(Run run) {
        run.setup("b sets SO_RCVBUF 2048 on a UDP socket; a sends one 6000-byte datagram into the empty buffer, then 20 datagrams of 500 bytes that b reads only later. On Linux and on Windows.");
        long[] lin = rcvbufRun(run.bench(Personality.LINUX, Bench.CABLE));
        long[] win = rcvbufRun(run.bench(Personality.WINDOWS, Bench.CABLE));
        run.say(String.format("%-40s %8s %8s", "", "Linux", "Windows"));
        run.say(String.format("%-40s %8s %8s", "6000-byte datagram into the empty buffer", lin[0] == 1 ? "read" : "dropped", win[0] == 1 ? "read" : "dropped"));
        run.say(String.format("%-40s %8d %8d", "500-byte datagrams read (of 20)", lin[1], win[1]));
        run.say(String.format("%-40s %8d %8d", "UdpRcvbufErrors (receive buffer errors)", lin[2], win[2]));
        boolean windowsHolds = win[0] == 0 && win[1] < 20 && win[2] > 0;
        boolean linuxFull = lin[1] < 20 && lin[2] > 0;
        if (!windowsHolds || !linuxFull) {
            return Verdict.differs("drops " + lin[2] + " on Linux, " + win[2] + " on Windows");
        }
        return Verdict.of(lin[0] == 0, "a datagram larger than SO_RCVBUF enters an empty queue: __udp_enqueue_schedule_skb admits while the memory"
                + " already charged is within the buffer; the claim holds on Windows, and full buffers drop on both");
    }

    private static Verdict reuseAddr(Run run) {
        Bench bench = run.bench();
        run.setup("TCP: b's server on port 80 closes a connection first (TIME_WAIT) and binds port 80 again, without and then with SO_REUSEADDR."
                + " UDP: two sockets on b set SO_REUSEADDR and bind port 9000; a sends one datagram.");
        List<Object> tcp = new ArrayList<>();
        Apps.server(bench, 80, (ctx, s) -> {
            s.close();
            ctx.sleep(200 * MS);
            TcpSocket again = ctx.host().sockets().tcp();
            try {
                again.bind(Bench.B80);
                tcp.add("bound");
            } catch (ErrnoException e) {
                tcp.add(e.errno());
            }
            TcpSocket reuse = ctx.host().sockets().tcp();
            reuse.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            reuse.bind(Bench.B80);
            tcp.add("bound");
            reuse.close();
            again.close();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.drain(s, 100);
            s.close();
        });
        List<String> udp = new ArrayList<>();
        bench.spawn(bench.b(), "udp", ctx -> {
            ctx.sleep(500 * MS);
            UdpSocket first = ctx.host().sockets().udp();
            UdpSocket second = ctx.host().sockets().udp();
            for (UdpSocket u : List.of(first, second)) {
                u.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                u.bind(9000);
                u.setReceiveTimeout(Duration.ofMillis(200));
            }
            ctx.sleep(100 * MS);
            for (UdpSocket u : List.of(first, second)) {
                u.setNonBlocking(true);
                try {
                    u.receive(new byte[100]);
                    udp.add(u == first ? "first" : "second");
                } catch (ErrnoException e) {
                    // nothing for this one
                }
            }
        });
        bench.spawn(bench.a(), "udp", ctx -> {
            ctx.sleep(550 * MS);
            ctx.host().sockets().udp().sendTo(new byte[10], B9000);
        });
        bench.runFor(2 * S);
        run.say("TCP bind of port 80 while in TIME_WAIT: without SO_REUSEADDR " + tcp.get(0) + ", with it " + tcp.get(1));
        run.say("UDP: both binds succeeded; the datagram went to the " + udp + " socket bound");
        boolean holds = tcp.equals(List.of(Errno.EADDRINUSE, "bound")) && udp.equals(List.of("second"));
        return Verdict.of(holds, "TCP " + tcp + ", UDP receiver " + udp);
    }

    private static Verdict icmpArp(Run run) {
        Bench bench = run.bench();
        run.setup("a pings b (its ARP cache empty), then sends a UDP datagram from a connected socket to b:9999 where nothing listens, and reads.");
        List<String> got = new ArrayList<>();
        bench.spawn(bench.a(), "app", ctx -> {
            try (PingSocket ping = ctx.host().sockets().ping()) {
                ping.send(Ipv4Address.parse("10.0.0.2"), 1, new byte[56]);
                got.add(ping.receive() instanceof PingSocket.Reply ? "echo reply" : "no reply");
            }
            try (UdpSocket u = ctx.host().sockets().udp()) {
                u.connect(Ipv4SocketAddress.of("10.0.0.2", 9999));
                u.send(new byte[10]);
                u.setReceiveTimeout(Duration.ofSeconds(1));
                try {
                    u.receive(new byte[100]);
                    got.add("data");
                } catch (ErrnoException e) {
                    got.add(e.errno().name());
                }
            }
        });
        bench.runFor(2 * S);
        bench.show(s -> s.proto().equals("ARP") || s.proto().equals("ICMP"), 6);
        run.say("a's neighbour table: " + bench.a().ip().neighbours().neighbours());
        run.say("ping: " + got.get(0) + "; the UDP read: " + got.get(1));
        boolean arpFirst = bench.sentBy(bench.a()).getFirst().proto().equals("ARP");
        boolean unreachable = bench.sentBy(bench.b()).stream().anyMatch(s -> s.proto().equals("ICMP") && s.line().contains("unreachable"));
        boolean holds = arpFirst && unreachable && got.equals(List.of("echo reply", "ECONNREFUSED"));
        return Verdict.of(holds, "ARP first " + arpFirst + ", port unreachable " + unreachable + ", " + got);
    }
}
