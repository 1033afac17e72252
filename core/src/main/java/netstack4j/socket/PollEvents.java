package netstack4j.socket;

/**
 * Readiness bits, with Linux's {@code EPOLL*} / {@code POLL*} values so that the packetdrill
 * runner and C-minded readers see the numbers they know.
 */
public final class PollEvents {
    private PollEvents() {
    }

    /** Data (or a connection, or end of stream) can be read without blocking. */
    public static final int IN = 0x001;
    /** Urgent data. */
    public static final int PRI = 0x002;
    /** Writing will not block. */
    public static final int OUT = 0x004;
    /** An error is pending (always reported). */
    public static final int ERR = 0x008;
    /** Hang-up: both directions are shut (always reported). */
    public static final int HUP = 0x010;
    /** The socket is not open. */
    public static final int NVAL = 0x020;
    /** Normal data can be read (as {@link #IN}). */
    public static final int RDNORM = 0x040;
    /** Priority band data can be read (never set: no urgent data). */
    public static final int RDBAND = 0x080;
    /** Normal data can be written (as {@link #OUT}). */
    public static final int WRNORM = 0x100;
    /** Priority band data can be written (never set). */
    public static final int WRBAND = 0x200;
    /** The peer shut down writing (sent FIN). */
    public static final int RDHUP = 0x2000;
    /** Edge-triggered registration (epoll). */
    public static final int ET = 1 << 31;
    /** Report once, then disable until modified (epoll). */
    public static final int ONESHOT = 1 << 30;

    /** {@code POLLIN|POLLOUT} style text. */
    public static String toString(int events) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"IN", "PRI", "OUT", "ERR", "HUP", "NVAL", "RDNORM", "RDBAND", "WRNORM", "WRBAND"};
        for (int i = 0; i < names.length; i++) {
            if ((events & (1 << i)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append("POLL").append(names[i]);
            }
        }
        if ((events & RDHUP) != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("POLLRDHUP");
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }
}
