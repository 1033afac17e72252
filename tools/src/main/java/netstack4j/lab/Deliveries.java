package netstack4j.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each frame a host of a bench sent, paired with its arrival at the other host (the first not
 * yet paired frame there with the same bytes), or marked lost; plus the relative sequence
 * numbers of every TCP connection (0 at each side's ISN), as tcpdump and Wireshark show them.
 */
final class Deliveries {
    /** One transmitted frame: decoded, when it arrived (-1: lost), and whether it resends data sent before. */
    record Delivery(Segment seg, long sentNs, long arrivedNs, boolean lost, boolean retransmission, long relSeq, long relAck) {
    }

    private Deliveries() {
    }

    static List<Delivery> of(Bench bench) {
        List<FrameLog.Frame> frames = bench.log().frames();
        boolean[] used = new boolean[frames.size()];
        // Frames to the unlogged background host c are not part of a and b's conversation.
        netstack4j.wire.MacAddress toC = bench.c() == null ? null
                : bench.c().interfaces().stream().filter(i -> !i.name().equals("lo")).findFirst().orElseThrow().macAddress();
        List<Delivery> out = new ArrayList<>();
        java.util.Map<String, Long> isn = new java.util.HashMap<>();
        java.util.Map<String, Long> highest = new java.util.HashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            FrameLog.Frame f = frames.get(i);
            if (!f.out() || !f.host().equals("a") && !f.host().equals("b")
                    || toC != null && netstack4j.wire.MacAddress.read(f.bytes(), 0).equals(toC)) {
                continue;
            }
            Segment s = Segment.of(f);
            if (s == null) {
                continue;
            }
            long arrived = -1;
            if (!f.dropped()) {
                for (int j = i + 1; j < Math.min(frames.size(), i + 4000); j++) {
                    FrameLog.Frame g = frames.get(j);
                    if (!used[j] && !g.out() && !g.host().equals(f.host()) && (g.host().equals("a") || g.host().equals("b"))
                            && Arrays.equals(g.bytes(), f.bytes())) {
                        used[j] = true;
                        arrived = g.timeNs();
                        break;
                    }
                }
            }
            long relSeq = 0;
            long relAck = 0;
            boolean retrans = false;
            if (s.isTcp()) {
                String mine = s.src() + ":" + s.srcPort() + ">" + s.dst() + ":" + s.dstPort();
                String theirs = s.dst() + ":" + s.dstPort() + ">" + s.src() + ":" + s.srcPort();
                if (s.has(netstack4j.wire.TcpFlags.SYN)) {
                    isn.putIfAbsent(mine, s.seq());
                }
                isn.putIfAbsent(mine, s.seq());
                relSeq = (s.seq() - isn.get(mine)) & 0xffffffffL;
                relAck = isn.containsKey(theirs) ? (s.ack() - isn.get(theirs)) & 0xffffffffL : s.ack();
                long end = relSeq + s.seqLength();
                long high = highest.getOrDefault(mine, 0L);
                retrans = s.seqLength() > 0 && relSeq < high && !(s.has(netstack4j.wire.TcpFlags.SYN) && high == 0);
                highest.put(mine, Math.max(high, end));
            }
            out.add(new Delivery(s, f.timeNs(), arrived, arrived < 0, retrans, relSeq, relAck));
        }
        return out;
    }

    /** A short label as tcpdump prints the segment with relative numbers: {@code [P.] 1:1001(1000) ack 1 win 512}. */
    static String label(Delivery d, Bench bench) {
        Segment s = d.seg();
        if (!s.isTcp()) {
            String l = s.line();
            return l.length() > 70 ? l.substring(0, 70) + "…" : l;
        }
        StringBuilder b = new StringBuilder(s.flagText());
        if (s.length() > 0 || s.has(netstack4j.wire.TcpFlags.SYN) || s.has(netstack4j.wire.TcpFlags.FIN)) {
            b.append(' ').append(d.relSeq());
            if (s.length() > 0) {
                b.append(':').append(d.relSeq() + s.length()).append('(').append(s.length()).append(')');
            }
        }
        if (s.has(netstack4j.wire.TcpFlags.ACK)) {
            b.append(" ack ").append(d.relAck());
        }
        b.append(" win ").append(bench.windowBytes(s));
        List<String> opts = new ArrayList<>();
        if (s.mss() > 0) {
            opts.add("mss " + s.mss());
        }
        if (s.sackPermitted()) {
            opts.add("sackOK");
        }
        if (s.wscale() >= 0) {
            opts.add("wscale " + s.wscale());
        }
        long[] sack = s.sack();
        if (sack.length > 0) {
            long base = (s.ack() - d.relAck()) & 0xffffffffL;
            StringBuilder sb = new StringBuilder("sack");
            for (int i = 0; i < sack.length; i += 2) {
                sb.append(' ').append((sack[i] - base) & 0xffffffffL).append(':').append((sack[i + 1] - base) & 0xffffffffL);
            }
            opts.add(sb.toString());
        }
        if (!opts.isEmpty()) {
            b.append(" <").append(String.join(",", opts)).append('>');
        }
        return b.toString();
    }
}
