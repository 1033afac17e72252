package netstack4j.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;

/** parse(emit(x)) == x for generated valid records of every codec. */
class RoundTripProperties {
    static Ipv4Address address(Random r) {
        return new Ipv4Address(r.nextInt());
    }

    static MacAddress mac(Random r) {
        return new MacAddress(r.nextLong() & 0xffff_ffff_ffffL);
    }

    static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    static int u16(Random r) {
        return r.nextInt(4) == 0 ? new int[] {0, 1, 0x7fff, 0xffff}[r.nextInt(4)] : r.nextInt(0x10000);
    }

    /** A well-formed IPv4 option list: random options, NOPs, maybe EOL, padded to a word boundary. */
    static Ipv4Options ipv4Options(Random r) {
        if (r.nextBoolean()) {
            return Ipv4Options.NONE;
        }
        byte[] out = new byte[40];
        int n = 0;
        while (n < 40 && r.nextInt(4) != 0) {
            if (r.nextInt(3) == 0) {
                out[n++] = (byte) Ipv4Options.NO_OPERATION;
                continue;
            }
            if (40 - n < 2) {
                break;
            }
            int len = 2 + r.nextInt(Math.min(10, 40 - n - 1));
            out[n] = (byte) (2 + r.nextInt(254));
            out[n + 1] = (byte) len;
            for (int i = 2; i < len; i++) {
                out[n + i] = (byte) r.nextInt(256);
            }
            n += len;
        }
        return new Ipv4Options(java.util.Arrays.copyOf(out, (n + 3) & ~3));
    }

    @Provide
    Arbitrary<EthernetHeader> ethernetHeaders() {
        return Arbitraries.randomValue(r -> new EthernetHeader(mac(r), mac(r), 0x0600 + r.nextInt(0x10000 - 0x0600)));
    }

    @Property
    void ethernet(@ForAll("ethernetHeaders") EthernetHeader h) throws MalformedPacketException {
        byte[] b = new byte[h.length()];
        h.emit(b, 0);
        Assertions.assertEquals(h, EthernetHeader.parse(EthernetPacket.wrapChecked(b, 0, b.length)));
    }

    @Provide
    Arbitrary<ArpMessage> arpMessages() {
        return Arbitraries.randomValue(r -> new ArpMessage(r.nextBoolean() ? ArpOperation.REQUEST : ArpOperation.REPLY,
                mac(r), address(r), mac(r), address(r)));
    }

    @Property
    void arp(@ForAll("arpMessages") ArpMessage m) throws MalformedPacketException {
        byte[] b = new byte[m.length()];
        m.emit(b, 0);
        Assertions.assertEquals(m, ArpMessage.parse(ArpPacket.wrapChecked(b, 0, b.length)));
    }

    @Provide
    Arbitrary<Ipv4Header> ipv4Headers() {
        return Arbitraries.randomValue(r -> {
            Ipv4Options options = ipv4Options(r);
            int headerLength = 20 + options.length();
            int payload = r.nextInt(2000);
            int fragmentOffset = r.nextBoolean() ? 0 : 8 * r.nextInt((65535 - payload - headerLength) / 8 + 1);
            if (fragmentOffset + payload > 65535) {
                fragmentOffset = 0;
            }
            return new Ipv4Header(r.nextInt(256), headerLength + payload, u16(r), r.nextBoolean(), r.nextBoolean(),
                    fragmentOffset, r.nextInt(256), r.nextInt(256), address(r), address(r), options);
        });
    }

    @Property
    void ipv4(@ForAll("ipv4Headers") Ipv4Header h) throws MalformedPacketException {
        byte[] b = new byte[h.totalLength()];
        h.emit(b, 0);
        Ipv4Packet p = Ipv4Packet.wrapChecked(b, 0, b.length);
        Assertions.assertTrue(p.verifyChecksum());
        Assertions.assertEquals(h, Ipv4Header.parse(p));
        Assertions.assertEquals(h.payloadLength(), p.payloadLength());
    }

    @Provide
    Arbitrary<IcmpMessage> icmpMessages() {
        return Arbitraries.randomValue(r -> {
            byte[] data = bytes(r, 100);
            return switch (r.nextInt(5)) {
                case 0 -> new IcmpMessage.EchoRequest(u16(r), u16(r), data);
                case 1 -> new IcmpMessage.EchoReply(u16(r), u16(r), data);
                case 2 -> {
                    IcmpMessage.UnreachableCode code =
                            IcmpMessage.UnreachableCode.values()[r.nextInt(IcmpMessage.UnreachableCode.values().length)];
                    int mtu = code == IcmpMessage.UnreachableCode.FRAGMENTATION_NEEDED ? u16(r) : 0;
                    yield new IcmpMessage.DestinationUnreachable(code, mtu, data);
                }
                case 3 -> new IcmpMessage.TimeExceeded(
                        r.nextBoolean() ? IcmpMessage.TimeExceededCode.TTL : IcmpMessage.TimeExceededCode.REASSEMBLY, data);
                default -> {
                    int type;
                    int code;
                    int rest;
                    do {
                        type = r.nextInt(256);
                        code = r.nextInt(256);
                        rest = r.nextBoolean() ? 0 : r.nextInt();
                    } while (IcmpMessage.Other.isSpecific(type, code, rest));
                    yield new IcmpMessage.Other(type, code, rest, data);
                }
            };
        });
    }

