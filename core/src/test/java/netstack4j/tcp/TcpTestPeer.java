package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netstack4j.link.RecordingDevice;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.stack.StackConfig;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpHeader;
import netstack4j.wire.TcpOption;
import netstack4j.wire.TcpPacket;

/**
 * The far end of one TCP connection, played by a unit test with no simulator (in the manner of
 * smoltcp's socket tests). One stack sits on a test device with a manual clock; the test hands it
 * hand-built segments ({@link #send}) and asserts on what comes back: exactly this segment
 * ({@link #expect}) or nothing ({@link #expectNothing}). ARP is answered on the way.
 *
 * <p>Fixtures build on each other: {@link #listening()}, {@link #synReceived()},
 * {@link #established()} for the passive side; {@link #synSent()} and {@link #activeEstablished()}
 * for the active side. {@link #seg()} is the canonical segment from the peer in the current
 * conversation (ACK, SEQ = the peer's next, ACK = ours), {@link #reply()} the canonical segment the
 * stack should answer with; tests change what they need:
 *
 * <pre>
 *   p.send(p.seg().flags(ACK | PSH).data("abc"));
 *   p.expect(p.reply().ack(p.r(3)));
 * </pre>
 *
 * <p>{@link #r(int)} and {@link #l(int)} name sequence numbers relative to each side's ISS + 1 (the
 * first data byte), so {@code p.r(3)} is three bytes into the peer's stream.
 *
 * <p>Not thread-safe; the test thread is the only one.
 */
final class TcpTestPeer {
    static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.0.0.2");
    static final MacAddress LOCAL_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress REMOTE_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final int LOCAL_PORT = 80;
    static final int REMOTE_PORT = 49152;
    /** Our ISN (fixed through the engine's test hook) and the peer's. */
    static final int LOCAL_ISS = 1_000_000;
    static final int REMOTE_ISS = 5_000_000;
    /** The window the peer advertises in {@link #seg()}. */
    static final int REMOTE_WINDOW = 64240;
    static final int ANY = -1;
    static final long MS = 1_000_000L;

    /** A TCP segment as the test writes and reads it; ANY window and null options match anything. */
    record Seg(int flags, int seq, int ack, int window, int urgent, List<TcpOption> options, byte[] data) {
        Seg flags(int f) { return new Seg(f, seq, ack, window, urgent, options, data); }
        Seg seq(int s) { return new Seg(flags, s, ack, window, urgent, options, data); }
        Seg ack(int a) { return new Seg(flags, seq, a, window, urgent, options, data); }
        Seg window(int w) { return new Seg(flags, seq, ack, w, urgent, options, data); }
        Seg urgent(int u) { return new Seg(flags, seq, ack, window, u, options, data); }
        Seg options(TcpOption... o) { return new Seg(flags, seq, ack, window, urgent, List.of(o), data); }
        Seg data(byte[] d) { return new Seg(flags, seq, ack, window, urgent, options, d); }
        Seg data(String d) { return data(d.getBytes(StandardCharsets.ISO_8859_1)); }

        /** SEG.LEN: data plus one for SYN and one for FIN. */
        int length() {
            return data.length + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
        }

        boolean matches(Seg actual) {
            return flags == actual.flags && seq == actual.seq && (ack == actual.ack || (flags & TcpFlags.ACK) == 0)
                    && (window == ANY || window == actual.window) && urgent == actual.urgent
                    && (options == null || optionsMatch(options, actual.options)) && Arrays.equals(data, actual.data);
        }

