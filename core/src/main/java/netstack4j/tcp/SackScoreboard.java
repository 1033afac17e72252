package netstack4j.tcp;

import netstack4j.wire.TcpPacket;

/**
 * The sender's record of what the peer has SACKed (RFC 6675 section 3's scoreboard, Linux's
 * TCPCB_SACKED_ACKED marks): disjoint ranges of stream positions above SND.UNA. Retransmissions
 * skip them, so a loss costs the resending of what was lost only (N26: with 1..5 in flight and
 * 4 lost, only 4 is sent again), and they stay across a retransmission timeout as Linux keeps
 * them (tcp_enter_loss clears SACK marks only on reneging).
 *
 * <p>Positions are the sender's stream positions (bytes acknowledged so far plus the offset from
 * SND.UNA), so they never wrap. Allocation-free. Thread-compatible: owned by the stack's thread.
 */
final class SackScoreboard {
    private final Assembler sacked = new Assembler(Assembler.DEFAULT_MAX_INTERVALS);

    /**
     * Takes the SACK blocks of {@code seg} (RFC 2018 section 3) that lie within
     * (SND.UNA, SND.MAX]: others are D-SACK reports (RFC 2883) or stale; returns whether the
     * first block was a D-SACK (below SEG.ACK, or inside the second block).
     */
    boolean update(TcpPacket seg, int sndUna, int sndMax, long unaPos) {
        int n = seg.sackBlockCount();
        boolean dsack = false;
        for (int i = 0; i < n; i++) {
            int left = seg.sackLeft(i);
            int right = seg.sackRight(i);
            if (i == 0 && (SeqNum.le(right, seg.acknowledgmentNumber()) || n > 1
                    && !SeqNum.lt(left, seg.sackLeft(1)) && !SeqNum.gt(right, seg.sackRight(1)))) {
                dsack = true;
                continue;
            }
            if (!SeqNum.lt(left, right) || !SeqNum.gt(right, sndUna) || SeqNum.gt(right, sndMax)) {
                continue;
            }
            int from = SeqNum.max(left, sndUna);
            sacked.add(unaPos + SeqNum.diff(from, sndUna), unaPos + SeqNum.diff(right, sndUna));
        }
        return dsack;
    }

    /** SND.UNA reached {@code unaPos}: ranges below it are acknowledged now. */
    void acknowledged(long unaPos) {
        while (!sacked.isEmpty() && sacked.start(0) < unaPos) {
            if (sacked.end(0) > unaPos) {
                long end = sacked.end(0);
                sacked.advance(unaPos);
                sacked.add(unaPos, end);
                return;
            }
            sacked.advance(sacked.start(0));
        }
    }

    /** Where a retransmission starting at {@code pos} should start: past any SACKed range there. */
    long skipSacked(long pos) {
        for (int i = 0; i < sacked.count(); i++) {
            if (sacked.start(i) <= pos && pos < sacked.end(i)) {
                return sacked.end(i);
            }
        }
        return pos;
    }

    /** The start of the first SACKed range after {@code pos}, or Long.MAX_VALUE: a retransmission stops there. */
    long nextSacked(long pos) {
        for (int i = 0; i < sacked.count(); i++) {
            if (sacked.start(i) > pos) {
                return sacked.start(i);
            }
        }
        return Long.MAX_VALUE;
    }

    long sackedBytes() {
        return sacked.totalBytes();
    }

    int ranges() {
        return sacked.count();
    }

    /** Whether [from, to) lies inside one SACKed range. */
    boolean covers(long from, long to) {
        for (int i = 0; i < sacked.count(); i++) {
            if (sacked.start(i) <= from && to <= sacked.end(i)) {
                return true;
            }
            if (sacked.start(i) > from) {
                return false;
            }
        }
        return false;
    }

    void clear() {
        while (!sacked.isEmpty()) {
            sacked.advance(sacked.end(sacked.count() - 1));
        }
    }
}
