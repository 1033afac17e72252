package netstack4j.tcp;

import java.util.HashMap;
import java.util.Map;

/**
 * The client's Fast Open cache (RFC 7413 section 4.1.2), per destination address, as Linux keeps
 * it in its TCP metrics (tcp_fastopen_metrics: the MSS the server announced, its cookie, whether
 * to try the experimental option, SYN losses). {@code ip tcp_metrics flush} empties it.
 *
 * <p>Thread-compatible: owned by the stack's thread. Only looked up by key: nothing on the wire
 * depends on the map's order.
 */
final class FastOpenCookies {
    /** One destination's entry (Linux's struct tcp_fastopen_metrics). */
    static final class Entry {
        /** The server's MSS option, or 0. */
        int mss;
        /** The server's cookie, length -1 for none. */
        final FastOpenCookie cookie = new FastOpenCookie();
        /** 1: try the experimental option next, 2: back to option 34 (try_exp). */
        int tryExperimental;
        /** SYN-data that timed out in a row (syn_loss) and when the last did. */
        int synLoss;
        long lastSynLossNs;
    }

    private final Map<Integer, Entry> byDestination = new HashMap<>();

    /** The entry for {@code remoteIp}, or null. */
    Entry get(int remoteIp) {
        return byDestination.get(remoteIp);
    }

    /** The entry for {@code remoteIp}, created when missing. */
    Entry getOrCreate(int remoteIp) {
        return byDestination.computeIfAbsent(remoteIp, k -> new Entry());
    }

    void clear() {
        byDestination.clear();
    }

    int size() {
        return byDestination.size();
    }
}
