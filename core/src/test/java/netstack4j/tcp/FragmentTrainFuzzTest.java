package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import netstack4j.ip.Reassembler;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.Personality;
import netstack4j.tcp.FuzzHost.Conversation;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;

/**
 * Fuzz target 2a: TCP (and UDP, ICMP, other protocols) inside IPv4 fragment trains, against a
 * listener, an ESTABLISHED connection with data in flight and a bound UDP socket. A train
 * either splits a real datagram at fuzzed 8-byte boundaries and then perturbs it (reorders,
 * duplicates, drops, shifts one fragment to overlap), or is a free list of fragments with fuzzed
 * offsets (up to 65528), lengths, MF bits and identifications, with time passing between them.
 *
 * <p>Besides {@link StackInvariants}: the reassembler's memory is never negative, is zero when
 * nothing is pending and stays under ipfrag_high_thresh; nothing is pending once ipfrag_time has
 * passed since the last fragment (RFC 791 section 3.2, as Linux); and an unperturbed split of a
 * datagram that fits 65535 bytes is reassembled (IpReasmOKs counts it).
 */
class FragmentTrainFuzzTest {
    static final int UDP_PORT = 5353;
    /** Extra step: a fragment train. See {@link #train} for the layout. */
    static final int OP_TRAIN = FuzzSteps.OP_EXTRA;
    /** Extra step: the UDP socket reads a datagram. */
    static final int OP_UDP_READ = FuzzSteps.OP_EXTRA + 1;
    /** Train kinds. */
    static final int SPLIT = 0;
    static final int FREE = 1;
    /** What a train carries. */
    static final int CARRY_TCP = 0;
    static final int CARRY_UDP = 1;
    static final int CARRY_ICMP_ECHO = 2;
    static final int CARRY_OTHER = 3;

    private static final Ipv4Address OTHER_HOST = Ipv4Address.parse("10.0.0.3");

    @FuzzTest(maxDuration = "5m")
    void fragmentTrains(byte[] input) throws ErrnoException {
        FuzzInput in = new FuzzInput(input);
        FuzzHost host = new FuzzHost(Personality.LINUX);
        host.listen(8);
        Conversation est = host.passiveOpen("established", 50001, 0xfffffff0, 0xfffff800, true);
        host.write(est, 3000);
        host.peerSends(est, 100, false);
        host.tcp.setFixedIsnForTesting(null);
        UdpSocket udp = host.stack.sockets().udp();
        udp.setNonBlocking(true);
        udp.bind(new Ipv4SocketAddress(FuzzHost.LOCAL, UDP_PORT));
        Trains trains = new Trains();
        FuzzSteps.Step check = (h, i) -> trains.check(h);
        FuzzSteps.run(host, in, List.of((h, i) -> {
            trains.train(h, i);
            check.run(h, i);
        }, (h, i) -> {
            try {
                udp.receive(new byte[65536]);
            } catch (ErrnoException e) {
                // EAGAIN: nothing queued
            }
        }));
        trains.check(host);
    }

    /** The trains sent so far, for the reassembly invariants. */
    static final class Trains {
        long lastFragmentNs = Long.MIN_VALUE;
        final List<Integer> idsUsed = new ArrayList<>();

        /**
         * Layout: carry (u8), identification (u16), then for a TCP carry a segment as
         * {@link FuzzSteps#segment} decodes it, else a length (u16, at most 3000) and for
         * {@link #CARRY_OTHER} a protocol (u8); then the kind (u8): for {@link #SPLIT}, a piece
         * count (u8) and each piece's length in 8-byte units (u8), then a perturbation (u8: none,
         * reverse, rotate, duplicate, drop, overlap) and its index (u8); for {@link #FREE}, a count
         * (u8) and per fragment: offset in 8-byte units (u16, 13 bits), length (u16), flags (u8:
         * bit 0 MF, bit 1 DF, bit 2 another identification, bit 3 from another host) and the
         * milliseconds to wait first (u8, times 200).
         */
        void train(FuzzHost h, FuzzInput in) {
            int carry = in.below(4);
            int id = in.u16();
            int protocol;
            byte[] datagram;
            switch (carry) {
                case CARRY_TCP -> {
                    protocol = IpProtocol.TCP;
                    datagram = FuzzSteps.segmentBytes(h, in);
                }
                case CARRY_UDP -> {
                    protocol = IpProtocol.UDP;
                    datagram = udp(in.u16() % 3001);
                }
                case CARRY_ICMP_ECHO -> {
                    protocol = IpProtocol.ICMP;
                    datagram = echo(in.u16() % 3001);
                }
                default -> {
                    int length = in.u16() % 3001;
                    protocol = in.u8();
                    datagram = new byte[length];
                }
            }
            boolean fresh = !idsUsed.contains(id);
            idsUsed.add(id);
            long oksBefore = h.stack.counters().get(Counter.IpReasmOKs);
            if (in.below(2) == SPLIT) {
                boolean unperturbed = split(h, in, id, protocol, datagram);
                if (unperturbed && fresh) {
                    assertEquals(oksBefore + 1, h.stack.counters().get(Counter.IpReasmOKs),
                            "an unperturbed train of a " + datagram.length + "-byte datagram was not reassembled");
                }
            } else {
                free(h, in, id, protocol, datagram);
            }
        }

