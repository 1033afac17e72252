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
