package netstack4j.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import netstack4j.time.Clock;
import netstack4j.trace.PcapWriter;
import netstack4j.wire.PacketBuffer;

/**
 * A decorator that records every frame a device transmits and receives into a pcap capture,
 * then passes it on unchanged, as {@code tcpdump -i dev} would see it. Transmitted frames are
 * written before the inner device takes ownership of them; received frames before the handler
 * does. Timestamps come from the stack's {@link Clock}.
 *
 * <p>A write error of the capture is thrown as {@link UncheckedIOException}.
 *
 * <p>Threading: as {@link NetworkDevice}; the writer is used only on the stack's thread.
 */
public final class CaptureDevice extends TapDevice {
    private final PcapWriter writer;
    private final Clock clock;

    public CaptureDevice(NetworkDevice inner, PcapWriter writer, Clock clock) {
        super(inner);
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected boolean onTransmit(PacketBuffer frame) {
        record(frame);
        return true;
    }

    @Override
    protected void onReceive(PacketBuffer frame) {
        record(frame);
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
