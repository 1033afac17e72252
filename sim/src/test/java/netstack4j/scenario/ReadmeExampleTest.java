package netstack4j.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.TcpListener;
import netstack4j.socket.TcpSocket;
import org.junit.jupiter.api.Test;

/** The README's "Using the stack from Java" example, kept compiling and working. */
class ReadmeExampleTest {
    @Test
    void echoExampleRunsAsWritten() {
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        String[] ss = new String[1];
        // --- as in the README, with the output captured instead of printed ---
        try (Simulator sim = new Simulator(42)) {
            var net = Topologies.clientRouterServer(sim, LinkParams.of(100_000_000L, 5_000_000L).withLoss(0.01));
            sim.spawn(net.server(), "server", ctx -> {
                try (TcpListener listener = ctx.host().sockets().listen(Ipv4SocketAddress.of("0.0.0.0", 7), 16)) {
                    TcpSocket conn = listener.accept();
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = conn.read(buf, 0, buf.length)) > 0) {
                        conn.write(buf, 0, n);                    // echo
                    }
                    conn.close();
                }
            });
            sim.spawn(net.client(), "client", ctx -> {
                TcpSocket s = ctx.host().sockets().tcp();
                s.connect(Ipv4SocketAddress.of("10.0.2.2", 7));
                s.write("hello".getBytes(), 0, 5);
                byte[] back = new byte[5];
                int got = 0;
                while (got < 5) {
                    got += s.read(back, got, 5 - got);
                }
                echoed.write(back, 0, got);
                ss[0] = s.info().formatSs();                   // what ss -tinm would show
                s.close();
            });
            sim.run();
        }
        assertEquals("hello", echoed.toString());
        assertTrue(ss[0].startsWith("ESTAB"), ss[0]);
        assertTrue(ss[0].contains("10.0.2.2:7"), ss[0]);
    }
}
