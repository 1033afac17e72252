package netstack4j.torture;

import netstack4j.socket.Errno;

/**
 * Judges what each endpoint's application saw against what Linux would have given it, after the
 * run: every error needs an explanation that the network or the peer provides, at the time Linux
 * would give it.
 *
 * <ul>
 *   <li>ETIMEDOUT from connect: 127 s after it started (tcp_syn_retries 6 from a 1 s RTO), and
 *       only if seven SYN exchanges could all fail (a partition, or enough loss).</li>
 *   <li>ETIMEDOUT later: after tcp_retries2's 924.6 s without acknowledged progress while data
 *       was outstanding (tcp_write_timeout), or after the keepalive idle time plus its probes
 *       with nothing outstanding (tcp_keepalive_timer), or after 15 unanswered zero-window probes
 *       (tcp_probe_timer). A retransmission timeout with the cable up must be plausible for the
 *       path's loss (a dozen exchanges lost in a row), else the connection livelocked.</li>
 *   <li>EHOSTUNREACH: only with an ICMP destination unreachable or a neighbour failure on the host;
 *       later than connect, as ETIMEDOUT (Linux reports a soft error when it times out).</li>
 *   <li>ECONNREFUSED: only from connect to the port nobody listens on.</li>
 *   <li>ECONNRESET: only after the peer reset or failed (tcp_reset); not from connect (a reset in
 *       SYN-SENT is ECONNREFUSED) and not after the peer's FIN (CLOSE-WAIT: EPIPE).</li>
 *   <li>EPIPE, ENOTCONN from shutdown: after an error this socket reported already, or a peer
 *       failure.</li>
 *   <li>EAGAIN from a read (SO_RCVTIMEO, with keepalive off): only when the peer is gone.</li>
 *   <li>An end of stream before all the bytes: only after an error on this socket, or from a peer
 *       that failed and then closed; never from a peer that reset.</li>
 * </ul>
 */
final class Oracle {
    /** Sampling period plus where the timer falls in it. */
    static final long TOLERANCE_NS = Monitor.PERIOD_NS + 3 * RunState.S;
    /** Fifteen zero-window probes backing off from TCP_RTO_MIN, capped at TCP_RTO_MAX: 804.6 s. */
    static final long PERSIST_LIMIT_NS = RunState.LINUX.retransmitLimitNs(RunState.LINUX.retries2() - 1, RunState.LINUX.minRtoNs());
    /** Below this chance, a run of lost exchanges is not believed: the stack stalled. */
    static final double IMPLAUSIBLE = 1e-9;

    private final RunState run;

    private Oracle(RunState run) {
        this.run = run;
    }

    static void judge(RunState run) {
        Oracle o = new Oracle(run);
        for (Endpoint e : run.endpoints) {
            o.judge(e);
        }
    }

    private void judge(Endpoint e) {
        if (e.integrity != null) {
            run.violation(Violation.Kind.INTEGRITY, e + ": " + e.integrity + " at " + RunState.seconds(e.integrityNs));
        }
        if (e.connectedToClosedPort) {
            run.violation(Violation.Kind.ERRNO, e + ": connect to a port nobody listens on succeeded (Linux: ECONNREFUSED)");
        }
        if (e.earlyEof != null && !errorAtOrBefore(e, e.eofNs, e.failures.size())
                && !(e.peer != null && e.peer.abnormalNs() < e.eofNs && e.peer.finNs >= 0)) {
            run.violation(Violation.Kind.INTEGRITY, e + ": " + e.earlyEof + " at " + RunState.seconds(e.eofNs)
                    + ", with no error on this socket and a peer that " + peerState(e));
        }
        if (e.eofNs >= 0 && e.peer != null && e.peer.abortedNs >= 0 && e.peer.finNs < 0
                && !errorAtOrBefore(e, e.eofNs, e.failures.size())) {
            run.violation(Violation.Kind.ERRNO, e + ": end of stream at " + RunState.seconds(e.eofNs)
                    + ", but the peer closed with SO_LINGER 0 (Linux sends a RST: ECONNRESET)");
        }
        for (int i = 0; i < e.failures.size(); i++) {
            explain(e, i);
        }
        if (e.closedNs >= 0 && e.doneNs < 0 && e.failures.isEmpty() && e.eofNs < 0 && e.integrity == null
                && !e.connectedToClosedPort) {
            run.violation(Violation.Kind.HANG, e + ": closed without finishing or failing (harness)");
        }
    }

