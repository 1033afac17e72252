package netstack4j.ip;

import netstack4j.link.RecordingDevice;
import netstack4j.stack.NetStack;
import netstack4j.stack.StackConfig;
import netstack4j.udp.UdpEndpoint;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetHeader;
import netstack4j.wire.IpProtocol;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Header;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import netstack4j.wire.UdpHeader;

/**
 * A stack with one Ethernet device and no simulator: the test plays the wire, handing frames to
 * the device's handler and reading what the stack transmitted. Time stands still at {@link #nowNs}.
 */
final class TestHost {
    static final Ipv4Address ADDRESS = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");

    final RecordingDevice device = new RecordingDevice(MacAddress.parse("02:00:00:00:00:01"));
    long nowNs;
    final NetStack stack;
    final UdpEndpoint udp9;

    TestHost() {
        this(StackConfig.linuxDefaults());
    }

    TestHost(StackConfig config) {
        stack = NetStack.builder("h").clock(() -> nowNs).config(config).build();
        stack.addInterface(device, ADDRESS, 24);
        udp9 = stack.udp().open();
        stack.udp().bind(udp9, Ipv4Address.ANY, 9);
    }

    /** A frame arrives on the wire. */
    void receive(byte[] frame) {
        // The stack's thread owns it: enter through the runtime, as a device driver would.
        stack.runtime().call(() -> {
            device.handler.onFrame(device, PacketBuffer.wrap(frame.clone()));
            return null;
        });
    }


    // ---------------------------------------------------------------- frames

    static byte[] ethernet(MacAddress dst, int type, byte[] payload) {
        byte[] b = new byte[14 + payload.length];
        new EthernetHeader(dst, PEER_MAC, type).emit(b, 0);
        System.arraycopy(payload, 0, b, 14, payload.length);
        return b;
    }

    byte[] toUs(byte[] ipPacket) {
        return ethernet(device.macAddress(), EtherType.IPV4, ipPacket);
    }

    static byte[] ip(int protocol, Ipv4Address src, Ipv4Address dst, byte[] payload) {
        Ipv4Header h = Ipv4Header.of(protocol, src, dst, payload.length, 64, 1234, false);
        byte[] b = new byte[20 + payload.length];
        h.emit(b, 0);
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    static byte[] udp(Ipv4Address src, Ipv4Address dst, int dport, byte[] data) {
        byte[] b = new byte[8 + data.length];
        System.arraycopy(data, 0, b, 8, data.length);
        new UdpHeader(5000, dport).emit(b, 0, data.length, src, dst);
        return b;
    }

    /** A valid frame carrying a UDP datagram from the peer to port 9. */
    byte[] udpFrame(byte[] data) {
        return toUs(ip(IpProtocol.UDP, PEER, ADDRESS, udp(PEER, ADDRESS, 9, data)));
    }
}
