package netstack4j.sim;

import netstack4j.link.FrameHandler;
import netstack4j.link.Gso;
import netstack4j.link.NetworkDevice;
import netstack4j.link.Offloads;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * One end of a {@link SimLink}: a simulated network card. Its MTU is the MTU of the link
 * direction it transmits on; its MAC address is assigned deterministically by the simulator.
 *
 * <p>Threading: like every simulation object, touched only by the simulation's current owner;
 * received frames reach the {@link FrameHandler} on the simulator thread.
 */
public final class SimPort implements NetworkDevice {
    private final SimLink link;
    private final SimLink.Direction txDirection;
    private final String name;
    private final MacAddress mac;
    private FrameHandler handler;
    private long unhandled;
    /** Settable offload features; a veth's by default (TSO, GSO and GRO on). */
    private final Offloads offloads = Offloads.linuxVeth();
    /** Where the card's TSO builds each segment; allocated on the first super-segment. */
    private byte[] tsoScratch;
    private boolean tsoAccepted;
    /** Where the card's cut segments go (one instance: nothing allocated per super-segment). */
    private final Gso.SegmentSink segmentSink = this::transmitSegment;

    SimPort(SimLink link, SimLink.Direction txDirection, String name, MacAddress mac) {
        this.link = link;
        this.txDirection = txDirection;
        this.name = name;
        this.mac = mac;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return link.params(txDirection).mtu();
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    /** Puts {@code frame} on the link; false when dropped at once (MTU, link down, queue full). */
    @Override
    public boolean transmit(PacketBuffer frame) {
        if (frame.gsoSize() == 0) {
            if (frame.checksumPartial() && link.mayDamage(txDirection)) {
                // A card puts the checksum it computes in hardware on the wire, where faults may
                // damage the frame; on a link that damages nothing the frame crosses as a veth
                // carries it, still partial, and the peer trusts it (no checksum computed at all).
                netstack4j.wire.Checksum.completeTcp4(frame.array(), frame.offset() + 14);
                frame.setChecksumPartial(false);
            }
            return link.transmit(txDirection, frame);
        }
        // TSO: the card cuts the super-segment into segments of gso size, each with its own IP
        // id, length and checksums, and sends them back to back (as Gso does in software).
        if (tsoScratch == null) {
            tsoScratch = new byte[14 + Offloads.GSO_MAX_SIZE];
        }
        tsoAccepted = true;
        int n = Gso.segmentTcp4(frame.array(), frame.offset(), frame.length(), 14, frame.gsoSize(), tsoScratch,
                segmentSink);
        frame.release();
        return n > 0 && tsoAccepted;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }

    /** One segment the card cut: into a pooled buffer of its own, then onto the link. */
    private void transmitSegment(byte[] b, int off, int len) {
        PacketBuffer s = link.sim().bufferPool().copyOf(b, off, len);
        if (s == null) {
            tsoAccepted = false; // no buffer: the segment is lost as a full ring loses it
            return;
        }
        tsoAccepted &= link.transmit(txDirection, s);
    }

    /** A port ends each receive batch at the end of the instant its frames arrived in. */
    @Override
    public boolean endsReceiveBatches() {
        return true;
    }

    @Override
    public Offloads features() {
        return offloads;
    }

    public SimLink link() {
        return link;
    }

    /** The direction this port transmits on. */
    public SimLink.Direction txDirection() {
        return txDirection;
    }

    /** The port at the other end of the link. */
    public SimPort peer() {
        return link.other(this);
    }

    /** Counters of frames this port sent. */
    public LinkStats txStats() {
        return link.stats(txDirection);
    }

    /** Counters of frames sent towards this port. */
    public LinkStats rxStats() {
        return link.stats(txDirection.reverse());
    }

    /** Frames that arrived while no handler was set. */
    public long unhandledFrames() {
        return unhandled;
    }

    /**
     * A frame off the wire, handed up at once. When the handler holds it (GRO), the end of this
     * port's receive batch is scheduled for the current instant, after every frame already due
     * now: the frames that arrive together (a burst a TSO card sent on a link without bandwidth
     * limit) make one NAPI poll, whose end flushes GRO (napi_complete_done).
     */
    void receive(PacketBuffer frame) {
        FrameHandler h = handler;
        if (h == null) {
            unhandled++;
            return;
        }
        h.onFrame(this, frame);
        if (!batchEndPending && h.holdsFrames()) {
            batchEndPending = true;
            link.sim().schedule(batchEnd, link.sim().nowNs());
        }
    }

    /** The end of a receive batch (one instance, rescheduled: nothing allocated per batch). */
    private final SimEvent batchEnd = new SimEvent() {
        @Override
        protected void fire() {
            batchEndPending = false;
            FrameHandler h = handler;
            if (h != null) {
                h.onBatchEnd(SimPort.this);
            }
        }
    };
    private boolean batchEndPending;

    @Override
    public String toString() {
        return name + " " + mac + " (" + link.name() + ")";
    }
}
