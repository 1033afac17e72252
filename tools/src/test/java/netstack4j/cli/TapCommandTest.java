package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.tap.Netns;
import netstack4j.tap.TapHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netstack4j tap} as a person runs it: services until stopped, --connect, errors. */
class TapCommandTest {
    private static String[] args(TapHost.Settings s, String... more) {
        String[] base = {"tap", "--dev", s.device(), "--kernel-address", s.kernelAddress().toString(),
                "--address", s.stackAddress().toString(), "--quiet"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void tapServesCurlUntilItsTimeIsUpThenRemovesEverything(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("curl");
        TapHost.Settings s = TapFixture.settings();
        Path pcap = dir.resolve("run.pcap");
        CompletableFuture<CliTest.Result> run = CompletableFuture.supplyAsync(
                () -> CliTest.run(args(s, "--name", s.netns(), "--for", "15s", "--pcap", pcap.toString())));
        String url = "http://" + s.stackAddress().address() + "/";
        // Poll until the namespace is there and the stack answers (curl retries its connection).
        assertTrue(TapFixture.await(20_000, () -> Netns.exists(s.netns())), "no namespace " + s.netns());
        Netns ns = Netns.existing(s.netns());
        // Until the command has addressed the device and started its services, curl fails at once.
        Netns.Result[] curl = new Netns.Result[1];
        assertTrue(TapFixture.await(20_000, () -> {
            try {
                curl[0] = ns.exec(30, "curl", "-sS", "-m", "10", url);
                return curl[0].ok();
            } catch (java.io.IOException e) {
                return false;
            }
        }), "curl never got the page: " + (curl[0] == null ? "" : curl[0].output()));
        assertTrue(curl[0].output().contains("Hello from netstack4j"), curl[0].output());
        CliTest.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ip netns exec " + s.netns() + " ping -c 3 " + s.stackAddress().address()), r.out());
        assertTrue(r.out().contains("ip netns exec " + s.netns() + " iperf3 -c " + s.stackAddress().address()), r.out());
        assertFalse(Netns.exists(s.netns()), "the namespace is removed on exit");
        assertFalse(Files.exists(Path.of("/sys/class/net", s.device())), "the device is removed on exit");
        assertTrue(Files.size(pcap) > 24);
        assertEquals("", CliTest.onPath("tshark") ? CliTest.tsharkProblems(pcap) : "");
    }

    @Test
    void connectFetchesFromAKernelServerInAGivenNamespace(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("python3", "ss");
        TapHost.Settings s = TapFixture.settings();
        Files.writeString(dir.resolve("hello.txt"), "hello from the kernel's side\n");
        Netns ns = Netns.create(s.netns());
        Process server = null;
        try {
            server = new ProcessBuilder(ns.command("python3", "-m", "http.server", "8080", "--bind", "0.0.0.0",
                    "--directory", dir.toString())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(TapFixture.awaitListening(ns, 8080), "http.server did not start");
            CliTest.Result r = CliTest.run(args(s, "--netns", s.netns(), "--connect",
                    "http://" + s.kernelAddress().address() + ":8080/hello.txt"));
            assertEquals(0, r.code(), r.err());
            assertEquals("hello from the kernel's side\n", r.out());
            assertTrue(r.err().contains("HTTP 200"), r.err());
            assertTrue(Netns.exists(s.netns()), "a namespace given with --netns is kept");
            assertFalse(Files.exists(Path.of("/sys/class/net", s.device())));
        } finally {
            if (server != null) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            ns.delete();
        }
    }

    @Test
    void mistakesGiveOneLine() {
        CliTest.Result bad = CliTest.run("tap", "--address", "10.200.0.300/24");
        assertEquals(2, bad.code());
        CliTest.assertOneLineError(bad);
        CliTest.Result mtu = CliTest.run("tap", "--mtu", "100");
        assertEquals(2, mtu.code());
        CliTest.assertOneLineError(mtu);
        CliTest.Result elsewhere = CliTest.run("tap", "--address", "10.9.9.2/24");
        assertEquals(1, elsewhere.code());
        CliTest.assertOneLineError(elsewhere);
        assertTrue(elsewhere.err().contains("is not on the kernel's subnet"), elsewhere.err());
        if ("root".equals(System.getProperty("user.name"))) {
            CliTest.Result none = CliTest.run("tap", "--netns", "ns4j-there-is-no-such-namespace");
            assertEquals(1, none.code());
            CliTest.assertOneLineError(none);
            assertEquals("tap: no network namespace ns4j-there-is-no-such-namespace (ip netns add "
                    + "ns4j-there-is-no-such-namespace makes one)\n", none.err());
        }
    }
}
