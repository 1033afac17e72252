package netstack4j.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's HTML report: {@code index.html} with every experiment and its verdict, and one page
 * per experiment with its story, its pictures drawn as inline SVG (ladder diagrams, a
 * time-sequence graph, queue plots), the counters that changed, and links to the captures
 * ({@code ID-runN.pcap}, one per simulated network of the experiment). No script, no external
 * resource: the pages render offline and the same seed writes the same bytes.
 */
public final class HtmlReport {
    /** At most this many networks of one experiment get their own ladder diagram. */
    static final int MAX_LADDERS = 3;

    private HtmlReport() {
    }

    public static void write(Path dir, List<Outcome> outcomes) throws IOException {
        Files.createDirectories(dir);
        StringBuilder index = new StringBuilder(head("netstack4j lab"));
        index.append("<h1>netstack4j lab</h1>\n<p>The claims of the notes (N1–N46) as experiments on a simulated network. Seed ")
                .append(outcomes.isEmpty() ? "" : outcomes.getFirst().seed()).append(".</p>\n");
        index.append("<table>\n<tr><th>id</th><th>name</th><th>claim</th><th>verdict</th></tr>\n");
        for (Outcome o : outcomes) {
            String id = o.experiment().id();
            index.append("<tr><td><a href=\"").append(id).append(".html\">").append(id).append("</a></td><td>")
                    .append(Svg.esc(o.experiment().name())).append("</td><td>").append(Svg.esc(o.experiment().claim()))
                    .append("</td><td class=\"").append(o.verdict().kind().name().toLowerCase(java.util.Locale.ROOT)).append("\">")
                    .append(Svg.esc(o.verdictLine())).append("</td></tr>\n");
            Files.writeString(dir.resolve(id + ".html"), page(dir, o), StandardCharsets.UTF_8);
        }
        index.append("</table>\n</body>\n</html>\n");
        Files.writeString(dir.resolve("index.html"), index, StandardCharsets.UTF_8);
    }

    private static String page(Path dir, Outcome o) throws IOException {
        String id = o.experiment().id();
        StringBuilder b = new StringBuilder(head(id + " " + o.experiment().name()));
        b.append("<p><a href=\"index.html\">all experiments</a></p>\n");
        b.append("<h1>").append(id).append(' ').append(Svg.esc(o.experiment().name())).append("</h1>\n");
        b.append("<p class=\"claim\">").append(Svg.esc(o.experiment().claim())).append("</p>\n");
        b.append("<h2>Setup</h2>\n");
        for (String s : o.setup()) {
            b.append("<p>").append(Svg.esc(s)).append("</p>\n");
        }
        b.append("<h2>What happens</h2>\n<pre>");
        for (String h : o.happened()) {
            b.append(Svg.esc(h)).append('\n');
        }
        b.append("</pre>\n<p class=\"").append(o.verdict().kind().name().toLowerCase(java.util.Locale.ROOT)).append("\">Verdict: ")
                .append(Svg.esc(o.verdictLine())).append("</p>\n");
        List<Bench> benches = o.run().benches();
        List<Run.Capture> captures = o.run().captures();
        figures(b, o, benches);
        for (Run.Figure f : o.run().figures()) {
            b.append("<h2>").append(Svg.esc(f.title())).append("</h2>\n<figure>").append(f.svg()).append("</figure>\n");
        }
        if (!benches.isEmpty() || !captures.isEmpty()) {
            b.append("<h2>Captures and counters</h2>\n<ul>\n");
            for (int i = 0; i < benches.size(); i++) {
                Bench bench = benches.get(i);
                capture(b, dir, id, i + 1, bench.describe(), bench.log());
            }
            for (int i = 0; i < captures.size(); i++) {
                capture(b, dir, id, benches.size() + i + 1, captures.get(i).description(), captures.get(i).log());
            }
            b.append("</ul>\n");
            for (int i = 0; i < benches.size(); i++) {
                Bench bench = benches.get(i);
                b.append("<h3>Counters that changed, run ").append(i + 1).append("</h3>\n<div class=\"cols\">");
                for (var host : List.of(bench.a(), bench.b())) {
                    b.append("<pre>").append(host.name()).append(":\n").append(Svg.esc(bench.changedCounters(host))).append("</pre>");
                }
                b.append("</div>\n");
            }
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    /** Writes {@code ID-runN.pcap} and its line in the list of captures. */
    private static void capture(StringBuilder b, Path dir, String id, int n, String description, FrameLog log) throws IOException {
        String pcap = id + "-run" + n + ".pcap";
        log.writePcap(dir.resolve(pcap));
        b.append("<li>run ").append(n).append(" (").append(Svg.esc(description)).append("): <a href=\"").append(pcap)
                .append("\">").append(pcap).append("</a> (").append(log.size()).append(" frames seen)</li>\n");
    }

    private static void figures(StringBuilder b, Outcome o, List<Bench> benches) {
        String id = o.experiment().id();
        for (int i = 0; i < Math.min(MAX_LADDERS, benches.size()); i++) {
            Bench bench = benches.get(i);
            if (bench.log().size() == 0) {
                continue;
            }
            b.append("<h2>Ladder diagram, run ").append(i + 1).append(" (").append(Svg.esc(bench.describe())).append(")</h2>\n<figure>")
                    .append(LadderDiagram.draw(bench, id + " ladder, run " + (i + 1))).append("</figure>\n");
        }
        for (int i = 0; i < Math.min(MAX_LADDERS, benches.size()); i++) {
            String graph = SequenceGraph.draw(benches.get(i), id + " time-sequence graph, run " + (i + 1));
            if (graph != null) {
                b.append("<h2>Time-sequence graph, run ").append(i + 1).append("</h2>\n<figure>").append(graph).append("</figure>\n");
            }
        }
        Map<String, List<Run.Series>> plots = new LinkedHashMap<>();
        for (Run.Series s : o.run().series()) {
            plots.computeIfAbsent(s.plot(), k -> new ArrayList<>()).add(s);
        }
        for (var e : plots.entrySet()) {
            b.append("<h2>").append(Svg.esc(e.getKey())).append("</h2>\n<figure>").append(QueuePlot.draw(e.getKey(), e.getValue()))
                    .append("</figure>\n");
        }
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Svg.esc(title) + "</title>\n<style>\n"
                + "body{font-family:sans-serif;margin:2em;max-width:1100px}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}"
                + ".confirmed{color:#176b17}.differs{color:#a04000}.waiting{color:#555}.failed{color:#c00;font-weight:bold}"
                + ".claim{font-size:1.1em;font-style:italic}figure{margin:0;overflow-x:auto}.cols{display:flex;gap:1em}\n"
                + "</style>\n</head>\n<body>\n";
    }
}
