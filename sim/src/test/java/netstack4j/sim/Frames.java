package netstack4j.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import netstack4j.link.NetworkDevice;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/** Test helpers: raw Ethernet frames carrying a sequence number, and a recording handler. */
final class Frames {
    private Frames() {
    }

    /** A frame of {@code length} bytes from {@code src} to {@code dst} whose payload starts with {@code seq}. */
    static PacketBuffer frame(MacAddress dst, MacAddress src, int seq, int length) {
        byte[] b = new byte[length];
        dst.write(b, 0);
        src.write(b, 6);
        b[12] = (byte) 0x88;
        b[13] = (byte) 0xb5; // local experimental EtherType
        ByteBuffer.wrap(b).putInt(14, seq);
        for (int i = 18; i < length; i++) {
            b[i] = (byte) (i * 31 + seq);
        }
        return PacketBuffer.wrap(b);
    }

    static PacketBuffer frame(SimPort from, SimPort to, int seq, int length) {
        return frame(to.macAddress(), from.macAddress(), seq, length);
    }

    /**
     * An IPv4 frame: a header of {@code headerWords} 32-bit words (options are NOPs), then
     * {@code payloadLength} bytes starting with {@code seq}, then {@code padding} bytes after
     * Total Length (as Ethernet pads short frames). The header checksum is not filled in: the
     * link does not look at it.
     */
    static PacketBuffer ipv4(SimPort from, SimPort to, int seq, int headerWords, int payloadLength, int padding) {
        int headerLength = headerWords * 4;
        byte[] b = new byte[14 + headerLength + payloadLength + padding];
        to.macAddress().write(b, 0);
        from.macAddress().write(b, 6);
        b[12] = 0x08;
        b[13] = 0x00;
        b[14] = (byte) (0x40 | headerWords);
        ByteBuffer.wrap(b).putShort(16, (short) (headerLength + payloadLength));
        b[22] = 64; // TTL
        b[23] = (byte) 253; // experimental protocol
        for (int i = 34; i < 14 + headerLength; i++) {
            b[i] = 1; // NOP options
        }
        int payload = 14 + headerLength;
        for (int i = payload; i < b.length; i++) {
            b[i] = (byte) (i * 7 + seq);
        }
        if (payloadLength >= 4) {
            ByteBuffer.wrap(b).putInt(payload, seq);
        }
        return PacketBuffer.wrap(b);
    }

    /** An ARP reply from {@code from} to {@code to} (the kind a flipped bit once poisoned). */
    static PacketBuffer arpReply(SimPort from, SimPort to, int seq) {
        byte[] b = new byte[42];
        to.macAddress().write(b, 0);
        from.macAddress().write(b, 6);
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putShort(12, (short) 0x0806).putShort(14, (short) 1).putShort(16, (short) 0x0800);
        b[18] = 6;
        b[19] = 4;
        bb.putShort(20, (short) 2);
        from.macAddress().write(b, 22);
        bb.putInt(28, 0x0a000000 | seq);
        to.macAddress().write(b, 32);
        bb.putInt(38, 0x0a0000ff);
        return PacketBuffer.wrap(b);
    }

    static int seq(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(14);
    }

    /** One received frame. */
    record Arrival(long timeNs, String device, byte[] bytes) {
        int seq() {
            return Frames.seq(bytes);
        }
    }

    /** Records every frame given to it, with the simulator time. */
    static final class Recorder {
        final List<Arrival> arrivals = new ArrayList<>();
        private final Simulator sim;

        Recorder(Simulator sim) {
            this.sim = sim;
        }

        Recorder attach(NetworkDevice device) {
            device.setFrameHandler((d, f) -> arrivals.add(new Arrival(sim.nowNs(), d.name(), f.toByteArray())));
            return this;
        }

        List<Integer> seqs() {
            return arrivals.stream().map(Arrival::seq).toList();
        }

        int size() {
            return arrivals.size();
        }
    }
}
