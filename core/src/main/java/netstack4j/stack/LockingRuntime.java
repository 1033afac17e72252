package netstack4j.stack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import netstack4j.time.Clock;
import netstack4j.time.TimerQueue;

/**
 * The runtime of a real stack: one lock stands for ownership of the stack (like a big kernel
 * lock). The event-loop thread holds it while it processes frames and timers; application
 * threads hold it for the length of a call, and release it while they wait on a condition.
 *
 * <p>Thread-safe.
 */
public final class LockingRuntime implements StackRuntime {
    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;

    public LockingRuntime(Clock clock) {
        this.clock = clock;
    }

    /** The lock the event loop must hold while it drives the stack. */
    public ReentrantLock lock() {
        return lock;
    }

    @Override
    public <T, X extends Throwable> T call(StackCall<T, X> op) throws X {
        lock.lock();
        try {
            return op.run();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <S, X extends Throwable> int callOnBytes(BytesCall<S, X> op, S self, byte[] b, int off, int len, int flags) throws X {
        lock.lock();
        try {
            return op.run(self, b, off, len, flags);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WaitQueue newWaitQueue() {
        Condition condition = lock.newCondition();
        return new WaitQueue() {
            @Override
            public void await(long deadlineNs) throws InterruptedException {
                if (!lock.isHeldByCurrentThread()) {
                    throw new IllegalStateException("await outside a stack call");
                }
                if (deadlineNs == TimerQueue.NEVER) {
                    condition.await();
                } else {
                    long remaining = deadlineNs - clock.nowNs();
                    if (remaining > 0) {
                        condition.await(remaining, TimeUnit.NANOSECONDS);
                    }
                }
            }

            @Override
            public void wakeAll() {
                condition.signalAll();
            }
        };
    }
}
