package netstack4j.socket;

import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;

/**
 * What SO_RCVBUF / SO_SNDBUF store for a requested value (N1: the value read back differs from
 * the value set).
 */
final class BufferSizes {
    /** Linux SOCK_MIN_RCVBUF and SOCK_MIN_SNDBUF (include/net/sock.h). */
    static final int LINUX_MIN_RCVBUF = 2304;
    static final int LINUX_MIN_SNDBUF = 4608;

    private BufferSizes() {
    }

    /**
     * Linux sock_setsockopt: the value is capped at net.core.rmem_max, then doubled "to allow
     * for bookkeeping overhead", and raised to SOCK_MIN_RCVBUF. Windows keeps the value as set.
     */
    static int receive(StackConfig config, int requested) {
        if (config.personality() == Personality.WINDOWS) {
            return Math.max(requested, 0);
        }
        int v = Math.min(Math.max(requested, 0), config.rmemMax());
        return Math.max(v * 2, LINUX_MIN_RCVBUF);
    }

    /** As {@link #receive} with net.core.wmem_max and SOCK_MIN_SNDBUF. */
    static int send(StackConfig config, int requested) {
        if (config.personality() == Personality.WINDOWS) {
            return Math.max(requested, 0);
        }
        int v = Math.min(Math.max(requested, 0), config.wmemMax());
        return Math.max(v * 2, LINUX_MIN_SNDBUF);
    }

    /** Windows' MSS on Ethernet, the unit of its TCP buffer rounding (N1). */
    static final int WINDOWS_ROUNDING_MSS = 1460;

    /**
     * TCP SO_RCVBUF / SO_SNDBUF read back (N1): Linux doubles (as {@link #receive}/{@link #send});
     * Windows adds the value rounded up to whole MSS-sized segments, so 8000 reads back as
     * 8000 + 1460 × 6 = 16760, capped near 1 GiB.
     */
    static int tcp(StackConfig config, int requested, boolean receive) {
        if (config.personality() == Personality.WINDOWS) {
            long v = Math.max(requested, 0);
            long rounded = v + Math.ceilDiv(v, WINDOWS_ROUNDING_MSS) * WINDOWS_ROUNDING_MSS;
            return (int) Math.min(rounded, 1L << 30);
        }
        return receive ? receive(config, requested) : send(config, requested);
    }
}
