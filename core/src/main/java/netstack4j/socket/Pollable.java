package netstack4j.socket;

import netstack4j.stack.NetStack;
import netstack4j.stack.Readiness;

/**
 * A socket a {@link Poller} can watch.
 */
public interface Pollable {
    /** The stack the socket lives on. */
    NetStack stack();

    /** The engine-side readiness the poller registers with. */
    Readiness readiness();

    /** The socket's current readiness as {@link PollEvents} bits; called inside the stack. */
    int readyEvents();
}
