package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Personality;
import netstack4j.tcp.FuzzHost.Conversation;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;

/**
 * Fuzz target 2c: ICMP errors (destination unreachable with every code, fragmentation needed
 * with any next-hop MTU, time exceeded, and others) whose quoted IP and TCP/UDP headers are
 * fuzzed, against live sockets: a listener, connections in SYN-SENT, SYN-RECEIVED and
 * ESTABLISHED (with data in flight), and two UDP sockets, one connected. The quote names one of
 * the live sockets (or fuzzed ports), with its sequence number placed relative to SND.UNA, and
 * a fuzzed IP header (version, IHL, protocol, addresses), cut to a fuzzed length; the error comes
 * from the peer or from a router.
 *
 * <p>Besides {@link StackInvariants} (and {@link FuzzHost#drain}'s checks that nothing sent
 * exceeds the link MTU or its connection's MSS): the path MTU to the peer stays within
 * [552, 1500] (RFC 1191 section 6.1 and Linux's min_pmtu), whatever the MTU field said, and the
 * ESTABLISHED connection's send MSS is what that path MTU allows ({@link #mss}).
 */
class IcmpErrorFuzzTest {
    static final Ipv4Address ROUTER = Ipv4Address.parse("10.0.0.254");
    /** Extra step: an ICMP error. See {@link #icmpError} for the layout. */
    static final int OP_ICMP = FuzzSteps.OP_EXTRA;
    /** Extra step: the UDP sockets send a datagram each (so there is something to be in error about). */
    static final int OP_UDP_SEND = FuzzSteps.OP_EXTRA + 1;
    static final int UDP_CONNECTED_PORT = 5000;
    static final int UDP_OPEN_PORT = 5001;

    @FuzzTest(maxDuration = "5m")
    void icmpErrorsAboutLiveSockets(byte[] input) throws ErrnoException {
        FuzzInput in = new FuzzInput(input);
        FuzzHost host = new FuzzHost(Personality.LINUX);
        host.listen(8);
        host.connect("syn-sent", 40000, 9000, 7_000_000, 0xfffffff0);
        host.synToListener("syn-received", 50000, 5_000_000, 200_000);
        Conversation est = host.passiveOpen("established", 50001, 0xfffffff0, 0xfffff800, true);
        host.write(est, 5000);
        host.tcp.setFixedIsnForTesting(null);
        UdpSocket connected = host.stack.sockets().udp();
        connected.setNonBlocking(true);
        connected.bind(new Ipv4SocketAddress(FuzzHost.LOCAL, UDP_CONNECTED_PORT));
        connected.connect(new Ipv4SocketAddress(FuzzHost.REMOTE, 53));
        UdpSocket open = host.stack.sockets().udp();
        open.setNonBlocking(true);
        open.bind(new Ipv4SocketAddress(FuzzHost.LOCAL, UDP_OPEN_PORT));
        TcpConnection c = est.conn;
        int[] lowestPmtu = {host.device.mtu()};
        FuzzSteps.run(host, in, List.of((h, i) -> {
            icmpError(h, i);
            lowestPmtu[0] = Math.min(lowestPmtu[0], pathMtu(h));
            mss(c, lowestPmtu[0]);
        }, (h, i) -> {
            try {
                connected.send(new byte[] {1, 2, 3});
                open.sendTo(new byte[] {4, 5, 6}, new Ipv4SocketAddress(FuzzHost.REMOTE, 53));
                connected.takeError();
            } catch (ErrnoException e) {
                // ECONNREFUSED and the like, reported from an earlier error
            }
        }));
        pathMtu(host);
    }

