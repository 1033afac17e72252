package netstack4j.sim;

import java.util.ArrayList;
import java.util.List;
import netstack4j.stack.StackRuntime;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * The {@link StackRuntime} of a simulation. A call runs directly: the caller already owns every
 * stack of the simulation, being either the simulator thread or the one process running now.
 * A wait hands control back to the simulator and parks the process until a wake-up event.
 *
 * <p>Threading: see {@link Simulator}; calls from any other thread throw
 * {@link IllegalStateException}.
 */
final class SimRuntime implements StackRuntime {
    private final Simulator sim;

    SimRuntime(Simulator sim) {
        this.sim = sim;
    }

    @Override
    public <T, X extends Throwable> T call(StackCall<T, X> op) throws X {
        checkOwner();
        return op.run();
    }

    @Override
    public <S, X extends Throwable> int callOnBytes(BytesCall<S, X> op, S self, byte[] b, int off, int len, int flags) throws X {
        checkOwner();
        return op.run(self, b, off, len, flags);
    }

    private void checkOwner() {
        if (!sim.isOwnerThread()) {
            throw new IllegalStateException("stack call from " + Thread.currentThread()
                    + ", which is neither the simulator thread nor the running simulated process");
        }
    }

    @Override
    public WaitQueue newWaitQueue() {
        return new SimWaitQueue();
    }

    /** Waiters in arrival order; each is woken by a resume event at the current time. */
    final class SimWaitQueue implements WaitQueue {
        private final List<SimProcess> waiters = new ArrayList<>(2);

        /**
         * Parks the calling process until {@link #wakeAll()} or {@code deadlineNs}; returns at
         * once when the deadline has passed.
         *
         * @throws IllegalStateException when not called from the running simulated process
         */
        @Override
        public void await(long deadlineNs) throws InterruptedException {
            SimProcess p = sim.currentProcess();
            if (p == null) {
                throw new IllegalStateException("await outside a simulated process");
            }
            p.checkRunning();
            if (deadlineNs != TimerQueue.NEVER && deadlineNs - sim.nowNs() <= 0) {
                return;
            }
            waiters.add(p);
            p.setWaitingOn(this);
            if (deadlineNs != TimerQueue.NEVER) {
                sim.schedule(p.resumeEvent(), deadlineNs);
            }
            try {
                p.park();
            } finally {
                if (p.waitingOn() == this) {
                    waiters.remove(p);
                    p.setWaitingOn(null);
                }
            }
        }

        /** Makes every waiter runnable now, in the order they started waiting. */
        @Override
        public void wakeAll() {
            int n = waiters.size();
            if (n == 0) {
                return;
            }
            long now = sim.nowNs();
            for (int i = 0; i < n; i++) {
                SimProcess w = waiters.get(i);
                w.setWaitingOn(null);
                sim.schedule(w.resumeEvent(), now);
            }
            waiters.clear();
        }

        int size() {
            return waiters.size();
        }
    }
}
