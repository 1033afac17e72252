package netstack4j.tcp;

import static netstack4j.tcp.TcpHostileSegmentProperties.ourByte;
import static netstack4j.tcp.TcpHostileSegmentProperties.peerByte;
import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static netstack4j.wire.TcpFlags.SYN;

import java.util.ArrayList;
import java.util.List;
import netstack4j.link.RecordingDevice;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.Checksum;
import netstack4j.wire.EtherType;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpPacket;

/**
 * One stack and the far ends of its connections, for the fuzz targets (the many-connection
 * sibling of {@link TcpTestPeer}). The stack sits on a {@link RecordingDevice} at
 * {@link TcpTestPeer#LOCAL} with a clock only the target moves; every peer lives at
 * {@link TcpTestPeer#REMOTE} and is a {@link Conversation}: a port pair, the peer's ISS and what
 * the application did on its socket. The targets set connections up in the states they need
 * with {@link #passiveOpen} and {@link #activeOpen} and then inject what the fuzzer chose.
 *
 * <p>Everything the stack sends goes through {@link #drain()}, which answers ARP, checks that
 * every frame is well formed and that every data byte is one our application wrote at that
 * stream position ({@link TcpHostileSegmentProperties#ourByte}). The peers' data always follows
 * {@link TcpHostileSegmentProperties#peerByte} of its stream position, so reads can be checked
 * byte for byte too, until a raw frame ({@link #forged}) may have put other bytes in.
 *
 * <p>Not thread-safe: the target's thread is the only one.
 */
final class FuzzHost {
    static final Ipv4Address LOCAL = TcpTestPeer.LOCAL;
    static final Ipv4Address REMOTE = TcpTestPeer.REMOTE;
    static final int LISTEN_PORT = TcpTestPeer.LOCAL_PORT;
    static final long MS = 1_000_000L;
    /** A bound on timer firings per {@link #advanceMs} call: more is a timer storm (a finding). */
    static final int MAX_TIMER_ROUNDS = 100_000;

    /** One peer and its connection with the stack. */
    static final class Conversation {
        final String name;
        final int localPort;
        final int remotePort;
        final int remoteIss;
        /** The application's socket: the connecting one, or the accepted one; null before accept. */
        TcpSocket socket;
        /** The latest connection of this port pair (kept after it closed). */
        TcpConnection conn;
        /** Bytes of the peer's stream the application has read, and of ours it has written. */
        long read;
        long written;
        boolean appClosed;
        /** The ISS of the last SYN-ACK the stack sent this peer (a SYN cookie when no connection was kept). */
        int offeredIss;
        long offeredAtNs;
        /** The MSS the peer's last SYN offered, and whether it was answered with a SYN cookie. */
        int offeredMss = 1460;
        boolean offeredCookie;

        Conversation(String name, int localPort, int remotePort, int remoteIss) {
            this.name = name;
            this.localPort = localPort;
            this.remotePort = remotePort;
            this.remoteIss = remoteIss;
        }

        /** The peer's stream offset of sequence number {@code seq}. */
        long peerOffset(int seq) {
            return Integer.toUnsignedLong(seq - (remoteIss + 1));
        }

        @Override
        public String toString() {
            return name + " :" + localPort + "-:" + remotePort + " " + (conn == null ? "-" : conn.state());
        }
    }

    /** A TCP segment the stack sent, as the targets inspect it. */
    record Sent(int srcPort, int dstPort, int seq, int ack, int flags, int window, int length) {
    }

    final RecordingDevice device = new RecordingDevice(TcpTestPeer.LOCAL_MAC);
    long nowNs;
    final NetStack stack;
    final TcpLayer tcp;
    TcpSocket listener;
    final List<Conversation> conversations = new ArrayList<>();
    /** Every connection ever seen (identity), for the memory and counter invariants. */
    final List<TcpConnection> seen = new ArrayList<>();
    /** The TCP segments the stack sent since the last {@link #takeSent()}. */
    private final List<Sent> sent = new ArrayList<>();
    /** A raw frame went in: bytes the application reads may no longer be the peer's stream. */
    boolean forged;

    FuzzHost(Personality personality) {
        stack = NetStack.builder("fuzz").clock(() -> nowNs).config(StackConfig.defaults(personality)).build();
        stack.addInterface(device, LOCAL, 24);
        tcp = stack.tcp();
        // The peer introduces itself (an ARP request for us), so the stack knows its MAC.
        byte[] arp = new byte[ArpMessage.LENGTH];
        ArpMessage.request(TcpTestPeer.REMOTE_MAC, REMOTE, LOCAL).emit(arp, 0);
        receiveFrame(TcpTestPeer.ethernet(TcpTestPeer.LOCAL_MAC, EtherType.ARP, arp));
        device.sent.clear();
    }

