package netstack4j.tcp;

import java.util.List;

/**
 * The congestion control algorithms by name, as Linux's tcp_cong_list: what
 * net.ipv4.tcp_congestion_control chooses for new sockets and TCP_CONGESTION for one socket.
 */
public final class CongestionControls {
    /** net.ipv4.tcp_available_congestion_control. */
    public static final List<String> AVAILABLE = List.of("reno", "cubic");

    private CongestionControls() {
    }

    /** A new instance of {@code name}, or null when there is no such algorithm (Linux: ENOENT). */
    public static CongestionControl create(String name, int smssBytes, int initialWindowSegments) {
        return switch (name) {
            case "reno" -> new NewReno(smssBytes, initialWindowSegments);
            case "cubic" -> new Cubic(smssBytes, initialWindowSegments);
            default -> null;
        };
    }
}