        /** Equal option lists, where an expected TSval of {@link #ANY} matches any TSval (it has a random offset). */
        private static boolean optionsMatch(List<TcpOption> expected, List<TcpOption> actual) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (expected.get(i) instanceof TcpOption.Timestamps e && actual.get(i) instanceof TcpOption.Timestamps a) {
                    if ((e.tsVal() != ANY && e.tsVal() != a.tsVal()) || e.tsEcr() != a.tsEcr()) {
                        return false;
                    }
                } else if (!expected.get(i).equals(actual.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Seg s && s.matches(this) && matches(s);
        }

        @Override
        public int hashCode() {
            return flags * 31 + seq;
        }

        /** tcpdump's spelling, with the data as text. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Flags ").append(TcpFlags.toString(flags))
                    .append(", seq ").append(Integer.toUnsignedString(seq));
            if ((flags & TcpFlags.ACK) != 0) {
                sb.append(", ack ").append(Integer.toUnsignedString(ack));
            }
            sb.append(", win ").append(window == ANY ? "*" : String.valueOf(window));
            if (urgent != 0) {
                sb.append(", urg ").append(urgent);
            }
            if (options != null && !options.isEmpty()) {
                sb.append(", options ").append(options);
            }
            sb.append(", length ").append(data.length);
            if (data.length > 0) {
                sb.append(" \"").append(new String(data, 0, Math.min(40, data.length), StandardCharsets.ISO_8859_1))
                        .append(data.length > 40 ? "…" : "").append('"');
            }
            return sb.toString();
        }
    }

    final RecordingDevice device = new RecordingDevice(LOCAL_MAC);
    long nowNs;
    final NetStack stack;
    final TcpLayer tcp;
    final int localIss;
    final int remoteIss;
    TcpSocket listener;
    /** The connection under test (accepted or connected). */
    TcpSocket socket;
    /** The peer's port: {@link #REMOTE_PORT} unless a test plays a second client. */
    int remotePort = REMOTE_PORT;
    /** What the stack sent that the test has not looked at yet (TCP segments only). */
    private final ArrayDeque<Seg> out = new ArrayDeque<>();

    TcpTestPeer() {
        this(LOCAL_ISS, REMOTE_ISS, StackConfig.linuxDefaults());
    }

    TcpTestPeer(int localIss, int remoteIss, StackConfig config) {
        this(localIss, remoteIss, config, TcpSettings.linux());
    }

    TcpTestPeer(int localIss, int remoteIss, StackConfig config, TcpSettings settings) {
        this.localIss = localIss;
        this.remoteIss = remoteIss;
        stack = NetStack.builder("local").clock(() -> nowNs).config(config).tcpSettings(settings).build();
        stack.addInterface(device, LOCAL, 24);
        tcp = stack.tcp();
        tcp.setFixedIsnForTesting(localIss);
        // The peer introduces itself (an ARP request for us), so the stack knows its MAC.
        byte[] arp = new byte[ArpMessage.LENGTH];
        ArpMessage.request(REMOTE_MAC, REMOTE, LOCAL).emit(arp, 0);
        receiveFrame(ethernet(LOCAL_MAC, EtherType.ARP, arp));
        device.sent.clear();
    }

    // ---------------------------------------------------------------- fixtures

    /** A listener on {@link #LOCAL_PORT} (non-blocking socket API), nothing sent yet. */
    static TcpTestPeer listening() {
        TcpTestPeer p = new TcpTestPeer();
        p.listen();
        return p;
    }

    void listen() {
        try {
            listener = stack.sockets().tcp();
            listener.setNonBlocking(true);
            listener.bind(new Ipv4SocketAddress(LOCAL, LOCAL_PORT));
            listener.listen(8);
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 9293 section 3.10.7.2: the peer's SYN is answered with SYN-ACK; the child is SYN-RECEIVED. */
    static TcpTestPeer synReceived() {
        TcpTestPeer p = listening();
        p.send(p.syn());
        p.expect(p.reply().flags(TcpFlags.SYN | TcpFlags.ACK).seq(p.localIss).ack(p.r(0))
                .options(new TcpOption.Mss(1460)));
        assertEquals(TcpState.SYN_RECEIVED, p.child().state());
        return p;
    }

    /** The three-way handshake completed and the connection accepted. */
    static TcpTestPeer established() {
        TcpTestPeer p = synReceived();
        p.send(p.seg());
        p.expectNothing();
        p.accept();
        assertEquals(TcpState.ESTABLISHED, p.state());
        return p;
    }

    /** An active open from {@link #LOCAL_PORT}: the SYN went out. */
    static TcpTestPeer synSent() {
        TcpTestPeer p = new TcpTestPeer();
        p.connect();
        // Linux's SYN (tcp_syn_options): mss, sackOK, TS, nop, wscale 7 (tcp_rmem[2] = 6 MiB).
        p.expect(p.reply().flags(TcpFlags.SYN).seq(p.localIss).ack(0).options(new TcpOption.Mss(1460),
                new TcpOption.SackPermitted(), new TcpOption.Timestamps(ANY, 0), new TcpOption.Nop(),
                new TcpOption.WindowScale(7)));
        assertEquals(TcpState.SYN_SENT, p.state());
        return p;
    }

    /** An active open completed by the peer's SYN-ACK and our ACK. */
    static TcpTestPeer activeEstablished() {
        TcpTestPeer p = synSent();
        p.send(p.syn().flags(TcpFlags.SYN | TcpFlags.ACK).ack(p.l(0)));
        p.expect(p.reply());
        assertEquals(TcpState.ESTABLISHED, p.state());
        return p;
    }

    void connect() {
        try {
            socket = stack.sockets().tcp();
            socket.setNonBlocking(true);
            socket.bind(new Ipv4SocketAddress(LOCAL, LOCAL_PORT));
            socket.connect(new Ipv4SocketAddress(REMOTE, REMOTE_PORT));
            fail("non-blocking connect returned");
        } catch (ErrnoException e) {
            assertEquals(netstack4j.socket.Errno.EINPROGRESS, e.errno());
        }
    }

    void accept() {
        try {
            socket = listener.accept();
            socket.setNonBlocking(true);
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- segments

    /** Sequence number {@code offset} bytes into the peer's stream (after its SYN). */
    int r(int offset) {
        return remoteIss + 1 + offset;
    }

    /** Sequence number {@code offset} bytes into our stream (after our SYN). */
    int l(int offset) {
        return localIss + 1 + offset;
    }

    /** The canonical segment from the peer: ACK, SEQ = r(0), ACK = l(0), a full window, no data. */
    Seg seg() {
        return new Seg(TcpFlags.ACK, r(0), l(0), REMOTE_WINDOW, 0, List.of(), new byte[0]);
    }

    /** The peer's SYN (ISS {@link #REMOTE_ISS}, MSS 1460). */
    Seg syn() {
        return new Seg(TcpFlags.SYN, remoteIss, 0, REMOTE_WINDOW, 0, List.of(new TcpOption.Mss(1460)), new byte[0]);
    }

    /** The canonical answer: ACK, SEQ = l(0), ACK = r(0), any window, no options, no data. */
    Seg reply() {
        return new Seg(TcpFlags.ACK, l(0), r(0), ANY, 0, List.of(), new byte[0]);
    }

    /** The segment arrives from the peer. */
    void send(Seg s) {
        sendTcp(encode(s, remotePort, REMOTE, LOCAL));
    }

    /** Raw TCP bytes (header and data, checksum as given) arrive from the peer in a valid IPv4 packet. */
    void sendTcp(byte[] tcpBytes) {
        sendIp(REMOTE, LOCAL, tcpBytes);
    }

    void sendIp(Ipv4Address src, Ipv4Address dst, byte[] tcpBytes) {
        receiveFrame(ethernet(LOCAL_MAC, EtherType.IPV4, ip(src, dst, tcpBytes)));
    }

    /** Encodes {@code s} from {@code srcPort} to ours with a correct checksum. */
    static byte[] encode(Seg s, int srcPort, Ipv4Address src, Ipv4Address dst) {
        TcpHeader h = new TcpHeader(srcPort, LOCAL_PORT, s.seq, s.ack, s.flags, s.window, s.urgent,
                s.options == null ? List.of() : s.options);
        byte[] b = new byte[h.headerLength() + s.data.length];
        System.arraycopy(s.data, 0, b, h.headerLength(), s.data.length);
        h.emit(b, 0, s.data.length, src, dst);
        return b;
    }

    static byte[] ip(Ipv4Address src, Ipv4Address dst, byte[] payload) {
        Ipv4Header h = Ipv4Header.of(IpProtocol.TCP, src, dst, payload.length, 64, 1, false);
        byte[] b = new byte[20 + payload.length];
        h.emit(b, 0);
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    static byte[] ethernet(MacAddress dst, int type, byte[] payload) {
        byte[] b = new byte[EthernetHeader.LENGTH + payload.length];
        new EthernetHeader(dst, REMOTE_MAC, type).emit(b, 0);
        System.arraycopy(payload, 0, b, EthernetHeader.LENGTH, payload.length);
        return b;
    }

    /** A frame arrives on the wire; the stack's runtime is entered as a driver would. */
    void receiveFrame(byte[] frame) {
        stack.runtime().call(() -> {
            device.handler.onFrame(device, PacketBuffer.wrap(frame.clone()));
            return null;
        });
    }

    /** Moves the clock on and runs the timers that fell due. */
    void advanceMs(long ms) {
        nowNs += ms * MS;
        stack.runtime().call(() -> {
            stack.poll(nowNs);
            return null;
        });
    }

    // ---------------------------------------------------------------- what came out

    /** Takes the next segment the stack sent (failing when there is none). */
    Seg next() {
        collect();
        if (out.isEmpty()) {
            fail("expected a segment, the stack sent nothing");
        }
        return out.removeFirst();
    }

    /** The next segment the stack sent is exactly {@code expected} (ANY window and null options match all). */
    void expect(Seg expected) {
        Seg actual = next();
        if (!expected.matches(actual)) {
            fail("expected " + expected + "\n     got " + actual);
        }
    }

    /** The stack sent nothing more. */
    void expectNothing() {
        collect();
        if (!out.isEmpty()) {
            fail("expected nothing, the stack sent " + out);
        }
    }

    /** Everything the stack sent and the test has not looked at, in order; forgets it. */
    List<Seg> drain() {
        collect();
        List<Seg> l = new ArrayList<>(out);
        out.clear();
        return l;
    }

    private void collect() {
        while (!device.sent.isEmpty()) {
            byte[] f = device.sent.removeFirst();
            int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
            if (type == EtherType.ARP) {
                answerArp(f);
                continue;
            }
            assertEquals(EtherType.IPV4, type, "frame type");
            assertEquals(REMOTE_MAC, MacAddress.read(f, 0), "frames go to the peer");
            Ipv4Packet ipv = new Ipv4Packet().wrap(f, 14, f.length - 14);
            assertEquals(null, ipv.check(), "IPv4 header");
            assertEquals(IpProtocol.TCP, ipv.protocol(), "protocol");
            assertEquals(LOCAL.value(), ipv.sourceInt());
            assertEquals(REMOTE.value(), ipv.destinationInt());
            TcpPacket t = new TcpPacket().wrap(f, ipv.payloadOffset(), ipv.payloadLength());
            assertEquals(null, t.check(), "TCP header");
            assertTrue(t.verifyChecksum(LOCAL, REMOTE), "TCP checksum");
            assertEquals(LOCAL_PORT, t.sourcePort());
            assertEquals(remotePort, t.destinationPort());
            TcpHeader h;
            try {
                h = TcpHeader.parse(t);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            List<TcpOption> options = new ArrayList<>(h.options());
            options.removeIf(o -> o instanceof TcpOption.EndOfList);
            out.addLast(new Seg(h.flags(), h.sequenceNumber(), h.acknowledgmentNumber(), h.window(), h.urgentPointer(),
                    List.copyOf(options), Arrays.copyOfRange(f, t.payloadOffset(), t.payloadOffset() + t.payloadLength())));
        }
    }

    private void answerArp(byte[] f) {
        ArpMessage m;
        try {
            m = ArpMessage.parse(new ArpPacket().wrap(f, 14, f.length - 14));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (m.operation() == ArpOperation.REQUEST && m.targetProtocolAddress().equals(REMOTE)) {
            byte[] arp = new byte[ArpMessage.LENGTH];
            ArpMessage.replyTo(m, REMOTE_MAC).emit(arp, 0);
            receiveFrame(ethernet(LOCAL_MAC, EtherType.ARP, arp));
        }
    }

    // ---------------------------------------------------------------- the application

    TcpConnection conn() {
        return socket.connection();
    }

    /** The one connection on the listener's port that is not the listener (before accept). */
    TcpConnection child() {
        for (TcpConnection c : tcp.connections()) {
            if (!c.isListening() && c.remotePort() == remotePort) {
                return c;
            }
        }
        throw new AssertionError("no child connection");
    }

    TcpState state() {
        return socket != null ? socket.state() : child().state();
    }

    /** A non-blocking write of all of {@code text}. */
    void write(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        try {
            assertEquals(b.length, socket.write(b, 0, b.length), "bytes written");
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything readable now, as text ("" when nothing is, or at end of stream). */
    String read() throws ErrnoException {
        byte[] b = new byte[70000];
        try {
            int n = socket.read(b, 0, b.length);
            return new String(b, 0, n, StandardCharsets.ISO_8859_1);
        } catch (ErrnoException e) {
            if (e.errno() == netstack4j.socket.Errno.EAGAIN) {
                return "";
            }
            throw e;
        }
    }

    long counter(netstack4j.stack.Counter c) {
        return stack.counters().get(c);
    }

    long drops(netstack4j.stack.DropReason r) {
        return stack.counters().drops(r);
    }

}
