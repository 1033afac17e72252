package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static netstack4j.wire.TcpFlags.PSH;
import static netstack4j.wire.TcpFlags.RST;
import static netstack4j.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.tcp.TcpTestPeer.Seg;
import netstack4j.wire.Checksum;
import netstack4j.wire.EtherType;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MacAddress;
import netstack4j.wire.TcpPacket;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed segments against an ESTABLISHED connection and a LISTEN socket (issue 3:
 * "malformed or hostile segments never throw out of the stack, each counted with a reason").
 *
 * <p>Every segment is built from a {@link Hostile} recipe relative to the connection's sequence
 * space at the moment it is sent: random flag combinations, SEQ and ACK near and far from the
 * windows, bad data offsets, truncated and malformed options, huge and zero windows, urgent pointers
 * beyond the data, bad checksums, broadcast and multicast destinations. The peer's data always
 * follows one byte function of its stream position ({@link #peerByte}), so whatever the connection
 * accepts can be checked byte for byte: a forged segment can move the stream on (TCP cannot tell),
 * but it can never make the application read a byte that is not the peer's.
 *
 * <p>Invariants: nothing throws; every segment is counted (a drop reason, TcpInErrs) or had an effect
 * (state, sequence space, window, queue, or an answer) or is a bare ACK the engine may consume
 * silently; sequence variables stay ordered; and after the barrage a normal exchange delivers
 * byte-exact data both ways, or the connection was reset and the application gets ECONNRESET.
 */
class TcpHostileSegmentProperties {
    private static final Ipv4Address SUBNET_BROADCAST = Ipv4Address.parse("10.0.0.255");
    private static final Ipv4Address LIMITED_BROADCAST = Ipv4Address.parse("255.255.255.255");
    private static final Ipv4Address MULTICAST = Ipv4Address.parse("224.0.0.1");
    /** What our application writes before the barrage (so there is data in flight to forge ACKs for). */
    private static final int OUR_BYTES = 3000;

    /** The peer's stream: the byte at offset {@code k} from its first data byte. */
    static byte peerByte(long k) {
        k &= 0xffffffffL; // sequence space is modulo 2^32
        return (byte) (k * 31 + (k >>> 8) * 7 + 11);
    }

    /** Our application's stream. */
    static byte ourByte(long k) {
        return (byte) (k * 13 + 5);
    }

    /** Where a number lies: near an edge the connection cares about, or anywhere. */
    enum Where { AT, NEAR, WINDOW_EDGE, FAR, RANDOM }

    enum Destination { US, SUBNET_BROADCAST, LIMITED_BROADCAST, MULTICAST, LINK_BROADCAST }

    /**
     * One hostile segment, relative to the connection's state when it is sent.
     *
     * @param dataOffsetWords  -1 for the right one, else the raw 4-bit field
     * @param options          raw option bytes (padded to words unless the data offset is forced)
     * @param truncateTo       -1 to keep all, else the TCP bytes are cut to this length
     * @param corruptChecksum  0 for a correct checksum, else XORed into a byte of the segment
     */
    record Hostile(int flags, Where seqWhere, int seqDelta, Where ackWhere, int ackDelta, int window, int urgent,
                   int dataLength, int dataOffsetWords, byte[] options, int truncateTo, int corruptChecksum,
                   Destination destination) {
        @Override
        public String toString() {
            return "Hostile[" + netstack4j.wire.TcpFlags.toString(flags) + " seq " + seqWhere + "+" + seqDelta + " ack "
                    + ackWhere + "+" + ackDelta + " win " + window + " urg " + urgent + " len " + dataLength + " doff "
                    + dataOffsetWords + " opts " + Arrays.toString(options) + " cut " + truncateTo + " csum^"
                    + corruptChecksum + " to " + destination + "]";
        }
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300)
    void establishedConnectionSurvivesAnyBarrage(@ForAll("barrages") @Size(max = 40) List<Hostile> barrage)
            throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        byte[] ours = new byte[OUR_BYTES];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = ourByte(i);
        }
        assertEquals(OUR_BYTES, p.socket.write(ours, 0, ours.length));
        Checker check = new Checker(p);
        for (Hostile h : barrage) {
            check.inject(h);
            p.advanceMs(50);
            check.drainAndVerifyOutput();
        }
        check.normalExchangeOrReset();
    }

    @Property(tries = 300)
    void listenerSurvivesAnyBarrage(@ForAll("barrages") @Size(max = 30) List<Hostile> barrage) {
        TcpTestPeer p = TcpTestPeer.listening();
        Checker check = new Checker(p);
        for (Hostile h : barrage) {
            check.inject(h);
            p.advanceMs(100);
            p.drain();
        }
        assertEquals(TcpState.LISTEN, p.listener.state());
        // A new client (another port) still gets its handshake.
        p.remotePort = TcpTestPeer.REMOTE_PORT + 1;
        p.drain();
        p.send(p.syn());
        p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).ack(p.r(0)).options(new netstack4j.wire.TcpOption.Mss(1460)));
    }

    // ------------------------------------------------------------------ explicit cases

    @Test
    void synFinToAnEstablishedConnectionIsChallengedAndCounted() {
        TcpTestPeer p = TcpTestPeer.established();
        p.send(p.seg().flags(SYN | FIN | ACK));
        p.expect(p.reply());
        assertEquals(TcpState.ESTABLISHED, p.state());
        assertEquals(1, p.drops(DropReason.TCP_INVALID_SYN));
    }

    @Test
    void allFlagsAtOnceToAnEstablishedConnectionDoNotReset() {
        // RST with SYN, FIN, URG, ECE, CWR: not at RCV.NXT + 1 so not exact; the RST check comes
        // first (RFC 9293 3.10.7.4 second), and the connection survives with a challenge ACK.
        TcpTestPeer p = TcpTestPeer.established();
        p.send(p.seg().flags(0xff).seq(p.r(1)).data("x"));
        p.expect(p.reply());
        assertEquals(TcpState.ESTABLISHED, p.state());
        assertEquals(1, p.drops(DropReason.TCP_RESET));
    }

    @Test
    void rateLimitedChallengesAreStillCounted() {
        TcpTestPeer p = TcpTestPeer.established();
        p.send(p.seg().flags(RST).seq(p.r(1)));
        p.send(p.seg().flags(RST).seq(p.r(2)));
        p.send(p.syn().seq(p.r(3)));
        p.expect(p.reply());
        p.expectNothing();
        assertEquals(2, p.drops(DropReason.TCP_RESET));
        assertEquals(1, p.drops(DropReason.TCP_INVALID_SYN));
        assertEquals(1, p.counter(Counter.TcpExtTCPChallengeACK));
    }

    @Test
    void dataOffsetBelowFiveAndBeyondTheSegmentAreMalformed() {
        TcpTestPeer p = TcpTestPeer.established();
        byte[] t = TcpTestPeer.encode(p.seg().data("abc"), TcpTestPeer.REMOTE_PORT, TcpTestPeer.REMOTE, TcpTestPeer.LOCAL);
        byte[] low = t.clone();
        low[TcpPacket.DATA_OFFSET] = 0x40;
        p.sendTcp(fixChecksum(low));
        byte[] high = t.clone();
        high[TcpPacket.DATA_OFFSET] = (byte) 0xf0;
        p.sendTcp(fixChecksum(high));
        p.expectNothing();
        assertEquals(2, p.drops(DropReason.TCP_MALFORMED));
        assertEquals(2, p.counter(Counter.TcpInErrs));
    }

    @Test
    void truncatedAndZeroLengthOptionsAreMalformed() {
        TcpTestPeer p = TcpTestPeer.established();
        for (byte[] options : List.of(new byte[] {2, 4, 5, (byte) 0xb4, 8, 0, 1, 1}, new byte[] {1, 1, 1, 30},
                new byte[] {2, 1, 0, 0}, new byte[] {2, 40, 0, 0}, new byte[] {3, 3, 7, 8})) {
            p.sendTcp(build(p, 0, ACK, p.r(0), p.l(0), 1000, 0, options, -1, 0, false));
        }
        p.expectNothing();
        assertEquals(5, p.drops(DropReason.TCP_MALFORMED));
        assertEquals(TcpState.ESTABLISHED, p.state());
    }

    @Test
    void badChecksumIsCountedTwice() {
        TcpTestPeer p = TcpTestPeer.established();
        byte[] t = TcpTestPeer.encode(p.seg().data("abc"), TcpTestPeer.REMOTE_PORT, TcpTestPeer.REMOTE, TcpTestPeer.LOCAL);
        t[t.length - 1] ^= 0x20;
        long inSegs = p.counter(Counter.TcpInSegs);
        p.sendTcp(t);
        p.expectNothing();
        assertEquals(inSegs + 1, p.counter(Counter.TcpInSegs), "as Linux, InSegs counts bad segments too");
        assertEquals(1, p.counter(Counter.TcpInCsumErrors));
        assertEquals(1, p.counter(Counter.TcpInErrs));
        assertEquals(1, p.drops(DropReason.TCP_CSUM));
    }

    @Test
    void segmentsToBroadcastAndMulticastAreDropped() {
        // RFC 1122 section 4.2.3.10: no TCP to broadcast or multicast addresses.
        TcpTestPeer p = TcpTestPeer.listening();
        for (Ipv4Address dst : List.of(SUBNET_BROADCAST, LIMITED_BROADCAST, MULTICAST)) {
            p.sendIp(TcpTestPeer.REMOTE, dst, TcpTestPeer.encode(p.syn(), TcpTestPeer.REMOTE_PORT, TcpTestPeer.REMOTE, dst));
        }
        byte[] ip = TcpTestPeer.ip(TcpTestPeer.REMOTE, TcpTestPeer.LOCAL,
                TcpTestPeer.encode(p.syn(), TcpTestPeer.REMOTE_PORT, TcpTestPeer.REMOTE, TcpTestPeer.LOCAL));
        p.receiveFrame(TcpTestPeer.ethernet(MacAddress.BROADCAST, EtherType.IPV4, ip));
        p.expectNothing();
        assertEquals(0, p.tcp.connections().stream().filter(c -> !c.isListening()).count());
        assertEquals(0, p.counter(Counter.TcpInSegs));
    }

    @Test
    void urgentPointerBeyondTheDataIsHarmless() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.send(p.seg().flags(ACK | netstack4j.wire.TcpFlags.URG).urgent(0xffff).data("ab"));
        p.expect(p.reply().ack(p.r(2)));
        assertEquals("ab", p.read());
    }

    @Test
    void hugeAndZeroWindowsFromThePeerAreTaken() {
        TcpTestPeer p = TcpTestPeer.established();
        p.send(p.seg().window(0));
        assertEquals(0, p.conn().sender.sndWnd);
        p.write("held");
        p.expectNothing();
        assertTrue(p.conn().timers.persist.isArmed(), "zero window: the persist timer probes");
        p.send(p.seg().window(65535));
        p.expect(p.reply().flags(ACK | PSH).data("held"));
    }

    // ------------------------------------------------------------------ the checker

    /** Injects recipes into one peer and checks the invariants after each. */
    static final class Checker {
        final TcpTestPeer p;
        final List<byte[]> outbound = new ArrayList<>();

        Checker(TcpTestPeer p) {
            this.p = p;
        }

        void inject(Hostile h) {
            TcpConnection c = p.socket == null ? null : p.conn();
            int rcvNxt = c == null ? p.r(0) : c.receiver.rcvNxt;
            int rcvWnd = c == null ? 65535 : Math.max(1, c.receiver.receiveWindow());
            int sndUna = c == null ? p.l(0) : c.sender.sndUna;
            int sndMax = c == null ? p.l(0) : c.sender.sndMax;
            int seq = place(h.seqWhere, h.seqDelta, rcvNxt, rcvWnd);
            int ack = place(h.ackWhere, h.ackDelta, sndUna, Math.max(1, SeqNum.diff(sndMax, sndUna)));
            byte[] data = new byte[h.dataLength];
            long streamOffset = Integer.toUnsignedLong(seq - p.r(0));
            for (int i = 0; i < data.length; i++) {
                data[i] = peerByte(streamOffset + i);
            }
            Ipv4Address dst = switch (h.destination) {
                case SUBNET_BROADCAST -> SUBNET_BROADCAST;
                case LIMITED_BROADCAST -> LIMITED_BROADCAST;
                case MULTICAST -> MULTICAST;
                default -> TcpTestPeer.LOCAL;
            };
            byte[] tcp = build(p, h.dataOffsetWords, h.flags, seq, ack, h.window, h.urgent, h.options, h.truncateTo,
                    h.corruptChecksum, true, data, dst);
            var counters = p.stack.counters();
            long dropsBefore = counters.totalDrops();
            long errsBefore = counters.get(Counter.TcpInErrs);
            String before = fingerprint();
            int sentBefore = p.device.sent.size();
            byte[] ip = TcpTestPeer.ip(TcpTestPeer.REMOTE, dst, tcp);
            if (h.destination == Destination.LINK_BROADCAST) {
                p.receiveFrame(TcpTestPeer.ethernet(MacAddress.BROADCAST, EtherType.IPV4, ip));
            } else {
                p.receiveFrame(TcpTestPeer.ethernet(TcpTestPeer.LOCAL_MAC, EtherType.IPV4, ip));
            }
            boolean counted = counters.totalDrops() > dropsBefore || counters.get(Counter.TcpInErrs) > errsBefore;
            boolean effect = !fingerprint().equals(before) || p.device.sent.size() > sentBefore;
            // A bare ACK that changes nothing is consumed silently (as Linux's tcp_data_queue frees it).
            boolean bareAck = (h.flags & (SYN | FIN | RST)) == 0 && (h.flags & ACK) != 0;
            assertTrue(counted || effect || bareAck, "segment neither counted nor taken: " + h);
            if (h.corruptChecksum != 0 || h.destination != Destination.US) {
                assertTrue(counted, "must be counted: " + h);
                assertEquals(before, fingerprint(), "a refused segment changed the connection: " + h);
            }
            checkInvariants();
        }

        /** A sequence number placed relative to {@code base} and a window of {@code size}. */
        private static int place(Where where, int delta, int base, int size) {
            return switch (where) {
                case AT -> base;
                case NEAR -> base + delta % 8;
                case WINDOW_EDGE -> base + size + delta % 4;
                case FAR -> base + (1 << 30) + delta;
                case RANDOM -> delta * 0x9e3779b9;
            };
        }

        /** What a segment can change: every connection's state, and the one under test's variables. */
        String fingerprint() {
            StringBuilder all = new StringBuilder();
            for (TcpConnection x : p.tcp.connections()) {
                all.append(x.remotePort()).append(x.state()).append(' ');
            }
            if (p.socket == null) {
                return all.toString();
            }
            TcpConnection c = p.conn();
            return all + " " + c.state() + " " + c.receiver.rcvNxt + " " + c.sender.sndUna + " " + c.sender.sndNxt + " "
                    + c.sender.sndWnd + " " + c.readableBytes() + " " + c.receiver.buffer.intervalCount() + " "
                    + c.receiver.finPending + " " + c.pendingError();
        }

        void checkInvariants() {
            if (p.socket == null) {
                assertEquals(TcpState.LISTEN, p.listener.state());
                return;
            }
            TcpConnection c = p.conn();
            if (c.state() == TcpState.CLOSED) {
                return;
            }
            assertTrue(SeqNum.le(c.sender.sndUna, c.sender.sndNxt), "SND.UNA <= SND.NXT");
            assertTrue(SeqNum.le(c.sender.sndNxt, c.sender.sndMax), "SND.NXT <= SND.MAX");
            assertTrue(SeqNum.le(p.l(0), c.sender.sndUna) && SeqNum.le(c.sender.sndMax, p.l(OUR_BYTES + 1)),
                    "our sequence space stays what we sent");
            assertTrue(c.receiver.receiveWindow() <= 65535, "RCV.WND fits 16 bits");
        }

        /** Takes what the stack sent; every data byte must be our application's. */
        void drainAndVerifyOutput() {
            for (Seg s : p.drain()) {
                long offset = Integer.toUnsignedLong(s.seq() - p.l(0));
                for (int i = 0; i < s.data().length; i++) {
                    assertEquals(ourByte(offset + i), s.data()[i], "byte " + (offset + i) + " we sent");
                }
            }
        }

        /** After the barrage: data flows both ways byte-exact, or the connection was reset (ECONNRESET). */
        void normalExchangeOrReset() throws ErrnoException {
            TcpConnection c = p.conn();
            byte[] got = new byte[200_000];
            int n = 0;
            if (c.state() == TcpState.CLOSED) {
                // A closed connection was reset: ECONNRESET, or EPIPE after the peer's FIN (Linux's
                // tcp_reset in CLOSE-WAIT). As Linux's tcp_recvmsg: data already received stays
                // readable (checked like any other); then a FIN reads as end of stream, else the
                // reset is reported.
                boolean afterFin = c.peerClosed();
                assertEquals(afterFin ? Errno.EPIPE : Errno.ECONNRESET, c.pendingError(), "a closed connection was reset");
                n += readInto(got, n);
                verifyPeerBytes(got, n);
                if (afterFin) {
                    assertEquals("", p.read());
                } else {
                    ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class, p::read);
                    assertEquals(Errno.ECONNRESET, e.errno());
                }
                return;
            }
            // Read what the barrage legitimately delivered.
            n += readInto(got, n);
            if (!c.receiver.finReceived && !c.receiver.finPending) {
                // The peer goes on from RCV.NXT as it now must, filling any hole forged data left.
                for (int i = 0; i < 8; i++) {
                    int from = c.receiver.rcvNxt;
                    long off = Integer.toUnsignedLong(from - p.r(0));
                    byte[] more = new byte[1000];
                    for (int k = 0; k < more.length; k++) {
                        more[k] = peerByte(off + k);
                    }
                    p.send(p.seg().seq(from).ack(c.sender.sndMax).data(more).window(65535));
                    if (c.state() == TcpState.CLOSED) {
                        break;
                    }
                    n += readInto(got, n);
                    p.advanceMs(200);
                    drainAndVerifyOutput();
                }
            }
            verifyPeerBytes(got, n);
            if (c.state() == TcpState.CLOSED) {
                assertEquals(c.peerClosed() ? Errno.EPIPE : Errno.ECONNRESET, c.pendingError());
                return;
            }
            if (c.state() == TcpState.ESTABLISHED || c.state() == TcpState.CLOSE_WAIT) {
                assertTrue(n >= 1000 || c.receiver.finReceived || c.receiver.finPending,
                        "the normal exchange delivered data: " + n);
                // Our side: everything we wrote gets out once the peer acknowledges as it goes.
                for (int i = 0; i < 60 && c.sendQueueBytes() > 0 && c.state() != TcpState.CLOSED; i++) {
                    p.advanceMs(500);
                    for (Seg s : p.drain()) {
                        long offset = Integer.toUnsignedLong(s.seq() - p.l(0));
                        for (int k = 0; k < s.data().length; k++) {
                            assertEquals(ourByte(offset + k), s.data()[k], "byte " + (offset + k) + " we sent");
                        }
                        int end = s.seq() + s.length();
                        p.send(p.seg().seq(c.receiver.rcvNxt)
                                .ack(SeqNum.max(end, c.sender.sndUna)).window(65535));
                    }
                }
                assertTrue(c.sendQueueBytes() == 0 || c.state() == TcpState.CLOSED,
                        "our data was delivered, " + c.sendQueueBytes() + " left in " + c.state());
            }
        }

        private void verifyPeerBytes(byte[] got, int n) {
            for (int i = 0; i < n; i++) {
                if (got[i] != peerByte(i)) {
                    throw new AssertionError("byte " + i + " read is not the peer's");
                }
            }
        }

        private int readInto(byte[] got, int at) throws ErrnoException {
            int total = 0;
            while (p.conn().readableBytes() > 0) {
                int k = p.socket.read(got, at + total, got.length - at - total);
                if (k <= 0) {
                    break;
                }
                total += k;
            }
            return total;
        }
    }

    // ------------------------------------------------------------------ building segments

    static byte[] build(TcpTestPeer p, int dataOffsetWords, int flags, int seq, int ack, int window, int urgent,
                        byte[] options, int truncateTo, int corrupt, boolean unused) {
        return build(p, dataOffsetWords, flags, seq, ack, window, urgent, options, truncateTo, corrupt, unused,
                new byte[0], TcpTestPeer.LOCAL);
    }

    /** Raw TCP bytes, checksummed for {@code dst} (then corrupted when asked). */
    static byte[] build(TcpTestPeer p, int dataOffsetWords, int flags, int seq, int ack, int window, int urgent,
                        byte[] options, int truncateTo, int corrupt, boolean unused, byte[] data, Ipv4Address dst) {
        int optionSpace = Math.min(40, (options.length + 3) & ~3);
        int header = 20 + optionSpace;
        byte[] b = new byte[header + data.length];
        put16(b, TcpPacket.SOURCE_PORT, p.remotePort);
        put16(b, TcpPacket.DESTINATION_PORT, TcpTestPeer.LOCAL_PORT);
        put32(b, TcpPacket.SEQUENCE_NUMBER, seq);
        put32(b, TcpPacket.ACKNOWLEDGMENT_NUMBER, ack);
        // A forced data offset is always a malformed one (below 5 words or beyond the segment): a
        // valid but wrong one would turn header bytes into data nobody can tell from the peer's.
        int words = dataOffsetWords < 0 ? header / 4
                : dataOffsetWords * 4 > b.length && dataOffsetWords <= 15 ? dataOffsetWords : dataOffsetWords % 5;
        b[TcpPacket.DATA_OFFSET] = (byte) (words << 4);
        b[TcpPacket.FLAGS] = (byte) flags;
        put16(b, TcpPacket.WINDOW, window & 0xffff);
        put16(b, TcpPacket.URGENT_POINTER, urgent & 0xffff);
        System.arraycopy(options, 0, b, 20, Math.min(options.length, optionSpace));
        System.arraycopy(data, 0, b, header, data.length);
        if (truncateTo >= 0 && truncateTo < b.length) {
            b = Arrays.copyOf(b, truncateTo);
        }
        if (b.length >= 18) {
            int sum = Checksum.sum(b, 0, b.length, Checksum.pseudoHeaderSum(TcpTestPeer.REMOTE, dst, IpProtocol.TCP, b.length));
            put16(b, TcpPacket.CHECKSUM, Checksum.fold(sum));
            if (corrupt != 0) {
                b[TcpPacket.CHECKSUM] ^= (byte) corrupt; // the high byte only: never maps 0x0000 to 0xffff
            }
        }
        return b;
    }

    /** Recomputes the checksum of a complete segment from the peer to us. */
    static byte[] fixChecksum(byte[] b) {
        put16(b, TcpPacket.CHECKSUM, 0);
        int sum = Checksum.sum(b, 0, b.length,
                Checksum.pseudoHeaderSum(TcpTestPeer.REMOTE, TcpTestPeer.LOCAL, IpProtocol.TCP, b.length));
        put16(b, TcpPacket.CHECKSUM, Checksum.fold(sum));
        return b;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<Hostile>> barrages() {
        return hostile().list().ofMaxSize(40);
    }

    Arbitrary<Hostile> hostile() {
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 255)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(ACK, ACK | PSH, ACK | FIN, RST, RST | ACK, SYN, SYN | ACK,
                        SYN | FIN, SYN | RST, 0, 0xff, ACK | netstack4j.wire.TcpFlags.URG)));
        Arbitrary<Where> where = Arbitraries.of(Where.class);
        Arbitrary<Integer> delta = Arbitraries.integers().between(-70000, 70000);
        Arbitrary<Integer> window = Arbitraries.oneOf(Arbitraries.of(0, 1, 65535), Arbitraries.integers().between(0, 65535));
        Arbitrary<Integer> urgent = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 65535));
        Arbitrary<Integer> dataLength = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 1460));
        Arbitrary<Integer> dataOffset = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(-1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 15)));
        Arbitrary<byte[]> options = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new byte[0])),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(new byte[] {2, 4, 5, (byte) 0xb4}, new byte[] {2, 0}, new byte[] {2, 1},
                        new byte[] {2, (byte) 200, 0, 0}, new byte[] {8, 10, 0, 0, 0, 1, 0, 0}, new byte[] {5, 10, 0, 0},
                        new byte[] {1, 1, 3, 3, 14}, new byte[] {0, 2, 4}, new byte[] {2})),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(44)));
        Arbitrary<Integer> truncate = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(-1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 60)));
        Arbitrary<Integer> corrupt = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 255)));
        Arbitrary<Destination> destination = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just(Destination.US)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Destination.class)));
        return Builders.withBuilder(() -> new Object[13])
                .use(flags).in((a, v) -> { a[0] = v; return a; })
                .use(where).in((a, v) -> { a[1] = v; return a; })
                .use(delta).in((a, v) -> { a[2] = v; return a; })
                .use(where).in((a, v) -> { a[3] = v; return a; })
                .use(delta).in((a, v) -> { a[4] = v; return a; })
                .use(window).in((a, v) -> { a[5] = v; return a; })
                .use(urgent).in((a, v) -> { a[6] = v; return a; })
                .use(dataLength).in((a, v) -> { a[7] = v; return a; })
                .use(dataOffset).in((a, v) -> { a[8] = v; return a; })
                .use(options).in((a, v) -> { a[9] = v; return a; })
                .use(truncate).in((a, v) -> { a[10] = v; return a; })
                .use(corrupt).in((a, v) -> { a[11] = v; return a; })
                .use(destination).in((a, v) -> { a[12] = v; return a; })
                .build(a -> new Hostile((Integer) a[0], (Where) a[1], (Integer) a[2], (Where) a[3], (Integer) a[4],
                        (Integer) a[5], (Integer) a[6], (Integer) a[7], (Integer) a[8], (byte[]) a[9], (Integer) a[10],
                        (Integer) a[11], (Destination) a[12]));
    }
}
