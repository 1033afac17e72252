package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Shutdown;
import netstack4j.stack.Personality;
import netstack4j.tcp.FuzzHost.Conversation;

/**
 * Fuzz target 1: frames, time and application calls against a whole stack that holds a listener
 * and a connection in every state of RFC 9293 section 3.3.2's diagram, checking
 * {@link StackInvariants} after every step.
 *
 * <p>The input's first byte picks the personality (Linux or Windows); the rest is steps
 * ({@link FuzzSteps#run}): segments built from fuzzed fields for one of the connections, raw
 * frames, clock advances, application calls, the well-behaved peer, plus this target's own: a
 * new connection (an active open, or another client's SYN to the listener). Seeds: {@link FuzzSeeds}. Regression mode replays
 * {@code src/test/resources/netstack4j/tcp/StackStepsFuzzTestInputs/}; fuzzing mode is described
 * in the README ("Fuzzing").
 */
class StackStepsFuzzTest {
    /** The conversations {@link #everyState} sets up, by name, and the state each is in. */
    static final Map<String, TcpState> STATES = Map.ofEntries(
            Map.entry("syn-sent", TcpState.SYN_SENT),
            Map.entry("active-established", TcpState.ESTABLISHED),
            Map.entry("syn-received", TcpState.SYN_RECEIVED),
            Map.entry("established", TcpState.ESTABLISHED),
            Map.entry("fin-wait-1", TcpState.FIN_WAIT_1),
            Map.entry("fin-wait-2", TcpState.FIN_WAIT_2),
            Map.entry("closing", TcpState.CLOSING),
            Map.entry("close-wait", TcpState.CLOSE_WAIT),
            Map.entry("last-ack", TcpState.LAST_ACK),
            Map.entry("time-wait", TcpState.TIME_WAIT),
            Map.entry("not-accepted", TcpState.ESTABLISHED));

    /** Extra step: a new connection. Layout: kind (u8 bit 0: active open, else a SYN to the listener). */
    static final int OP_OPEN = FuzzSteps.OP_EXTRA;
    private static final int MAX_NEW = 4;

    @FuzzTest(maxDuration = "5m")
    void stepsAgainstEveryState(byte[] input) throws ErrnoException {
        FuzzInput in = new FuzzInput(input);
        int mode = in.u8();
        // Bit 1: a tcp_mem of a few pages (the accounting invariants hold whatever the limits).
        FuzzHost host = everyState((mode & 1) == 0 ? Personality.LINUX : Personality.WINDOWS, (mode & 2) != 0);
        FuzzSteps.run(host, in, List.of(StackStepsFuzzTest::open));
    }

    /**
     * A stack with a listener on port 80 (backlog 8) and one connection in each state of
     * {@link #STATES}, driven there by scripted peers. Some ISNs sit just below 2^32 so that the
     * data in flight crosses the wrap.
     */
    static FuzzHost everyState(Personality personality) throws ErrnoException {
        return everyState(personality, false);
    }

    static FuzzHost everyState(Personality personality, boolean tinyTcpMem) throws ErrnoException {
        FuzzHost h = new FuzzHost(personality);
        if (tinyTcpMem) {
            h.tcp.setSettings(h.tcp.settings().withTcpMem(new TcpSettings.MemLimits(1, 2, 4)));
        }
        h.listen(8);
        h.connect("syn-sent", 40000, 9000, 7_000_000, 0xfffffff0);
        Conversation active = h.activeOpen("active-established", 40001, 9001, 0xffffff00, 100_000);
        h.write(active, 200);
        h.synToListener("syn-received", 50000, 5_000_000, 200_000);
        Conversation est = h.passiveOpen("established", 50001, 0xfffffff0, 0xfffff800, true);
        h.write(est, 3000);
        h.peerSends(est, 100, false);
        Conversation fw1 = h.passiveOpen("fin-wait-1", 50002, 1_000, 2_000, true);
        h.write(fw1, 500);
        fw1.socket.shutdown(Shutdown.WRITE);
        Conversation fw2 = h.passiveOpen("fin-wait-2", 50003, 3_000, 4_000, true);
        fw2.socket.shutdown(Shutdown.WRITE);
        h.peerSends(fw2, 0, false);
        Conversation closing = h.passiveOpen("closing", 50004, 5_000, 6_000, true);
        closing.socket.shutdown(Shutdown.WRITE);
        h.send(closing, ACK | FIN, closing.conn.receiver.rcvNxt, closing.conn.sender.sndUna, 65535,
                new byte[0], new byte[0]);
        Conversation closeWait = h.passiveOpen("close-wait", 50005, 7_000, 8_000, true);
        h.peerSends(closeWait, 10, true);
        Conversation lastAck = h.passiveOpen("last-ack", 50006, 9_000, 10_000, true);
        h.peerSends(lastAck, 0, true);
        lastAck.socket.shutdown(Shutdown.WRITE);
        Conversation timeWait = h.passiveOpen("time-wait", 50007, 11_000, 12_000, true);
        timeWait.socket.shutdown(Shutdown.WRITE);
        h.peerSends(timeWait, 0, true);
        h.passiveOpen("not-accepted", 50008, 13_000, 14_000, false);
        h.tcp.setFixedIsnForTesting(null);
        h.drain();
        for (Conversation v : h.conversations) {
            assertEquals(STATES.get(v.name), v.conn.state(), v.name);
        }
        return h;
    }

    private static void open(FuzzHost host, FuzzInput in) {
        boolean active = (in.u8() & 1) != 0;
        int k = host.conversations.size() - STATES.size();
        if (k >= MAX_NEW) {
            return;
        }
        if (active) {
            host.connect("new-active-" + k, 40100 + k, 9100 + k, 20_000 * (k + 1), 0);
        } else {
            host.synToListener("new-passive-" + k, 51000 + k, 30_000 * (k + 1), 0);
        }
        host.tcp.setFixedIsnForTesting(null);
    }
}
