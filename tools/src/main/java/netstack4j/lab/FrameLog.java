package netstack4j.lab;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import netstack4j.link.NetworkDevice;
import netstack4j.link.Offloads;
import netstack4j.link.TapDevice;
import netstack4j.stack.NetStack;
import netstack4j.time.Clock;
import netstack4j.trace.PcapWriter;
import netstack4j.wire.PacketBuffer;

/**
 * Every frame the hosts of an experiment sent and received, kept in memory with its time, so an
 * experiment can count segments and the report can draw them; {@link #writePcap} saves them as
 * one capture. A {@linkplain #dropOutgoing drop rule} loses chosen frames as they leave a host
 * (recorded as sent, never received), which is how an experiment loses "segment 4" exactly.
 *
 * <p>Threading: used only on the simulator's thread, like the stacks it watches.
 */
public final class FrameLog {
    /** One frame as one host's interface saw it ({@code out}: transmitted, else received). */
    public record Frame(long timeNs, String host, String device, boolean out, byte[] bytes, boolean dropped) {
    }

    private final Clock clock;
    private final List<Frame> frames = new ArrayList<>();
    private final List<DropRule> rules = new ArrayList<>();
    private final java.util.Map<String, Offloads> features = new java.util.HashMap<>();

    private record DropRule(String host, Predicate<Segment> which) {
    }

    public FrameLog(Clock clock) {
        this.clock = clock;
    }

    /** Loses every frame leaving {@code host} whose decoded segment {@code which} accepts. */
    public void dropOutgoing(String host, Predicate<Segment> which) {
        rules.add(new DropRule(host, which));
    }

    public List<Frame> frames() {
        return java.util.Collections.unmodifiableList(frames);
    }

    /** How many frames are logged. */
    public int size() {
        return frames.size();
    }

    /** The decorator for one host's port: records, and applies the drop rules to what it sends. */
    public NetworkDevice decorate(NetStack host, NetworkDevice port) {
        return new Recording(host.name(), port);
    }

    /**
     * The offload features ({@code ethtool -K}) the stack of {@code host} sees on its logged port:
     * none until an experiment turns them on, so that every frame logged leaving a host is one
     * segment on the wire. With TSO on, the log (like tcpdump on the sending host) records the
     * super-segments the stack hands the card, and the simulated card cuts them to MSS.
     */
    public Offloads features(String host) {
        Offloads f = features.get(host);
        if (f == null) {
            throw new IllegalArgumentException("no logged port on host " + host);
        }
        return f;
    }

    /** All frames as one pcap (each frame once: as it was sent, or as it arrived when nobody here sent it). */
    public void writePcap(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
             PcapWriter w = new PcapWriter(out)) {
            for (Frame f : frames) {
                if (f.out()) {
                    w.writePacket(f.timeNs(), f.bytes(), 0, f.bytes().length);
                }
            }
        }
    }

    /** A copy of the frame as the wire carries it: a checksum the card completes, completed. */
    private static byte[] wireBytes(PacketBuffer frame) {
        byte[] bytes = frame.toByteArray();
        if (frame.checksumPartial() && bytes.length > 14) {
            netstack4j.wire.Checksum.completeTcp4(bytes, 14);
        }
        return bytes;
    }

    private boolean dropped(String host, byte[] bytes) {
        if (rules.isEmpty()) {
            return false;
        }
        Segment s = Segment.decode(clock.nowNs(), host, true, bytes);
        if (s == null) {
            return false;
        }
        for (DropRule r : rules) {
            if (r.host().equals(host) && r.which().test(s)) {
                return true;
            }
        }
        return false;
    }

    private final class Recording extends TapDevice {
        private final String host;

        Recording(String host, NetworkDevice inner) {
            super(inner);
            this.host = host;
            features.put(host, Offloads.none());
        }

        @Override
        public Offloads features() {
            return features.get(host);
        }

        @Override
        protected boolean onTransmit(PacketBuffer frame) {
            byte[] bytes = wireBytes(frame);
            boolean lost = dropped(host, bytes);
            frames.add(new Frame(clock.nowNs(), host, inner.name(), true, bytes, lost));
            return !lost; // lost on the wire: the host believes it sent the frame
        }

        @Override
        protected void onReceive(PacketBuffer frame) {
            frames.add(new Frame(clock.nowNs(), host, inner.name(), false, wireBytes(frame), false));
        }
    }
}
