package netstack4j.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.concurrent.atomic.AtomicReference;
import netstack4j.link.PipeDevice;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.PingSocket;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.time.Clock;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * Two real stacks, each driven by its own event-loop thread, used from plain Java threads with
 * blocking calls: no simulator, real time. Nothing here sleeps; the calls block until the
 * other stack answers.
 */
class EventLoopTest {
    @Test
    void plainThreadsExchangeDatagramsAndPingsThroughRealStacks() throws Exception {
        try (EventLoop loopA = new EventLoop("a", Clock.system()); EventLoop loopB = new EventLoop("b", Clock.system())) {
            NetStack a = NetStack.builder("a").clock(Clock.system()).runtime(loopA.runtime()).build();
            NetStack b = NetStack.builder("b").clock(Clock.system()).runtime(loopB.runtime()).build();
            PipeDevice[] cable = PipeDevice.pair("eth0", loopA::execute, "eth0", loopB::execute, 1500);
            loopA.runtime().call(() -> a.addInterface(cable[0], Ipv4Address.parse("10.9.0.1"), 24));
            loopB.runtime().call(() -> b.addInterface(cable[1], Ipv4Address.parse("10.9.0.2"), 24));
            loopA.start(a);
            loopB.start(b);

            UdpSocket server = b.sockets().udp();
            server.bind(7);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread echo = Thread.ofPlatform().name("echo").start(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int i = 0; i < 3; i++) {
                        ReceivedDatagram d = server.receive(buf);
                        server.sendTo(buf, 0, d.length(), d.source());
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try (UdpSocket client = a.sockets().udp()) {
                client.setReceiveTimeout(java.time.Duration.ofSeconds(10));
                var to = new Ipv4SocketAddress(Ipv4Address.parse("10.9.0.2"), 7);
                for (int size : new int[] {1, 1400, 5000}) {
                    byte[] msg = new byte[size];
                    for (int i = 0; i < size; i++) {
                        msg[i] = (byte) (i * 7 + size);
                    }
                    client.sendTo(msg, to);
                    byte[] back = new byte[8192];
                    ReceivedDatagram d = client.receive(back);
                    assertEquals(size, d.length());
                    assertArrayEquals(msg, java.util.Arrays.copyOf(back, d.length()));
                }
            }
            echo.join(10_000);
            assertEquals(null, failure.get());
            try (PingSocket ping = a.sockets().ping()) {
                ping.setReceiveTimeout(java.time.Duration.ofSeconds(10));
                ping.send(Ipv4Address.parse("10.9.0.2"), 1, new byte[56]);
                PingSocket.Event e = ping.receive();
                assertEquals(PingSocket.Reply.class, e.getClass());
            }
            server.close();
        }
    }

    @Test
    void plainThreadsRunATcpConnectionThroughRealStacks() throws Exception {
        try (EventLoop loopA = new EventLoop("a", Clock.system()); EventLoop loopB = new EventLoop("b", Clock.system())) {
            NetStack a = NetStack.builder("a").clock(Clock.system()).runtime(loopA.runtime()).build();
            NetStack b = NetStack.builder("b").clock(Clock.system()).runtime(loopB.runtime()).build();
            PipeDevice[] cable = PipeDevice.pair("eth0", loopA::execute, "eth0", loopB::execute, 1500);
            loopA.runtime().call(() -> a.addInterface(cable[0], Ipv4Address.parse("10.9.1.1"), 24));
            loopB.runtime().call(() -> b.addInterface(cable[1], Ipv4Address.parse("10.9.1.2"), 24));
            loopA.start(a);
            loopB.start(b);

            byte[] data = new byte[300_000];
            new java.util.Random(7).nextBytes(data);
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            netstack4j.socket.TcpListener listener = b.sockets().listen(new Ipv4SocketAddress(Ipv4Address.ANY, 9), 4);
            Thread server = Thread.ofPlatform().name("sink").start(() -> {
                try {
                    netstack4j.socket.TcpSocket s = listener.accept();
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = s.read(buf, 0, buf.length)) > 0) {
                        received.write(buf, 0, n);
                    }
                    s.write(new byte[] {42}, 0, 1);
                    s.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            netstack4j.socket.TcpSocket client = a.sockets().tcp();
            client.connect(new Ipv4SocketAddress(Ipv4Address.parse("10.9.1.2"), 9));
            client.write(data, 0, data.length);
            client.shutdown(netstack4j.socket.Shutdown.WRITE);
            byte[] reply = new byte[4];
            assertEquals(1, client.read(reply, 0, reply.length));
            assertEquals(42, reply[0]);
            assertEquals(0, client.read(reply, 0, reply.length), "end of stream after the server closed");
            client.close();
            server.join(10_000);
            assertEquals(null, failure.get());
            assertArrayEquals(data, received.toByteArray());
            listener.close();
        }
    }
}
