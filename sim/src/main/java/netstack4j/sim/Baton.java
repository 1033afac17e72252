package netstack4j.sim;

import java.util.concurrent.locks.LockSupport;

/**
 * The token passed between the simulator's loop and one process: a binary semaphore for exactly
 * one giver and one taker at a time, built on {@link LockSupport} so that passing it allocates
 * nothing (a {@link java.util.concurrent.Semaphore} allocates a queue node whenever its taker
 * has to wait, which here is every time).
 *
 * <p>Thread-safe for one giver and one taker.
 */
final class Baton {
    private volatile boolean given;
    private volatile Thread taker;

    /** Hands the baton over, waking the taker if it waits. */
    void give() {
        given = true;
        Thread t = taker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits until the baton is given, then takes it. Spurious wake-ups are absorbed. */
    void take() {
        taker = Thread.currentThread();
        while (!given) {
            LockSupport.park(this);
        }
        given = false;
        taker = null;
    }

    /** As {@link #take()}, but gives up after {@code timeoutNs}; returns whether it was taken. */
    boolean take(long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        taker = Thread.currentThread();
        try {
            while (!given) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            given = false;
            return true;
        } finally {
            taker = null;
        }
    }
}