        /** Returns whether the train was a clean partition of the datagram sent in order. */
        private boolean split(FuzzHost h, FuzzInput in, int id, int protocol, byte[] datagram) {
            int pieces = 1 + in.below(12);
            List<int[]> cuts = new ArrayList<>(); // {offset, length}
            int at = 0;
            for (int i = 0; i < pieces && at < datagram.length; i++) {
                int len = i == pieces - 1 ? datagram.length - at : Math.min(8 * (1 + in.u8()), datagram.length - at);
                if (at + len < datagram.length && len % 8 != 0) {
                    len = datagram.length - at; // only the last fragment may be odd-sized
                }
                cuts.add(new int[] {at, len});
                at += len;
            }
            if (at < datagram.length || cuts.isEmpty()) {
                cuts.add(new int[] {at, datagram.length - at});
            }
            int perturbation = in.below(6);
            int index = cuts.isEmpty() ? 0 : in.below(cuts.size());
            switch (perturbation) {
                case 1 -> java.util.Collections.reverse(cuts);
                case 2 -> java.util.Collections.rotate(cuts, index);
                case 3 -> cuts.add(index, cuts.get(index));
                case 4 -> cuts.remove(index);
                case 5 -> {
                    int[] c = cuts.get(index);
                    cuts.set(index, new int[] {Math.max(0, c[0] - 8), c[1]});
                }
                default -> {
                }
            }
            int end = datagram.length;
            for (int[] c : cuts) {
                boolean more = c[0] + c[1] < end;
                fragment(h, FuzzHost.REMOTE, id, protocol, c[0], datagram, c[0], c[1], more, false);
            }
            return perturbation == 0 && cuts.size() > 1;
        }

        private void free(FuzzHost h, FuzzInput in, int id, int protocol, byte[] datagram) {
            int count = 1 + in.below(16);
            for (int i = 0; i < count; i++) {
                int offset = (in.u16() & 0x1fff) * 8;
                int length = in.u16() % 1481;
                int flags = in.u8();
                int waitMs = in.u8() * 200;
                if (waitMs > 0) {
                    h.advanceMs(waitMs);
                }
                fragment(h, (flags & 8) != 0 ? OTHER_HOST : FuzzHost.REMOTE, (flags & 4) != 0 ? id + 1 : id, protocol,
                        offset, datagram, offset, length, (flags & 1) != 0, (flags & 2) != 0);
            }
        }

        /** One fragment: {@code length} bytes of {@code datagram} from {@code from} (zeros past its end). */
        private void fragment(FuzzHost h, Ipv4Address src, int id, int protocol, int offset, byte[] datagram,
                              int from, int length, boolean more, boolean dontFragment) {
            byte[] p = new byte[20 + length];
            p[0] = 0x45;
            FuzzHost.put16(p, 2, p.length);
            FuzzHost.put16(p, 4, id);
            FuzzHost.put16(p, 6, (dontFragment ? 0x4000 : 0) | (more ? 0x2000 : 0) | (offset >>> 3) & 0x1fff);
            p[8] = 64;
            p[9] = (byte) protocol;
            src.write(p, 12);
            FuzzHost.LOCAL.write(p, 16);
            if (from < datagram.length) {
                System.arraycopy(datagram, from, p, 20, Math.min(length, datagram.length - from));
            }
            FuzzHost.fixIpChecksum(p);
            h.sendIp(p);
            lastFragmentNs = h.nowNs;
        }

        void check(FuzzHost h) {
            Reassembler r = h.stack.ip().reassembler();
            assertTrue(r.memoryBytes() >= 0, "reassembly memory " + r.memoryBytes());
            assertTrue(r.pendingDatagrams() > 0 || r.memoryBytes() == 0,
                    "nothing pending but " + r.memoryBytes() + " bytes of reassembly memory held");
            assertTrue(r.memoryBytes() <= h.stack.config().ipfragHighThreshBytes(),
                    "reassembly memory " + r.memoryBytes() + " beyond ipfrag_high_thresh");
            if (lastFragmentNs != Long.MIN_VALUE && h.nowNs - lastFragmentNs > h.stack.config().ipfragTimeNs()) {
                assertEquals(0, r.pendingDatagrams(), "datagrams pending past ipfrag_time");
            }
        }

        /** A UDP datagram from the peer to {@link #UDP_PORT} with {@code length} bytes of payload. */
        private static byte[] udp(int length) {
            byte[] b = new byte[8 + length];
            FuzzHost.put16(b, 0, 40000);
            FuzzHost.put16(b, 2, UDP_PORT);
            FuzzHost.put16(b, 4, b.length);
            for (int i = 0; i < length; i++) {
                b[8 + i] = (byte) (i * 7);
            }
            FuzzHost.fixTransportChecksum(b, IpProtocol.UDP, FuzzHost.REMOTE, FuzzHost.LOCAL);
            return b;
        }

        /** An ICMP echo request with {@code length} bytes of data. */
        private static byte[] echo(int length) {
            byte[] b = new byte[8 + length];
            b[0] = 8;
            FuzzHost.put16(b, 4, 0x77);
            FuzzHost.put16(b, 6, 1);
            FuzzHost.put16(b, 2, netstack4j.wire.Checksum.compute(b, 0, b.length));
            return b;
        }
    }
}
