package netstack4j.nio;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Pollable;
import netstack4j.socket.Poller;
import netstack4j.stack.NetStack;
import netstack4j.stack.Readiness;

/**
 * A {@link Selector} over one stack's {@link Poller} (epoll-shaped, level-triggered), with the
 * JDK's semantics: keys, selected keys (ready sets are added to while a key stays selected),
 * cancelled keys deregistered at the next selection, {@link #wakeup()} before or during a
 * selection, an interrupted selection returning at once (interrupt status kept).
 *
 * <p>As the JDK's epoll selector, a key whose interest set is empty is taken off the poller,
 * so an error or hang-up does not report it. Registration and {@code interestOps} changes take
 * effect at once, even while another thread is blocked in {@code select}. It accepts the
 * channels of {@link NetSelectorProvider} on the same stack only.
 *
 * <p>Thread-safe as {@link Selector} is: the key set may be read from any thread; the
 * selected-key set belongs to the selecting thread.
 */
final class NetSelector extends AbstractSelector {
    private final NetStack stack;
    private final Poller poller;
    private final WakeupSource wakeup;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new Ungrowable(selected);
    private final List<Poller.Ready> ready = new ArrayList<>();

    NetSelector(NetSelectorProvider provider, NetStack stack) throws IOException {
        super(provider);
        this.stack = stack;
        this.poller = stack.sockets().poller();
        this.wakeup = new WakeupSource(stack);
        try {
            poller.register(wakeup, PollEvents.IN, wakeup);
        } catch (ErrnoException e) {
            throw Errors.other(e);
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof NetChannel nc) || nc.stack() != stack) {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        NetSelectionKey k = new NetSelectionKey(this, ch, nc);
        keys.add(k);
        k.attach(att);
        k.interestOps(ops);
        return k;
    }

    /** Puts a key's interest on the poller (off it when empty). */
    void updateInterest(NetSelectionKey k, int ops) {
        int ev = k.netChannel().pollEvents(ops);
        Pollable p = k.netChannel().pollable();
        try {
            synchronized (k) {
                if (ev == 0) {
                    if (k.onPoller) {
                        k.onPoller = false;
                        poller.unregister(p);
                    }
                } else if (!k.onPoller) {
                    poller.register(p, ev, k);
                    k.onPoller = true;
                } else {
                    poller.modify(p, ev, k);
                }
            }
        } catch (ErrnoException e) {
            // EBADF/ENOENT: the socket is closed and left the poller; its key is cancelled with the channel.
        }
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return doSelect(Duration.ZERO);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return doSelect(timeout == 0 ? null : Duration.ofMillis(timeout));
    }

    @Override
    public int select() throws IOException {
        return doSelect(null);
    }

    private synchronized int doSelect(Duration timeout) throws IOException {
        ensureOpen();
        synchronized (publicSelected) {
            processCancelled();
            ready.clear();
            begin();
            try {
                poller.poll(ready, keys.size() + 1, timeout);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR && e.errno() != Errno.EBADF) {
                    throw Errors.other(e);
                }
            } finally {
                end();
            }
            processCancelled();
            int updated = 0;
            for (int i = 0; i < ready.size(); i++) {
                Poller.Ready r = ready.get(i);
                if (r.attachment() == wakeup) {
                    wakeup.clear();
                } else if (r.attachment() instanceof NetSelectionKey k && k.isValid()) {
                    updated += update(k, r.events());
                }
            }
            ready.clear();
            return updated;
        }
    }

    private int update(NetSelectionKey k, int events) {
        int ops = k.netChannel().readyOps(events, k.interestOpsInternal());
        if (ops == 0) {
            return 0;
        }
        if (selected.contains(k)) {
            int before = k.readyOps();
            k.setReadyOps(before | ops);
            return (ops & ~before) != 0 ? 1 : 0;
        }
        k.setReadyOps(ops);
        selected.add(k);
        return 1;
    }

    private void processCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (SelectionKey sk : cancelled) {
                NetSelectionKey k = (NetSelectionKey) sk;
                synchronized (k) {
                    if (k.onPoller) {
                        k.onPoller = false;
                        try {
                            poller.unregister(k.netChannel().pollable());
                        } catch (ErrnoException e) {
                            // already gone: its socket was closed
                        }
                    }
                }
                keys.remove(k);
                selected.remove(k);
                deregister(k);
            }
            cancelled.clear();
        }
    }

    @Override
    public Selector wakeup() {
        if (isOpen()) {
            wakeup.wake();
        }
        return this;
    }

    @Override
    protected void implCloseSelector() {
        wakeup();
        synchronized (this) {
            synchronized (publicSelected) {
                for (SelectionKey k : keys) {
                    k.cancel();
                }
                processCancelled();
                poller.close();
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    @Override
    public String toString() {
        return "NetSelector[" + stack.name() + ", " + keys.size() + " keys]";
    }

    /** What {@link #wakeup()} makes readable: the poller's share of a wake-up pipe. */
    private static final class WakeupSource implements Pollable {
        private final NetStack stack;
        private final Readiness readiness = new Readiness(this);
        private boolean woken;

        WakeupSource(NetStack stack) {
            this.stack = stack;
        }

        void wake() {
            stack.runtime().call(() -> {
                if (!woken) {
                    woken = true;
                    readiness.signal();
                }
                return null;
            });
        }

        void clear() {
            stack.runtime().call(() -> {
                woken = false;
                return null;
            });
        }

        @Override
        public NetStack stack() {
            return stack;
        }

        @Override
        public Readiness readiness() {
            return readiness;
        }

        @Override
        public int readyEvents() {
            return woken ? PollEvents.IN : 0;
        }

        @Override
        public String toString() {
            return "wakeup";
        }
    }

    /** The selected-key set as the JDK hands it out: elements may be removed, never added. */
    private static final class Ungrowable extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> set;

        Ungrowable(Set<SelectionKey> set) {
            this.set = set;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return set.iterator();
        }

        @Override
        public int size() {
            return set.size();
        }

        @Override
        public boolean contains(Object o) {
            return set.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return set.remove(o);
        }

        @Override
        public void clear() {
            set.clear();
        }

        @Override
        public boolean add(SelectionKey k) {
            throw new UnsupportedOperationException();
        }
    }
}
