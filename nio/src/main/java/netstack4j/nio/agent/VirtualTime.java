package netstack4j.nio.agent;

import netstack4j.nio.NetScope;
import netstack4j.stack.NetStack;
import netstack4j.stack.WaitQueue;

/**
 * What {@link VirtualTimeAgent} puts in place of application code's clock reads and sleeps:
 * inside a {@link NetScope}, the clock of the scope's host (virtual time on a simulated network,
 * which a {@code RealTimePacer} may run faster than the wall clock) and sleeps that end in that
 * time; outside a scope, the JDK's own {@code System.nanoTime}, {@code System.currentTimeMillis}
 * and {@code Thread.sleep}.
 *
 * <p>Thread-safe.
 */
public final class VirtualTime {
    /** What {@link #currentTimeMillis()} reports at virtual time 0: 2026-01-01T00:00:00Z. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private VirtualTime() {
    }

    /** {@code System.nanoTime()}. */
    public static long nanoTime() {
        NetStack host = NetScope.current();
        if (host == null) {
            return System.nanoTime();
        }
        return host.runtime().call(host::nowNs);
    }

    /** {@code System.currentTimeMillis()}. */
    public static long currentTimeMillis() {
        NetStack host = NetScope.current();
        if (host == null) {
            return System.currentTimeMillis();
        }
        return EPOCH_MILLIS + host.runtime().call(host::nowNs) / 1_000_000L;
    }

    /** {@code Thread.sleep(millis)}. */
    public static void sleep(long millis) throws InterruptedException {
        NetStack host = NetScope.current();
        if (host == null) {
            Thread.sleep(millis);
            return;
        }
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        host.runtime().call(() -> {
            WaitQueue q = host.runtime().newWaitQueue();
            long deadline = host.nowNs() + millis * 1_000_000L;
            while (host.nowNs() - deadline < 0) {
                q.await(deadline);
            }
            return null;
        });
    }
}
