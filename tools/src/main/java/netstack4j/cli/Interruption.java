package netstack4j.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, or SIGTERM) during a long command: a JVM shutdown hook asks the command to stop
 * and waits until it has printed what it has so far, instead of the JVM dying silently. The
 * command polls {@link #requested()} (the simulation checks it between events), prints its
 * summary, then calls {@link #close()}, which releases the hook (the JVM then exits, with status
 * 130 after SIGINT) or, when no signal came, removes it.
 *
 * <p>Thread-safe: the hook runs on a JVM thread, the command on its own.
 */
final class Interruption implements AutoCloseable {
    /** How long the hook waits for the summary before letting the JVM exit anyway. */
    static final long WAIT_SECONDS = 10;

    private final CountDownLatch summarised = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private Interruption(boolean installHook) {
        hook = installHook ? new Thread(this::awaitSummary, "netstack4j-interrupt") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Watches for Ctrl-C until closed. */
    static Interruption onSignal() {
        return new Interruption(true);
    }

    /** One that only {@link #request()} sets (for tests and embedded use). */
    static Interruption manual() {
        return new Interruption(false);
    }

    /** True once a stop was asked for. */
    boolean requested() {
        return requested;
    }

    /** Asks the command to stop, as the signal does. */
    void request() {
        requested = true;
    }

    private void awaitSummary() {
        request();
        try {
            summarised.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The summary is out (or the command ended): the hook may let the JVM exit; removes it otherwise. */
    @Override
    public void close() {
        summarised.countDown();
        if (hook != null && !requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting for another reason: the hook finds the latch released.
            }
        }
    }
}