    // ---------------------------------------------------------------- setting up

    void listen(int backlog) throws ErrnoException {
        listener = stack.sockets().tcp();
        listener.setNonBlocking(true);
        listener.bind(new Ipv4SocketAddress(LOCAL, LISTEN_PORT));
        listener.listen(backlog);
        observe();
    }

    Conversation conversation(String name, int localPort, int remotePort, int remoteIss) {
        Conversation v = new Conversation(name, localPort, remotePort, remoteIss);
        conversations.add(v);
        return v;
    }

    /** The peer's SYN to the listener (MSS 1460), answered with SYN-ACK: the child is SYN-RECEIVED. */
    Conversation synToListener(String name, int remotePort, int remoteIss, int localIss) {
        Conversation v = conversation(name, LISTEN_PORT, remotePort, remoteIss);
        tcp.setFixedIsnForTesting(localIss);
        send(v, SYN, remoteIss, 0, 64240, new byte[] {2, 4, 5, (byte) 0xb4}, new byte[0]);
        observe();
        noteSynAck(v);
        return v;
    }

    /** A complete passive open, accepted by the application when {@code accept}. */
    Conversation passiveOpen(String name, int remotePort, int remoteIss, int localIss, boolean accept)
            throws ErrnoException {
        Conversation v = synToListener(name, remotePort, remoteIss, localIss);
        send(v, ACK, remoteIss + 1, localIss + 1, 64240, new byte[0], new byte[0]);
        if (accept) {
            v.socket = listener.accept();
            v.socket.setNonBlocking(true);
        }
        observe();
        return v;
    }

    /** connect() from {@code localPort}: the SYN goes out, SYN-SENT. */
    Conversation connect(String name, int localPort, int remotePort, int remoteIss, int localIss) {
        Conversation v = conversation(name, localPort, remotePort, remoteIss);
        tcp.setFixedIsnForTesting(localIss);
        v.socket = stack.sockets().tcp();
        v.socket.setNonBlocking(true);
        try {
            v.socket.bind(new Ipv4SocketAddress(LOCAL, localPort));
            v.socket.connect(new Ipv4SocketAddress(REMOTE, remotePort));
        } catch (ErrnoException e) {
            // EINPROGRESS: the non-blocking connect has started.
        }
        observe();
        return v;
    }

    /** An active open completed by the peer's SYN-ACK. */
    Conversation activeOpen(String name, int localPort, int remotePort, int remoteIss, int localIss) {
        Conversation v = connect(name, localPort, remotePort, remoteIss, localIss);
        send(v, SYN | ACK, remoteIss, localIss + 1, 64240, new byte[] {2, 4, 5, (byte) 0xb4}, new byte[0]);
        observe();
        return v;
    }

    /** The well-behaved peer: acknowledges all we sent, sends {@code length} bytes in order, then FIN if asked. */
    void peerSends(Conversation v, int length, boolean fin) {
        TcpConnection c = v.conn;
        int seq = c.receiver.rcvNxt;
        send(v, ACK | (fin ? FIN : 0), seq, c.sender.sndMax, 65535, new byte[0], peerData(v, seq, length));
        observe();
    }

