package netstack4j.socket;

import java.net.SocketOption;
import netstack4j.ip.PmtuMode;

/**
 * Socket options that {@link java.net.StandardSocketOptions} has no name for. Standard ones
 * (SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR, SO_BROADCAST, IP_TOS) are used under their JDK names.
 */
public final class NetSocketOptions {
    private NetSocketOptions() {
    }

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }

    /** IP_TTL: the TTL of unicast datagrams this socket sends (1..255). */
    public static final SocketOption<Integer> IP_TTL = new Option<>("IP_TTL", Integer.class);
    /** IP_MTU_DISCOVER: path MTU discovery mode. */
    public static final SocketOption<PmtuMode> IP_MTU_DISCOVER = new Option<>("IP_MTU_DISCOVER", PmtuMode.class);
}
