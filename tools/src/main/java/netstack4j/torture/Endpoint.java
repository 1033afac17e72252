package netstack4j.torture;

import java.util.ArrayList;
import java.util.List;
import netstack4j.socket.Errno;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpConnection;
import netstack4j.tcp.TcpState;

/**
 * One end of one connection as the harness sees it: what the application did and saw (bytes
 * written, bytes read and checked, errors and when), and what the {@link Monitor} last sampled
 * of its socket (progress times), which is what the {@link Oracle} judges errors against.
 *
 * <p>Threading: touched only by the simulation's current owner (a process or the monitor's event).
 */
final class Endpoint {
    /** What an application call returned instead of success, with the socket's history at that moment. */
    record Failure(String op, Errno errno, Errno soError, long atNs, long lastProgressNs, long lastHeardNs,
                   boolean outstanding, int sndWnd, TcpState lastState) {
        /** The errno that tells what happened: SO_ERROR behind an ENOTCONN, else the call's own. */
        Errno cause() {
            return errno == Errno.ENOTCONN && soError != null ? soError : errno;
        }
    }

    String name;
    final Plan.ConnPlan plan;
    final boolean client;
    final NetStack host;
    final long icmpUnreachablesAtStart;
    final long arpFailuresAtStart;
    TcpSocket socket;
    TcpConnection conn;
    Endpoint peer;

    // ---- what the application did and saw
    long connectStartNs = -1;
    long connectedNs = -1;
    long written;
    long verified;
    long eofNs = -1;
    /** When this end sent its FIN (shutdown(SHUT_WR) or close without SO_LINGER 0), or -1. */
    long finNs = -1;
    /** When this end closed with SO_LINGER 0 on purpose, or -1. */
    long abortedNs = -1;
    /** When the application closed the socket, or -1. */
    long closedNs = -1;
    /**
     * When the monitor saw the connection, closed by the application, end without everything
     * acknowledged (the orphan timed out or was reset) or time out in FIN_WAIT_2; -1 if not.
     */
    long orphanLostNs = -1;
    long orphanAliveNs = -1;
    /** The application closed it (without SO_LINGER 0) while the connection was still alive. */
    boolean orphaned;
    boolean orphanEnded;
    /** When its part ended without error, or -1. */
    long doneNs = -1;
    /** The first content violation, or null. */
    String integrity;
    long integrityNs = -1;
    /** Set when the end of stream came before all the expected bytes. */
    String earlyEof;
    /** Set when a connect to a port nobody listens on succeeded. */
    boolean connectedToClosedPort;
    final List<Failure> failures = new ArrayList<>(2);

    // ---- what the monitor last sampled
    /** The last sample that saw the connection alive, or -1. */
    long lastAliveNs = -1;
    /**
     * The connection failed (the engine set its error) before the application noticed: it was
     * still alive at {@code diedAfterNs} and dead at {@code diedByNs}; both -1 if not seen.
     */
    long diedAfterNs = -1;
    long diedByNs = -1;
    long lastProgressNs;
    long lastHeardNs;
    long lastBytesAcked = -1;
    long lastSegsIn = -1;
    TcpState lastState;
    boolean outstanding;
    int lastSndWnd = -1;
    boolean zeroWindowSeen;
    boolean stallReported;

    Endpoint(String name, Plan.ConnPlan plan, boolean client, NetStack host) {
        this.name = name;
        this.plan = plan;
        this.client = client;
        this.host = host;
        this.icmpUnreachablesAtStart = host.counters().get(Counter.IcmpInDestUnreachs);
        this.arpFailuresAtStart = host.counters().drops(DropReason.ARP_UNRESOLVED);
        this.lastProgressNs = host.nowNs();
        this.lastHeardNs = host.nowNs();
    }

    void attach(TcpSocket s) {
        socket = s;
        conn = s.connection();
    }

    /** Records a failed call at {@code nowNs}; {@code soError} is SO_ERROR read right after, or null. */
    void fail(String op, Errno errno, Errno soError, long nowNs) {
        failures.add(new Failure(op, errno, soError, nowNs, lastProgressNs, lastHeardNs, outstanding, lastSndWnd, lastState));
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    /** When this end first went wrong (an error, an early end of stream) or was reset on purpose; MAX_VALUE if never. */
    long abnormalNs() {
        long t = Long.MAX_VALUE;
        if (!failures.isEmpty()) {
            t = failures.get(0).atNs();
        }
        if (abortedNs >= 0) {
            t = Math.min(t, abortedNs);
        }
        if (earlyEof != null) {
            t = Math.min(t, eofNs);
        }
        if (integrity != null) {
            t = Math.min(t, integrityNs);
        }
        if (orphanLostNs >= 0) {
            t = Math.min(t, orphanLostNs);
        }
        if (diedAfterNs >= 0) {
            t = Math.min(t, diedAfterNs);
        }
        return t;
    }

    /** True once the monitor should stop sampling: the application closed it or saw it fail. */
    boolean settled() {
        return socket == null || failed() || closedNs >= 0;
    }

    /** ICMP destination-unreachable messages or neighbour failures on this host since the end was made. */
    boolean sawUnreachable() {
        return host.counters().get(Counter.IcmpInDestUnreachs) > icmpUnreachablesAtStart
                || host.counters().drops(DropReason.ARP_UNRESOLVED) > arpFailuresAtStart;
    }

    @Override
    public String toString() {
        return name;
    }
}
