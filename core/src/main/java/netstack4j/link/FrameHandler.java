package netstack4j.link;

import netstack4j.wire.PacketBuffer;

/** Receives the frames a {@link NetworkDevice} takes off the wire. */
@FunctionalInterface
public interface FrameHandler {
    /** Called on the stack's thread; the handler owns {@code frame} from then on. */
    void onFrame(NetworkDevice device, PacketBuffer frame);
}
