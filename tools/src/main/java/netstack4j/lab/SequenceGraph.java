package netstack4j.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A time-sequence graph in the style of Stevens and tcptrace for the busiest data direction of
 * a bench: each data segment a vertical bar from its first to its last sequence number at the
 * time it was sent (red when it is a retransmission, crossed when it was lost), the ACK line
 * (green) and the receive-window line (ACK plus window, orange) as the sender received them,
 * and SACK blocks (purple) at the time their ACK arrived. Sequence numbers are relative.
 */
final class SequenceGraph {
    static final int MIN_SEGMENTS = 3;
    private static final int MAX_SEGMENTS = 4000;
    private static final double L = 80;
    private static final double R = 20;
    private static final double T = 30;
    private static final double B = 50;

    private SequenceGraph() {
    }

    /** The graph, or null when no direction carried at least {@link #MIN_SEGMENTS} data segments. */
    static String draw(Bench bench, String title) {
        List<Deliveries.Delivery> all = Deliveries.of(bench);
        String flow = busiest(all);
        if (flow == null) {
            return null;
        }
        List<Deliveries.Delivery> data = new ArrayList<>();
        List<Deliveries.Delivery> acks = new ArrayList<>();
        for (Deliveries.Delivery d : all) {
            if (!d.seg().isTcp()) {
                continue;
            }
            if (key(d.seg()).equals(flow) && d.seg().length() > 0 && data.size() < MAX_SEGMENTS) {
                data.add(d);
            } else if (reverse(d.seg()).equals(flow) && !d.lost()) {
                acks.add(d);
            }
        }
        long t0 = data.getFirst().sentNs();
        long t1 = data.getLast().sentNs();
        long maxSeq = 0;
        for (Deliveries.Delivery d : data) {
            maxSeq = Math.max(maxSeq, d.relSeq() + d.seg().length());
        }
        long lastData = maxSeq;
        for (Deliveries.Delivery a : acks) {
            if (a.relAck() <= lastData + 1 && a.arrivedNs() > t1 && a.relAck() > 0 && a.arrivedNs() - t1 < Math.max(t1 - t0, 50_000_000L)) {
                t1 = a.arrivedNs(); // the ACK of the last data, when it came soon after it
            }
        }
        if (t1 == t0) {
            t1 = t0 + 1;
        }
        long minSeq = data.getFirst().relSeq();
        maxSeq = maxSeq + (maxSeq - minSeq) / 5; // room for the window line above the data
        int w = 1000;
        int h = 460;
        Svg svg = new Svg(w, h, title);
        Axes axes = new Axes(t0, t1, minSeq, Math.max(maxSeq, minSeq + 1), w, h);
        axes.draw(svg, "time", "relative sequence number");
        drawAckAndWindow(svg, axes, acks, bench, t0, t1);
        for (Deliveries.Delivery d : data) {
            double x = axes.x(d.sentNs());
            double y1 = axes.y(d.relSeq());
            double y2 = axes.y(d.relSeq() + d.seg().length());
            String c = d.retransmission() ? "#c00" : "#000";
            svg.line(x, y1, x, y2, c, d.retransmission() ? 2.5 : 1.5, "");
            svg.line(x - 2, y2, x + 2, y2, c).line(x - 2, y1, x + 2, y1, c);
            if (d.lost()) {
                svg.cross(x, y2 - 4, 3, "#c00");
            }
        }
        svg.text(w - R, T - 10, "data ━ black, retransmission ━ red, lost ×, ACK ━ green, window ━ orange, SACK ━ purple", "#333", "end");
        return svg.end();
    }

