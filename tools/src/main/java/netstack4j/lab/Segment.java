package netstack4j.lab;

import netstack4j.trace.PacketFormatter;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MalformedPacketException;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * One logged frame, decoded for counting and drawing: the TCP fields of a TCP segment (absolute
 * sequence numbers), the protocol and length of anything else, and the tcpdump line.
 *
 * @param sack SACK blocks as {left, right} pairs (empty when none)
 */
public record Segment(long timeNs, String host, boolean out, String proto, String src, String dst,
                      int srcPort, int dstPort, long seq, long ack, int flags, int window, int length,
                      int mss, int wscale, boolean sackPermitted, long[] sack, boolean fragment, boolean dontFragment, String line) {

    public boolean isTcp() {
        return proto.equals("TCP");
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** tcpdump's flag letters: {@code [S.]}, {@code [P.]}, … */
    public String flagText() {
        return TcpFlags.toString(flags);
    }

    /** Sequence space the segment occupies (data plus SYN and FIN). */
    public long seqLength() {
        return length + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
    }

    /** Decodes an Ethernet frame; null when it is not even Ethernet. */
    public static Segment decode(long timeNs, String host, boolean out, byte[] b) {
        EthernetPacket eth;
        try {
            eth = EthernetPacket.wrapChecked(b, 0, b.length);
        } catch (MalformedPacketException e) {
            return null;
        }
        String line = PacketFormatter.format(b, 0, b.length);
        if (eth.etherType() != EtherType.IPV4) {
            String proto = eth.etherType() == EtherType.ARP ? "ARP" : "ETH";
            return new Segment(timeNs, host, out, proto, "", "", 0, 0, 0, 0, 0, 0, b.length, 0, -1, false, new long[0], false, false, line);
        }
        Ipv4Packet ip;
        try {
            ip = Ipv4Packet.wrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        } catch (MalformedPacketException e) {
            return new Segment(timeNs, host, out, "IP?", "", "", 0, 0, 0, 0, 0, 0, b.length, 0, -1, false, new long[0], false, false, line);
        }
        String src = ip.source().toString();
        String dst = ip.destination().toString();
        boolean frag = ip.isFragment();
        int payload = ip.totalLength() - ip.headerLength();
        boolean df = ip.dontFragment();
        if (ip.protocol() != IpProtocol.TCP || ip.fragmentOffset() != 0) {
            String proto = ip.protocol() == IpProtocol.UDP ? "UDP" : ip.protocol() == IpProtocol.ICMP ? "ICMP" : "IP";
            int at = ip.payloadOffset();
            boolean ports = proto.equals("UDP") && ip.fragmentOffset() == 0 && payload >= 8;
            int sp = ports ? (b[at] & 0xff) << 8 | b[at + 1] & 0xff : 0;
            int dp = ports ? (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff : 0;
            return new Segment(timeNs, host, out, proto, src, dst, sp, dp, 0, 0, 0, 0, payload, 0, -1, false, new long[0], frag, df, line);
        }
        TcpPacket t;
        try {
            t = TcpPacket.wrapChecked(b, ip.payloadOffset(), payload);
        } catch (MalformedPacketException e) {
            return new Segment(timeNs, host, out, "TCP?", src, dst, 0, 0, 0, 0, 0, 0, payload, 0, -1, false, new long[0], frag, df, line);
        }
        long[] sack = new long[t.sackBlockCount() * 2];
        for (int i = 0; i < sack.length / 2; i++) {
            sack[2 * i] = t.sackLeft(i) & 0xffffffffL;
            sack[2 * i + 1] = t.sackRight(i) & 0xffffffffL;
        }
        return new Segment(timeNs, host, out, "TCP", src, dst, t.sourcePort(), t.destinationPort(),
                t.sequenceNumber() & 0xffffffffL, t.acknowledgmentNumber() & 0xffffffffL, t.flags(), t.window(),
                t.payloadLength(), t.mss(), t.windowScale(), t.sackPermitted(), sack, frag, df, line);
    }

    static Segment of(FrameLog.Frame f) {
        return decode(f.timeNs(), f.host(), f.out(), f.bytes());
    }
}
