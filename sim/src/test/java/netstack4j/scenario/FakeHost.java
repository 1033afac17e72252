package netstack4j.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimLink;
import netstack4j.sim.SimPort;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;
import netstack4j.wire.ArpMessage;
import netstack4j.wire.ArpOperation;
import netstack4j.wire.ArpPacket;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.TcpHeader;
import netstack4j.wire.UdpHeader;

/**
 * A scripted peer at the far end of a cable: it records every frame the stack under test sends
 * and transmits whatever bytes the test hands it, hostile or not. It answers ARP requests for
 * its own address (unless told to stay silent) so the stack can reach it.
 */
final class FakeHost {
    /** One frame the stack sent, with the simulated time it arrived. */
    record Seen(long atNs, byte[] bytes) {
        int etherType() {
            return ((bytes[12] & 0xff) << 8) | (bytes[13] & 0xff);
        }

        MacAddress destination() {
            return MacAddress.read(bytes, 0);
        }

        boolean isArp() {
            return etherType() == EtherType.ARP;
        }

        ArpMessage arp() {
            try {
                return ArpMessage.parse(new ArpPacket().wrap(bytes, 14, bytes.length - 14));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        boolean isIpv4() {
            return etherType() == EtherType.IPV4;
        }

        Ipv4Packet ip() {
            return new Ipv4Packet().wrap(bytes, 14, bytes.length - 14);
        }

        /** ICMP type of an IPv4/ICMP frame, else -1. */
        int icmpType() {
            return isIpv4() && ip().protocol() == IpProtocol.ICMP ? bytes[14 + ip().headerLength()] & 0xff : -1;
        }

        int icmpCode() {
            return bytes[14 + ip().headerLength() + 1] & 0xff;
        }
    }

    final Simulator sim;
    final SimLink link;
    final SimPort port;
    final MacAddress mac;
    final Ipv4Address address;
    final List<Seen> seen = new ArrayList<>();
    boolean answerArp = true;

    private FakeHost(Simulator sim, SimLink link, SimPort port, Ipv4Address address) {
        this.sim = sim;
        this.link = link;
        this.port = port;
        this.mac = port.macAddress();
        this.address = address;
        port.setFrameHandler((d, f) -> onFrame(f));
    }

    /** Cables {@code host} to a new fake peer: the host gets {@code hostAddress/24} on the new port. */
    static FakeHost cable(Simulator sim, NetStack host, Ipv4Address hostAddress, Ipv4Address peerAddress,
                          LinkParams params) {
        return cable(sim, host, hostAddress, 24, peerAddress, params);
    }

    /** {@link #cable} with {@code hostAddress/prefixLength} on the host's new port. */
    static FakeHost cable(Simulator sim, NetStack host, Ipv4Address hostAddress, int prefixLength,
                          Ipv4Address peerAddress, LinkParams params) {
        // lo is interface 1, so the next port is eth(n-1).
        SimLink link = sim.newLink("eth" + (host.interfaces().size() - 1), "peer", params);
        host.addInterface(link.a(), hostAddress, prefixLength);
        return new FakeHost(sim, link, link.b(), peerAddress);
    }

    /** A TCP segment with its checksum, no options. */
    static byte[] tcp(Ipv4Address src, Ipv4Address dst, int sport, int dport, int seq, int ack, int flags) {
        TcpHeader h = new TcpHeader(sport, dport, seq, ack, flags, 64240, 0, List.of());
        byte[] b = new byte[h.headerLength()];
        h.emit(b, 0, 0, src, dst);
        return b;
    }

    private void onFrame(PacketBuffer f) {
        Seen s = new Seen(sim.nowNs(), f.toByteArray());
        seen.add(s);
        if (answerArp && s.isArp()) {
            ArpMessage m = s.arp();
            if (m.operation() == ArpOperation.REQUEST && m.targetProtocolAddress().equals(address)) {
                sendArp(ArpMessage.replyTo(m, mac), m.senderHardwareAddress());
            }
        }
    }

    List<Seen> seen(Predicate<Seen> p) {
        return seen.stream().filter(p).toList();
    }

    List<Seen> arpRequests() {
        return seen(s -> s.isArp() && s.arp().operation() == ArpOperation.REQUEST);
    }

    List<Seen> ipFrames() {
        return seen(Seen::isIpv4);
    }

    /** Sends raw frame bytes now. */
    void sendFrame(byte[] frame) {
        port.transmit(PacketBuffer.wrap(frame.clone()));
    }

    void sendArp(ArpMessage m, MacAddress ethDst) {
        byte[] b = new byte[14 + ArpMessage.LENGTH];
        new EthernetHeader(ethDst, mac, EtherType.ARP).emit(b, 0);
        m.emit(b, 14);
        sendFrame(b);
    }

    /** Sends an IP packet (header included) in a frame to {@code dst}. */
    void sendIp(MacAddress dst, byte[] ipPacket) {
        sendFrame(ethernet(dst, mac, EtherType.IPV4, ipPacket));
    }

    // ---------------------------------------------------------------- frame building

    static byte[] ethernet(MacAddress dst, MacAddress src, int type, byte[] payload) {
        byte[] b = new byte[14 + payload.length];
        new EthernetHeader(dst, src, type).emit(b, 0);
        System.arraycopy(payload, 0, b, 14, payload.length);
        return b;
    }

    /** An IPv4 packet: header for {@code payload} (no options, checksum set), then the payload. */
    static byte[] ip(Ipv4Header header, byte[] payload) {
        byte[] b = new byte[header.headerLength() + payload.length];
        header.emit(b, 0);
        System.arraycopy(payload, 0, b, header.headerLength(), payload.length);
        return b;
    }

    /** A UDP datagram (header with checksum, then data). */
    static byte[] udp(Ipv4Address src, Ipv4Address dst, int sport, int dport, byte[] data) {
        byte[] b = new byte[8 + data.length];
        System.arraycopy(data, 0, b, 8, data.length);
        new UdpHeader(sport, dport).emit(b, 0, data.length, src, dst);
        return b;
    }

    /** A whole IPv4/UDP packet, TTL 64, identification {@code id}, no DF. */
    static byte[] udpPacket(Ipv4Address src, Ipv4Address dst, int sport, int dport, byte[] data, int id) {
        byte[] u = udp(src, dst, sport, dport, data);
        return ip(Ipv4Header.of(IpProtocol.UDP, src, dst, u.length, 64, id, false), u);
    }

    /**
     * One fragment of a datagram: the IP header of {@code whole} with the given byte offset, MF
     * flag and slice of the transport bytes.
     */
    static byte[] fragment(byte[] whole, int offsetBytes, int length, boolean more) {
        Ipv4Packet w = new Ipv4Packet().wrap(whole, 0, whole.length);
        int h = w.headerLength();
        byte[] f = new byte[h + length];
        System.arraycopy(whole, 0, f, 0, h);
        System.arraycopy(whole, h + offsetBytes, f, h, length);
        Ipv4Packet p = new Ipv4Packet().wrap(f, 0, f.length);
        p.setTotalLength(f.length);
        p.setFragment(more, offsetBytes);
        p.updateChecksum();
        return f;
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }
}