    /**
     * Layout: type (u8: 3, 11, 3 with code 4, 4, 12, or the next byte), code (u8), next-hop MTU
     * (u16), from a router (u8 bit 0), what is quoted (u8: a conversation, a UDP socket, or
     * fuzzed ports), the quoted IP header's first byte (u8, 0 for 0x45), protocol (u8, 0 for the
     * socket's), source and destination (u8 bit 0 and 1: fuzzed, else ours and the peer's, then
     * s32 each when fuzzed), TCP sequence place (u8) and delta (s16), the length to cut the quote
     * to (u8, 0 for the whole), and the bytes after the quoted ports and sequence number (8).
     */
    static void icmpError(FuzzHost h, FuzzInput in) {
        int typeChoice = in.below(6);
        int code = in.u8();
        int mtu = in.u16();
        int type = switch (typeChoice) {
            case 0 -> 3;
            case 1 -> 11;
            case 2 -> {
                code = 4;
                yield 3;
            }
            case 3 -> 4;
            case 4 -> 12;
            default -> in.u8();
        };
        if (type == 3 && typeChoice == 0) {
            code %= 16;
        }
        boolean fromRouter = (in.u8() & 1) != 0;
        int what = in.below(h.conversations.size() + 3);
        int verIhl = in.u8();
        int protocolChoice = in.u8();
        int addressFlags = in.u8();
        int src = (addressFlags & 1) != 0 ? in.s32() : FuzzHost.LOCAL.value();
        int dst = (addressFlags & 2) != 0 ? in.s32() : FuzzHost.REMOTE.value();
        int seqPlace = in.below(FuzzSteps.PLACES);
        int seqDelta = in.s16();
        int cut = in.u8();
        byte[] rest = in.bytes(8);

        int protocol;
        int srcPort;
        int dstPort;
        int seq = 0;
        if (what < h.conversations.size()) {
            Conversation v = h.conversations.get(what);
            protocol = IpProtocol.TCP;
            srcPort = v.localPort;
            dstPort = v.remotePort;
            TcpConnection c = v.conn;
            int una = c != null ? c.sender.sndUna : 0;
            int flight = c != null ? SeqNum.diff(c.sender.sndMax, c.sender.sndUna) : 0;
            seq = FuzzSteps.place(seqPlace, seqDelta, una, flight, c != null ? c.sender.iss : 0);
        } else if (what == h.conversations.size()) {
            protocol = IpProtocol.UDP;
            srcPort = UDP_CONNECTED_PORT;
            dstPort = 53;
        } else if (what == h.conversations.size() + 1) {
            protocol = IpProtocol.UDP;
            srcPort = UDP_OPEN_PORT;
            dstPort = 53;
        } else {
            protocol = IpProtocol.TCP;
            srcPort = seqDelta & 0xffff;
            dstPort = mtu;
        }
        if (protocolChoice != 0) {
            protocol = protocolChoice;
        }
        int ihlBytes = verIhl == 0 ? 20 : (verIhl & 0x0f) * 4;
        byte[] quote = new byte[Math.max(20, ihlBytes) + 8 + rest.length];
        quote[0] = (byte) (verIhl == 0 ? 0x45 : verIhl);
        FuzzHost.put16(quote, 2, quote.length + 40);
        quote[8] = 64;
        quote[9] = (byte) protocol;
        FuzzHost.put32(quote, 12, src);
        FuzzHost.put32(quote, 16, dst);
        FuzzHost.fixIpChecksum(quote);
        int t = Math.max(20, ihlBytes);
        FuzzHost.put16(quote, t, srcPort);
        FuzzHost.put16(quote, t + 2, dstPort);
        FuzzHost.put32(quote, t + 4, seq);
        System.arraycopy(rest, 0, quote, t + 8, rest.length);
        if (cut != 0 && cut < quote.length) {
            quote = java.util.Arrays.copyOf(quote, cut);
        }
        byte[] icmp = new byte[8 + quote.length];
        icmp[0] = (byte) type;
        icmp[1] = (byte) code;
        FuzzHost.put16(icmp, 6, mtu);
        System.arraycopy(quote, 0, icmp, 8, quote.length);
        FuzzHost.put16(icmp, 2, netstack4j.wire.Checksum.compute(icmp, 0, icmp.length));
        byte[] ip = TcpTestPeer.ip(fromRouter ? ROUTER : FuzzHost.REMOTE, FuzzHost.LOCAL, icmp);
        ip[9] = (byte) IpProtocol.ICMP;
        FuzzHost.put16(ip, 10, 0);
        FuzzHost.fixIpChecksum(ip);
        h.sendIp(ip);
    }

    /**
     * The send MSS follows the path MTU the IP layer keeps: never below what the lowest one so far
     * allows, as Linux's tcp_v4_mtu_reduced syncs the MSS to dst_mtu, which min_pmtu bounds
     * (RFC 5927 section 7.1: a forged tiny MTU must not shrink segments to nothing). The peer
     * offered 1460. (The lowest, because the MSS does not grow back when a learned path MTU
     * expires; Linux's tcp_current_mss would resync it.)
     */
    private static void mss(TcpConnection c, int lowestPmtu) {
        if (c.state() == TcpState.CLOSED) {
            return;
        }
        assertTrue(c.sender.mss >= Math.min(1460, lowestPmtu - 40), c + ": send MSS " + c.sender.mss
                + " below what the path MTU " + lowestPmtu + " allows");
    }

    private static int pathMtu(FuzzHost h) {
        int pmtu = h.stack.ip().pathMtu(FuzzHost.REMOTE, h.device.mtu());
        assertTrue(pmtu >= 552 && pmtu <= h.device.mtu(), "path MTU to the peer is " + pmtu);
        return pmtu;
    }
}
