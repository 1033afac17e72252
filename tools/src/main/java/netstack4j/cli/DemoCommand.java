package netstack4j.cli;

import java.io.PrintWriter;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import netstack4j.ip.NeighbourTable;
import netstack4j.lab.Lab;
import netstack4j.lab.StepRecorder;
import netstack4j.sim.LinkParams;
import netstack4j.report.SsReport;
import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimProcess;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PingSocket;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code netstack4j demo}: a short guided run on a simulated LAN that says, step by step, what
 * happens inside the stacks: ARP, ping, DNS, a fragmented UDP datagram, a UDP receiver too slow
 * for its sender, and the counters at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A guided run on a simulated LAN (h1 10.0.0.1, h2 10.0.0.2, h3 10.0.0.3 with DNS),",
                "showing ARP, ping, DNS, IP fragmentation, UDP receive-buffer drops and a TCP conversation step by step."})
public final class DemoCommand implements Callable<Integer> {
    static final long MS = 1_000_000L;

    @Option(names = "--seed", description = "Simulation seed (default: random; printed so the run can be repeated).")
    Long seed;

    @Option(names = "--pcap", paramLabel = "DIR", description = "Write a pcap per interface into DIR.")
    Path pcapDir;

    @Option(names = "--delay", converter = Units.DurationNs.class, paramLabel = "TIME",
            description = "One-way delay of each cable (default ${DEFAULT-VALUE}).", defaultValue = "100us")
    long delayNs;

    @Option(names = "--ss", description = "At the end, print every socket of every host as ss -tuanoim would.")
    boolean ss;

    @picocli.CommandLine.Mixin
    NstatOption nstat = new NstatOption();

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private StepRecorder recorder;

    @Override
    public Integer call() {
        new Validation(spec).check(delayNs <= LinkParams.MAX_DELAY_NS,
                "--delay must be at most " + Units.formatDuration(LinkParams.MAX_DELAY_NS));
        long s = seed != null ? seed : Seeds.fresh();
        out = spec.commandLine().getOut();
        recorder = new StepRecorder();
        LinkParams cable = LinkParams.of(1_000_000_000L, delayNs);
        try (Lab lab = Lab.lan(s, 3, cable, pcapDir, recorder)) {
            NetStack h1 = lab.host("h1");
            NetStack h2 = lab.host("h2");
            out.println("netstack4j demo: three hosts on one switch, 1 Gbit/s cables with " + Units.formatDuration(delayNs)
                    + " delay, MTU 1500. Seed " + s + ".");
            lab.sim().spawn(h1, "demo", ctx -> {
                arpAndPing(ctx, h1, h2);
                dns(ctx, h1);
                fragmentedDatagram(ctx, h1, h2);
                slowReceiver(ctx, h1, h2);
                tcpConversation(ctx, h1, h2);
                if (ss) {
                    heading("Every socket after the last step (" + SsReport.COMMAND + ")");
                    for (NetStack h : lab.sim().hosts()) {
                        out.print(indent(SsReport.format(h)));
                    }
                }
                lab.stopServices();
            });
            lab.sim().run();
            counters(h2);
            out.println();
            out.println("Same seed, same run: repeat with --seed " + s + ".");
            nstat.print(out, lab.sim().hosts());
            if (pcapDir != null) {
                out.println("Captures: " + String.join(" ", lab.captureFiles().stream().map(Path::toString).toList()));
            }
        }
        out.flush();
        return 0;
    }

    private void heading(String title) {
        out.println();
        out.println("== " + title);
    }

    private void show(List<TraceEvent> events, Predicate<TraceEvent> which) {
        for (TraceEvent e : events) {
            if (which.test(e)) {
                out.println("   " + e.format());
            }
        }
    }

    private void arpAndPing(ProcessContext ctx, NetStack h1, NetStack h2) throws Exception {
        heading("Step 1: ARP. h1 knows h2's IP address (10.0.0.2) but not its MAC address.");
        out.println("   h1's neighbour table: " + neighbours(h1));
        Ipv4Address target = Ipv4Address.parse("10.0.0.2");
        try (PingSocket ping = h1.sockets().ping()) {
            recorder.start();
            long t0 = ctx.nowNs();
            ping.send(target, 1, new byte[56]);
            PingSocket.Event first = ping.receive();
            List<TraceEvent> ev = recorder.stop();
            out.println("   h1 sends one echo request; before it can leave, ARP asks who has 10.0.0.2:");
            show(ev, e -> e.kind() == TraceEvent.Kind.ARP || e.detail().startsWith("ARP"));
            String what = first instanceof PingSocket.Error err ? "No reply: " + err.error().describe() + " came back"
                    : "The reply arrived";
            out.println("   " + what + " after " + PingCommand.formatRtt(eventTime(first) - t0)
                    + " ms, including the ARP exchange. h1's neighbour table now: " + neighbours(h1));

            heading("Step 2: ping. Three more echo requests, one every 100 ms; the MAC is known now.");
            for (int seq = 2; seq <= 4; seq++) {
                long sent = ctx.nowNs();
                ping.send(target, seq, new byte[56]);
                switch (ping.receive()) {
                    case PingSocket.Reply r -> out.println("   " + PingCommand.replyLine(r, r.receivedAtNs() - sent));
                    case PingSocket.Error err -> out.println("   From " + err.error().reporter() + " icmp_seq=" + err.sequence()
                            + " " + err.error().describe());
                }
                ctx.sleep(100 * MS);
            }
        }
        out.println("   Each round trip: 4 cables of " + Units.formatDuration(delayNs)
                + " (h1 - switch - h2 and back) plus serialisation of 98-byte frames at 1 Gbit/s.");
    }

