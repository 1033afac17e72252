package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import netstack4j.socket.ErrnoException;
import netstack4j.stack.Counter;
import netstack4j.stack.Personality;
import netstack4j.tcp.FuzzHost.Conversation;

/**
 * Fuzz target 2b: final ACKs against a listener whose SYN queue is full, so that SYN cookies
 * are in use (RFC 4987 section 3.6, as Linux's tcp_conn_request and cookie_v4_check). The
 * listener has backlog 2, two half-open connections fill its SYN queue, and four more clients'
 * SYNs were answered with cookies, one of which has completed; the fuzzer sends those clients'
 * ACKs with fuzzed SEQ, ACK, flags, window, options and data (the shared segment step, placed
 * relative to the cookie when the stack kept no connection), more SYNs, time, and application
 * calls on the accepted connections.
 *
 * <p>Besides {@link StackInvariants}: the exact final ACK for a cookie sent less than a minute
 * ago creates an ESTABLISHED connection whose ISS is the cookie, unless the accept queue is
 * full; a connection from a cookie never has a send MSS above what the client's SYN offered.
 */
class SynCookieFuzzTest {
    /** Extra step: a new SYN. Layout: client (u8, of 8), MSS option (u16, 0 for none). */
    static final int OP_SYN = FuzzSteps.OP_EXTRA;
    /** Extra step: the exact final ACK for a client's cookie. Layout: client (u8), data length (u16). */
    static final int OP_EXACT_ACK = FuzzSteps.OP_EXTRA + 1;
    static final int COOKIE_CLIENTS = 8;
    private static final int FIRST_COOKIE_PORT = 30001;

    @FuzzTest(maxDuration = "5m")
    void cookieAcks(byte[] input) throws ErrnoException {
        FuzzInput in = new FuzzInput(input);
        FuzzHost host = floodedListener();
        FuzzSteps.run(host, in, List.of(SynCookieFuzzTest::syn, SynCookieFuzzTest::exactAck));
    }

    /** Backlog 2, two SYN-RECEIVED children, then cookies for ports 30001.. of which 30001 completed. */
    static FuzzHost floodedListener() throws ErrnoException {
        FuzzHost h = new FuzzHost(Personality.LINUX);
        h.listen(2);
        h.synToListener("half-open-1", 20001, 1_000_000, 10_000);
        h.synToListener("half-open-2", 20002, 2_000_000, 20_000);
        h.tcp.setFixedIsnForTesting(null);
        for (int k = 0; k < COOKIE_CLIENTS; k++) {
            h.conversation("cookie-" + k, FuzzHost.LISTEN_PORT, FIRST_COOKIE_PORT + k, 0x7fff_fff0 + 1000 * k);
        }
        for (int k = 0; k < 4; k++) {
            Conversation v = h.conversations.get(2 + k);
            h.send(v, SYN, v.remoteIss, 0, 64240, new byte[] {2, 4, 5, (byte) 0xb4}, new byte[0]);
            h.noteSynAck(v);
            v.offeredCookie = true;
        }
        assertEquals(4, h.stack.counters().get(Counter.TcpExtSyncookiesSent), "the SYN queue was full");
        Conversation first = h.conversations.get(2);
        sendExactAck(h, first, 0);
        assertNotNull(first.conn, "the cookie's ACK made a connection");
        assertEquals(TcpState.ESTABLISHED, first.conn.state());
        assertEquals(first.offeredIss, first.conn.sender.iss);
        return h;
    }

    private static Conversation client(FuzzHost h, int k) {
        return h.conversations.get(2 + k % COOKIE_CLIENTS);
    }

    private static void syn(FuzzHost h, FuzzInput in) {
        Conversation v = client(h, in.u8());
        int mss = in.u16();
        byte[] options = mss == 0 ? new byte[0] : new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss};
        h.send(v, SYN, v.remoteIss, 0, 64240, options, new byte[0]);
        if (h.noteSynAck(v)) {
            v.offeredMss = mss == 0 ? h.tcp.settings().defaultMss() : mss;
            v.offeredCookie = isCookie(h, v); // else the SYN queue had room: a real child answered
        }
    }

    private static void exactAck(FuzzHost h, FuzzInput in) {
        Conversation v = client(h, in.u8());
        int length = in.u16() % 1461;
        TcpConnection before = v.conn;
        boolean expectConnection = v.offeredCookie && (before == null || before.state() == TcpState.CLOSED)
                && h.nowNs - v.offeredAtNs < SynCookies.TICK_NS && h.listener.connection().listenQueue != null
                && !h.listener.connection().listenQueue.acceptQueueFull() && isCookie(h, v);
        sendExactAck(h, v, length);
        if (expectConnection) {
            assertTrue(v.conn != before && v.conn != null, v + ": the exact ACK for a cookie made no connection");
            assertTrue(v.conn.state() == TcpState.ESTABLISHED, v + " after the exact ACK for its cookie");
            assertEquals(v.offeredIss, v.conn.sender.iss, "the connection's ISS is the cookie");
            // As Linux's cookie MSS table (msstab), nothing below its smallest entry is encoded.
            assertTrue(v.conn.sender.mss <= Math.max(SynCookies.MSS_TABLE[0], v.offeredMss), v + ": send MSS "
                    + v.conn.sender.mss + " above the " + v.offeredMss + " the SYN offered");
        }
    }

    /** Whether the last SYN-ACK to {@code v} was a cookie (no connection was kept for it). */
    private static boolean isCookie(FuzzHost h, Conversation v) {
        for (TcpConnection c : h.tcp.connections()) {
            if (c.remotePort == v.remotePort && c.state != TcpState.CLOSED && !c.isListening()) {
                return false;
            }
        }
        return true;
    }

    static void sendExactAck(FuzzHost h, Conversation v, int length) {
        int seq = v.remoteIss + 1;
        h.send(v, ACK, seq, v.offeredIss + 1, 64240, new byte[0], FuzzHost.peerData(v, seq, length));
        h.observe();
    }
}