    private void explain(Endpoint e, int index) {
        Endpoint.Failure f = e.failures.get(index);
        Errno cause = f.cause();
        // When the application learnt of it late (it was not in a socket call), the connection
        // ended by the time the monitor saw it closed: the timing rules take that time.
        long t = e.diedByNs >= 0 && e.diedByNs < f.atNs() && index == 0 ? e.diedByNs : f.atNs();
        boolean connect = f.op().equals("connect");
        String what = e + ": " + f.op() + " " + cause + (cause != f.errno() ? " (SO_ERROR behind " + f.errno() + ")" : "")
                + " at " + RunState.seconds(t);
        switch (cause) {
            case ETIMEDOUT, EHOSTUNREACH -> {
                if (cause == Errno.EHOSTUNREACH && !e.sawUnreachable()) {
                    run.violation(Violation.Kind.ERRNO, what + " without any ICMP unreachable or neighbour failure on " + e.host.name());
                } else if (connect && cause == Errno.ETIMEDOUT) {
                    long took = t - e.connectStartNs;
                    if (Math.abs(took - RunState.SYN_LIMIT_NS) > 2 * RunState.S) {
                        run.violation(Violation.Kind.TIMING, what + " after " + RunState.seconds(took) + " (Linux: "
                                + RunState.seconds(RunState.SYN_LIMIT_NS) + ", tcp_syn_retries 6)");
                    } else if (!plausible(e.connectStartNs, t, 6)) {
                        run.violation(Violation.Kind.STALL, what + ": seven SYN exchanges lost with the cable up (loss bound "
                                + lossBound() + ")");
                    }
                } else if (!connect) {
                    timeout(e, f, what, t);
                }
            }
            case ECONNREFUSED -> {
                if (!connect || e.plan.mode() != Plan.Mode.REFUSED) {
                    run.violation(Violation.Kind.ERRNO, what + ": the server listens on that port");
                }
            }
            case ECONNRESET -> reset(e, what, connect, t);
            case EPIPE -> {
                if (!errorAtOrBefore(e, t, index) && !(peerAbnormalBefore(e, t) && e.eofNs >= 0 && e.eofNs <= t)) {
                    run.violation(Violation.Kind.ERRNO, what + " with no error reported on this socket before (Linux reports"
                            + " ECONNRESET or ETIMEDOUT once, then EPIPE); peer " + peerState(e));
                }
            }
            case ENOTCONN -> {
                if (!errorAtOrBefore(e, t, index) && !peerAbnormalBefore(e, t)) {
                    run.violation(Violation.Kind.ERRNO, what + " on a connection nothing had ended; peer " + peerState(e));
                }
            }
            case EAGAIN -> {
                if (!f.op().equals("read") || run.plan.keepalive().on() || e.peer != null && !peerAbnormalBefore(e, t)) {
                    run.violation(Violation.Kind.STALL, what + ": the read waited " + RunState.seconds(RunState.READ_TIMEOUT_NS)
                            + " (SO_RCVTIMEO) for a peer that " + peerState(e));
                }
            }
            default -> run.violation(Violation.Kind.ERRNO, what + ": not an error this workload can cause");
        }
    }

