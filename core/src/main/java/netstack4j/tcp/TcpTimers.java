package netstack4j.tcp;

import netstack4j.time.Timer;
import netstack4j.time.TimerQueue;
import netstack4j.trace.TraceEvent;

/**
 * The timers of one connection, each a re-armable {@link Timer} on the stack's queue (no
 * allocation when armed): retransmission (also SYN and SYN-ACK), persist (zero-window probes),
 * delayed ACK, keepalive, and the "timewait" timer that serves TIME_WAIT (2 MSL) and the orphaned
 * FIN_WAIT_2 lifetime (tcp_fin_timeout). {@link #name()} is what {@code ss -o} prints.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class TcpTimers {
    private final TcpConnection c;
    private final TimerQueue queue;
    final Timer retransmit;
    final Timer persist;
    final Timer delack;
    final Timer keepalive;
    final Timer timewait;
    /** When the next paced transmission may leave (Linux's pacing_timer, or fq's watchdog). */
    final Timer pacing;

    TcpTimers(TcpConnection c, TimerQueue queue) {
        this.c = c;
        this.queue = queue;
        this.retransmit = new Timer("tcp-retransmit", () -> fired("on", c::onRetransmitTimer));
        this.persist = new Timer("tcp-persist", () -> fired("persist", c::onPersistTimer));
        this.delack = new Timer("tcp-delack", () -> fired("delack", c::onDelackTimer));
        this.keepalive = new Timer("tcp-keepalive", () -> fired("keepalive", c::onKeepaliveTimer));
        this.timewait = new Timer("tcp-timewait", () -> fired("timewait", c::onTimewaitTimer));
        this.pacing = new Timer("tcp-pacing", () -> c.afterEvent());
    }

    private void fired(String name, Runnable action) {
        c.trace(TraceEvent.Kind.TIMER, name + " fired");
        action.run();
        c.afterEvent();
    }

    private void arm(Timer t, String name, long deadlineNs) {
        queue.schedule(t, deadlineNs);
        if (c.tracing()) {
            c.trace(TraceEvent.Kind.TIMER, name + " set for " + (deadlineNs - c.nowNs()) / 1000 + "us");
        }
    }

    void armRetransmit(long deadlineNs) {
        arm(retransmit, "on", deadlineNs);
    }

    void cancelRetransmit() {
        queue.cancel(retransmit);
    }

    void armPersist(long deadlineNs) {
        arm(persist, "persist", deadlineNs);
    }

    void cancelPersist() {
        queue.cancel(persist);
    }

    void armDelack(long deadlineNs) {
        arm(delack, "delack", deadlineNs);
    }

    void cancelDelack() {
        queue.cancel(delack);
    }

    void armKeepalive(long deadlineNs) {
        arm(keepalive, "keepalive", deadlineNs);
    }

    void cancelKeepalive() {
        queue.cancel(keepalive);
    }

    void armTimewait(long deadlineNs) {
        arm(timewait, "timewait", deadlineNs);
    }

    void armPacing(long deadlineNs) {
        queue.schedule(pacing, deadlineNs);
    }

    void cancelAll() {
        queue.cancel(pacing);
        queue.cancel(retransmit);
        queue.cancel(persist);
        queue.cancel(delack);
        queue.cancel(keepalive);
        queue.cancel(timewait);
    }

    /** The timer {@code ss -o} shows (Linux's precedence: retransmit/probe, then keepalive/timewait), or null. */
    Timer shown() {
        if (retransmit.isArmed()) {
            return retransmit;
        }
        if (persist.isArmed()) {
            return persist;
        }
        if (timewait.isArmed()) {
            return timewait;
        }
        if (keepalive.isArmed()) {
            return keepalive;
        }
        return delack.isArmed() ? delack : null;
    }

    static String ssName(Timer t) {
        if (t == null) {
            return null;
        }
        return switch (t.name()) {
            case "tcp-retransmit" -> "on";
            case "tcp-persist" -> "persist";
            case "tcp-timewait" -> "timewait";
            case "tcp-keepalive" -> "keepalive";
            default -> "delack";
        };
    }
}
