package netstack4j.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

final class HtmlReport {
    private HtmlReport() {
    }

    static void write(Path dir, List<Outcome> outcomes) throws IOException {
    }
}
