package netstack4j.link;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * One end of an in-memory Ethernet cable between two real stacks: what one end transmits the
 * other receives, handed to the receiving stack's event loop (see
 * {@link netstack4j.stack.EventLoop#execute}). For tests and demos of real, threaded stacks.
 *
 * <p>Thread-safe.
 */
public final class PipeDevice implements NetworkDevice {
    private static final AtomicLong NEXT_MAC = new AtomicLong(0x10_0000);

    private final String name;
    private final MacAddress mac = MacAddress.local(NEXT_MAC.incrementAndGet());
    private final int mtu;
    private final Consumer<Runnable> executor;
    private volatile PipeDevice peer;
    private volatile FrameHandler handler;

    private PipeDevice(String name, int mtu, Consumer<Runnable> executor) {
        this.name = name;
        this.mtu = mtu;
        this.executor = executor;
    }

    /**
     * A connected pair. Frames for {@code a} are run on {@code executorA} (its stack's event loop),
     * frames for {@code b} on {@code executorB}.
     */
    public static PipeDevice[] pair(String nameA, Consumer<Runnable> executorA, String nameB, Consumer<Runnable> executorB, int mtu) {
        PipeDevice a = new PipeDevice(nameA, mtu, executorA);
        PipeDevice b = new PipeDevice(nameB, mtu, executorB);
        a.peer = b;
        b.peer = a;
        return new PipeDevice[] {a, b};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public boolean transmit(PacketBuffer frame) {
        PipeDevice p = peer;
        if (frame.length() > mtu + 14) {
            frame.release();
            return false;
        }
        // The peer runs on another thread with its own buffer pool: it gets a copy, and this
        // stack's buffer goes back to this stack's pool now.
        PacketBuffer copy = frame.copy();
        frame.release();
        p.executor.accept(() -> {
            FrameHandler h = p.handler;
            if (h != null) {
                h.onFrame(p, copy);
            }
        });
        return true;
    }

    @Override
    public void setFrameHandler(FrameHandler handler) {
        this.handler = handler;
    }
}
