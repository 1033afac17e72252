package netstack4j.sim;

/**
 * Something that happens at an instant of virtual time. An event object is reusable: schedule
 * it, let it fire (or cancel it), schedule it again; only one pending occurrence exists at a
 * time, so re-scheduling a pending event moves it. Components that fire often (link deliveries,
 * process wake-ups, stack polls) keep their own event objects instead of allocating one per
 * occurrence.
 *
 * <p>Thread-compatible: touched only by whoever currently runs the simulation.
 */
public abstract class SimEvent extends netstack4j.time.DeadlineHeap.Entry {

    /** Called by the simulator at {@link #atNs()}; the event is no longer pending then. */
    protected abstract void fire();

    /** The time the event fires (or last fired). */
    public final long atNs() {
        return deadlineNs();
    }
}
