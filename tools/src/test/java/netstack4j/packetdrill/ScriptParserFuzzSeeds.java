package netstack4j.packetdrill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The seed inputs of {@link ScriptParserFuzzTest}: every script of the syntax corpus
 * ({@code src/test/resources/packetdrill-syntax}), which between them use each construct of the
 * language, and a few short texts at its edges (options, time ranges, blocking calls, code
 * blocks, commands, nested structures). {@code mvn -B -q test -pl tools -Dtest=ScriptParserFuzzSeedsTest
 * -Dfuzz.writeSeeds=true} rewrites them; otherwise {@link ScriptParserFuzzSeedsTest} checks the
 * committed ones are these.
 */
final class ScriptParserFuzzSeeds {
    static final Path RESOURCES = Path.of("src/test/resources");
    static final String INPUTS = "netstack4j/packetdrill/ScriptParserFuzzTestInputs/parsePrintParse/";

    private static final List<String> EDGES = List.of(
            "--tolerance_usecs=10000\n--verbose\n0 close(3) = 0\n",
            "0.1~0.2 > S 0:0(0) <mss 1460>\n* > . 1:1(0) ack 1\n+0~+0.5 > F. 1:1(0) ack 1\n",
            "0...0.25 read(4, ..., 1000) = 1000\n+0 write(4, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)\n",
            "`ifconfig tun0 mtu 1500`\n0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n`echo done`\n",
            "0 %{ assert tcpi_rto == 1000000 }%\n+0 `true`\n",
            "0 poll([{fd=3, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1\n"
                    + "+0 sendmsg(3, {msg_name(...)=..., msg_iov(1)=[{..., 4}], msg_flags=0}, 0) = 4\n",
            "0 < [ect0] P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 1 ecr 2,sack 1:2 3:4>\n",
            "0 < udp (100)\n+0 > icmp unreachable port_unreachable [1:21(20)]\n",
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 // a comment\n/* block\ncomment */ +0 close(3) = 0\n");

    private ScriptParserFuzzSeeds() {
    }

    static Map<String, byte[]> all() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> corpus = Files.list(RESOURCES.resolve("packetdrill-syntax"))) {
            for (Path p : corpus.filter(p -> p.toString().endsWith(".pkt")).sorted().toList()) {
                m.put(INPUTS + p.getFileName(), Files.readAllBytes(p));
            }
        }
        for (int i = 0; i < EDGES.size(); i++) {
            m.put(INPUTS + "edge-" + (i + 1) + ".pkt", EDGES.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }
}
