package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.dns.DnsServer;
import netstack4j.sim.LinkParams;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/** Experiments on connecting: N13–N19. */
final class ConnectExperiments {
    private ConnectExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                new Experiment("N13", "dns-first", "a connection starts with name resolution: a DNS query over UDP", "", ConnectExperiments::dnsFirst),
                new Experiment("N14", "tcp-header", "the TCP header: ports, sequence and acknowledgment numbers, data offset, reserved bits, flags, window, checksum, urgent pointer, options",
                        "", ConnectExperiments::tcpHeader),
                new Experiment("N15", "handshake", "three-way handshake SYN, SYN-ACK, ACK; the system picks the client's port and address; INADDR_ANY accepts on every address",
                        "", ConnectExperiments::handshake),
                new Experiment("N16", "syn-queue", "a SYN creates a new socket on the not-yet-established list; only the third message makes it ready for accept; the listener never changes state",
                        "", ConnectExperiments::synQueue),
                new Experiment("N17", "mss", "data is cut into segments of at most MSS (MTU minus headers), so IP never fragments them", "", ConnectExperiments::mss),
                new Experiment("N18", "retransmit-timeout", "unacknowledged data is retransmitted on timeout; after enough failed tries the application gets an error",
                        "", ConnectExperiments::retransmitTimeout),
                new Experiment("N19", "rto-from-rtt", "the retransmission timeout is computed from measured round-trip times, not fixed", "", ConnectExperiments::rtoFromRtt));
    }

    private static Verdict dnsFirst(Run run) throws Exception {
        Bench bench = run.bench();
        run.setup("b runs a DNS server on port 53 knowing b.lab; a connects to b.lab:80 by name.");
        DnsServer dns = new DnsServer(bench.b(), 53, Map.of("b.lab", Ipv4Address.parse("10.0.0.2")));
        bench.a().resolver().addNameserver(Ipv4Address.parse("10.0.0.2"));
        bench.spawn(bench.b(), "named", ctx -> dns.serve());
        bench.spawn(bench.b(), "server", ctx -> ctx.host().sockets().listen(Bench.B80, 4).accept());
        bench.spawn(bench.a(), "client", ctx -> {
            Ipv4Address addr = ctx.host().resolver().resolve("b.lab");
            TcpSocket s = ctx.host().sockets().tcp();
            s.connect(new Ipv4SocketAddress(addr, 80));
            dns.close();
        });
        bench.runFor(1 * S);
        List<Segment> ip = bench.sentBy(bench.a()).stream().filter(s -> !s.proto().equals("ARP")).toList();
        bench.show(s -> !s.proto().equals("ARP"), 4);
        boolean holds = ip.size() >= 2 && ip.get(0).proto().equals("UDP") && ip.get(0).dstPort() == 53
                && ip.get(1).isTcp() && ip.get(1).has(TcpFlags.SYN);
        return Verdict.of(holds, "the first packet was " + (ip.isEmpty() ? "none" : ip.get(0).line()));
    }

    private static Verdict tcpHeader(Run run) throws Exception {
        Bench bench = run.bench();
        run.setup("a connects to b:80; the first SYN a sends is decoded field by field.");
        bench.spawn(bench.b(), "server", ctx -> ctx.host().sockets().listen(Bench.B80, 4).accept());
        Apps.client(bench, 80, Apps.NOTHING);
        bench.runFor(1 * S);
        FrameLog.Frame syn = null;
        for (FrameLog.Frame f : bench.log().frames()) {
            Segment s = Segment.of(f);
            if (f.out() && s != null && s.isTcp() && s.has(TcpFlags.SYN)) {
                syn = f;
                break;
            }
        }
        if (syn == null) {
            return Verdict.differs("no SYN was sent");
        }
        byte[] b = syn.bytes();
        EthernetPacket eth = EthernetPacket.wrapChecked(b, 0, b.length);
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        TcpPacket t = TcpPacket.wrapChecked(b, ip.payloadOffset(), ip.totalLength() - ip.headerLength());
        run.say("source port       " + t.sourcePort());
        run.say("destination port  " + t.destinationPort());
        run.say("sequence number   " + Integer.toUnsignedString(t.sequenceNumber()) + " (the client's ISN)");
        run.say("acknowledgment    " + Integer.toUnsignedString(t.acknowledgmentNumber()) + " (not valid: no ACK bit)");
        run.say("data offset       " + t.dataOffset() / 4 + " words = " + t.dataOffset() + " bytes (20 fixed + options)");
        run.say("reserved          " + t.reserved());
        run.say("control bits      " + TcpFlags.toString(t.flags()));
        run.say("window            " + t.window());
        run.say(String.format("checksum          0x%04x (%s)", t.checksum(), t.verifyChecksum(ip.source(), ip.destination()) ? "correct" : "WRONG"));
        run.say("urgent pointer    " + t.urgentPointer());
        run.say("options           " + t.optionsLength() + " bytes: " + Segment.of(syn).line().replaceAll(".*options ", "").replaceAll(", length.*", ""));
        boolean holds = t.verifyChecksum(ip.source(), ip.destination()) && t.dataOffset() == 20 + t.optionsLength()
                && t.reserved() == 0 && t.destinationPort() == 80;
        return Verdict.of(holds, "the SYN's header did not decode as RFC 9293 section 3.1 lays it out");
    }

    private static Verdict handshake(Run run) throws Exception {
        Bench bench = run.bench();
        run.setup("b listens on 0.0.0.0:80 (INADDR_ANY); a connects to 10.0.0.2:80 without bind; then b connects to itself at 127.0.0.1:80.");
        List<String> accepted = new ArrayList<>();
        bench.spawn(bench.b(), "server", ctx -> {
            TcpListener l = ctx.host().sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, 80), 4);
            for (int i = 0; i < 2; i++) {
                TcpSocket s = l.accept();
                accepted.add(s.localAddress() + " from " + s.remoteAddress());
            }
        });
        Ipv4SocketAddress[] local = new Ipv4SocketAddress[1];
        Apps.client(bench, 80, (ctx, s) -> local[0] = s.localAddress());
        bench.spawn(bench.b(), "self", ctx -> {
            ctx.sleep(100 * MS);
            ctx.host().sockets().tcp().connect(Ipv4SocketAddress.of("127.0.0.1", 80));
        });
        bench.runFor(1 * S);
        List<Segment> hs = bench.segments().stream().filter(s -> s.out() && s.isTcp()).limit(3).toList();
        bench.show(s -> s.isTcp(), 3);
        run.say("a's socket was given " + local[0] + " (its interface's address, a port from 32768-60999)");
        run.say("b accepted: " + accepted);
        boolean threeWay = hs.size() == 3 && hs.get(0).flags() == TcpFlags.SYN && hs.get(1).flags() == (TcpFlags.SYN | TcpFlags.ACK)
                && hs.get(1).ack() == hs.get(0).seq() + 1 && hs.get(2).flags() == TcpFlags.ACK && hs.get(2).ack() == hs.get(1).seq() + 1;
        boolean port = local[0] != null && local[0].address().toString().equals("10.0.0.1")
                && local[0].port() >= 32768 && local[0].port() <= 60999;
        boolean any = accepted.size() == 2 && accepted.get(0).startsWith("10.0.0.2:80") && accepted.get(1).startsWith("127.0.0.1:80");
        return Verdict.of(threeWay && port && any, "handshake " + threeWay + ", port " + port + ", INADDR_ANY " + any);
    }

    private static Verdict synQueue(Run run) throws Exception {
        Bench bench = run.bench();
        run.setup("b listens on port 80; a connects, but the network loses a's ACK of the handshake (the third message); a's first data segment, 200 ms later, carries the ACK again.");
        int[] acks = {0};
        bench.log().dropOutgoing("a", s -> s.isTcp() && s.flags() == TcpFlags.ACK && s.length() == 0 && acks[0]++ == 0);
        long[] acceptedAt = {0};
        bench.spawn(bench.b(), "server", ctx -> {
            TcpListener l = ctx.host().sockets().listen(Bench.B80, 4);
            l.accept();
            acceptedAt[0] = ctx.nowNs();
        });
        Apps.client(bench, 80, (ctx, s) -> {
            ctx.sleep(200 * MS);
            Apps.write(s, 100);
        });
        bench.runFor(100 * MS);
        run.say("At 100 ms, after the SYN and SYN-ACK (the ACK was lost), b has:");
        bench.ss(bench.b());
        String mid = bench.ssText(bench.b());
        bench.runFor(1 * S);
        run.say("b's state changes: " + bench.states().stream().filter(e -> e.host().equals("b")).map(e -> e.detail()).toList());
        run.say("accept returned at " + Bench.ms(acceptedAt[0]) + ", when the data segment (with its ACK) arrived.");
        List<String> listener = bench.states().stream().filter(e -> e.host().equals("b") && e.detail().contains("0.0.0.0:0"))
                .map(e -> e.detail().substring(e.detail().lastIndexOf(": ") + 2)).toList();
        List<String> child = bench.transitions(bench.b());
        boolean holds = mid.contains("SYN-RECV") && mid.contains("LISTEN") && acceptedAt[0] >= 200 * MS
                && listener.equals(List.of("CLOSED -> LISTEN")) && child.equals(List.of("CLOSED -> SYN_RECEIVED", "SYN_RECEIVED -> ESTABLISHED"));
        return Verdict.of(holds, "listener " + listener + ", child " + child);
    }

    private static Verdict mss(Run run) throws Exception {
        run.setup("a sends 20000 bytes to b, once over a 1500-byte MTU and once over 1000.");
        boolean holds = true;
        for (int mtu : new int[] {1500, 1000}) {
            Bench bench = run.bench(Bench.CABLE.withMtu(mtu));
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
            Apps.client(bench, 80, (ctx, s) -> {
                Apps.write(s, 20000);
                s.close();
            });
            bench.runFor(2 * S);
            List<Segment> tcp = bench.tcpSentBy(bench.a());
            int synMss = tcp.getFirst().mss();
            int max = bench.dataSentBy(bench.a()).stream().mapToInt(Segment::length).max().orElse(0);
            boolean frags = bench.segments().stream().anyMatch(Segment::fragment);
            boolean df = tcp.stream().allMatch(Segment::dontFragment);
            int ts = tcp.getFirst().line().contains("TS val") && bench.tcpSentBy(bench.b()).getFirst().line().contains("TS val") ? 12 : 0;
            run.say("MTU " + mtu + ": SYN offers mss " + synMss + " (MTU - 40); largest data segment " + max
                    + " bytes (mss - " + ts + " bytes of timestamp option); DF on every segment " + df + "; IP fragments " + frags);
            holds &= synMss == mtu - 40 && max == mtu - 40 - ts && !frags && df;
        }
        return Verdict.of(holds, "segments were not sized to the MSS (tcp_current_mss)");
    }

    private static Verdict retransmitTimeout(Run run) throws Exception {
        Bench bench = run.bench();
        run.setup("a connects, sets TCP_USER_TIMEOUT 10 s, then the cable is cut and a sends 1000 bytes and waits to read.");
        Errno[] err = {null};
        long[] errAt = {0};
        Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 4096));
        Apps.client(bench, 80, (ctx, s) -> {
            s.setOption(NetSocketOptions.TCP_USER_TIMEOUT, 10_000);
            ctx.sleep(100 * MS);
            bench.link().down();
            Apps.write(s, 1000);
            try {
                s.read(new byte[10], 0, 10);
            } catch (ErrnoException e) {
                err[0] = e.errno();
                errAt[0] = ctx.nowNs();
            }
        });
        bench.runFor(30 * S);
        List<Segment> data = bench.dataSentBy(bench.a());
        List<String> times = new ArrayList<>();
        for (Segment s : data) {
            times.add(Bench.time(s.timeNs() - data.getFirst().timeNs()));
        }
        run.say("the 1000 bytes went out " + data.size() + " times, at +" + String.join(", +", times) + " s");
        run.say("the application's read failed with " + err[0] + " after " + Bench.ms(errAt[0] - data.getFirst().timeNs()));
        run.say("TcpRetransSegs on a: " + bench.grew(bench.a(), netstack4j.stack.Counter.TcpRetransSegs));
        // Linux first sends a tail loss probe, 2 SRTT + 200 ms after the data (RFC 8985 section 7,
        // tcp_send_loss_probe); the RTO runs from the probe on and doubles at each timeout.
        long probes = bench.grew(bench.a(), netstack4j.stack.Counter.TcpExtTCPLossProbes);
        run.say("TCPLossProbes on a: " + probes + (probes > 0 ? " (the first resend is the tail loss probe)" : ""));
        int first = probes > 0 ? 3 : 2;
        boolean doubling = data.size() >= first + 2;
        for (int i = first; i < data.size() - 1 && doubling; i++) {
            long prev = data.get(i - 1).timeNs() - data.get(i - 2).timeNs();
            long gap = data.get(i).timeNs() - data.get(i - 1).timeNs();
            doubling = Math.abs(gap - 2 * prev) < 2 * MS;
        }
        boolean sameSeq = data.stream().allMatch(s -> s.seq() == data.getFirst().seq());
        return Verdict.of(doubling && sameSeq && err[0] == Errno.ETIMEDOUT, "retransmissions " + times + ", error " + err[0]);
    }

    private static Verdict rtoFromRtt(Run run) throws Exception {
        run.setup("Ten 100-byte request/response exchanges, once over cables of 1 ms one-way delay, once over 150 ms; then ss shows rtt and rto.");
        long[] rto = new long[2];
        long floor = 0;
        long[] srtt = new long[2];
        long[] delays = {1 * MS, 150 * MS};
        for (int i = 0; i < 2; i++) {
            Bench bench = run.bench(LinkParams.of(100_000_000L, delays[i]));
            floor = bench.a().tcp().settings().minRtoNs();
            TcpSocket[] c = new TcpSocket[1];
            Apps.server(bench, 80, (ctx, s) -> {
                byte[] buf = new byte[100];
                while (s.read(buf, 0, 100) > 0) {
                    s.write(buf, 0, 100);
                }
            });
            Apps.client(bench, 80, (ctx, s) -> {
                c[0] = s;
                byte[] buf = new byte[100];
                for (int k = 0; k < 10; k++) {
                    s.write(buf, 0, 100);
                    s.read(buf, 0, 100);
                }
            });
            bench.runFor(10 * S);
            var info = c[0].info();
            rto[i] = info.rtoNs();
            srtt[i] = info.srttNs();
            run.say("one-way " + Bench.ms(delays[i]) + ": srtt " + Bench.ms(info.srttNs()) + ", rttvar " + Bench.ms(info.rttvarNs())
                    + ", rto " + Bench.ms(info.rtoNs()));
        }
        run.say("RFC 6298 section 2: RTO = SRTT + max(G, 4 RTTVAR), at least " + floor / MS + " ms: Linux keeps 200 ms of"
                + " variance (tcp_rtt_estimator, TCP_RTO_MIN), Windows a 300 ms floor (MinRto).");
        boolean holds = rto[1] > rto[0] + 250 * MS && rto[0] >= floor && rto[0] < floor + 60 * MS && rto[1] > srtt[1];
        return Verdict.of(holds, "rto " + rto[0] / MS + " ms and " + rto[1] / MS + " ms");
    }
}
