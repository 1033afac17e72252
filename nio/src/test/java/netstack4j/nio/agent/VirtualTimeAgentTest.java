package netstack4j.nio.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code demo.SleepyApp} in a child JVM under {@link VirtualTimeAgent}: inside a scope its
 * {@code Thread.sleep(2000)} lasts two virtual seconds, which a pacer at speed 20 runs in a
 * fraction of the wall time, and its {@code System.currentTimeMillis()} is the simulation's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualTimeAgentTest {
    @Test
    void applicationClockAndSleepsFollowTheSimulation(@TempDir Path dir) throws Exception {
        Path agent = AgentJar.write(dir);
        Process p = new ProcessBuilder(List.of(AgentJar.java(), "-javaagent:" + agent, "-cp", System.getProperty("java.class.path"),
                "demo.SleepyApp")).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        Matcher r = Pattern.compile("virtual=(\\d+) wall=(\\d+) epoch=(\\d+)").matcher(output);
        assertTrue(r.find(), output);
        System.out.println("SleepyApp under the agent: " + r.group());
        long virtualMs = Long.parseLong(r.group(1));
        long epoch = Long.parseLong(r.group(3));
        // The clocks the app read are the simulation's: at least the two seconds it slept, and
        // an epoch near the simulation's start rather than today's date. How much wall time that
        // took depends on the machine's load and is not checked.
        assertTrue(virtualMs >= 2_000, "slept two virtual seconds: " + output);
        assertTrue(epoch - VirtualTime.EPOCH_MILLIS >= 2_000 && epoch - VirtualTime.EPOCH_MILLIS < 3_600_000L,
                "currentTimeMillis is the simulation's: " + output);
    }

    @Test
    void rewritesOnlyTheCallsItKnowsInTheClassesItMay() throws IOException {
        assertTrue(VirtualTimeAgent.transforms("demo/SleepyApp", List.of()));
        assertFalse(VirtualTimeAgent.transforms("java/lang/String", List.of()));
        assertFalse(VirtualTimeAgent.transforms("netstack4j/sim/Simulator", List.of()));
        assertFalse(VirtualTimeAgent.transforms("com/example/Other", List.of("demo/")));
        byte[] rewritten = VirtualTimeAgent.rewrite(classBytes("/demo/SleepyApp.class"));
        assertNotNull(rewritten);
        assertTrue(new String(rewritten, StandardCharsets.ISO_8859_1).contains("netstack4j/nio/agent/VirtualTime"));
        // This test class reads no clock and sleeps nowhere: nothing to rewrite, nothing returned.
        assertNull(VirtualTimeAgent.rewrite(classBytes("/netstack4j/nio/agent/VirtualTimeAgentTest.class")));
    }

    private static byte[] classBytes(String resource) throws IOException {
        try (InputStream in = VirtualTimeAgentTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
