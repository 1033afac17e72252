package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netstack4j.nio.agent.AgentJar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's deterministic mode, each run in a child JVM of its own
 * ({@code -javaagent:…=deterministic}, the JVM-wide provider): {@link DeterministicScenarios}'
 * unmodified {@code HttpClient} ↔ {@code HttpServer} (1 MB each way, 5 % loss, 20 ms) and Netty
 * echo (loss, a partition that heals) give the same packet-trace hash in two JVMs with one seed
 * and another with another seed; the JDK's clocks, sleeps, timed waits, scheduled executors,
 * platform threads and monitors measure exact virtual times.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DeterministicAgentTest {
    @TempDir
    static Path dir;
    static Path agent;

    @BeforeAll
    static void agentJar() throws Exception {
        agent = AgentJar.write(dir);
    }

    /** Runs {@code DeterministicScenarios SCENARIO SEED} in a child JVM; its report as key=value. */
    static Map<String, String> run(String scenario, long seed) throws Exception {
        Process p = new ProcessBuilder(List.of(AgentJar.java(), "-javaagent:" + agent + "=deterministic",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Djava.nio.channels.spi.SelectorProvider=" + NetSelectorProvider.class.getName(),
                "-cp", System.getProperty("java.class.path"), DeterministicScenarios.class.getName(), scenario,
                Long.toString(seed))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("ok ")).findFirst().orElseThrow(() -> new AssertionError(output));
        System.out.println(scenario + " seed " + seed + ": " + line);
        Map<String, String> report = new HashMap<>();
        for (String field : line.substring(3).split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                report.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return report;
    }

    static long number(Map<String, String> report, String key) {
        return Long.parseLong(report.get(key));
    }

    @Test
    void httpClientAndServerSameSeedSameTraceInTwoJvms() throws Exception {
        Map<String, String> first = run("http", 42);
        Map<String, String> again = run("http", 42);
        Map<String, String> other = run("http", 43);
        assertTrue(number(first, "packets") > 1500, "1 MB each way: " + first);
        assertTrue(number(first, "retransmitted") > 0);
        assertEquals(first.get("trace"), again.get("trace"), "one seed, two JVMs, one packet trace");
        assertEquals(first.get("virtualMs"), again.get("virtualMs"));
        assertNotEquals(first.get("trace"), other.get("trace"), "another seed loses other frames");
    }

    @Test
    void nettyEchoSameSeedSameTraceInTwoJvms() throws Exception {
        Map<String, String> first = run("netty", 9);
        Map<String, String> again = run("netty", 9);
        Map<String, String> other = run("netty", 10);
        assertTrue(number(first, "rtoTimeouts") > 0, "the partition cost retransmission timeouts: " + first);
        assertTrue(number(first, "monitorHandOffs") > 0, "Netty's promises hand monitors over: " + first);
        assertEquals(first.get("trace"), again.get("trace"), "one seed, two JVMs, one packet trace");
        assertEquals(first.get("virtualMs"), again.get("virtualMs"));
        assertNotEquals(first.get("trace"), other.get("trace"));
    }

    @Test
    void theJdksClocksTimeoutsAndThreadsAreTheSimulations() throws Exception {
        Map<String, String> r = run("clocks", 1);
        assertEquals("1500000000", r.get("sleptNs"), "System.nanoTime across Thread.sleep(1500)");
        assertEquals("1500000000", r.get("simNs"), "the simulation's clock across it");
        assertEquals("250000000", r.get("waitedNs"), "Object.wait(250) times out in virtual time");
        assertEquals("true", r.get("millisMatch"), "System.currentTimeMillis");
        assertEquals("true", r.get("instantMatch"), "Instant.now");
        assertEquals("3000000000", r.get("scheduledAfterNs"), "ScheduledThreadPoolExecutor's delay");
        assertEquals("true", r.get("standInSeen"), "Thread.currentThread() is the Thread object started");
        assertEquals("TERMINATED", r.get("standInState"), "getState() is the body's thread's");
        assertEquals("100000000", r.get("joinedAfterNs"), "join waits for the platform thread's body");
        assertEquals("holder,contender", r.get("monitorOrder"));
        assertTrue(number(r, "monitorHandOffs") >= 1, "the contender entered the monitor through the scheduler: " + r);
        assertEquals(r.get("threadLocalRandom"), run("clocks", 1).get("threadLocalRandom"), "ThreadLocalRandom is seeded");
        assertNotEquals(r.get("threadLocalRandom"), run("clocks", 2).get("threadLocalRandom"), "by the simulation's seed");
    }
}
