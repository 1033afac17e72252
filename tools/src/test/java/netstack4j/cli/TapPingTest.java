package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.nio.file.Path;
import netstack4j.socket.PingSocket;
import netstack4j.tap.HttpService;
import netstack4j.tap.Netns;
import netstack4j.tun.TunMode;
import netstack4j.tap.TapHost;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** ICMP echo between the Linux kernel's {@code ping} and the stack on a TAP device. */
class TapPingTest {
    @Test
    void kernelPingsTheStackAlsoWithFragmentingSizes(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable("ping");
        try (TapHost h = TapFixture.start(dir)) {
            String to = h.stackAddress().toString();
            for (String size : new String[] {"56", "1472", "3000", "20000"}) {
                Netns.Result r = h.netns().exec(60, "ping", "-c", "3", "-i", "0.2", "-W", "5", "-s", size, to);
                assertTrue(r.ok(), "ping -s " + size + ": " + r.output());
                assertTrue(r.output().contains("3 received"), r.output());
                assertTrue(r.output().contains((Integer.parseInt(size) + 8) + " bytes from " + to), r.output());
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void theStackPingsTheKernel(@TempDir Path dir) throws Exception {
        TapFixture.assumeTapAvailable();
        try (TapHost h = TapFixture.start(dir); PingSocket ping = h.stack().sockets().ping()) {
            ping.setReceiveTimeout(Duration.ofSeconds(10));
            for (int seq = 1; seq <= 3; seq++) {
                ping.send(h.kernelAddress(), seq, new byte[seq == 3 ? 4000 : 56]);
                PingSocket.Event e = ping.receive();
                PingSocket.Reply reply = assertInstanceOf(e);
                assertEquals(seq, reply.sequence());
                assertEquals(h.kernelAddress(), reply.from());
                assertEquals(seq == 3 ? 4000 : 56, reply.dataLength());
            }
        }
        TapFixture.assertCleanCapture(dir);
    }

    @Test
    void overATunDeviceTooWhereTheDeviceAnswersTheStacksArp() throws Exception {
        TapFixture.assumeTapAvailable("ping", "curl");
        try (TapHost h = TapHost.start(TapFixture.settings().withMode(TunMode.TUN));
             var http = new HttpService(h.stack(), 80, line -> { }).start();
             PingSocket ping = h.stack().sockets().ping()) {
            String to = h.stackAddress().toString();
            Netns.Result r = h.netns().exec(60, "ping", "-c", "2", "-i", "0.2", "-W", "5", "-s", "3000", to);
            assertTrue(r.ok() && r.output().contains("2 received"), r.output());
            Netns.Result page = h.netns().exec(60, "curl", "-sS", "-m", "30", "http://" + to + "/bytes/100000");
            assertTrue(page.ok(), page.output());
            assertEquals(100_000, page.output().length());
            ping.setReceiveTimeout(Duration.ofSeconds(10));
            ping.send(h.kernelAddress(), 1, new byte[56]);
            assertInstanceOf(ping.receive());
            assertEquals(TunMode.TUN, h.device().mode());
        }
    }

    private static PingSocket.Reply assertInstanceOf(PingSocket.Event e) {
        assertTrue(e instanceof PingSocket.Reply, "expected an echo reply, got " + e);
        return (PingSocket.Reply) e;
    }
}
