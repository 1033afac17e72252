package netstack4j.nio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/** A registration of one of this package's channels with a {@link NetSelector}. Thread-safe. */
final class NetSelectionKey extends AbstractSelectionKey {
    private final NetSelector selector;
    private final SelectableChannel channel;
    private final NetChannel netChannel;
    private volatile int interestOps;
    private volatile int readyOps;
    /** Registered with the selector's poller now (guarded by this key). */
    boolean onPoller;

    NetSelectionKey(NetSelector selector, SelectableChannel channel, NetChannel netChannel) {
        this.selector = selector;
        this.channel = channel;
        this.netChannel = netChannel;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    NetChannel netChannel() {
        return netChannel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    int interestOpsInternal() {
        return interestOps;
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops: " + ops);
        }
        synchronized (this) {
            interestOps = ops;
            selector.updateInterest(this, ops);
        }
        return this;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    void setReadyOps(int ops) {
        readyOps = ops;
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public String toString() {
        return "NetSelectionKey[" + channel + (isValid() ? " interest " + interestOps + " ready " + readyOps : " cancelled") + "]";
    }
}
