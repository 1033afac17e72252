package netstack4j.link;

import java.util.ArrayDeque;
import netstack4j.time.Clock;
import netstack4j.time.Timer;
import netstack4j.time.TimerQueue;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * The loopback interface {@code lo}: what is transmitted comes back as received, on the stack's
 * own thread, after the current call has returned (a timer due at once), as Linux's loopback
 * defers to the receive softirq. MTU 65536, as on Linux.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class LoopbackDevice implements NetworkDevice {
    public static final int MTU = 65536;

    private final ArrayDeque<PacketBuffer> queue = new ArrayDeque<>();
    private final TimerQueue timers;
    private final Clock clock;
    private final Timer deliver = new Timer("lo rx", this::deliver);
    private FrameHandler handler;
    /** lo's checksum offload: TCP's partial checksums cross it and are trusted, as on Linux. */
    private final Offloads offloads = Offloads.linuxLoopback();

    public LoopbackDevice(TimerQueue timers, Clock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "lo";
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public MacAddress macAddress() {
        return MacAddress.ZERO;
    }

    @Override
    public Offloads features() {
        return offloads;
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        queue.addLast(frame);
        if (!deliver.isArmed()) {
            timers.schedule(deliver, clock.nowNs());
        }
        return true;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }

    private void deliver() {
        int n = queue.size();
        for (int i = 0; i < n && !queue.isEmpty(); i++) {
            PacketBuffer f = queue.removeFirst();
            if (handler != null) {
                handler.onFrame(this, f);
            }
        }
        if (!queue.isEmpty()) {
            timers.schedule(deliver, clock.nowNs());
        }
    }
}