    @Property
    void icmp(@ForAll("icmpMessages") IcmpMessage m) throws MalformedPacketException {
        byte[] b = new byte[m.length()];
        m.emit(b, 0);
        IcmpPacket p = IcmpPacket.wrapChecked(b, 0, b.length);
        Assertions.assertTrue(p.verifyChecksum());
        Assertions.assertEquals(m, IcmpMessage.parse(p));
    }

    @Property
    void udp(@ForAll("udpCases") Object[] c) throws MalformedPacketException {
        UdpHeader h = (UdpHeader) c[0];
        byte[] payload = (byte[]) c[1];
        Ipv4Address src = (Ipv4Address) c[2];
        Ipv4Address dst = (Ipv4Address) c[3];
        byte[] b = new byte[8 + payload.length];
        System.arraycopy(payload, 0, b, 8, payload.length);
        h.emit(b, 0, payload.length, src, dst);
        UdpPacket p = UdpPacket.wrapChecked(b, 0, b.length);
        Assertions.assertNotEquals(0, p.checksum());
        Assertions.assertTrue(p.verifyChecksum(src, dst));
        Assertions.assertEquals(h, UdpHeader.parse(p));
        Assertions.assertEquals(payload.length, p.payloadLength());
    }

    @Provide
    Arbitrary<Object[]> udpCases() {
        return Arbitraries.randomValue(r -> new Object[] {new UdpHeader(u16(r), u16(r)), bytes(r, 300), address(r), address(r)});
    }

    static TcpOption tcpOption(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new TcpOption.Mss(u16(r));
            case 1 -> new TcpOption.WindowScale(r.nextInt(256));
            case 2 -> new TcpOption.SackPermitted();
            case 3 -> {
                List<TcpOption.SackBlock> blocks = new ArrayList<>();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    blocks.add(new TcpOption.SackBlock(r.nextInt(), r.nextInt()));
                }
                yield new TcpOption.Sack(blocks);
            }
            case 4 -> new TcpOption.Timestamps(r.nextInt(), r.nextInt());
            case 5, 6 -> new TcpOption.Nop();
            default -> {
                int kind;
                do {
                    kind = r.nextInt(256);
                } while (kind <= 5 || kind == 8 || kind == TcpOption.KIND_FAST_OPEN || kind == TcpOption.KIND_EXPERIMENTAL);
                yield new TcpOption.Unknown(kind, bytes(r, 6));
            }
        };
    }

    static TcpHeader tcpHeader(Random r) {
        List<TcpOption> options = new ArrayList<>();
        int total = 0;
        while (r.nextInt(5) != 0) {
            TcpOption o = tcpOption(r);
            if (total + o.length() > 39) {
                break;
            }
            options.add(o);
            total += o.length();
        }
        if (r.nextInt(4) == 0) {
            options.add(new TcpOption.EndOfList());
        }
        return new TcpHeader(u16(r), u16(r), r.nextInt(), r.nextInt(), r.nextInt(256), u16(r), u16(r), options);
    }

    @Provide
    Arbitrary<Object[]> tcpCases() {
        return Arbitraries.randomValue(r -> new Object[] {tcpHeader(r), bytes(r, 300), address(r), address(r)});
    }

    @Property
    void tcp(@ForAll("tcpCases") Object[] c) throws MalformedPacketException {
        TcpHeader h = (TcpHeader) c[0];
        byte[] payload = (byte[]) c[1];
        Ipv4Address src = (Ipv4Address) c[2];
        Ipv4Address dst = (Ipv4Address) c[3];
        byte[] b = new byte[h.headerLength() + payload.length];
        System.arraycopy(payload, 0, b, h.headerLength(), payload.length);
        h.emit(b, 0, payload.length, src, dst);
        TcpPacket p = TcpPacket.wrapChecked(b, 0, b.length);
        Assertions.assertTrue(p.verifyChecksum(src, dst));
        TcpHeader parsed = TcpHeader.parse(p);
        Assertions.assertEquals(h, parsed);
        Assertions.assertEquals(payload.length, p.payloadLength());
        TcpOption.Mss mss = h.option(TcpOption.Mss.class);
        Assertions.assertEquals(mss == null ? -1 : mss.mss(), p.mss());
        TcpOption.Timestamps ts = h.option(TcpOption.Timestamps.class);
        Assertions.assertEquals(ts != null, p.hasTimestamps());
        Assertions.assertEquals(ts == null ? 0 : ts.tsVal(), p.tsVal());
        // emit(parse(x)) is byte-exact.
        byte[] again = b.clone();
        parsed.emit(again, 0, payload.length, src, dst);
        Assertions.assertArrayEquals(b, again);
    }

    @Example
    void checksumOfEmittedPacketsIsZero() {
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            byte[] b = bytes(r, 200);
            int c = Checksum.compute(b, 0, b.length);
            byte[] withChecksum = java.util.Arrays.copyOf(b, b.length + (b.length & 1) + 2);
            withChecksum[withChecksum.length - 2] = (byte) (c >>> 8);
            withChecksum[withChecksum.length - 1] = (byte) c;
            Assertions.assertEquals(0, Checksum.compute(withChecksum, 0, withChecksum.length));
        }
    }
}
