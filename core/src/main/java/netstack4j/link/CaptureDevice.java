package netstack4j.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import netstack4j.time.Clock;
import netstack4j.trace.PcapWriter;
import netstack4j.wire.EthernetPacket;
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

    /** Where a frame with a partial checksum is completed for the capture; grown on demand. */
    private byte[] scratch;

    /**
     * Writes the frame; one whose TCP checksum the card is still to complete is written as it
     * will leave the card, completed in a copy (tcpdump on Linux shows the partial value, which
     * Wireshark calls incorrect).
     */
    private void record(PacketBuffer frame) {
        byte[] a = frame.array();
        int off = frame.offset();
        int len = frame.length();
        if (frame.checksumPartial() && len > EthernetPacket.HEADER_LENGTH) {
            if (scratch == null || scratch.length < len) {
                scratch = new byte[Math.max(len, 2048)];
            }
            System.arraycopy(a, off, scratch, 0, len);
            netstack4j.wire.Checksum.completeTcp4(scratch, EthernetPacket.HEADER_LENGTH);
            a = scratch;
            off = 0;
        }
        try {
            writer.writePacket(clock.nowNs(), a, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException("pcap capture on " + inner.name() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "capture(" + inner + ")";
    }
}
