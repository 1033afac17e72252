package netstack4j.torture;

import netstack4j.sim.SimEvent;
import netstack4j.socket.SocketInfo;
import netstack4j.tcp.TcpState;

/**
 * Samples every open endpoint's socket twice a simulated second and keeps, per endpoint, when
 * acknowledged data last advanced and when a segment last came in: the history the
 * {@link Oracle} judges a timeout against. Flags right away what Linux would never do: a
 * connect pending past tcp_syn_retries, data unacknowledged past tcp_retries2 plus one maximal
 * RTO (a livelock, or a timer that never gives up), a silent connection that keepalive does not
 * end.
 *
 * <p>Progress is what resets Linux's retransmission clock (retrans_stamp) or persist count: bytes
 * acknowledged, the SYN acknowledged, nothing outstanding (a FIN acknowledged leaves nothing), a
 * zero window with the peer answering probes (RFC 1122 section 4.2.2.17: the sender waits as
 * long as the receiver answers), or the window opening again. A state change the application makes
 * (shutdown: FIN_WAIT_1, LAST_ACK) or the peer's FIN is not.
 *
 * <p>Threading: its event runs on the simulator thread.
 */
final class Monitor extends SimEvent {
    static final long PERIOD_NS = 500_000_000L;
    /** Slack for the sampling period and for where in an RTO the limit falls. */
    static final long SLACK_NS = 10 * RunState.S;
    /**
     * The longest Linux probes a zero window whose peer went silent: tcp_probe_timer aborts once
     * tcp_retries2 (15) probes are unanswered, and the backoff may already be at TCP_RTO_MAX
     * (probes answered with a zero window reset icsk_probes_out, not icsk_backoff): 16 intervals.
     */
    static final long PERSIST_LIMIT_NS = (RunState.LINUX.retries2() + 1L) * RunState.LINUX.maxRtoNs();
    /** tcp_orphan_retries' default 8, as a time from TCP_RTO_MIN (tcp_orphan_retries, tcp_model_timeout): 102.2 s. */
    static final long ORPHAN_LIMIT_NS = RunState.LINUX.retransmitLimitNs(8, RunState.LINUX.minRtoNs());

    private final RunState run;
    private boolean running = true;

    Monitor(RunState run) {
        this.run = run;
    }

    void start() {
        run.sim.schedule(this, run.sim.nowNs() + PERIOD_NS);
    }

    void stop() {
        running = false;
        run.sim.cancel(this);
    }

    @Override
    protected void fire() {
        if (!running) {
            return;
        }
        long now = run.sim.nowNs();
        for (Endpoint e : run.endpoints) {
            if (!e.settled()) {
                check(e, e.conn.info(), now);
            } else if (e.orphaned && !e.orphanEnded) {
                orphan(e, now);
            }
        }
        run.sim.schedule(this, now + PERIOD_NS);
    }

    /**
     * Follows a connection the application has closed (an orphan) to its end. If it ends with
     * data or its FIN unacknowledged (it gave up, or was reset), or straight from FIN_WAIT_2
     * (tcp_fin_timeout), the peer may legitimately never hear the rest: {@link Endpoint#orphanLostNs}
     * is then the last time it was seen alive. An orphan that retransmitted for longer than
     * Linux's tcp_orphan_retries allows (8: 102.2 s from TCP_RTO_MIN, tcp_write_timeout) before
     * giving up is a timing violation.
     */
    private void orphan(Endpoint e, long now) {
        SocketInfo i = e.conn.info();
        if (i.state() != TcpState.CLOSED) {
            sample(e, i, now);
            e.orphanAliveNs = now;
            return;
        }
        e.orphanEnded = true;
        boolean unacknowledged = !e.conn.allAcknowledged();
        if (unacknowledged || e.lastState == TcpState.FIN_WAIT_2) {
            e.orphanLostNs = Math.max(e.orphanAliveNs, e.closedNs);
        }
        long stalled = now - e.lastProgressNs;
        // Linux's tcp_write_timeout checks the orphan's budget (counted from the first
        // retransmission, retrans_stamp) when the retransmission timer fires, so an orphan ends at
        // the first expiry, at most TCP_RTO_MAX apart, after both that budget and the close.
        long deadline = Math.max(e.lastProgressNs + ORPHAN_LIMIT_NS, e.closedNs) + RunState.LINUX.maxRtoNs() + SLACK_NS;
        if (unacknowledged && e.outstanding && now > deadline) {
            run.violation(Violation.Kind.TIMING, e + ": closed by the application at " + RunState.seconds(e.closedNs)
                    + ", the orphan retransmitted without progress for " + RunState.seconds(stalled) + " before it gave up"
                    + " (Linux: tcp_orphan_retries 8, " + RunState.seconds(ORPHAN_LIMIT_NS) + " from TCP_RTO_MIN; last state "
                    + e.lastState + ")");
        }
    }

