package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.SYN;
import static netstack4j.wire.TcpFlags.URG;

import java.util.List;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.tcp.FuzzHost.Conversation;
import netstack4j.wire.IpProtocol;

/**
 * The steps the stack fuzz targets share, each decoded from {@link FuzzInput} (the layouts are
 * what {@link FuzzSeeds} writes):
 * <ul>
 *   <li>{@link #segment}: a segment from one conversation's peer, built from fuzzed fields
 *       placed relative to the connection's sequence space (so the fuzzer reaches every state's
 *       in-window paths, not just the drop at the first check);</li>
 *   <li>{@link #raw}: raw bytes as a whole frame, an IPv4 packet, or a TCP segment (the last two
 *       with their checksums fixed, so they get past the checksum);</li>
 *   <li>{@link #advance}: the clock moves on, each timer firing at its own deadline;</li>
 *   <li>{@link #app}: an application call on one conversation's socket or on the listener;</li>
 *   <li>{@link #peer}: the well-behaved peer acknowledges everything and sends data in order.</li>
 * </ul>
 * {@link ErrnoException}s are what applications see and are expected; anything else escapes.
 */
final class FuzzSteps {
    /** Where a fuzzed sequence or acknowledgment number lies. */
    static final int AT = 0;
    static final int NEAR = 1;
    static final int EDGE = 2;
    static final int BEHIND = 3;
    static final int ANYWHERE = 4;
    static final int INITIAL = 5;
    static final int PLACES = 6;

    /** The application calls {@link #app} decodes. */
    static final int READ = 0;
    static final int PEEK = 1;
    static final int WRITE = 2;
    static final int SHUT_WR = 3;
    static final int SHUT_RD = 4;
    static final int SHUT_RDWR = 5;
    static final int CLOSE = 6;
    static final int NODELAY = 7;
    static final int CORK = 8;
    static final int LINGER_ZERO = 9;
    static final int KEEPALIVE = 10;
    static final int QUICKACK = 11;
    static final int MAXSEG = 12;
    static final int ACCEPT = 13;
    static final int CLOSE_LISTENER = 14;
    static final int CALLS = 15;

    private FuzzSteps() {
    }

    /**
     * Layout: conversation (u8), flags (u8), SEQ place (u8) and delta (s16), ACK place (u8) and
     * delta (s16), window (u16), urgent pointer (u16, used with URG), option length (u8, at most
     * 40) and bytes, payload length (u16, at most 1460).
     */
    static void segment(FuzzHost host, FuzzInput in) {
        host.sendTcp(FuzzHost.REMOTE, segmentBytes(host, in));
    }

    /** The segment {@link #segment} decodes, as TCP bytes (checksummed from the peer to us). */
    static byte[] segmentBytes(FuzzHost host, FuzzInput in) {
        Conversation v = host.conversations.get(in.below(host.conversations.size()));
        int flags = in.u8();
        int seqPlace = in.below(PLACES);
        int seqDelta = in.s16();
        int ackPlace = in.below(PLACES);
        int ackDelta = in.s16();
        int window = in.u16();
        int urgent = in.u16();
        byte[] options = in.bytes(in.u8() % 41);
        int length = in.u16() % 1461;
        TcpConnection c = v.conn;
        int rcvNxt = c != null && c.state != TcpState.SYN_SENT ? c.receiver.rcvNxt : v.remoteIss + 1;
        int rcvWnd = c != null ? c.receiver.receiveWindow() : 0;
        int seq = place(seqPlace, seqDelta, rcvNxt, rcvWnd, v.remoteIss);
        // Without a connection (a SYN answered with a cookie), the sequence space is the SYN-ACK's.
        int iss = c != null ? c.sender.iss : v.offeredIss;
        int sndUna = c != null ? c.sender.sndUna : iss;
        int sndMax = c != null ? c.sender.sndMax : iss + 1;
        int ack = place(ackPlace, ackDelta, sndMax, SeqNum.diff(sndMax, sndUna), iss);
        if (ackPlace == BEHIND || ackPlace == NEAR) {
            ack = SeqNum.add(sndUna, ackPlace == NEAR ? ackDelta % 8 : -(ackDelta & 0xffff));
        }
        // The data follows the SYN, which takes the first sequence number (RFC 9293 section 3.4).
        byte[] data = FuzzHost.peerData(v, (flags & SYN) != 0 ? seq + 1 : seq, length);
        return FuzzHost.tcpSegment(v.remotePort, v.localPort, flags, seq, ack, window,
                (flags & URG) != 0 ? urgent : 0, options, data);
    }

    /** A sequence number at {@code place} relative to {@code base} and a window of {@code size}. */
    static int place(int place, int delta, int base, int size, int initial) {
        return switch (place) {
            case AT -> base;
            case NEAR -> base + delta % 8;
            case EDGE -> base + size + delta % 4;
            case BEHIND -> base - (delta & 0xffff);
            case INITIAL -> initial + delta % 4;
            default -> delta * 0x9e3779b9;
        };
    }

    /** Layout: kind (u8: frame, IPv4 packet, TCP segment), length (u16, at most 1600), bytes. */
    static void raw(FuzzHost host, FuzzInput in) {
        int kind = in.below(3);
        byte[] b = in.bytes(in.u16() % 1601);
        host.forged = true;
        switch (kind) {
            case 0 -> host.receiveFrame(b);
            case 1 -> {
                FuzzHost.fixIpChecksum(b);
                host.sendIp(b);
            }
            default -> {
                FuzzHost.fixTransportChecksum(b, IpProtocol.TCP, FuzzHost.REMOTE, FuzzHost.LOCAL);
                host.sendTcp(FuzzHost.REMOTE, b);
            }
        }
    }

