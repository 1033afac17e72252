package netstack4j.tcp;

import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * Segment arrival for one connection (RFC 9293 section 3.10.7): the checks a segment must pass in
 * each state, in the RFC's order, with RFC 5961's challenge ACKs and Linux's answers to odd
 * segments. Decisions to change state go through {@link TcpConnection#moveTo}, the one
 * transition method.
 *
 * <p>Thread-compatible: owned by the stack's thread, like its connection.
 */
final class TcpInput {
    private final TcpConnection c;

    TcpInput(TcpConnection c) {
        this.c = c;
    }

    /** A segment for this connection (already checksummed and demultiplexed). */
    void onSegment(TcpPacket seg) {
        long now = c.nowNs();
        c.segsIn += c.layer.inboundGsoSegments; // tcp_segs_in: a GRO aggregate counts the segments it merged
        c.lastSegmentInNs = now;
        c.keepaliveProbes = 0;
        switch (c.state) {
            case SYN_SENT -> synSent(now, seg);
            // A connection in TIME-WAIT has left the tables (its TimeWaitSocket gets the segments).
            case CLOSED, LISTEN, TIME_WAIT -> c.layer.resetFor(seg, c.localIp, c.remoteIp);
            default -> synchronizedArrival(now, seg);
        }
        c.afterEvent();
    }

    /** RFC 9293 section 3.10.7.3: SYN-SENT. */
    private void synSent(long now, TcpPacket seg) {
        int flags = seg.flags();
        int seq = seg.sequenceNumber();
        int ack = seg.acknowledgmentNumber();
        boolean hasAck = (flags & TcpFlags.ACK) != 0;
        // First, check the ACK bit: an ACK outside (ISS, SND.NXT] gets a reset (unless RST).
        if (hasAck && (SeqNum.le(ack, c.sender.iss) || SeqNum.gt(ack, c.sender.sndMax))) {
            if ((flags & TcpFlags.RST) == 0) {
                c.layer.sendReset(c.localIp, c.localPort, c.remoteIp, c.remotePort, ack, 0, false);
            }
            c.layer.drop(DropReason.TCP_INVALID_ACK);
            return;
        }
        // As Linux's tcp_rcv_synsent_state_process (RFC 7323 section 5.5): a TSecr echoing no TSval we
        // sent since the first SYN is answered like a bad ACK (PAWSActive), the connection stays.
        if (hasAck && (flags & TcpFlags.RST) == 0 && c.opts.tsOk && seg.hasTimestamps() && seg.tsEcr() != 0
                && (seg.tsEcr() - c.opts.tsVal(c.sender.retransStampNs) < 0 || seg.tsEcr() - c.opts.tsVal(now) > 0)) {
            c.layer.counters().increment(Counter.TcpExtPAWSActive);
            c.layer.sendReset(c.localIp, c.localPort, c.remoteIp, c.remotePort, ack, 0, false);
            c.layer.drop(DropReason.TCP_PAWS);
            return;
        }
        // Second, the RST bit: with an acceptable ACK the connection is refused.
        if ((flags & TcpFlags.RST) != 0) {
            if (hasAck) {
                c.fail(Errno.ECONNREFUSED);
            } else {
                c.layer.drop(DropReason.TCP_OTHER);
            }
            return;
        }
        // Fourth, the SYN bit.
        if ((flags & TcpFlags.SYN) == 0) {
            c.layer.drop(DropReason.TCP_OTHER);
            return;
        }
        int peerMss = seg.mss() > 0 ? seg.mss() : c.settings.defaultMss();
        c.opts.negotiate(seg, now); // RFC 7323 sections 2.2 and 3.2, RFC 2018 section 2
        c.ecn.onSynAck(flags); // RFC 3168 section 6.1.1
        int mss = Math.min(peerMss, c.sender.mss);
        c.sender.setMss(c.opts.tsOk ? mss - OptionState.TIMESTAMPS_BYTES : mss);
        c.sender.mtuProbe.setMssClamp(c.userMss > 0 ? Math.min(c.userMss, peerMss) : peerMss);
        c.receiver.init(seq, c.receiver.advMss);
        c.receiver.rcvWnd = c.synWindow();
        c.sender.sndWnd = seg.window();
        c.sender.maxSndWnd = seg.window();
        c.sender.sndWl1 = seq;
        c.sender.sndWl2 = ack;
        if (hasAck) {
            // Our SYN is acknowledged: ESTABLISHED, and ACK the peer's SYN.
            boolean ackWithData = c.layer.fastOpen().onSynAck(c, seg, ack); // RFC 7413: what it says of our SYN-data
            long synSentNs = c.sender.retransStampNs;
            synAcked(now, ack);
            c.moveTo(TcpState.ESTABLISHED);
            int synDataLost = FastOpen.takeSynDataLost(c);
            if (synDataLost > 0) {
                // tcp_rcv_fastopen_synack: the resent data carries the ACK of the SYN-ACK.
                c.sender.retransmitSynData(now, synSentNs, synDataLost);
            } else if (ackWithData) {
                FastOpen.delayAck(c, now);
            } else {
                c.receiver.ackNow();
            }
            acceptPayload(now, seg, SeqNum.add(seq, 1));
        } else {
            // Simultaneous open (N15): SYN-RECEIVED, send SYN,ACK with our ISS.
            // tcp_send_synack sends the SYN skb again with ACK (not a retransmission); SYN data
            // already sent stays sent, so SND.NXT stays past it (simultaneous Fast Open).
            c.moveTo(TcpState.SYN_RECEIVED);
            int sent = c.sender.sndMax;
            c.sender.sndMax = c.sender.iss;
            c.sendSyn(true);
            if (SeqNum.gt(sent, c.sender.sndNxt)) {
                c.sender.sndNxt = sent;
                c.sender.sndMax = sent;
            }
        }
    }

    private void synAcked(long now, int ack) {
        if (c.sender.retransmits == 0 && c.sender.rtt.backoffCount() == 0) {
            c.sender.rtt.onSample(now - c.sender.retransStampNs, ack, ack); // handshake RTT (not retransmitted)
        }
        c.sender.sndUna = ack;
        c.sender.sndNxt = ack;
        c.sender.sndMax = ack;
        c.sender.retransmits = 0;
        c.sender.retransStampNs = 0;
        c.sender.rtt.resetBackoff();
        c.timers.cancelRetransmit();
    }

    /** RFC 9293 section 3.10.7.4: SYN-RECEIVED and the synchronized states. */
    private void synchronizedArrival(long now, TcpPacket seg) {
        int flags = seg.flags();
        int seq = seg.sequenceNumber();
        int len = seg.payloadLength();
        c.opts.parse(seg);
        if (c.opts.pawsReject(now) && (flags & TcpFlags.RST) == 0) {
            // RFC 7323 section 5.3 (Linux's tcp_validate_incoming): an old duplicate, dropped and
            // answered with a duplicate ACK (rate-limited); a RST is checked as usual.
            c.layer.counters().increment(Counter.TcpExtPAWSEstab);
            if (!c.oowRateLimited(now, false, Counter.TcpExtTCPACKSkippedPAWS)) {
                c.receiver.ackNow();
            }
            c.layer.drop(DropReason.TCP_PAWS);
            return;
        }
        // First: sequence number acceptable? (Linux's tcp_sequence: not entirely before RCV.WUP, not after the window.)
        int segLen = len + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
        if (!acceptable(seq, segLen)) {
            outOfWindow(now, seg, segLen);
            return;
        }
        // Second: RST (RFC 5961 section 3.2: reset only on an exact match, else a challenge ACK).
        if ((flags & TcpFlags.RST) != 0) {
            if (seq == c.receiver.rcvNxt) {
                onReset();
            } else {
                challengeAck(now);
                c.layer.drop(DropReason.TCP_RESET); // counted even when the challenge is rate-limited, as Linux
            }
            return;
        }
        // Fourth: SYN in a synchronized state (RFC 5961 section 4.2: challenge ACK).
        if ((flags & TcpFlags.SYN) != 0 && c.state == TcpState.SYN_RECEIVED && c.parent == null
                && (flags & TcpFlags.ACK) != 0 && SeqNum.add(seq, 1) == c.receiver.rcvNxt
                && seg.acknowledgmentNumber() == c.sender.sndNxt) {
            // Simultaneous open (N15, RFC 9293 figure 7): the peer's SYN-ACK completes it; as Linux's
            // tcp_validate_incoming, the old SYN bit is ignored and the ACK processed; the segment,
            // its SYN already received, is then a duplicate that tcp_data_queue ACKs at once, with
            // the SYN's sequence number as a DSACK block (tcp_dsack_set on end_seq <= rcv_nxt).
            flags &= ~TcpFlags.SYN;
            c.receiver.noteDuplicate(seq, 1);
            c.receiver.ackNow();
        }
        if ((flags & TcpFlags.SYN) != 0) {
            if (c.state == TcpState.SYN_RECEIVED && seq == c.receiver.irs && (flags & TcpFlags.ACK) == 0) {
                c.sender.sndMax = c.sender.iss; // the peer's SYN again: our SYN-ACK was lost, resend it
                c.sendSyn(true);
            } else {
                // As Linux's tcp_validate_incoming (syn_challenge): TcpInErrs, drop reason TCP_INVALID_SYN.
                challengeAck(now);
                c.layer.counters().increment(Counter.TcpInErrs);
                c.layer.drop(DropReason.TCP_INVALID_SYN);
            }
            return;
        }
        // Fifth: the ACK field. Without ACK the segment is dropped.
        if ((flags & TcpFlags.ACK) == 0) {
            c.layer.drop(DropReason.TCP_OTHER);
            return;
        }
        int ack = seg.acknowledgmentNumber();
        if (c.state == TcpState.SYN_RECEIVED) {
            if (!SeqNum.lt(c.sender.sndUna, ack) || SeqNum.gt(ack, c.sender.sndMax)) {
                c.layer.sendReset(c.localIp, c.localPort, c.remoteIp, c.remotePort, ack, 0, false);
                c.layer.drop(DropReason.TCP_INVALID_ACK);
                return;
            }
            if (!establishFromSynReceived(now, ack, seg)) {
                return;
            }
        }
        // RFC 5961 section 5.2: SEG.ACK below SND.UNA - MAX.SND.WND (Linux's tcp_ack uses
        // min(max_window, bytes_acked), bytes_acked counting our SYN) is dropped and answered with a
        // rate-limited challenge ACK; above it an old ACK is ignored and the segment's data taken.
        int maxWindow = (int) Math.min(c.sender.maxSndWnd, c.bytesAckedAsLinux());
        if (SeqNum.lt(ack, SeqNum.add(c.sender.sndUna, -maxWindow))) {
            challengeAck(now);
            c.layer.drop(DropReason.TCP_INVALID_ACK);
            return;
        }
        c.sender.onSack(seg);
        int rcvWupBefore = c.receiver.rcvWup;
        c.sender.eceOnAck = c.ecn.echoed(flags);
        if (!c.sender.onAck(now, seq, ack, seg.window() << c.opts.sndWscale, len == 0 && (flags & TcpFlags.FIN) == 0)) {
            // SEG.ACK > SND.NXT. RFC 9293 says "send an ACK, drop"; Linux's tcp_ack returns
            // invalid_ack, which tcp_rcv_established discards silently and tcp_rcv_state_process
            // (the other synchronized states) answers with a challenge ACK. We answer as Linux.
            if (c.state != TcpState.ESTABLISHED) {
                challengeAck(now);
            }
            c.layer.drop(DropReason.TCP_INVALID_ACK);
            return;
        }
        c.opts.replaceTsRecent(seq, rcvWupBefore, now); // tcp_ack with FLAG_UPDATE_TS_RECENT
        ourFinAcked();
        if (c.state == TcpState.CLOSED || c.state == TcpState.TIME_WAIT && (flags & TcpFlags.FIN) == 0) {
            return;
        }
        // Sixth (URG) is ignored: the urgent pointer is parsed, out-of-band data is not supported.
        // Seventh: segment text; eighth: FIN.
        acceptPayload(now, seg, seq);
    }

    /** SYN-RECEIVED, acceptable ACK (RFC 9293 section 3.10.7.4): ESTABLISHED, unless the accept queue is full. */
    private boolean establishFromSynReceived(long now, int ack, TcpPacket seg) {
        boolean fastOpenChild = FastOpen.passive(c); // already in the accept queue (tcp_fastopen_create_child)
        if (c.parent != null && !fastOpenChild) {
            if (c.parent.listenQueue == null || c.parent.listenQueue.acceptQueueFull()) {
                // As Linux (tcp_abort_on_overflow = 0): drop the final ACK; the SYN-ACK is retransmitted.
                c.layer.counters().increment(Counter.TcpExtListenOverflows);
                c.layer.counters().increment(Counter.TcpExtListenDrops);
                c.layer.drop(DropReason.TCP_LISTEN_OVERFLOW);
                return false;
            }
            c.layer.counters().increment(Counter.TcpPassiveOpens);
        }
        int synEnd = SeqNum.add(c.sender.iss, 1);
        if (fastOpenChild) {
            FastOpen.handshakeDone(c); // data sent in SYN-RECEIVED is acknowledged by the ACK processing below
        } else if (SeqNum.gt(c.sender.sndMax, synEnd)) {
            // A simultaneous open after our SYN carried data: this ACK covers the SYN here and
            // the data in the ACK processing below (tcp_ack), which leaves SendQ consistent.
            int nxt = c.sender.sndNxt;
            int max = c.sender.sndMax;
            synAcked(now, synEnd);
            c.sender.sndNxt = nxt;
            c.sender.sndMax = max;
        } else {
            synAcked(now, ack);
        }
        int window = seg.window() << c.opts.sndWscale; // RFC 7323 section 2.3: not a SYN, so scaled
        c.sender.sndWnd = window;
        c.sender.sndWl1 = seg.sequenceNumber();
        c.sender.sndWl2 = ack;
        c.sender.maxSndWnd = Math.max(c.sender.maxSndWnd, window);
        c.moveTo(TcpState.ESTABLISHED);
        if (c.parent != null && !fastOpenChild) {
            c.inSynQueue = false;
            c.parent.listenQueue.established(c);
        }
        return true;
    }

    /** Fifth step, state-specific: our FIN acknowledged moves FIN-WAIT-1, CLOSING and LAST-ACK on. */
    private void ourFinAcked() {
        boolean finAcked = c.sender.finSent && SeqNum.gt(c.sender.sndUna, c.sender.finSeq);
        if (!finAcked) {
            return;
        }
        switch (c.state) {
            case FIN_WAIT_1 -> c.moveTo(TcpState.FIN_WAIT_2);
            case CLOSING -> c.moveTo(TcpState.TIME_WAIT);
            case LAST_ACK -> c.moveTo(TcpState.CLOSED);
            default -> {
            }
        }
    }

    /** Seventh and eighth steps: data, then FIN. */
    private void acceptPayload(long now, TcpPacket seg, int dataSeq) {
        int len = seg.payloadLength();
        boolean fin = seg.hasFlags(TcpFlags.FIN);
        if (len > 0 && !SeqNum.lt(dataSeq, SeqNum.add(c.receiver.rcvNxt, c.receiver.receiveWindow()))) {
            // RFC 9293 section 3.10.7.4 (no data is acceptable in a zero window) and Linux's
            // tcp_data_queue (TCPZeroWindowDrop, out_of_window): data starting at or beyond the right
            // edge of the advertised window is not queued; it gets an immediate ACK.
            c.receiver.enterQuickAck(now);
            c.receiver.ackNow();
            c.layer.drop(DropReason.TCP_INVALID_SEQUENCE);
            return;
        }
        if (len > 0) {
            switch (c.state) {
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
                    if ((c.appClosed || c.shutRd && c.state != TcpState.ESTABLISHED)
                            && SeqNum.gt(SeqNum.add(dataSeq, len), c.receiver.rcvNxt)) {
                        // As Linux (TCPAbortOnData): new data for a socket whose receiving side is shut
                        // down (close, or shutdown(SHUT_RD) in FIN-WAIT-1/2) is answered with RST built
                        // from the segment by tcp_v4_send_reset (RFC 9293 section 3.10.7.1 form:
                        // <SEQ=SEG.ACK><CTL=RST>), then the connection is dropped.
                        c.layer.resetFor(seg, c.localIp, c.remoteIp);
                        c.abort(false);
                        return;
                    }
                    if (c.ecn.onData(seg.flags(), c.layer.inboundEcn)) {
                        c.receiver.ackNow(); // RFC 3168 section 6.1.3: echo congestion at once
                    }
                    c.receiver.onData(now, dataSeq, seg.array(), seg.payloadOffset(), len, seg.hasFlags(TcpFlags.PSH));
                    c.chargeMemory();
                    c.readers.wakeAll();
                    c.readiness.signal();
                }
                default -> c.receiver.ackNow(); // CLOSE-WAIT and later: the peer's FIN came before; ignore
            }
        }
        if (fin) {
            switch (c.state) {
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, SYN_RECEIVED ->
                        c.receiver.onFin(SeqNum.add(dataSeq, len));
                default -> c.receiver.ackNow(); // CLOSE-WAIT, CLOSING, LAST-ACK: remain, ACK
            }
        }
    }

    /**
     * RFC 9293 section 3.10.7.4, first check, as Linux's tcp_validate_incoming: an unacceptable
     * segment is dropped unread (its ACK field too); a SYN gets a challenge ACK (RFC 5961 section
     * 4.2), a RST is dropped (but for Linux's tcp_reset_check: RCV.NXT - 1 after our FIN was
     * sent), anything else a duplicate ACK, rate-limited by tcp_invalid_ratelimit unless it
     * carried data (tcp_oow_rate_limited), so two peers cannot answer each other forever.
     */
    private void outOfWindow(long now, TcpPacket seg, int segLen) {
        int flags = seg.flags();
        if ((flags & TcpFlags.RST) != 0) {
            boolean finSent = c.state == TcpState.CLOSE_WAIT || c.state == TcpState.LAST_ACK || c.state == TcpState.CLOSING;
            if (finSent && seg.sequenceNumber() == SeqNum.add(c.receiver.rcvNxt, -1)) {
                onReset();
                return;
            }
            c.layer.drop(DropReason.TCP_INVALID_SEQUENCE);
            return;
        }
        if ((flags & TcpFlags.SYN) != 0) {
            challengeAck(now);
            c.layer.counters().increment(Counter.TcpInErrs);
            c.layer.drop(DropReason.TCP_INVALID_SYN);
            return;
        }
        boolean data = segLen > 0;
        if (!c.oowRateLimited(now, data, Counter.TcpExtTCPACKSkippedSeq)) {
            // Linux's tcp_send_dupack: old data means our ACK was lost; ACK at once, with a
            // D-SACK block for it (RFC 2883 section 4).
            int seq = seg.sequenceNumber();
            if (seg.payloadLength() > 0 && SeqNum.lt(seq, c.receiver.rcvNxt)) {
                c.receiver.enterQuickAck(now);
                c.receiver.noteDuplicate(seq, seg.payloadLength());
            }
            c.receiver.ackNow(); // RFC 9293: send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and drop
        }
        c.layer.drop(DropReason.TCP_INVALID_SEQUENCE);
    }

    private boolean acceptable(int seq, int segLen) {
        int end = SeqNum.add(seq, segLen);
        int window = c.receiver.receiveWindow();
        return !SeqNum.lt(end, c.receiver.rcvWup) && !SeqNum.gt(seq, SeqNum.add(c.receiver.rcvNxt, window));
    }

    /** RFC 5961 section 5: challenge ACKs, limited per socket (tcp_invalid_ratelimit) and per stack. */
    private void challengeAck(long now) {
        if (c.oowRateLimited(now, false, Counter.TcpExtTCPACKSkippedChallenge)) {
            return; // Linux's tcp_send_challenge_ack: the per-socket limit first (last_oow_ack_time)
        }
        if (!c.layer.challengeAckAllowed(now)) {
            return;
        }
        c.layer.counters().increment(Counter.TcpExtTCPChallengeACK);
        c.receiver.ackNow();
    }

    /** RFC 9293 section 3.10.7.4, second step: the connection was reset. */
    private void onReset() {
        switch (c.state) {
            case SYN_RECEIVED -> {
                if (FastOpen.passive(c)) {
                    c.fail(Errno.ECONNRESET); // a Fast Open child is the application's already (tcp_reset)
                } else if (c.parent != null) {
                    c.moveTo(TcpState.CLOSED); // passive: back to LISTEN means this child goes away
                } else {
                    c.fail(Errno.ECONNREFUSED);
                }
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> c.fail(Errno.ECONNRESET); // N37
            // Linux's tcp_reset: the peer already said it was done sending, so the error a writer
            // sees is EPIPE rather than ECONNRESET.
            case CLOSE_WAIT -> c.fail(Errno.EPIPE);
            default -> c.moveTo(TcpState.CLOSED); // CLOSING, LAST-ACK
        }
    }
}