    /** A timeout of a synchronized connection: retransmission, keepalive or zero-window probe limit. */
    private void timeout(Endpoint e, Endpoint.Failure f, String what, long t) {
        long sinceProgress = t - f.lastProgressNs();
        long sinceHeard = t - f.lastHeardNs();
        Plan.Keepalive k = run.plan.keepalive();
        boolean retransmit = f.outstanding() && sinceProgress >= RunState.RETRANSMIT_LIMIT_NS - TOLERANCE_NS;
        boolean keepalive = k.on() && sinceHeard >= k.limitNs() - TOLERANCE_NS;
        boolean persist = f.outstanding() && f.sndWnd() == 0 && sinceHeard >= PERSIST_LIMIT_NS - TOLERANCE_NS;
        String history = " (last progress " + RunState.seconds(sinceProgress) + " before, last segment in "
                + RunState.seconds(sinceHeard) + " before, " + (f.outstanding() ? "data outstanding" : "nothing outstanding")
                + ", snd_wnd " + f.sndWnd() + ", state " + f.lastState() + (k.on() ? ", keepalive " + k.idleSeconds() + "s/"
                + k.intervalSeconds() + "s x" + k.count() : ", keepalive off") + ")";
        if (keepalive && f.outstanding() && !retransmit && !persist) {
            run.violation(Violation.Kind.TIMING, what + history + ": a keepalive timeout with data outstanding; Linux's"
                    + " tcp_keepalive_timer does not probe while packets are out, the retransmission timeout ("
                    + RunState.seconds(RunState.RETRANSMIT_LIMIT_NS) + ") applies");
        } else if (!retransmit && !keepalive && !persist) {
            run.violation(Violation.Kind.TIMING, what + history + ": too early for tcp_retries2 ("
                    + RunState.seconds(RunState.RETRANSMIT_LIMIT_NS) + "), keepalive or the zero-window probes");
        } else if (retransmit && !keepalive && !persist && !plausible(f.lastProgressNs(), t, 12)) {
            run.violation(Violation.Kind.STALL, what + history + ": timed out with the cable up all along; a dozen lost"
                    + " exchanges in a row is implausible at loss bound " + lossBound() + " (livelock)");
        }
    }

    private void reset(Endpoint e, String what, boolean connect, long t) {
        if (connect) {
            run.violation(Violation.Kind.ERRNO, what + ": Linux reports a reset in SYN-SENT as ECONNREFUSED (tcp_reset)");
        } else if (e.peer == null) {
            if (!run.scenario.faults().partitioned(e.connectStartNs, t) && run.scenario.faults().exchangeLossBound() < 0.01) {
                run.violation(Violation.Kind.ERRNO, what + ": the server never accepted it, on a clean path");
            }
        } else if (e.peer.abnormalNs() >= t) {
            run.violation(Violation.Kind.ERRNO, what + ": the peer had neither reset nor failed (peer " + peerState(e) + ")");
        } else if (e.eofNs >= 0 && e.eofNs < t && e.finNs < 0) {
            run.violation(Violation.Kind.ERRNO, what + " after the peer's FIN (CLOSE-WAIT): Linux's tcp_reset gives EPIPE there");
        }
    }

    /** True when this socket reported an error at or before {@code t} (among its first {@code before} failures). */
    private static boolean errorAtOrBefore(Endpoint e, long t, int before) {
        for (int i = 0; i < before; i++) {
            if (e.failures.get(i).atNs() <= t) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerAbnormalBefore(Endpoint e, long t) {
        return e.peer != null && e.peer.abnormalNs() < t;
    }

    private static String peerState(Endpoint e) {
        Endpoint p = e.peer;
        if (p == null) {
            return "was never accepted";
        }
        StringBuilder b = new StringBuilder();
        if (p.abortedNs >= 0) {
            b.append("reset at ").append(RunState.seconds(p.abortedNs));
        } else if (!p.failures.isEmpty()) {
            Endpoint.Failure f = p.failures.get(0);
            b.append("failed at ").append(RunState.seconds(f.atNs())).append(" (").append(f.op()).append(' ').append(f.cause()).append(')');
        } else if (p.doneNs >= 0) {
            b.append("finished at ").append(RunState.seconds(p.doneNs));
        } else {
            b.append("was still working");
        }
        if (p.finNs >= 0) {
            b.append(", FIN at ").append(RunState.seconds(p.finNs));
        }
        return b.toString();
    }

    /** A partition in [from, to), or loss enough that {@code k} exchanges in a row can all fail. */
    private boolean plausible(long fromNs, long toNs, int k) {
        FaultPlan f = run.scenario.faults();
        return f.partitioned(fromNs, toNs) || Math.pow(f.exchangeLossBound(), k) >= IMPLAUSIBLE;
    }

    private String lossBound() {
        return String.format(java.util.Locale.ROOT, "%.3f", run.scenario.faults().exchangeLossBound());
    }
}