    /** Layout: scale (u8: ms, 100 ms or 10 s units), amount (u16). Up to about a week. */
    static void advance(FuzzHost host, FuzzInput in) {
        int scale = in.below(3);
        long amount = in.u16();
        host.advanceMs(amount * (scale == 0 ? 1 : scale == 1 ? 100 : 10_000));
    }

    /** Layout: conversation (u8), call (u8), argument (u16). */
    static void app(FuzzHost host, FuzzInput in) {
        Conversation v = host.conversations.get(in.below(host.conversations.size()));
        int call = in.below(CALLS);
        int arg = in.u16();
        try {
            if (call == ACCEPT) {
                accept(host);
                return;
            }
            if (call == CLOSE_LISTENER) {
                if (host.listener != null) {
                    host.listener.close();
                }
                return;
            }
            TcpSocket s = v.socket;
            if (s == null || v.appClosed) {
                return;
            }
            switch (call) {
                case READ -> host.read(v, arg + 1, false);
                case PEEK -> host.read(v, arg + 1, true);
                case WRITE -> host.write(v, arg);
                case SHUT_WR -> s.shutdown(Shutdown.WRITE);
                case SHUT_RD -> s.shutdown(Shutdown.READ);
                case SHUT_RDWR -> s.shutdown(Shutdown.BOTH);
                case CLOSE -> {
                    v.appClosed = true;
                    s.close();
                }
                case NODELAY -> s.setOption(java.net.StandardSocketOptions.TCP_NODELAY, (arg & 1) != 0);
                case CORK -> s.setOption(NetSocketOptions.TCP_CORK, (arg & 1) != 0);
                case LINGER_ZERO -> s.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                case KEEPALIVE -> {
                    s.setOption(NetSocketOptions.TCP_KEEPIDLE, 1 + arg % 120);
                    s.setOption(NetSocketOptions.TCP_KEEPINTVL, 1 + arg % 7);
                    s.setOption(NetSocketOptions.TCP_KEEPCNT, 1 + arg % 5);
                    s.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
                }
                case QUICKACK -> s.setOption(NetSocketOptions.TCP_QUICKACK, (arg & 1) != 0);
                default -> s.setOption(NetSocketOptions.TCP_MAXSEG, arg % 2000);
            }
        } catch (ErrnoException e) {
            // What an application sees (EAGAIN, EPIPE, ENOTCONN, ECONNRESET, EINVAL...): fine.
        } finally {
            host.observe();
        }
    }

    /** accept(): the connection goes to the conversation of its port pair. */
    private static void accept(FuzzHost host) throws ErrnoException {
        if (host.listener == null) {
            return;
        }
        TcpSocket s = host.listener.accept();
        s.setNonBlocking(true);
        TcpConnection c = s.connection();
        for (Conversation v : host.conversations) {
            if (v.localPort == c.localPort() && v.remotePort == c.remotePort() && v.socket == null) {
                v.socket = s;
                return;
            }
        }
        s.close(); // no conversation wants it (another connection of the same pair was accepted)
    }

    /** The well-behaved peer. Layout: conversation (u8), length (u16, at most 1460), FIN (u8 bit 0). */
    static void peer(FuzzHost host, FuzzInput in) {
        Conversation v = host.conversations.get(in.below(host.conversations.size()));
        int length = in.u16() % 1461;
        boolean fin = (in.u8() & 1) != 0;
        if (v.conn != null && v.conn.state() != TcpState.CLOSED && v.conn.state() != TcpState.SYN_SENT) {
            host.peerSends(v, length, fin);
        }
    }

    /** Runs the steps of {@code in} (op u8, then the step's layout) with the invariants after each. */
    static void run(FuzzHost host, FuzzInput in, List<Step> extra) {
        host.takeSent(); // what the setup sent
        StackInvariants.check(host);
        int steps = 0;
        while (in.hasMore() && steps++ < 64) {
            int op = in.below(OP_EXTRA + extra.size());
            switch (op) {
                case 0, 1, 2 -> segment(host, in);
                case 3 -> raw(host, in);
                case 4, 5 -> advance(host, in);
                case 6, 7 -> app(host, in);
                case 8 -> peer(host, in);
                default -> extra.get(op - OP_EXTRA).run(host, in);
            }
            host.takeSent();
            if (TRACE) {
                System.out.println("step " + steps + " op " + op + " at " + host.nowNs / 1_000_000 + " ms:");
                for (TcpConnection c : host.seen) {
                    System.out.println("  " + c + " " + c.state + " SendQ " + c.sender.buffer.size() + " RecvQ "
                            + c.receiver.buffer.readable() + " ooo " + c.receiver.buffer.outOfOrderBytes() + " charged "
                            + c.chargedBytes + (c.pendingError != null ? " " + c.pendingError : "")
                            + (c.appClosed ? " closed by the application" : ""));
                }
            }
            StackInvariants.check(host);
        }
    }

    /** {@code -Dfuzz.trace=true}: print each step and the conversations' states (to read a finding). */
    private static final boolean TRACE = Boolean.getBoolean("fuzz.trace");

    /** A target's own step. */
    @FunctionalInterface
    interface Step {
        void run(FuzzHost host, FuzzInput in);
    }

    /** The op numbers {@link #run} decodes, for {@link FuzzSeeds}. */
    static final int OP_SEGMENT = 0;
    static final int OP_RAW = 3;
    static final int OP_ADVANCE = 4;
    static final int OP_APP = 6;
    static final int OP_PEER = 8;
    static final int OP_EXTRA = 9;

    /** The kinds of {@link #raw} input. */
    static final int RAW_FRAME = 0;
    static final int RAW_IP = 1;
    static final int RAW_TCP = 2;
}
