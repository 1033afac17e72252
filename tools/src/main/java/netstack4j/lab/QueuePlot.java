package netstack4j.lab;

import java.util.List;

/** One plot of sampled series over simulated time (SendQ, RecvQ, Delivered; cwnd; socket memory), as step lines with a legend. */
final class QueuePlot {
    private static final String[] COLORS = {"#1a4fa0", "#c00", "#1a9a1a", "#e08a00", "#8a2be2", "#555"};

    private QueuePlot() {
    }

    static String draw(String title, List<Run.Series> series) {
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        long vmax = 1;
        for (Run.Series s : series) {
            for (long[] p : s.points()) {
                t0 = Math.min(t0, p[0]);
                t1 = Math.max(t1, p[0]);
                vmax = Math.max(vmax, p[1]);
            }
        }
        if (t1 <= t0) {
            t1 = t0 + 1;
        }
        int w = 1000;
        int h = 320;
        Svg svg = new Svg(w, h, title);
        SequenceGraph.Axes axes = new SequenceGraph.Axes(t0, t1, 0, vmax + vmax / 10 + 1, w, h);
        axes.draw(svg, "time", title);
        for (int i = 0; i < series.size(); i++) {
            List<long[]> pts = series.get(i).points();
            double[] xy = new double[pts.size() * 4];
            int n = 0;
            for (int k = 0; k < pts.size(); k++) {
                if (k > 0) {
                    xy[2 * n] = axes.x(pts.get(k)[0]);
                    xy[2 * n + 1] = axes.y(pts.get(k - 1)[1]);
                    n++;
                }
                xy[2 * n] = axes.x(pts.get(k)[0]);
                xy[2 * n + 1] = axes.y(pts.get(k)[1]);
                n++;
            }
            String c = COLORS[i % COLORS.length];
            svg.polyline(xy, n, c, 1.8);
            svg.rect(w - 250, 40 + 16 * i, 12, 10, c, c).text(w - 232, 49 + 16 * i, series.get(i).name(), "#333", "start");
        }
        return svg.end();
    }
}