    private static void drawAckAndWindow(Svg svg, Axes axes, List<Deliveries.Delivery> acks, Bench bench, long t0, long t1) {
        double[] ack = new double[acks.size() * 4 + 4];
        double[] win = new double[acks.size() * 4 + 4];
        int n = 0;
        double prevAck = Double.NaN;
        double prevWin = Double.NaN;
        for (Deliveries.Delivery a : acks) {
            if (a.arrivedNs() < t0 || a.arrivedNs() > t1 || !a.seg().has(netstack4j.wire.TcpFlags.ACK)) {
                continue;
            }
            double x = axes.x(a.arrivedNs());
            double ya = axes.y(a.relAck());
            double yw = Math.max(axes.y(a.relAck() + bench.windowBytes(a.seg())), axes.y(axes.v1())); // clipped at the top
            if (!Double.isNaN(prevAck)) {
                ack[2 * n] = x;
                ack[2 * n + 1] = prevAck;
                win[2 * n] = x;
                win[2 * n + 1] = prevWin;
                n++;
            }
            ack[2 * n] = x;
            ack[2 * n + 1] = ya;
            win[2 * n] = x;
            win[2 * n + 1] = yw;
            n++;
            prevAck = ya;
            prevWin = yw;
            long[] sack = a.seg().sack();
            long base = (a.seg().ack() - a.relAck()) & 0xffffffffL;
            for (int i = 0; i < sack.length; i += 2) {
                double s1 = axes.y((sack[i] - base) & 0xffffffffL);
                double s2 = axes.y((sack[i + 1] - base) & 0xffffffffL);
                svg.line(x + 3, s1, x + 3, s2, "#8a2be2", 3, "");
            }
        }
        svg.polyline(win, n, "#e08a00", 1.2);
        svg.polyline(ack, n, "#1a9a1a", 1.5);
    }

    private static String busiest(List<Deliveries.Delivery> all) {
        java.util.Map<String, Integer> bytes = new java.util.TreeMap<>();
        java.util.Map<String, Integer> count = new java.util.TreeMap<>();
        for (Deliveries.Delivery d : all) {
            if (d.seg().isTcp() && d.seg().length() > 0) {
                bytes.merge(key(d.seg()), d.seg().length(), Integer::sum);
                count.merge(key(d.seg()), 1, Integer::sum);
            }
        }
        String best = null;
        for (var e : bytes.entrySet()) {
            if (count.get(e.getKey()) >= MIN_SEGMENTS && (best == null || e.getValue() > bytes.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static String key(Segment s) {
        return s.src() + ":" + s.srcPort() + ">" + s.dst() + ":" + s.dstPort();
    }

    private static String reverse(Segment s) {
        return s.dst() + ":" + s.dstPort() + ">" + s.src() + ":" + s.srcPort();
    }

    /** Linear axes from (t0, v0) to (t1, v1) over a w × h picture, with ticks. */
    record Axes(long t0, long t1, long v0, long v1, int w, int h) {
        double x(long t) {
            return L + (double) (t - t0) / (t1 - t0) * (w - L - R);
        }

        double y(long v) {
            return h - B - (double) (v - v0) / (v1 - v0) * (h - T - B);
        }

        void draw(Svg svg, String xName, String yName) {
            svg.line(L, h - B, w - R, h - B, "#333").line(L, T, L, h - B, "#333");
            for (int i = 0; i <= 5; i++) {
                long t = t0 + (t1 - t0) * i / 5;
                double x = x(t);
                svg.line(x, h - B, x, h - B + 4, "#333").text(x, h - B + 16, time(t), "#333", "middle");
                long v = v0 + (v1 - v0) * i / 5;
                double y = y(v);
                svg.line(L - 4, y, L, y, "#333").text(L - 6, y + 4, String.valueOf(v), "#333", "end");
                svg.line(L, y, w - R, y, "#eee");
            }
            svg.text((L + w - R) / 2, h - 12, xName, "#333", "middle");
            svg.text(L, T - 10, yName, "#333", "start");
        }

        static String time(long ns) {
            return ns >= 10_000_000_000L ? String.format(Locale.ROOT, "%.1f s", ns / 1e9) : String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
    }
}
