package netstack4j.lab;

import java.util.ArrayList;
import java.util.List;
import netstack4j.trace.TraceEvent;

/**
 * A ladder (message sequence) diagram of a bench: hosts a and b as vertical time lines, each
 * frame an arrow from its sending time to its arrival, labelled as tcpdump would with relative
 * numbers; losses end in a cross, retransmissions are red, state changes are written on the
 * lines. Time runs down and is compressed: each distinct instant gets a row, so long idle
 * periods do not stretch the picture (the time of each row is written on the left).
 */
final class LadderDiagram {
    static final int MAX_FRAMES = 50;
    private static final int ROW = 16;
    private static final int TOP = 50;
    private static final double XA = 230;
    private static final double XB = 830;

    private LadderDiagram() {
    }

    static String draw(Bench bench, String title) {
        List<Deliveries.Delivery> all = Deliveries.of(bench);
        long from = bench.ladderFromNs();
        int first = 0;
        while (first < all.size() && all.get(first).sentNs() < from) {
            first++;
        }
        List<Deliveries.Delivery> shown = all.subList(first, Math.min(first + MAX_FRAMES, all.size()));
        long horizon = shown.isEmpty() ? 0 : shown.getLast().sentNs();
        List<TraceEvent> states = new ArrayList<>();
        for (TraceEvent e : bench.states()) {
            if (e.timeNs() >= from && e.timeNs() <= horizon && !e.detail().contains("0.0.0.0:0") && !e.detail().contains("127.0.0.1")) {
                states.add(e);
            }
        }
        // One row per event (a send, an arrival, a state change), in time order; ties keep the
        // order the events were made in, so a frame's arrival is never above its sending.
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            events.add(new long[] {shown.get(i).sentNs(), events.size(), 0, i});
        }
        for (int i = 0; i < shown.size(); i++) {
            if (!shown.get(i).lost()) {
                events.add(new long[] {shown.get(i).arrivedNs(), events.size(), 1, i});
            }
        }
        for (int i = 0; i < states.size(); i++) {
            events.add(new long[] {states.get(i).timeNs(), events.size(), 2, i});
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int[] sendRow = new int[shown.size()];
        int[] arriveRow = new int[shown.size()];
        int[] stateRow = new int[states.size()];
        for (int r = 0; r < events.size(); r++) {
            long[] e = events.get(r);
            (e[2] == 0 ? sendRow : e[2] == 1 ? arriveRow : stateRow)[(int) e[3]] = r;
        }
        int height = TOP + ROW * (events.size() + 2) + 30;
        Svg svg = new Svg(1060, height, title);
        svg.text(XA, 20, "a 10.0.0.1", "black", "middle").text(XB, 20, "b 10.0.0.2", "black", "middle");
        svg.text(8, 20, "time (s)", "#666", "start");
        if (all.size() > shown.size()) {
            svg.text(530, 38, (first == 0 ? "the first " : "from " + Bench.time(from) + " s, ") + shown.size() + " of " + all.size()
                    + " frames", "#555", "middle");
        }
        double bottom = y(events.size());
        svg.line(XA, TOP - 10, XA, bottom, "#444", 2, "").line(XB, TOP - 10, XB, bottom, "#444", 2, "");
        long lastLabelled = Long.MIN_VALUE;
        for (int r = 0; r < events.size(); r++) {
            long t = events.get(r)[0];
            if (t != lastLabelled) {
                svg.text(8, y(r) + 4, Bench.time(t), "#666", "start");
                svg.line(62, y(r), 70, y(r), "#bbb");
                lastLabelled = t;
            }
        }
        for (int i = 0; i < shown.size(); i++) {
            Deliveries.Delivery d = shown.get(i);
            boolean fromA = d.seg().host().equals("a");
            double x1 = fromA ? XA : XB;
            double x2 = fromA ? XB : XA;
            double y1 = y(sendRow[i]);
            String color = d.lost() || d.retransmission() ? "#c00" : d.seg().isTcp() ? "#1a4fa0" : "#2a7a2a";
            String label = Deliveries.label(d, bench) + (d.retransmission() ? "  retransmission" : "") + (d.lost() ? "  lost" : "");
            if (d.lost()) {
                double xm = x1 + (x2 - x1) * 0.55;
                double ym = y1 + ROW * 0.8;
                svg.line(x1, y1, xm, ym, color, 1.5, "stroke-dasharray=\"4 3\"").cross(xm, ym, 5, "#c00");
                svg.text(xm + (fromA ? 10 : -10), ym + 4, label, color, fromA ? "start" : "end");
            } else {
                double y2 = y(arriveRow[i]);
                svg.line(x1, y1, x2, y2, color, 1.5, "").arrowHead(x1, y1, x2, y2, color);
                svg.text((x1 + x2) / 2, (y1 + y2) / 2 - 3, label, color, "middle");
            }
        }
        for (int i = 0; i < states.size(); i++) {
            TraceEvent e = states.get(i);
            boolean onA = e.host().equals("a");
            String change = e.detail().substring(e.detail().lastIndexOf(": ") + 2);
            String to = change.substring(change.indexOf("-> ") + 3);
            double y = y(stateRow[i]);
            svg.rect(onA ? XA - 150 : XB + 8, y - 9, 142, 14, "#fff6d0", "#c9a600");
            svg.text(onA ? XA - 79 : XB + 79, y + 2, to, "#6b5500", "middle");
        }
        return svg.end();
    }

    private static double y(int row) {
        return TOP + ROW * (row + 1);
    }
}
