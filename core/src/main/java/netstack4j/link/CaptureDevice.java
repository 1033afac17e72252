package netstack4j.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import netstack4j.time.Clock;
import netstack4j.trace.PcapWriter;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * A decorator that records every frame a device transmits and receives into a pcap capture,
 * then passes it on unchanged, as {@code tcpdump -i dev} would see it. Transmitted frames are
 * written before the inner device takes ownership of them; received frames before the handler
 * does. Timestamps come from the stack's {@link Clock}.
 *
 * <p>Received frames are delivered to the handler with this decorator as the device, so the
 * stack sees one device. A write error of the capture is thrown as {@link UncheckedIOException}.
 *
 * <p>Threading: as {@link NetworkDevice}; the writer is used only on the stack's thread.
 */
public final class CaptureDevice implements NetworkDevice {
    private final NetworkDevice inner;
    private final PcapWriter writer;
    private final Clock clock;

    public CaptureDevice(NetworkDevice inner, PcapWriter writer, Clock clock) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public NetworkDevice inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public MacAddress macAddress() {
        return inner.macAddress();
    }

    /** The inner device's features: a capture is a tap, not a device of its own. */
    @Override
    public Offloads features() {
        return inner.features();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        record(frame);
        return inner.transmit(frame);
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        if (handler == null) {
            inner.setFrameHandler(null);
            return;
        }
        inner.setFrameHandler((device, frame) -> {
            record(frame);
            handler.onFrame(this, frame);
        });
    }

    private void record(PacketBuffer frame) {
        try {
            writer.writePacket(clock.nowNs(), frame.array(), frame.offset(), frame.length());
        } catch (IOException e) {
            throw new UncheckedIOException("pcap capture on " + inner.name() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "capture(" + inner + ")";
    }
}
