package netstack4j.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Simulator;
import netstack4j.socket.Errno;
import netstack4j.tcp.TcpState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The oracle on hand-made endpoint histories: each rule lets through what Linux does and flags
 * what it does not (so the campaign's checks can fail).
 */
class OracleTest {
    static final long S = 1_000_000_000L;
    private Simulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    /** A run with one STREAM connection on a path with {@code loss} each way, cut during {@code partitions}. */
    private RunState run(double loss, List<FaultPlan.Window> partitions, Plan.Mode mode) {
        LinkParams p = LinkParams.DEFAULT.withLoss(loss);
        FaultPlan f = new FaultPlan(loss > 0 ? Set.of(Fault.LOSS) : Set.of(), p, p, partitions, List.of());
        Scenario s = new Scenario(1, Workload.BULK, f);
        Plan.ConnPlan c = new Plan.ConnPlan(0, 0, 0, mode, 1000, 1000, null, null, 0, false, 0, Plan.Pace.FAST);
        Plan plan = new Plan(1, 1, List.of(List.of(c)), new Plan.Keepalive(false, 0, 0, 0), 0, false);
        sim = new Simulator(1);
        return new RunState(s, plan, sim, new TortureNet(sim, 1, 1, f));
    }

    private static Endpoint[] pair(RunState run) {
        Plan.ConnPlan c = run.plan.lanes().get(0).get(0);
        Endpoint client = new Endpoint("client", c, true, run.net.clients.get(0));
        Endpoint server = new Endpoint("server", c, false, run.net.servers.get(0));
        client.peer = server;
        server.peer = client;
        client.connectStartNs = 0;
        run.endpoints.add(client);
        run.endpoints.add(server);
        return new Endpoint[] {client, server};
    }

    private static List<Violation.Kind> judge(RunState run) {
        Oracle.judge(run);
        return run.violations.stream().map(Violation::kind).toList();
    }

    @Test
    void aResetFromAPeerThatDidNothingWrongIsFlagged() {
        RunState run = run(0, List.of(), Plan.Mode.STREAM);
        Endpoint[] e = pair(run);
        e[1].doneNs = 2 * S;
        e[0].fail("read", Errno.ECONNRESET, null, 3 * S);
        assertEquals(List.of(Violation.Kind.ERRNO), judge(run));
    }

    @Test
    void aResetAfterThePeerFailedOrAbortedIsLinux() {
        RunState run = run(0, List.of(), Plan.Mode.ABORT);
        Endpoint[] e = pair(run);
        e[0].abortedNs = 2 * S;
        e[1].fail("read", Errno.ECONNRESET, null, 2 * S + 1000);
        assertEquals(List.of(), judge(run));
    }

    @Test
    void aRetransmissionTimeoutNeedsTcpRetries2WithoutProgress() {
        RunState run = run(0.2, List.of(), Plan.Mode.STREAM);
        Endpoint[] e = pair(run);
        e[0].outstanding = true;
        e[0].lastProgressNs = 100 * S;
        e[0].fail("write", Errno.ETIMEDOUT, null, 400 * S);
        e[1].fail("read", Errno.ECONNRESET, null, 500 * S);
        assertEquals(List.of(Violation.Kind.TIMING), judge(run));
    }

    @Test
    void aRetransmissionTimeoutOnAnUnbrokenCleanPathIsALivelock() {
        RunState run = run(0.01, List.of(), Plan.Mode.STREAM);
        Endpoint[] e = pair(run);
        e[0].outstanding = true;
        e[0].lastProgressNs = 10 * S;
        e[0].fail("write", Errno.ETIMEDOUT, null, 940 * S);
        assertEquals(List.of(Violation.Kind.STALL), judge(run));
    }

    @Test
    void aRetransmissionTimeoutAcrossAPartitionIsLinux() {
        RunState run = run(0.01, List.of(new FaultPlan.Window(20 * S, 1200 * S)), Plan.Mode.STREAM);
        Endpoint[] e = pair(run);
        e[0].outstanding = true;
        e[0].lastProgressNs = 10 * S;
        e[0].lastState = TcpState.ESTABLISHED;
        e[0].fail("write", Errno.ETIMEDOUT, null, 940 * S);
        assertEquals(List.of(), judge(run));
    }

    @Test
    void connectTimesOutAt127Seconds() {
        RunState ok = run(0, List.of(new FaultPlan.Window(0, 500 * S)), Plan.Mode.STREAM);
        pair(ok)[0].fail("connect", Errno.ETIMEDOUT, null, 127 * S);
        assertEquals(List.of(), judge(ok));
        close();
        RunState early = run(0, List.of(new FaultPlan.Window(0, 500 * S)), Plan.Mode.STREAM);
        pair(early)[0].fail("connect", Errno.ETIMEDOUT, null, 60 * S);
        assertEquals(List.of(Violation.Kind.TIMING), judge(early));
    }

    @Test
    void refusedOnlyWhereNobodyListens() {
        RunState listening = run(0, List.of(), Plan.Mode.STREAM);
        pair(listening)[0].fail("connect", Errno.ECONNREFUSED, null, S);
        assertEquals(List.of(Violation.Kind.ERRNO), judge(listening));
        close();
        RunState closed = run(0, List.of(), Plan.Mode.REFUSED);
        pair(closed)[0].fail("connect", Errno.ECONNREFUSED, null, S);
        assertEquals(List.of(), judge(closed));
    }

    @Test
    void epipeOnlyAfterAnErrorWasReported() {
        RunState run = run(0, List.of(), Plan.Mode.DUPLEX);
        Endpoint[] e = pair(run);
        e[0].fail("write", Errno.EPIPE, null, S);
        assertEquals(List.of(Violation.Kind.ERRNO), judge(run));
        run.violations.clear();
        e[0].failures.clear();
        e[1].abortedNs = S / 2;
        e[0].fail("read", Errno.ECONNRESET, null, S);
        e[0].fail("write", Errno.EPIPE, null, S);
        assertEquals(List.of(), judge(run));
    }

    @Test
    void anEarlyEndOfStreamOrAlteredByteIsAnIntegrityViolation() {
        RunState run = run(0, List.of(), Plan.Mode.STREAM);
        Endpoint[] e = pair(run);
        e[1].eofNs = S;
        e[1].earlyEof = "end of stream after 10 of 1000 bytes";
        e[0].integrity = "byte 5 of the stream differs from what the peer sent";
        e[0].integrityNs = S;
        List<Violation.Kind> v = judge(run);
        assertEquals(2, v.size(), run.violations.toString());
        assertTrue(v.stream().allMatch(k -> k == Violation.Kind.INTEGRITY));
    }

    @Test
    void anEndOfStreamWhereThePeerResetIsFlagged() {
        RunState run = run(0, List.of(), Plan.Mode.ABORT);
        Endpoint[] e = pair(run);
        e[0].abortedNs = S;
        e[1].eofNs = 2 * S;
        assertEquals(List.of(Violation.Kind.ERRNO), judge(run));
    }
}
