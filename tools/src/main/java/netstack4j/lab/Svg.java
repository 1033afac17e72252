package netstack4j.lab;

import java.util.Locale;

/** A small SVG writer: the shapes the lab's pictures need, with text escaped for XML. */
final class Svg {
    private final StringBuilder b = new StringBuilder();
    private final int width;
    private final int height;

    Svg(int width, int height, String title) {
        this.width = width;
        this.height = height;
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"monospace\" font-size=\"11\" role=\"img\"><title>%s</title>\n", width, height, width, height, esc(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    Svg line(double x1, double y1, double x2, double y2, String color, double w, String extra) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
                x1, y1, x2, y2, color, w, extra.isEmpty() ? "" : " " + extra));
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String color) {
        return line(x1, y1, x2, y2, color, 1, "");
    }

    Svg text(double x, double y, String text, String color, String anchor) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"%s\">%s</text>\n", x, y, color, anchor, esc(text)));
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill, String stroke) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>\n",
                x, y, w, h, fill, stroke));
        return this;
    }

    /** A polyline through {@code points} (x0, y0, x1, y1, …). */
    Svg polyline(double[] points, int n, String color, double w) {
        if (n < 2) {
            return this;
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"")
                .append(String.format(Locale.ROOT, "%.1f", w)).append("\" points=\"");
        for (int i = 0; i < n; i++) {
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", points[2 * i], points[2 * i + 1]));
        }
        b.append("\"/>\n");
        return this;
    }

    /** An arrow head at (x2, y2) for a line from (x1, y1). */
    Svg arrowHead(double x1, double y1, double x2, double y2, String color) {
        double a = Math.atan2(y2 - y1, x2 - x1);
        double l = 7;
        double ax = x2 - l * Math.cos(a - 0.4);
        double ay = y2 - l * Math.sin(a - 0.4);
        double bx = x2 - l * Math.cos(a + 0.4);
        double by = y2 - l * Math.sin(a + 0.4);
        b.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n", x2, y2, ax, ay, bx, by, color));
        return this;
    }

    /** A cross of size {@code r} at (x, y): a loss. */
    Svg cross(double x, double y, double r, String color) {
        line(x - r, y - r, x + r, y + r, color, 2, "");
        return line(x - r, y + r, x + r, y - r, color, 2, "");
    }

    String end() {
        return b + "</svg>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
