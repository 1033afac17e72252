package netstack4j.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A ladder diagram of a network with more than two hosts (a LAN with a switch, where one frame
 * can reach many ports): each host a vertical time line, each frame a horizontal fan of arrows
 * from its sender at its sending time to every host whose interface it reached, at its arrival.
 * Arrows to a host whose interface took the frame but did not want it (a multicast group it has
 * not joined) are grey and dashed; frames that reached nobody end in a cross. As in
 * {@link LadderDiagram}, time runs down compressed to one row per distinct instant.
 */
final class LanLadder {
    static final int MAX_FRAMES = 40;
    private static final int ROW = 18;
    private static final int TOP = 60;
    private static final int LEFT = 150;
    private static final int LANE = 170;

    private LanLadder() {
    }

    /** One frame: who sent it, when, which host lanes it reached and when. */
    private record Fan(Segment seg, int from, long sentNs, List<int[]> to, List<Long> at) {
    }

    /**
     * Draws the first {@link #MAX_FRAMES} frames of {@code log} that {@code shown} accepts, the
     * hosts in the order of {@code lanes} (names as in the log, with the label under each);
     * {@code unwanted} tells which arrivals the receiving host filtered.
     */
    static String draw(FrameLog log, List<String> lanes, List<String> labels, java.util.function.Predicate<Segment> shown,
                       BiPredicate<Segment, String> unwanted, String title) {
        List<FrameLog.Frame> frames = log.frames();
        boolean[] used = new boolean[frames.size()];
        List<Fan> fans = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < frames.size(); i++) {
            FrameLog.Frame f = frames.get(i);
            int from = lanes.indexOf(f.host());
            Segment s = f.out() && from >= 0 ? Segment.of(f) : null;
            if (s == null || !shown.test(s)) {
                continue;
            }
            total++;
            List<int[]> to = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            for (int j = i + 1; j < frames.size() && !f.dropped(); j++) {
                FrameLog.Frame g = frames.get(j);
                int lane = lanes.indexOf(g.host());
                if (!used[j] && !g.out() && lane >= 0 && lane != from && to.stream().noneMatch(t -> t[0] == lane)
                        && Arrays.equals(g.bytes(), f.bytes())) {
                    used[j] = true;
                    to.add(new int[] {lane, unwanted.test(s, g.host()) ? 1 : 0});
                    at.add(g.timeNs());
                }
            }
            if (fans.size() < MAX_FRAMES) {
                fans.add(new Fan(s, from, f.timeNs(), to, at));
            }
        }
        // One row per event (a sending, or the arrivals of one frame at one instant), in time
        // order; ties keep the order the events were made in, so an arrival is never above its sending.
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < fans.size(); i++) {
            events.add(new long[] {fans.get(i).sentNs(), events.size(), i, -1});
            List<Long> at = fans.get(i).at();
            for (int k = 0; k < at.size(); k++) {
                if (at.indexOf(at.get(k)) == k) {
                    events.add(new long[] {at.get(k), events.size(), i, at.get(k)});
                }
            }
        }
        events.sort((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]));
        int[] sendRow = new int[fans.size()];
        java.util.Map<String, Integer> arrivalRow = new java.util.HashMap<>();
        for (int r = 0; r < events.size(); r++) {
            long[] e = events.get(r);
            if (e[3] < 0) {
                sendRow[(int) e[2]] = r;
            } else {
                arrivalRow.put(e[2] + "@" + e[3], r);
            }
        }
        int width = LEFT + LANE * (lanes.size() - 1) + 80;
        int height = TOP + ROW * (events.size() + 2) + 30;
        Svg svg = new Svg(width, height, title);
        for (int l = 0; l < lanes.size(); l++) {
            svg.text(x(l), 20, lanes.get(l), "black", "middle").text(x(l), 36, labels.get(l), "#555", "middle");
        }
        svg.text(8, 20, "time (s)", "#666", "start");
        if (total > fans.size()) {
            svg.text(width / 2.0, 52, "the first " + fans.size() + " of " + total + " frames", "#555", "middle");
        }
        double bottom = y(events.size());
        for (int l = 0; l < lanes.size(); l++) {
            svg.line(x(l), TOP - 8, x(l), bottom, "#444", 2, "");
        }
        long lastLabelled = Long.MIN_VALUE;
        for (int r = 0; r < events.size(); r++) {
            if (events.get(r)[0] != lastLabelled) {
                lastLabelled = events.get(r)[0];
                svg.text(8, y(r) + 4, Bench.time(lastLabelled), "#666", "start");
            }
        }
        for (int i = 0; i < fans.size(); i++) {
            Fan fan = fans.get(i);
            double x1 = x(fan.from());
            double y1 = y(sendRow[i]);
            String color = fan.seg().isTcp() ? "#1a4fa0" : fan.seg().proto().equals("UDP") ? "#2a7a2a" : "#7a3fa0";
            if (fan.to().isEmpty()) {
                svg.line(x1, y1, x1 + 60, y1 + ROW * 0.7, color, 1.5, "stroke-dasharray=\"4 3\"").cross(x1 + 60, y1 + ROW * 0.7, 5, "#c00");
            }
            for (int k = 0; k < fan.to().size(); k++) {
                int[] t = fan.to().get(k);
                double x2 = x(t[0]);
                double y2 = y(arrivalRow.get(i + "@" + fan.at().get(k)));
                boolean filtered = t[1] == 1;
                String c = filtered ? "#999" : color;
                svg.line(x1, y1, x2, y2, c, filtered ? 1 : 1.5, filtered ? "stroke-dasharray=\"3 3\"" : "").arrowHead(x1, y1, x2, y2, c);
            }
            boolean rightmost = fan.from() == lanes.size() - 1;
            svg.text(rightmost ? x1 - 6 : x1 + 6, y1 - 3, label(fan.seg()), color, rightmost ? "end" : "start");
        }
        svg.text(8, height - 10, "grey dashed: the interface took the frame but the host dropped it (a group it has not joined)",
                "#666", "start");
        return svg.end();
    }

    /** The tcpdump line without the addresses' noise, short enough for a row. */
    private static String label(Segment s) {
        String l = s.line();
        return l.length() > 60 ? l.substring(0, 60) + "…" : l;
    }

    private static double x(int lane) {
        return LEFT + LANE * lane;
    }

    private static double y(int row) {
        return TOP + ROW * (row + 1);
    }
}