    private static long eventTime(PingSocket.Event e) {
        return switch (e) {
            case PingSocket.Reply r -> r.receivedAtNs();
            case PingSocket.Error er -> er.receivedAtNs();
        };
    }

    private void dns(ProcessContext ctx, NetStack h1) throws Exception {
        heading("Step 3: DNS. h1 looks up \"h2.lab\" with a query over UDP to the server on h3 (N13).");
        recorder.start();
        long t0 = ctx.nowNs();
        Ipv4Address a = h1.resolver().resolve("h2.lab");
        List<TraceEvent> ev = recorder.stop();
        // tcpdump decodes DNS: its lines name the message, not UDP (port 53 either way).
        Predicate<String> dnsLine = d -> d.contains(".53: ") || d.contains(".53 > ");
        show(ev, e -> e.kind() == TraceEvent.Kind.APP
                || e.kind() == TraceEvent.Kind.PACKET_OUT && e.host().equals("h1") && dnsLine.test(e.detail())
                || e.kind() == TraceEvent.Kind.PACKET_IN && e.host().equals("h1") && dnsLine.test(e.detail()));
        out.println("   h2.lab is " + a + " (answered in " + PingCommand.formatRtt(ctx.nowNs() - t0) + " ms).");
    }

    private void fragmentedDatagram(ProcessContext ctx, NetStack h1, NetStack h2) throws Exception {
        heading("Step 4: a 4000-byte UDP datagram on a 1500-byte MTU: IP fragments it, the receiver reassembles (N29).");
        try (UdpSocket rx = h2.sockets().udp(); UdpSocket tx = h1.sockets().udp()) {
            rx.bind(9000);
            byte[] data = new byte[4000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            recorder.start();
            tx.sendTo(data, new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 9000));
            byte[] buf = new byte[65536];
            ReceivedDatagram d = receiveOn(ctx, rx, buf);
            List<TraceEvent> ev = recorder.stop();
            show(ev, e -> e.kind() == TraceEvent.Kind.FRAGMENT || e.kind() == TraceEvent.Kind.REASSEMBLY
                    || e.kind() == TraceEvent.Kind.PACKET_OUT && e.host().equals("h1") && e.detail().startsWith("IP"));
            boolean same = java.util.Arrays.equals(data, java.util.Arrays.copyOf(buf, d.length()));
            out.println("   h2 read one datagram of " + d.length() + " bytes from " + d.source()
                    + (same ? ", byte for byte what h1 sent." : ", but it differs from what was sent!"));
            out.println("   A small read buffer truncates instead: boundaries are kept, the rest is discarded (N28).");
            tx.sendTo(data, new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 9000));
            ReceivedDatagram small = receiveOn(ctx, rx, new byte[1000]);
            out.println("   recvfrom with 1000 bytes of buffer: " + small.length() + " bytes copied, datagram was "
                    + small.datagramLength() + (small.truncated() ? " (MSG_TRUNC)." : "."));
        }
    }

    private static ReceivedDatagram receiveOn(ProcessContext ctx, UdpSocket s, byte[] buf) throws Exception {
        s.setReceiveTimeout(java.time.Duration.ofSeconds(5));
        return s.receive(buf);
    }

    private void slowReceiver(ProcessContext ctx, NetStack h1, NetStack h2) throws Exception {
        heading("Step 5: a UDP receiver too slow for its sender (N30).");
        int datagrams = 100;
        try (UdpSocket rx = h2.sockets().udp(); UdpSocket tx = h1.sockets().udp()) {
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 16384);
            rx.bind(9001);
            out.println("   h2 sets SO_RCVBUF to 16384 and reads it back as " + rx.getOption(StandardSocketOptions.SO_RCVBUF)
                    + " (Linux doubles it for bookkeeping, N1).");
            long before = h2.counters().get(Counter.UdpRcvbufErrors);
            var to = new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 9001);
            byte[] payload = new byte[1000];
            for (int i = 0; i < datagrams; i++) {
                tx.sendTo(payload, to);
            }
            out.println("   h1 sends " + datagrams + " datagrams of 1000 bytes back to back; h2 is busy and reads nothing yet.");
            ctx.sleep(50 * MS);
            int queued = rx.queuedDatagrams();
            out.println("   After 50 ms h2 has " + queued + " datagrams queued, using " + rx.receiveQueueBytes()
                    + " bytes of memory (each is charged its data plus about 576 bytes of kernel bookkeeping).");
            int read = 0;
            rx.setNonBlocking(true);
            byte[] buf = new byte[2000];
            while (true) {
                try {
                    rx.receive(buf);
                    read++;
                } catch (netstack4j.socket.ErrnoException e) {
                    break;
                }
            }
            long dropped = h2.counters().get(Counter.UdpRcvbufErrors) - before;
            out.println("   h2 reads " + read + "; the other " + dropped + " were dropped on arrival, counted as UdpRcvbufErrors"
                    + " (netstat -s: \"receive buffer errors\"). The socket counted " + rx.drops() + " drops.");
            out.println("   Cure: read faster, a larger buffer, smaller datagrams, or spread the load over more ports.");
        }
    }

    private void tcpConversation(ProcessContext ctx, NetStack h1, NetStack h2) throws Exception {
        heading("Step 6: TCP. h2 listens on port 80; h1 connects, sends a request, reads the reply, closes first.");
        int[] serverPort = {80};
        TcpSocket[] serverSide = new TcpSocket[1];
        SimProcess server = ctx.simulator().spawn(h2, "server", sctx -> {
            try (TcpListener l = h2.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, serverPort[0]), 8)) {
                TcpSocket c = l.accept();
                serverSide[0] = c;
                byte[] buf = new byte[100];
                int n = c.read(buf, 0, buf.length);
                byte[] reply = ("HTTP/1.0 200 OK, you sent " + n + " bytes\r\n").getBytes(StandardCharsets.US_ASCII);
                c.write(reply, 0, reply.length);
                // Read until h1 closes (read returns 0), then close too.
                while (c.read(buf, 0, buf.length) > 0) {
                    // discard
                }
                c.close();
            }
        });
        recorder.start();
        TcpSocket client = h1.sockets().tcp();
        client.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.0.0.2"), 80));
        List<TraceEvent> handshake = recorder.stop();
        out.println("   The three-way handshake (N15): SYN, SYN-ACK, ACK. h1's port was chosen by the stack:");
        show(handshake, e -> e.host().equals("h1") && (e.kind() == TraceEvent.Kind.PACKET_OUT || e.kind() == TraceEvent.Kind.PACKET_IN)
                && e.detail().contains("Flags") || e.kind() == TraceEvent.Kind.STATE);
        recorder.start();
        byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        client.write(request, 0, request.length);
        byte[] buf = new byte[200];
        int n = client.read(buf, 0, buf.length);
        List<TraceEvent> exchange = recorder.stop();
        out.println("   Request and response; each side's data carries PSH and acknowledges the other's (N24):");
        show(exchange, e -> e.host().equals("h1") && (e.kind() == TraceEvent.Kind.PACKET_OUT || e.kind() == TraceEvent.Kind.PACKET_IN)
                && e.detail().contains("Flags"));
        out.println("   h1 read: " + new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
        recorder.start();
        client.close();
        server.awaitDone();
        ctx.sleep(10 * MS);
        List<TraceEvent> close = recorder.stop();
        out.println("   h1 closes first: FIN, ACK, FIN, ACK (N34). States as they change:");
        show(close, e -> e.kind() == TraceEvent.Kind.STATE
                || e.host().equals("h1") && (e.kind() == TraceEvent.Kind.PACKET_OUT || e.kind() == TraceEvent.Kind.PACKET_IN)
                && e.detail().contains("Flags"));
        out.println("   Who holds TIME_WAIT? The side that closed first (N40):");
        out.print(indent(SsReport.format(h1)));
        out.print(indent(SsReport.format(h2)));
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            b.append("   ").append(line).append('\n');
        }
        return b.toString();
    }

    private void counters(NetStack h2) {
        heading("Step 7: h2's counters, as netstat -s prints them (non-zero lines).");
        for (String line : netstack4j.report.NetstatReport.format(h2.counters().snapshot(), true).split("\n")) {
            out.println("   " + line);
        }
        long ip = h2.counters().get(Counter.IpInReceives);
        out.println(String.format(Locale.ROOT, "   (%d IP packets received in all.)", ip));
    }

    private static String neighbours(NetStack host) {
        List<NeighbourTable.Neighbour> n = host.ip().neighbours().neighbours();
        return n.isEmpty() ? "(empty)" : String.join("; ", n.stream().map(Object::toString).toList());
    }
}
