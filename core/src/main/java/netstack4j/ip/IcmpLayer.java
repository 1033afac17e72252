package netstack4j.ip;

import java.util.HashMap;
import java.util.Map;
import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.IcmpMessage;
import netstack4j.wire.IcmpPacket;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.PacketBuffer;

/**
 * ICMPv4 (RFC 792, RFC 1122 section 3.2.2): the echo responder, ICMP errors this host sends
 * (with RFC 1122's restrictions and Linux's per-destination rate limit), errors received and
 * passed to the transport or ping socket that caused them, and ping sockets' echo traffic.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class IcmpLayer {
    /** Linux XRLIM_BURST_FACTOR: a destination may receive this many errors in a burst. */
    static final int RATE_BURST = 6;
    /** Linux icmp_ratemask default 0x1818: destination unreachable, source quench, time exceeded, parameter problem. */
    static final int RATE_MASK = 0x1818;
    /** RFC 1812 section 4.3.2.3: an ICMP error holds as much of the original as fits in 576 bytes. */
    static final int ERROR_MAX_LENGTH = 576;
    /** IPTOS_PREC_INTERNETCONTROL, the TOS Linux gives ICMP errors. */
    static final int ERROR_TOS = 0xc0;

    /** A ping socket's receiving end ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}). */
    public interface PingEndpoint {
        void echoReply(Ipv4Address from, int ttl, int sequence, byte[] data);

        void error(IcmpError error, int sequence);
    }

    private final NetStack stack;
    private final Ipv4Layer ip;
    private final Counters counters;
    private final Map<Integer, PingEndpoint> pings = new HashMap<>();
    private final Map<Integer, long[]> rateLimit = new HashMap<>();
    private long globalCredit;
    private long globalStampNs = Long.MIN_VALUE;

    IcmpLayer(NetStack stack, Ipv4Layer ip) {
        this.stack = stack;
        this.ip = ip;
        this.counters = stack.counters();
    }

    // ---------------------------------------------------------------- input

    void input(NetInterface iface, Ipv4Packet ipv, PacketBuffer packet, boolean broadcast) {
        counters.increment(Counter.IcmpInMsgs);
        IcmpPacket view = new IcmpPacket().wrap(ipv.array(), ipv.payloadOffset(), ipv.payloadLength());
        if (view.check() != null) {
            counters.increment(Counter.IcmpInErrors);
            stack.drop(DropReason.ICMP_MALFORMED, iface.name());
            return;
        }
        if (!view.verifyChecksum()) {
            counters.increment(Counter.IcmpInCsumErrors);
            counters.increment(Counter.IcmpInErrors);
            stack.drop(DropReason.ICMP_CSUM, iface.name());
            return;
        }
        IcmpMessage msg;
        try {
            msg = IcmpMessage.parse(view);
        } catch (MalformedPacketException e) {
            counters.increment(Counter.IcmpInErrors);
            stack.drop(DropReason.ICMP_MALFORMED, iface.name());
            return;
        }
        switch (msg) {
            case IcmpMessage.EchoRequest req -> {
                counters.increment(Counter.IcmpInEchos);
                // Linux icmp_echo_ignore_broadcasts=1: broadcast pings are not answered.
                if (!broadcast) {
                    reply(ipv, req);
                }
            }
            case IcmpMessage.EchoReply rep -> {
                counters.increment(Counter.IcmpInEchoReps);
                PingEndpoint p = pings.get(rep.identifier());
                if (p != null) {
                    p.echoReply(ipv.source(), ipv.ttl(), rep.sequence(), rep.data());
                }
            }
            case IcmpMessage.DestinationUnreachable u -> {
                counters.increment(Counter.IcmpInDestUnreachs);
                error(iface, ipv, 3, u.code().code(), u.nextHopMtu(), u.original());
            }
            case IcmpMessage.TimeExceeded t -> {
                counters.increment(Counter.IcmpInTimeExcds);
                error(iface, ipv, 11, t.code().code(), 0, t.original());
            }
            case IcmpMessage.Other o -> stack.trace(TraceEvent.Kind.ICMP, iface.name(),
                    "ignored ICMP type " + o.type() + " code " + o.code());
        }
    }

    /** RFC 792 echo: the reply carries the request's identifier, sequence and data. */
    private void reply(Ipv4Packet req, IcmpMessage.EchoRequest echo) {
        IcmpMessage.EchoReply rep = new IcmpMessage.EchoReply(echo.identifier(), echo.sequence(), echo.data());
        if (sendMessage(req.destination(), req.source(), rep, 0) == null) {
            counters.increment(Counter.IcmpOutEchoReps);
        }
    }

    /** RFC 1122 3.2.2.1: pass an ICMP error to the protocol (or ping socket) that sent the datagram. */
    private void error(NetInterface iface, Ipv4Packet ipv, int type, int code, int mtu, byte[] original) {
        if (original.length < 20 || (original[0] & 0xf0) != 0x40 || original.length < (original[0] & 0x0f) * 4 + 8) {
            counters.increment(Counter.IcmpInErrors);
            stack.drop(DropReason.ICMP_MALFORMED, iface.name());
            return;
        }
        int ihl = (original[0] & 0x0f) * 4;
        int protocol = original[9] & 0xff;
        Ipv4Address origSrc = Ipv4Address.read(original, 12);
        Ipv4Address origDst = Ipv4Address.read(original, 16);
        if (!ip.isLocal(origSrc)) {
            stack.trace(TraceEvent.Kind.ICMP, iface.name(), "ICMP error about a datagram we did not send");
            return;
        }
        byte[] transport = java.util.Arrays.copyOfRange(original, ihl, original.length);
        Errno errno;
        boolean fatal;
        if (type == 3) {
            errno = IcmpError.unreachableErrno(code);
            fatal = IcmpError.unreachableFatal(code);
            if (code == 4 && mtu > 0) {
                ip.learnPathMtu(origDst, mtu);
            }
        } else {
            errno = Errno.EHOSTUNREACH;
            fatal = false;
        }
        IcmpError err = new IcmpError(type, code, ipv.source(), mtu, origSrc, origDst, protocol, transport, errno, fatal);
        stack.trace(TraceEvent.Kind.ICMP, iface.name(), "from " + ipv.source() + ": " + err.describe()
                + " for " + origSrc + " > " + origDst + " " + IpProtocol.name(protocol));
        if (protocol == IpProtocol.ICMP) {
            if ((transport[0] & 0xff) == IcmpMessage.ECHO_REQUEST) {
                int id = ((transport[4] & 0xff) << 8) | (transport[5] & 0xff);
                int seq = ((transport[6] & 0xff) << 8) | (transport[7] & 0xff);
                PingEndpoint p = pings.get(id);
                if (p != null) {
                    p.error(err, seq);
                }
            }
            return;
        }
        TransportProtocol t = ip.transport(protocol);
        if (t != null) {
            t.icmpError(err);
        }
    }

    // ---------------------------------------------------------------- errors we send

    /** Destination unreachable about {@code original} (RFC 792; RFC 1191 for fragmentation needed). */
    public void sendUnreachable(Ipv4Packet original, IcmpMessage.UnreachableCode code, int mtu, boolean neighbourFailure) {
        if (!mayAnswer(original)) {
            return;
        }
        IcmpMessage m = new IcmpMessage.DestinationUnreachable(code, mtu, quote(original));
        if (sendError(original, m, 3, code.code()) == null) {
            counters.increment(Counter.IcmpOutDestUnreachs);
        }
    }

    /** Time exceeded: code 0 TTL in transit, 1 fragment reassembly. */
    public void sendTimeExceeded(Ipv4Packet original, int code) {
        if (!mayAnswer(original)) {
            return;
        }
        IcmpMessage m = new IcmpMessage.TimeExceeded(
                code == 0 ? IcmpMessage.TimeExceededCode.TTL : IcmpMessage.TimeExceededCode.REASSEMBLY, quote(original));
        if (sendError(original, m, 11, code) == null) {
            counters.increment(Counter.IcmpOutTimeExcds);
        }
    }

    /**
     * RFC 1122 section 3.2.2: no ICMP error about an ICMP error, a non-initial fragment, a
     * broadcast or multicast datagram, or a datagram whose source is not a unicast host.
     */
    private boolean mayAnswer(Ipv4Packet original) {
        Ipv4Address src = original.source();
        Ipv4Address dst = original.destination();
        if (original.fragmentOffset() != 0) {
            return false;
        }
        if (dst.isBroadcast() || dst.isMulticast() || ip.isSubnetBroadcast(dst)) {
            return false;
        }
        if (src.isAny() || src.isBroadcast() || src.isMulticast() || ip.isSubnetBroadcast(src)) {
            return false;
        }
        if (original.protocol() == IpProtocol.ICMP && original.payloadLength() >= 1) {
            int type = original.array()[original.payloadOffset()] & 0xff;
            boolean isError = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
            return !isError;
        }
        return true;
    }

    /** The original IP header and as much data as fits in a 576-byte error (RFC 1812 4.3.2.3). */
    private static byte[] quote(Ipv4Packet original) {
        int room = ERROR_MAX_LENGTH - 20 - 8;
        int n = Math.min(room, original.totalLength());
        return java.util.Arrays.copyOfRange(original.array(), original.offset(), original.offset() + n);
    }

    private Errno sendError(Ipv4Packet original, IcmpMessage m, int type, int code) {
        Ipv4Address to = original.source();
        boolean toSelf = ip.isLocal(to);
        // Linux icmpv4_mask_allow: only types in icmp_ratemask are limited, never PMTU errors.
        boolean masked = (RATE_MASK & (1 << type)) != 0 && !(type == 3 && code == 4);
        // First the host-wide budget (icmpv4_global_allow), then the one per destination
        // (icmpv4_xrlim_allow, which spares loopback).
        if (masked && !globalAllows()) {
            stack.drop(DropReason.ICMP_RATELIMIT, "icmp");
            return Errno.EAGAIN;
        }
        if (masked && !toSelf && !rateAllows(to)) {
            stack.drop(DropReason.ICMP_RATELIMIT, "icmp");
            return Errno.EAGAIN;
        }
        // The source: the address the datagram was sent to, when it was ours; else the outgoing
        // interface's (Linux icmp_send with icmp_errors_use_inbound_ifaddr=0).
        Ipv4Address from = ip.isLocal(original.destination()) ? original.destination() : Ipv4Address.ANY;
        Errno e = sendMessage(from, to, m, ERROR_TOS);
        if (e != null) {
            counters.increment(Counter.IcmpOutErrors);
        }
        return e;
    }

    /**
     * Linux icmp_global_allow: credit refilled at icmp_msgs_per_sec (checked at most every 20 ms,
     * counting at most one second), capped at icmp_msgs_burst. Linux takes a random 0 to 2
     * credits per message (1 on average, to hide the budget from attackers); we take exactly 1.
     */
    private boolean globalAllows() {
        int perSec = stack.config().icmpMsgsPerSec();
        if (perSec <= 0) {
            return true;
        }
        long now = stack.nowNs();
        long delta = globalStampNs == Long.MIN_VALUE ? 1_000_000_000L : Math.min(now - globalStampNs, 1_000_000_000L);
        long increment = 0;
        if (delta >= 20_000_000L) {
            increment = perSec * delta / 1_000_000_000L;
            if (increment > 0) {
                globalStampNs = now;
            }
        }
        long credit = Math.min(globalCredit + increment, stack.config().icmpMsgsBurst());
        boolean allow = credit > 0;
        globalCredit = allow ? credit - 1 : 0;
        return allow;
    }

    /** Linux inet_peer_xrlim_allow: a token bucket per destination, burst {@link #RATE_BURST}. */
    private boolean rateAllows(Ipv4Address to) {
        long interval = stack.config().icmpRatelimitNs();
        if (interval <= 0) {
            return true;
        }
        long now = stack.nowNs();
        long[] bucket = rateLimit.computeIfAbsent(to.value(), k -> new long[] {0, now - 60_000_000_000L});
        long tokens = bucket[0] + (now - bucket[1]);
        bucket[1] = now;
        tokens = Math.min(tokens, RATE_BURST * interval);
        boolean allow = tokens >= interval;
        if (allow) {
            tokens -= interval;
        }
        bucket[0] = tokens;
        return allow;
    }

    private Errno sendMessage(Ipv4Address from, Ipv4Address to, IcmpMessage m, int tos) {
        return sendMessage(from, to, m, stack.config().ipDefaultTtl(), tos, PmtuMode.DONT);
    }

    /** Builds {@code m} into a buffer and hands it to IP; counts IcmpOutMsgs when it went out. */
    private Errno sendMessage(Ipv4Address from, Ipv4Address to, IcmpMessage m, int ttl, int tos, PmtuMode pmtu) {
        PacketBuffer b = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, m.length());
        int at = b.append(m.length());
        m.emit(b.array(), at);
        Errno e = ip.send(from, to, IpProtocol.ICMP, b, ttl, tos, pmtu);
        if (e == null) {
            counters.increment(Counter.IcmpOutMsgs);
        }
        return e;
    }

    // ---------------------------------------------------------------- ping sockets

    /** Binds a ping endpoint to a free identifier and returns it (Linux ping_get_port). */
    public int bindPing(PingEndpoint endpoint) {
        for (int tries = 0; tries < 65536; tries++) {
            int id = 1 + stack.random().nextInt(65535);
            if (!pings.containsKey(id)) {
                pings.put(id, endpoint);
                return id;
            }
        }
        return -1;
    }

    public void unbindPing(int identifier) {
        pings.remove(identifier);
    }

    /** Sends an echo request for a ping socket. */
    public Errno sendEcho(Ipv4Address to, int identifier, int sequence, byte[] data, int ttl, PmtuMode pmtu) {
        Errno e = sendMessage(Ipv4Address.ANY, to, new IcmpMessage.EchoRequest(identifier, sequence, data), ttl, 0, pmtu);
        if (e == null) {
            counters.increment(Counter.IcmpOutEchos);
        }
        return e;
    }
}
