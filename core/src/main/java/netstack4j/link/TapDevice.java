package netstack4j.link;

import java.util.Objects;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * A decorator that sees every frame a device transmits and receives, then passes it on, as a
 * packet tap ({@code dev_queue_xmit_nit}, {@code deliver_skb} to a packet socket) does in Linux:
 * {@link #onTransmit} runs before the inner device takes ownership of a frame, {@link #onReceive}
 * before the stack's handler does. Name, MTU, address and offload features are the inner
 * device's: a tap is not a device of its own. Received frames reach the handler with this tap as
 * the device, so the stack sees one device.
 *
 * <p>Threading: as {@link NetworkDevice}; the hooks run on the thread that owns the stack.
 */
public abstract class TapDevice implements NetworkDevice {
    protected final NetworkDevice inner;

    protected TapDevice(NetworkDevice inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    public NetworkDevice inner() {
        return inner;
    }

    /** A frame about to be handed to the inner device; false loses it here (the host believes it sent). */
    protected abstract boolean onTransmit(PacketBuffer frame);

    /** A frame the inner device received, before the stack sees it. */
    protected abstract void onReceive(PacketBuffer frame);

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

    @Override
    public Offloads features() {
        return inner.features();
    }

    @Override
    public boolean endsReceiveBatches() {
        return inner.endsReceiveBatches();
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        if (!onTransmit(frame)) {
            frame.release();
            return true;
        }
        return inner.transmit(frame);
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        if (handler == null) {
            inner.setFrameHandler(null);
            return;
        }
        TapDevice tap = this;
        inner.setFrameHandler(new FrameHandler() {
            @Override
            public void onFrame(NetworkDevice device, PacketBuffer frame) {
                onReceive(frame);
                handler.onFrame(tap, frame);
            }

            @Override
            public boolean holdsFrames() {
                return handler.holdsFrames();
            }

            @Override
            public void onBatchEnd(NetworkDevice device) {
                handler.onBatchEnd(tap);
            }
        });
    }
}
