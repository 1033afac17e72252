package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.nio.file.Path;
import netstack4j.socket.PingSocket;
import netstack4j.tap.Netns;
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

    private static PingSocket.Reply assertInstanceOf(PingSocket.Event e) {
        assertTrue(e instanceof PingSocket.Reply, "expected an echo reply, got " + e);
        return (PingSocket.Reply) e;
    }
}
