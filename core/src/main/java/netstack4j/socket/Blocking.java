package netstack4j.socket;

import netstack4j.stack.WaitQueue;

/** How every blocking socket call waits: as C's calls, an interrupted wait fails with EINTR. */
final class Blocking {
    private Blocking() {
    }

    /** Waits on {@code q} until woken or {@code deadlineNs}; an interrupt becomes EINTR for {@code call}. */
    static void await(WaitQueue q, long deadlineNs, String call) throws ErrnoException {
        try {
            q.await(deadlineNs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, call);
        }
    }
}
