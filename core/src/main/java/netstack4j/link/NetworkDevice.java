package netstack4j.link;

import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * A network interface card as the stack sees it: it sends and receives whole Ethernet frames.
 * Implementations: a simulated switch or link port, a Linux TUN/TAP device, loopback.
 * Decorators ({@link CaptureDevice}, fault injection) wrap any device.
 *
 * <p>Threading: {@link #transmit} is called by the thread that owns the stack the device is
 * attached to; the device delivers received frames to its {@link FrameHandler} on that same
 * thread.
 */
public interface NetworkDevice {
    /** Interface name as {@code ip link} shows it, e.g. {@code eth0}. */
    String name();

    /** Largest IP packet the link carries, excluding the Ethernet header (1500 on Ethernet). */
    int mtu();

    MacAddress macAddress();

    /**
     * Sends one Ethernet frame (header included, no FCS). The device owns {@code frame} from
     * now on; the caller must not touch it again. Returns false when the device dropped it
     * (link down, queue full).
     */
    boolean transmit(PacketBuffer frame);

    /** Sets where received frames go. A device without a handler drops what it receives. */
    void setFrameHandler(FrameHandler handler);

    /**
     * Whether the device tells its handler where a batch of received frames ends
     * ({@link FrameHandler#onBatchEnd}, as a driver's NAPI poll does); GRO holds frames only on
     * such a device, since nothing else would send them up.
     */
    default boolean endsReceiveBatches() {
        return false;
    }

    /**
     * The device's offload features ({@code ethtool -k}). A device that keeps settable features
     * returns the same object every time; this default has none, and setting it changes nothing.
     */
    default Offloads features() {
        return Offloads.none();
    }
}
