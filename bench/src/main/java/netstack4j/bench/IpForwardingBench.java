package netstack4j.bench;

import java.util.concurrent.TimeUnit;
import netstack4j.link.FrameHandler;
import netstack4j.link.NetworkDevice;
import netstack4j.stack.NetStack;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.UdpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IP forwarding path of a router stack: a UDP datagram arrives on eth0 and leaves on eth1
 * (validation, route lookup, TTL decrement, checksum update, neighbour lookup, link header).
 * Run with {@code -prof gc} to see the allocation per forwarded packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class IpForwardingBench {
    private NetStack router;
    private Device in;
    private PacketBuffer frame;
    private byte[] template;

    /** A device that counts what it transmits and hands its frames back for reuse. */
    static final class Device implements NetworkDevice {
        final String name;
        final MacAddress mac;
        FrameHandler handler;
        long transmitted;

        Device(String name, long id) {
            this.name = name;
            this.mac = MacAddress.local(id);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public MacAddress macAddress() {
            return mac;
        }

        @Override
        public boolean transmit(PacketBuffer f) {
            transmitted++;
            return true;
        }

        @Override
        public void setFrameHandler(FrameHandler h) {
            handler = h;
        }
    }

    @Setup
    public void setup() {
        long[] now = {0};
        router = NetStack.builder("router").clock(() -> now[0]).forwarding(true).build();
        in = new Device("eth0", 1);
        Device out = new Device("eth1", 2);
        router.addInterface(in, Ipv4Address.parse("10.0.1.1"), 24);
        router.addInterface(out, Ipv4Address.parse("10.0.2.1"), 24);
        // Teach the router the next hop's MAC with an ARP reply, as the network would.
        Ipv4Address src = Ipv4Address.parse("10.0.1.2");
        Ipv4Address dst = Ipv4Address.parse("10.0.2.2");
        router.ip().neighbours().send(router.interfaceByName("eth1"), dst, udpPacket(src, dst, 0));
        var reply = netstack4j.wire.ArpMessage.class;
        byte[] arp = new byte[14 + 28];
        new EthernetHeader(out.mac, MacAddress.local(9), EtherType.ARP).emit(arp, 0);
        new netstack4j.wire.ArpMessage(netstack4j.wire.ArpOperation.REPLY, MacAddress.local(9), dst, out.mac,
                Ipv4Address.parse("10.0.2.1")).emit(arp, 14);
        out.handler.onFrame(out, PacketBuffer.wrap(arp));
        PacketBuffer p = udpPacket(src, dst, 1000);
        int at = p.prepend(14);
        new EthernetHeader(in.mac, MacAddress.local(8), EtherType.IPV4).emit(p.array(), at);
        template = p.toByteArray();
        frame = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, template.length);
        frame.append(template.length);
    }

    private static PacketBuffer udpPacket(Ipv4Address src, Ipv4Address dst, int payload) {
        PacketBuffer b = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, 8 + payload);
        int at = b.append(8 + payload);
        new UdpHeader(5000, 6000).emit(b.array(), at, payload, src, dst);
        int ip = b.prepend(20);
        Ipv4Header.of(IpProtocol.UDP, src, dst, 8 + payload, 64, 1, true).emit(b.array(), ip);
        return b;
    }

    @Benchmark
    public long forwardOneDatagram() {
        // Re-arm the same buffer: the stack owns a frame while it handles it and the test device
        // drops it on transmit, so the buffer can be reused for the next round.
        System.arraycopy(template, 0, frame.array(), PacketBuffer.DEFAULT_HEADROOM, template.length);
        frame.setBounds(PacketBuffer.DEFAULT_HEADROOM, template.length);
        in.handler.onFrame(in, frame);
        return router.counters().get(netstack4j.stack.Counter.IpForwDatagrams);
    }
}
