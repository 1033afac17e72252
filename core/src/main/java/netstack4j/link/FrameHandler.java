package netstack4j.link;

import netstack4j.wire.PacketBuffer;

/** Receives the frames a {@link NetworkDevice} takes off the wire. */
@FunctionalInterface
public interface FrameHandler {
    /** Called on the stack's thread; the handler owns {@code frame} from then on. */
    void onFrame(NetworkDevice device, PacketBuffer frame);

    /**
     * Whether the handler now holds frames it was given (GRO waiting for more of a flow), so that
     * the device must call {@link #onBatchEnd} once it has delivered every frame that arrived
     * together, as a driver ends its NAPI poll ({@code napi_complete_done}, which flushes GRO).
     */
    default boolean holdsFrames() {
        return false;
    }

    /** The device has delivered the frames that arrived together: whatever is held goes up now. */
    default void onBatchEnd(NetworkDevice device) {
    }
}