    /** The application writes {@code length} bytes of its stream; returns how many were taken. */
    int write(Conversation v, int length) throws ErrnoException {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = ourByte(v.written + i);
        }
        int n = v.socket.write(b, 0, length);
        v.written += n;
        observe();
        return n;
    }

    /** The application reads up to {@code length} bytes; they must be the peer's, at their place. */
    int read(Conversation v, int length, boolean peek) throws ErrnoException {
        byte[] b = new byte[length];
        int n = v.socket.recv(b, 0, length, peek ? netstack4j.socket.MessageFlags.MSG_PEEK : 0);
        if (!forged) {
            // The stream starts after the IRS the connection took (the fuzzer may have chosen it).
            long start = v.peerOffset(v.socket.connection().receiver.irs + 1) + v.read;
            for (int i = 0; i < n; i++) {
                if (b[i] != peerByte(start + i)) {
                    throw new AssertionError(v + ": byte " + (v.read + i) + " read is not the peer's");
                }
            }
        }
        if (!peek) {
            v.read += n;
        }
        observe();
        return n;
    }

    // ---------------------------------------------------------------- frames in

    /** The peer's bytes at {@code seq}: {@code length} bytes of its stream from there. */
    static byte[] peerData(Conversation v, int seq, int length) {
        byte[] data = new byte[length];
        long offset = v.peerOffset(seq);
        for (int i = 0; i < length; i++) {
            data[i] = peerByte(offset + i);
        }
        return data;
    }

    /** A segment from the conversation's peer, checksummed, in an IPv4 packet to us. */
    void send(Conversation v, int flags, int seq, int ack, int window, byte[] options, byte[] data) {
        sendTcp(REMOTE, tcpSegment(v.remotePort, v.localPort, flags, seq, ack, window, 0, options, data));
    }

    /** TCP bytes with options padded to whole words (at most 40) and a correct checksum for REMOTE to LOCAL. */
    static byte[] tcpSegment(int srcPort, int dstPort, int flags, int seq, int ack, int window, int urgent,
                             byte[] options, byte[] data) {
        int optionSpace = Math.min(40, (options.length + 3) & ~3);
        int header = 20 + optionSpace;
        byte[] b = new byte[header + data.length];
        put16(b, TcpPacket.SOURCE_PORT, srcPort);
        put16(b, TcpPacket.DESTINATION_PORT, dstPort);
        put32(b, TcpPacket.SEQUENCE_NUMBER, seq);
        put32(b, TcpPacket.ACKNOWLEDGMENT_NUMBER, ack);
        b[TcpPacket.DATA_OFFSET] = (byte) (header / 4 << 4);
        b[TcpPacket.FLAGS] = (byte) flags;
        put16(b, TcpPacket.WINDOW, window);
        put16(b, TcpPacket.URGENT_POINTER, urgent);
        System.arraycopy(options, 0, b, 20, Math.min(options.length, optionSpace));
        System.arraycopy(data, 0, b, header, data.length);
        fixTransportChecksum(b, IpProtocol.TCP, REMOTE, LOCAL);
        return b;
    }

    /** Sets the TCP or UDP checksum of {@code b} (a whole segment or datagram) for src to dst. */
    static void fixTransportChecksum(byte[] b, int protocol, Ipv4Address src, Ipv4Address dst) {
        int at = protocol == IpProtocol.TCP ? TcpPacket.CHECKSUM : 6;
        if (b.length < at + 2) {
            return;
        }
        put16(b, at, 0);
        int sum = Checksum.fold(Checksum.sum(b, 0, b.length, Checksum.pseudoHeaderSum(src, dst, protocol, b.length)));
        put16(b, at, protocol == IpProtocol.UDP && sum == 0 ? 0xffff : sum);
    }

    void sendTcp(Ipv4Address src, byte[] tcpBytes) {
        sendIp(TcpTestPeer.ip(src, LOCAL, tcpBytes));
    }

    /** An IPv4 packet from the peer's MAC to ours. */
    void sendIp(byte[] packet) {
        receiveFrame(TcpTestPeer.ethernet(TcpTestPeer.LOCAL_MAC, EtherType.IPV4, packet));
    }

    /** A frame arrives on the wire; the stack's runtime is entered as a driver would. */
    void receiveFrame(byte[] frame) {
        stack.runtime().call(() -> {
            device.handler.onFrame(device, PacketBuffer.wrap(frame));
            return null;
        });
        observe();
    }

    /** Recomputes the IPv4 header checksum when the header is all there. */
    static void fixIpChecksum(byte[] packet) {
        if (packet.length >= 20) {
            int ihl = (packet[0] & 0x0f) * 4;
            if (ihl >= 20 && ihl <= packet.length) {
                new Ipv4Packet().wrap(packet, 0, packet.length).updateChecksum();
            }
        }
    }

    // ---------------------------------------------------------------- time

    /** Moves the clock on by {@code ms}, running each timer at its own deadline on the way. */
    void advanceMs(long ms) {
        long target = nowNs + ms * MS;
        for (int rounds = 0; ; rounds++) {
            long due = stack.pollAtNs();
            if (due - target > 0) {
                break;
            }
            if (rounds >= MAX_TIMER_ROUNDS) {
                throw new AssertionError("timer storm: more than " + MAX_TIMER_ROUNDS + " firings before "
                        + target + " ns, next due " + due);
            }
            nowNs = Math.max(nowNs, due);
            poll();
            drain(); // the peer answers ARP as time goes by, not only after the step
        }
        nowNs = target;
        poll();
        observe();
    }

    private void poll() {
        stack.runtime().call(() -> {
            stack.poll(nowNs);
            return null;
        });
    }

    // ---------------------------------------------------------------- what the stack holds and sends

    /** Records every connection now reachable and binds each conversation to its latest one. */
    void observe() {
        for (TcpConnection c : tcp.connections()) {
            see(c);
        }
        if (listener != null && listener.connection().listenQueue != null) {
            for (TcpConnection c : listener.connection().listenQueue.acceptQueue) {
                see(c);
            }
        }
        for (Conversation v : conversations) {
            if (v.socket != null) {
                see(v.socket.connection());
            }
        }
    }

    private void see(TcpConnection c) {
        for (TcpConnection s : seen) {
            if (s == c) {
                return;
            }
        }
        seen.add(c);
        if (c.isListening() || c.remotePort == 0) {
            return;
        }
        for (Conversation v : conversations) {
            if (v.localPort == c.localPort && v.remotePort == c.remotePort && c.remoteIp == REMOTE.value()) {
                v.conn = c;
            }
        }
    }

    /**
     * Remembers the ISS of a SYN-ACK sent to {@code v}'s peer (what a cookie ACK must acknowledge);
     * false when none was sent (the SYN was dropped).
     */
    boolean noteSynAck(Conversation v) {
        boolean answered = false;
        for (Sent s : takeSent()) {
            if (s.flags() == (SYN | ACK) && s.dstPort() == v.remotePort && s.srcPort() == v.localPort) {
                v.offeredIss = s.seq();
                v.offeredAtNs = nowNs;
                answered = true;
            }
        }
        return answered;
    }

    /** The TCP segments sent since the last call. */
    List<Sent> takeSent() {
        drain();
        List<Sent> l = new ArrayList<>(sent);
        sent.clear();
        return l;
    }

    /** Checks and consumes every frame the stack sent; answers ARP for the peer. */
    void drain() {
        while (!device.sent.isEmpty()) {
            byte[] f = device.sent.removeFirst();
            if (f.length < 14) {
                throw new AssertionError("runt frame sent: " + f.length + " bytes");
            }
            int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
            if (type == EtherType.ARP) {
                answerArp(f);
            } else if (type == EtherType.IPV4) {
                checkIp(f);
            } else {
                throw new AssertionError("frame of unknown type sent: " + Integer.toHexString(type));
            }
        }
    }

    private void checkIp(byte[] f) {
        Ipv4Packet ip = new Ipv4Packet().wrap(f, 14, f.length - 14);
        String bad = ip.check();
        if (bad != null || !ip.verifyChecksum()) {
            throw new AssertionError("malformed IPv4 packet sent: " + (bad != null ? bad : "bad checksum"));
        }
        if (ip.totalLength() > device.mtu()) {
            throw new AssertionError("IPv4 packet of " + ip.totalLength() + " bytes sent on a 1500-byte link");
        }
        if (ip.isFragment() || ip.protocol() != IpProtocol.TCP) {
            return;
        }
        TcpPacket t = new TcpPacket().wrap(f, ip.payloadOffset(), ip.payloadLength());
        if (t.check() != null || !t.verifyChecksum(ip.source(), ip.destination())) {
            throw new AssertionError("malformed TCP segment sent: " + (t.check() != null ? t.check() : "bad checksum"));
        }
        sent.add(new Sent(t.sourcePort(), t.destinationPort(), t.sequenceNumber(), t.acknowledgmentNumber(),
                t.flags(), t.window(), t.payloadLength()));
        if (t.payloadLength() == 0) {
            return;
        }
        TcpConnection c = null;
        for (TcpConnection s : seen) {
            if (!s.isListening() && s.localPort == t.sourcePort() && s.remotePort == t.destinationPort()
                    && s.remoteIp == ip.destinationInt()) {
                c = s; // the latest one of this port pair wins
            }
        }
        if (c == null) {
            throw new AssertionError("data sent for no connection: " + t);
        }
        if (t.payloadLength() > c.sender.mss) {
            throw new AssertionError(c + ": " + t.payloadLength() + " bytes sent with a send MSS of " + c.sender.mss);
        }
        long offset = Integer.toUnsignedLong(t.sequenceNumber() - (c.sender.iss + 1));
        for (int i = 0; i < t.payloadLength(); i++) {
            if (f[t.payloadOffset() + i] != ourByte(offset + i)) {
                throw new AssertionError(c + ": byte " + (offset + i) + " sent is not one the application wrote");
            }
        }
    }

    private void answerArp(byte[] f) {
        ArpMessage m;
        try {
            m = ArpMessage.parse(new ArpPacket().wrap(f, 14, f.length - 14));
        } catch (Exception e) {
            throw new AssertionError("malformed ARP sent", e);
        }
        if (m.operation() == ArpOperation.REQUEST && m.targetProtocolAddress().equals(REMOTE)) {
            byte[] arp = new byte[ArpMessage.LENGTH];
            ArpMessage.replyTo(m, TcpTestPeer.REMOTE_MAC).emit(arp, 0);
            receiveFrame(TcpTestPeer.ethernet(TcpTestPeer.LOCAL_MAC, EtherType.ARP, arp));
        }
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
