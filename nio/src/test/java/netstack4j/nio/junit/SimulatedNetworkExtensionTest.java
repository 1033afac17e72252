package netstack4j.nio.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import netstack4j.nio.NetScope;
import netstack4j.nio.NetSelectorProvider;
import netstack4j.stack.NetStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs {@link Scenario} through the JUnit launcher and checks what the extension did. */
class SimulatedNetworkExtensionTest {
    static final String SELF_TEST = "netstack4j.extension-selftest";

    /** Two tests on a lossy network: one passes, one fails on purpose. Run only from the outer test. */
    @EnabledIfSystemProperty(named = SELF_TEST, matches = "true")
    @SimulatedNetwork(seed = 1234, lossRate = 0.02, delayMicros = 2_000, scope = "client")
    static class Scenario {
        @Test
        void passes(@Host("client") NetStack client, NetStack server, TestNetwork net) throws Exception {
            assertSame(client, NetScope.current());
            assertEquals(1234, net.seed());
            assertEquals(2, net.links().size());
            try (ServerSocketChannel l = NetSelectorProvider.of(server).openServerSocketChannel().bind(new InetSocketAddress(7))) {
                CompletableFuture<Integer> echoed = CompletableFuture.supplyAsync(() -> {
                    try (SocketChannel s = l.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(100);
                        int n = s.read(b);
                        s.write(b.flip());
                        return n;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                // SocketChannel.open: the JVM-wide provider, on the scope's host.
                try (SocketChannel c = SocketChannel.open(new InetSocketAddress("10.0.2.2", 7))) {
                    c.write(ByteBuffer.wrap("ping".getBytes()));
                    ByteBuffer back = ByteBuffer.allocate(4);
                    while (back.hasRemaining() && c.read(back) >= 0) {
                        Thread.onSpinWait();
                    }
                    assertEquals("ping", new String(back.array()));
                }
                assertEquals(4, echoed.get());
            }
            assertTrue(Files.exists(net.captureDirectory().resolve("client-eth0.pcap")));
        }

        @Test
        void failsOnPurpose(NetStack client) {
            assertEquals("a", client.name(), "failing on purpose");
        }
    }

    @Test
    void injectsHostsScopesTheTestAndReportsSeedAndCapturesOnFailure() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(SELF_TEST, "true");
        System.setErr(new PrintStream(captured, true));
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Scenario.class)).build(), listener);
        } finally {
            System.setErr(err);
            System.clearProperty(SELF_TEST);
        }
        TestExecutionSummary s = listener.getSummary();
        assertEquals(2, s.getTestsStartedCount());
        assertEquals(1, s.getTestsSucceededCount(), () -> s.getFailures().toString());
        assertEquals(1, s.getTestsFailedCount());
        assertTrue(s.getFailures().get(0).getException().getMessage().contains("failing on purpose"));
        String report = captured.toString();
        assertTrue(report.contains("failed with seed 1234 (repeat with -Dnetstack4j.seed=1234)"), report);
        assertTrue(report.contains("capture: ") && report.contains("failsOnPurpose"), report);
        assertFalse(report.contains("passes("), report);
        Path pcap = Path.of("target", "netstack4j", "Scenario", "passes", "server-eth0.pcap");
        assertTrue(pcap.toFile().length() > 24, "the passing test's capture holds packets: " + pcap);
    }
}
