package netstack4j.torture;

import java.util.Locale;

/** What the applications of a scenario do. */
public enum Workload {
    /** One connection, bulk data one way (tens to hundreds of KB). */
    BULK("bulk", 2),
    /** One to three connections, bulk data both ways at once (a reader and a writer per socket). */
    BULK_BOTH("bulk-both", 2),
    /** One to four connections, each many small request/response exchanges. */
    RPC("rpc", 3),
    /** 50 to 80 concurrent connections between several clients and servers through a switch and a router. */
    MANY("many", 2),
    /** Sequential short connections: half-close, SO_LINGER 0 on either side, connects to a closed port. */
    CHURN("churn", 5),
    /** One connection into a small receive buffer read slowly, so the window reaches zero. */
    SLOW_READER("slow-reader", 20);

    private final String label;
    private final int activeSeconds;

    Workload(String label, int activeSeconds) {
        this.label = label;
        this.activeSeconds = activeSeconds;
    }

    /** The name used on the command line and in reports. */
    public String label() {
        return label;
    }

    /** About how long the workload runs on a clean network: faults are timed within this window. */
    long activeNs() {
        return activeSeconds * 1_000_000_000L;
    }

    /** The workload called {@code label} (case-insensitive), or null. */
    public static Workload byLabel(String label) {
        for (Workload w : values()) {
            if (w.label.equals(label.toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        return null;
    }
}