    /** Takes one sample of {@code e} (also called by the applications right before they record an error). */
    static void sample(Endpoint e, SocketInfo i, long now) {
        TcpState s = i.state();
        if (s == TcpState.CLOSED) {
            return; // the end of the connection is not progress
        }
        e.lastAliveNs = now;
        boolean out = i.sendQ() > 0 || s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED
                || s == TcpState.FIN_WAIT_1 || s == TcpState.CLOSING || s == TcpState.LAST_ACK;
        boolean heard = i.segsIn() != e.lastSegsIn;
        boolean handshakeDone = s != e.lastState && (e.lastState == TcpState.SYN_SENT || e.lastState == TcpState.SYN_RECEIVED);
        if (i.bytesAcked() != e.lastBytesAcked || handshakeDone || !out || heard && (i.sndWnd() == 0 || e.lastSndWnd == 0)) {
            e.lastProgressNs = now;
        }
        if (heard) {
            e.lastHeardNs = now;
        }
        if (i.sndWnd() == 0 && i.sendQ() > 0) {
            e.zeroWindowSeen = true;
        }
        e.lastBytesAcked = i.bytesAcked();
        e.lastSegsIn = i.segsIn();
        e.lastState = s;
        e.outstanding = out;
        e.lastSndWnd = i.sndWnd();
    }

    private void check(Endpoint e, SocketInfo i, long now) {
        if (i.state() == TcpState.CLOSED && e.diedByNs < 0 && e.conn.pendingError() != null) {
            e.diedAfterNs = Math.max(e.lastAliveNs, e.connectStartNs);
            e.diedByNs = now;
        }
        sample(e, i, now);
        if (e.stallReported || i.state() == TcpState.CLOSED) {
            return;
        }
        String why = null;
        if (i.state() == TcpState.SYN_SENT && e.connectStartNs >= 0
                && now - e.connectStartNs > RunState.SYN_LIMIT_NS + SLACK_NS) {
            why = "connect still pending after " + RunState.seconds(now - e.connectStartNs)
                    + " (Linux fails it with ETIMEDOUT at " + RunState.seconds(RunState.SYN_LIMIT_NS) + ", tcp_syn_retries 6)";
        } else if (e.outstanding && i.sndWnd() > 0
                && now - e.lastProgressNs > RunState.RETRANSMIT_LIMIT_NS + RunState.LINUX.maxRtoNs() + SLACK_NS) {
            why = "no acknowledged progress for " + RunState.seconds(now - e.lastProgressNs) + " and no timeout (Linux gives up after "
                    + RunState.seconds(RunState.RETRANSMIT_LIMIT_NS) + " of retransmissions, tcp_retries2 15)";
        } else if (e.outstanding && i.sndWnd() == 0 && now - e.lastProgressNs > PERSIST_LIMIT_NS + SLACK_NS) {
            why = "zero window and no answer to probes for " + RunState.seconds(now - e.lastProgressNs) + " and no timeout (Linux"
                    + " gives up after tcp_retries2 15 unanswered probes, at most " + RunState.seconds(PERSIST_LIMIT_NS) + ")";
        } else if (!e.outstanding && i.state() == TcpState.ESTABLISHED && run.plan.keepalive().on()
                && now - e.lastHeardNs > 2 * run.plan.keepalive().limitNs() + SLACK_NS) {
            Plan.Keepalive k = run.plan.keepalive();
            why = "silent for " + RunState.seconds(now - e.lastHeardNs) + " with keepalive " + k.idleSeconds() + "s/"
                    + k.intervalSeconds() + "s x" + k.count() + " and still open";
        }
        if (why != null) {
            e.stallReported = true;
            run.violation(Violation.Kind.STALL, e + ": " + why + "; socket " + brief(i));
            run.stopped = true;
        }
    }

    /** The socket fields that tell a stall apart. */
    static String brief(SocketInfo i) {
        return i.state() + " sendQ " + i.sendQ() + " recvQ " + i.recvQ() + " snd_wnd " + i.sndWnd() + " rcv_wnd " + i.rcvWnd()
                + " timer " + i.timer() + "(" + RunState.seconds(i.timerExpiresNs()) + "," + i.timerCount() + ")"
                + " backoff " + i.retransmits() + " probes " + i.probes() + " rto " + i.rtoNs() / 1_000_000 + "ms"
                + " cwnd " + i.cwnd() + " acked " + i.bytesAcked() + " received " + i.bytesReceived()
                + " retrans " + i.totalRetrans();
    }
}
