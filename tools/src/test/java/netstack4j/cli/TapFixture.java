package netstack4j.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import netstack4j.tap.InterfaceAddress;
import netstack4j.tap.Netns;
import netstack4j.tap.TapHost;

/**
 * What the tests on a real TAP device share: the check that they can run here (root,
 * {@code /dev/net/tun}, the kernel tools they call), skipping with the reason printed when not,
 * and names for namespaces and devices no other run uses.
 */
final class TapFixture {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TapFixture() {
    }

    /** Skips the test (reason printed) unless we are root with /dev/net/tun and {@code tools} installed. */
    static void assumeTapAvailable(String... tools) {
        String reason = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            reason = "not root";
        } else if (!Files.exists(Path.of("/dev/net/tun"))) {
            reason = "no /dev/net/tun";
        } else {
            for (String t : concat("ip", tools)) {
                if (!onPath(t)) {
                    reason = t + " is not installed";
                    break;
                }
            }
        }
        if (reason != null) {
            System.out.println("SKIPPED (real-device test): " + reason);
        }
        assumeTrue(reason == null, reason);
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static boolean onPath(String tool) {
        return CliTest.onPath(tool) || Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** A host with this run's own names, capturing into {@code dir/tap.pcap}. */
    static TapHost start(Path dir) throws IOException {
        return TapHost.start(settings().withPcap(dir.resolve("tap.pcap")));
    }

    /**
     * After the host is closed: its capture holds packets and tshark finds none malformed and no
     * bad checksum (skipped, with the reason printed, without tshark).
     */
    static void assertCleanCapture(Path dir) throws Exception {
        Path pcap = dir.resolve("tap.pcap");
        org.junit.jupiter.api.Assertions.assertTrue(Files.size(pcap) > 24 + 16, "the capture is empty");
        if (!CliTest.onPath("tshark")) {
            System.out.println("capture not validated: tshark is not installed");
            return;
        }
        org.junit.jupiter.api.Assertions.assertEquals("", CliTest.tsharkProblems(pcap),
                "tshark found malformed packets or bad checksums in " + pcap);
    }

    /** Settings with a namespace and device name of this run's own, kernel 10.201.N.1, stack .2. */
    static TapHost.Settings settings() {
        int n = NEXT.incrementAndGet();
        long pid = ProcessHandle.current().pid() % 100_000;
        int subnet = (int) ((pid + n) % 200) + 20;
        return TapHost.Settings.defaults("ns4jt-" + pid + "-" + n, "n4t" + pid + "x" + n)
                .withAddresses(InterfaceAddress.parse("10.201." + subnet + ".1/24"),
                        InterfaceAddress.parse("10.201." + subnet + ".2/24"));
    }

    /** Polls {@code condition} every 20 ms until true or {@code timeoutMs}; returns the last answer. */
    static boolean await(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** A program running in the namespace; {@link #close} kills it. */
    record Running(Process process) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * python3's {@code http.server} on the kernel's address and {@code port}, serving
     * {@code dataBin} as {@code /data.bin} from {@code dir/www}; returns once it listens.
     */
    static Running pythonHttpServer(TapHost h, Path dir, byte[] dataBin, int port) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.write(root.resolve("data.bin"), dataBin);
        Running server = new Running(new ProcessBuilder(h.netns().command("python3", "-m", "http.server",
                Integer.toString(port), "--bind", h.kernelAddress().toString(), "--directory", root.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        if (!awaitListening(h.netns(), port)) {
            server.close();
            throw new AssertionError("http.server did not start");
        }
        return server;
    }

    /** Waits until something in {@code ns} listens on TCP {@code port} (ss), up to 20 s. */
    static boolean awaitListening(Netns ns, int port) throws InterruptedException {
        return await(20_000, () -> {
            try {
                return ns.exec(10, "ss", "-Hltn", "sport = :" + port).output().contains(":" + port);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
