package netstack4j.stack;

/**
 * The engine side of a socket's readiness (what {@code epoll} watches, N10). The engine calls
 * {@link #signal()} whenever the socket's readiness may have changed (data arrived, buffer space
 * freed, connection established or reset, peer closed, error); each registered {@link Watcher}
 * (a Poller) then re-evaluates that socket. Signalling costs nothing when nobody watches, and a
 * poller's cost is thus proportional to the sockets that changed, not to those registered.
 *
 * <p>Thread-compatible: used only by the stack's owner.
 */
public final class Readiness {
    /** Told when a watched socket's readiness may have changed; runs inside the stack. */
    @FunctionalInterface
    public interface Watcher {
        void readinessChanged(Readiness source);
    }

    private static final Watcher[] NONE = new Watcher[0];
    private Watcher[] watchers = NONE;
    private final Object owner;

    /** @param owner the socket this readiness belongs to (returned by {@link #owner()}) */
    public Readiness(Object owner) {
        this.owner = owner;
    }

    public Object owner() {
        return owner;
    }

    public void addWatcher(Watcher w) {
        Watcher[] n = java.util.Arrays.copyOf(watchers, watchers.length + 1);
        n[watchers.length] = w;
        watchers = n;
    }

    public void removeWatcher(Watcher w) {
        for (int i = 0; i < watchers.length; i++) {
            if (watchers[i] == w) {
                Watcher[] n = new Watcher[watchers.length - 1];
                System.arraycopy(watchers, 0, n, 0, i);
                System.arraycopy(watchers, i + 1, n, i, watchers.length - i - 1);
                watchers = n;
                return;
            }
        }
    }

    public boolean hasWatchers() {
        return watchers.length > 0;
    }

    /** The socket's readiness may have changed. */
    public void signal() {
        Watcher[] w = watchers;
        for (int i = 0; i < w.length; i++) {
            w[i].readinessChanged(this);
        }
    }
}
