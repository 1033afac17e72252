package netstack4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole report ({@code lab all --html target/lab-report}) opened in headless Chromium: every
 * page loads with its heading and every SVG drawn (a real box with lines or text in it), no
 * console message at all, and screenshots of the index and one experiment are kept under
 * {@code target/lab-screenshots} as build artifacts. The pages are served from loopback, so the
 * checking page can look into them. Skipped, with the reason, only when no Chromium is installed
 * ({@code .ci/run} installs Debian's {@code chromium}).
 */
class LabReportChromiumTest {
    static final Path REPORT = Path.of("target", "lab-report");
    static final Path SHOTS = Path.of("target", "lab-screenshots");

    static String chromium() {
        String path = System.getenv("PATH");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    @Test
    void everyPageRendersWithItsPicturesAndNoConsoleMessages() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            System.out.println("LabReportChromiumTest skipped: no chromium on PATH (apt-get install chromium)");
        }
        assumeTrue(chromium != null, "no chromium on PATH; install Debian's chromium (apt-get install chromium) to run this test");
        if (Files.isDirectory(REPORT)) {
            try (Stream<Path> old = Files.walk(REPORT)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        LabCommandTest.Result r = LabCommandTest.run("lab", "all", "--html", REPORT.toString());
        assertEquals(0, r.code(), r.err());
        List<String> pages;
        try (Stream<Path> s = Files.list(REPORT)) {
            pages = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".html")).sorted().toList();
        }
        assertEquals(47, pages.size(), pages.toString());
        byte[] checkPage = checker(pages).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            Path file = REPORT.resolve(path.substring(1)).normalize();
            byte[] body = path.equals("/check.html") ? checkPage
                    : file.startsWith(REPORT) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            ex.getResponseHeaders().set("Content-Type", file.toString().endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Run check = chromium(chromium, "--virtual-time-budget=60000", "--dump-dom", base + "check.html");
            Matcher m = Pattern.compile("(?s)<pre id=\"result\">(.*?)</pre>").matcher(check.out());
            assertTrue(m.find(), "the checking page ran: " + check.out() + check.err());
            List<String> lines = m.group(1).lines().toList();
            assertEquals("DONE", lines.getLast(), m.group(1));
            assertEquals(pages.size() + 1, lines.size(), m.group(1));
            for (String line : lines.subList(0, pages.size())) {
                String[] f = line.split(" ");
                int expectedSvgs = count(Files.readString(REPORT.resolve(f[0])), "<svg ");
                assertEquals(f[0] + " " + expectedSvgs + " " + expectedSvgs + " h1", line, "every SVG of " + f[0] + " is drawn");
            }
            // Console capture works (the checking page logs one line) and nothing else was logged.
            List<String> console = check.err().lines().filter(l -> l.contains("CONSOLE")).toList();
            assertTrue(console.stream().anyMatch(l -> l.contains("lab-check-console-works")), check.err());
            assertEquals(List.of(), console.stream().filter(l -> !l.contains("lab-check-console-works")).toList(), "console messages");
            Files.createDirectories(SHOTS);
            for (String page : List.of("index", "N26", "N20")) {
                Path png = SHOTS.resolve(page + ".png").toAbsolutePath();
                Files.deleteIfExists(png);
                chromium(chromium, "--window-size=1200,2400", "--screenshot=" + png, base + page + ".html");
                assertTrue(Files.isRegularFile(png) && Files.size(png) > 20_000, "screenshot " + png);
            }
        } finally {
            server.stop(0);
        }
    }

    record Run(String out, String err) {
    }

    static Run chromium(String chromium, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Path.of("target", "chromium-profile").toAbsolutePath()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + String.join(" ", cmd));
        }
        Run r = new Run(Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** A page that opens every report page in turn in a frame and writes what it found into {@code <pre id="result">}. */
    static String checker(List<String> pages) {
        StringBuilder list = new StringBuilder();
        for (String p : pages) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(p).append('"');
        }
        return """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>check</title></head><body>
                <pre id="result"></pre>
                <script>
                console.log("lab-check-console-works");
                const pages = [%s];
                const out = [];
                let i = 0;
                function next() {
                  if (i >= pages.length) { out.push("DONE"); document.getElementById("result").textContent = out.join("\\n"); return; }
                  const f = document.createElement("iframe");
                  f.width = 1200; f.height = 900;
                  f.onload = () => {
                    const d = f.contentDocument;
                    const svgs = Array.from(d.querySelectorAll("svg"));
                    const drawn = svgs.filter(s => { const r = s.getBoundingClientRect(); return r.width > 100 && r.height > 50 && s.querySelector("line,polyline,text"); });
                    out.push(pages[i] + " " + svgs.length + " " + drawn.length + " " + (d.querySelector("h1") ? "h1" : "no-h1"));
                    f.remove(); i++; next();
                  };
                  f.src = pages[i];
                  document.body.appendChild(f);
                }
                next();
                </script></body></html>
                """.formatted(list);
    }
}
