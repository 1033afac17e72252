package netstack4j.tcp;

import netstack4j.wire.TcpFlags;

/**
 * Explicit Congestion Notification for one connection (RFC 3168 section 6.1, Linux's
 * {@code tp->ecn_flags} and the tcp_ecn_* helpers in tcp_input.c and tcp_output.c): the
 * handshake (ECE|CWR in a SYN, ECE in the SYN-ACK), ECT(0) on new data, the receiver echoing
 * ECE from a CE mark until the sender's CWR, and the sender's CWR after it reduced its window.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class Ecn {
    /** IP ECN codepoints (RFC 3168 section 5). */
    static final int NOT_ECT = 0;
    static final int ECT1 = 1;
    static final int ECT0 = 2;
    static final int CE = 3;

    /** Our SYN asked for ECN (tcp_ecn=1). */
    boolean requested;
    /** ECN was negotiated (TCP_ECN_OK). */
    boolean ok;
    /** A CE mark arrived: ECE on every segment until the peer's CWR (TCP_ECN_DEMAND_CWR). */
    boolean demandCwr;
    /** We reduced the window: CWR on the next new data segment (TCP_ECN_QUEUE_CWR). */
    boolean queueCwr;
    /** ECT or CE seen on arriving data (TCP_ECN_SEEN, tcpi_options' TCPI_OPT_ECN_SEEN). */
    boolean seen;

    /** tcp_ecn_send_syn: ECE|CWR in our first SYN when tcp_ecn is 1; none in retransmissions. */
    int synFlags(int tcpEcn, boolean retransmission) {
        requested = tcpEcn == 1 && !retransmission;
        return requested ? TcpFlags.ECE | TcpFlags.CWR : 0;
    }

    /** tcp_ecn_rcv_synack: ECN holds when the SYN-ACK has ECE without CWR. */
    void onSynAck(int flags) {
        ok = requested && (flags & TcpFlags.ECE) != 0 && (flags & TcpFlags.CWR) == 0;
    }

    /**
     * tcp_ecn_create_request: a SYN with ECE and CWR, not itself ECT-marked, gets ECN when
     * tcp_ecn is 1 or 2.
     */
    void onSyn(int flags, int ipEcn, int tcpEcn) {
        ok = tcpEcn != 0 && (flags & (TcpFlags.ECE | TcpFlags.CWR)) == (TcpFlags.ECE | TcpFlags.CWR)
                && ipEcn == NOT_ECT;
    }

    /**
     * tcp_ecn_accept_cwr then tcp_ecn_check_ce for an arriving data segment: CWR ends the ECE
     * echo; a CE mark starts it. Returns true when an ACK should go at once (CE, or CWR with data).
     */
    boolean onData(int flags, int ipEcn) {
        if (!ok) {
            return false;
        }
        boolean now = false;
        if ((flags & TcpFlags.CWR) != 0) {
            demandCwr = false;
            now = true;
        }
        if (ipEcn == CE) {
            if (!demandCwr) {
                demandCwr = true;
                now = true; // tcp_enter_quickack_mode: the sender may have a tiny cwnd
            }
            seen = true;
        } else if (ipEcn != NOT_ECT) {
            seen = true;
        }
        return now;
    }

    /** tcp_ecn_rcv_ecn_echo: an ACK with ECE on a connection with ECN. */
    boolean echoed(int flags) {
        return ok && (flags & TcpFlags.ECE) != 0 && (flags & TcpFlags.SYN) == 0;
    }

    /**
     * tcp_ecn_send for a segment after the handshake: ECE while echoing; for new data ECT(0)
     * and, once after a window reduction, CWR. Returns the TCP flags to add; {@link #lastTos}
     * holds the IP ECN field for it.
     */
    int outgoing(boolean newData) {
        lastTos = NOT_ECT;
        if (!ok) {
            return 0;
        }
        int f = demandCwr ? TcpFlags.ECE : 0;
        if (newData) {
            lastTos = ECT0;
            if (queueCwr) {
                queueCwr = false;
                f |= TcpFlags.CWR;
            }
        }
        return f;
    }

    int lastTos;
}
