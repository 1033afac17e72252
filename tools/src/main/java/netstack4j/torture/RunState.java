package netstack4j.torture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netstack4j.sim.Simulator;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.tcp.TcpSettings;

/**
 * What the parts of one run share: the scenario and its plan, the network, every endpoint, the
 * violations found so far, and the counts that tell when the applications are done.
 *
 * <p>Threading: touched only by the simulation's current owner.
 */
final class RunState {
    static final long S = FaultPlan.S;
    /** Linux's defaults the oracle judges by (the hosts run with them). */
    static final TcpSettings LINUX = TcpSettings.linux();
    /** tcp_retries2 = 15 from TCP_RTO_MIN: 924.6 s (tcp_model_timeout). */
    static final long RETRANSMIT_LIMIT_NS = LINUX.retransmitLimitNs(LINUX.retries2(), LINUX.minRtoNs());
    /** tcp_syn_retries = 6 from TCP_TIMEOUT_INIT: 127 s. */
    static final long SYN_LIMIT_NS = LINUX.retransmitLimitNs(LINUX.synRetries(), LINUX.initialRtoNs());
    /** With keepalive off, every read gives up (SO_RCVTIMEO) after this: past anything Linux would wait for. */
    static final long READ_TIMEOUT_NS = RETRANSMIT_LIMIT_NS + LINUX.maxRtoNs() + 300 * S;
    static final int SERVER_PORT = 5001;
    /** A port no server listens on. */
    static final int CLOSED_PORT = 5999;

    final Scenario scenario;
    final Plan plan;
    final Simulator sim;
    final TortureNet net;
    final List<Endpoint> endpoints = new ArrayList<>();
    final List<Violation> violations = new ArrayList<>();
    /** Client endpoints by "client-ip:port>server-ip:port", so a server can tell which plan an accepted socket is. */
    final Map<String, Endpoint> byTuple = new HashMap<>();
    int liveProcesses;
    /** Chunks that arrived corrupted in a way the checksums cannot see (two flips that cancel). */
    int checksumBlind;
    /** Connections still opening, with a {@link Plan#barrier()}: their clients wait on {@link #opened}. */
    int opening;
    final netstack4j.stack.WaitQueue opened;
    int lanesLeft;
    /** Set when a violation makes going on pointless (a stall, an exception). */
    boolean stopped;

    RunState(Scenario scenario, Plan plan, Simulator sim, TortureNet net) {
        this.scenario = scenario;
        this.plan = plan;
        this.sim = sim;
        this.net = net;
        this.lanesLeft = plan.lanes().size();
        this.opening = plan.barrier() ? plan.connectionCount() : 0;
        this.opened = sim.runtime().newWaitQueue();
    }

    void violation(Violation.Kind kind, String detail) {
        violations.add(new Violation(kind, detail));
    }

    static String tuple(Ipv4SocketAddress client, Ipv4SocketAddress server) {
        return client + ">" + server;
    }

    static String seconds(long ns) {
        return String.format(java.util.Locale.ROOT, "%.3f s", ns / 1e9);
    }
}
