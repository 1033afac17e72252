package netstack4j.time;

/**
 * A re-armable deadline owned by one protocol object (a socket's retransmission timer, the ARP
 * cache's sweep, a reassembly timeout). Created once, armed and cancelled many times through a
 * {@link TimerQueue}, so arming a timer allocates nothing.
 *
 * <p>Thread-compatible: touched only by the thread that owns its stack.
 */
public final class Timer extends DeadlineHeap.Entry {
    private final String name;
    private final Runnable action;

    public Timer(String name, Runnable action) {
        this.name = name;
        this.action = action;
    }

    public String name() {
        return name;
    }

    public boolean isArmed() {
        return isScheduled();
    }

    void fire() {
        action.run();
    }

    @Override
    public String toString() {
        return isArmed() ? name + "@" + deadlineNs() + "ns" : name + "(idle)";
    }
}
