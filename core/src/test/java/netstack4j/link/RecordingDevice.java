package netstack4j.link;

import java.util.ArrayList;
import java.util.List;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * A test device: {@code eth0}, MTU 1500, keeps a copy of every frame the stack transmits and lets
 * the test hand frames to the stack's handler.
 */
public final class RecordingDevice implements NetworkDevice {
    private final MacAddress mac;
    public final List<byte[]> sent = new ArrayList<>();
    public FrameHandler handler;
    /** The offload features it reports; none unless a test turns some on. */
    public final Offloads offloads = Offloads.none();

    public RecordingDevice(MacAddress mac) {
        this.mac = mac;
    }

    @Override
    public String name() {
        return "eth0";
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
    public boolean transmit(PacketBuffer frame) {
        sent.add(frame.toByteArray());
        return true;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }

    @Override
    public Offloads features() {
        return offloads;
    }
}
