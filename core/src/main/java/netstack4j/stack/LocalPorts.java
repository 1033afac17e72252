package netstack4j.stack;

import java.util.function.IntPredicate;

/**
 * Picks a free local port for {@code bind(port 0)}, as Linux's {@code inet_csk_get_port} /
 * {@code udp_lib_get_port} do: start at a random point of {@code ip_local_port_range} and take the
 * first port not in use. (Connecting sockets choose by RFC 6056 instead; see
 * {@code netstack4j.tcp.EphemeralPorts}.)
 */
public final class LocalPorts {
    private LocalPorts() {
    }

    /** A port of the stack's range for which {@code inUse} is false, or -1 when all are taken. */
    public static int pickFree(NetStack stack, IntPredicate inUse) {
        int low = stack.config().ephemeralPortLow();
        int high = stack.config().ephemeralPortHigh();
        int range = high - low + 1;
        int start = stack.random().nextInt(range);
        for (int i = 0; i < range; i++) {
            int p = low + (start + i) % range;
            if (!inUse.test(p)) {
                return p;
            }
        }
        return -1;
    }
}
