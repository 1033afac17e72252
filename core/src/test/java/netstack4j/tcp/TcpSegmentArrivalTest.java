package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static netstack4j.wire.TcpFlags.PSH;
import static netstack4j.wire.TcpFlags.RST;
import static netstack4j.wire.TcpFlags.SYN;
import static netstack4j.wire.TcpFlags.URG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.Shutdown;
import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.stack.StackConfig;
import netstack4j.tcp.TcpTestPeer.Seg;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 section 3.10.7 ("SEGMENT ARRIVES"), rule by rule, as conversations with a
 * {@link TcpTestPeer}: segment in, segment out, state after. RFC 5961's challenge ACKs and the
 * places where the engine follows Linux instead of the RFC say so.
 */
class TcpSegmentArrivalTest {

    private static ErrnoException readError(TcpTestPeer p) {
        return assertThrows(ErrnoException.class, p::read);
    }

    // ------------------------------------------------------------------ 3.10.7.2 LISTEN

    @Nested
    class Listen {
        @Test
        void synGetsSynAckWithOurMssAndAChildInSynReceived() {
            // RFC 9293 3.10.7.2, third: a SYN is answered <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            TcpTestPeer p = TcpTestPeer.synReceived();
            p.send(p.seg());
            p.expectNothing();
            p.accept();
            assertEquals(TcpState.ESTABLISHED, p.state());
            assertEquals(1, p.counter(Counter.TcpPassiveOpens));
            assertEquals(1, p.counter(Counter.TcpCurrEstab));
        }

        @Test
        void rstIsIgnored() {
            // RFC 9293 3.10.7.2, first: an incoming RST should be ignored.
            TcpTestPeer p = TcpTestPeer.listening();
            p.send(p.syn().flags(RST));
            p.expectNothing();
            assertEquals(1, p.drops(DropReason.TCP_OTHER));
        }

        @Test
        void ackGetsResetFromItsAcknowledgmentNumber() {
            // RFC 9293 3.10.7.2, second: any ACK gets <SEQ=SEG.ACK><CTL=RST>.
            TcpTestPeer p = TcpTestPeer.listening();
            p.send(p.seg().ack(12345));
            p.expect(p.reply().flags(RST).seq(12345).window(0));
            assertEquals(1, p.counter(Counter.TcpOutRsts));
            assertEquals(1, p.drops(DropReason.TCP_INVALID_ACK));
        }

        @Test
        void segmentWithoutSynRstOrAckIsDropped() {
            // RFC 9293 3.10.7.2, fourth: other text or control is dropped.
            TcpTestPeer p = TcpTestPeer.listening();
            p.send(p.seg().flags(PSH).data("hello"));
            p.send(p.seg().flags(FIN));
            p.expectNothing();
            assertEquals(2, p.drops(DropReason.TCP_OTHER));
        }

        @Test
        void synAckToAListenerIsReset() {
            // RFC 9293 3.10.7.2: the ACK check comes before the SYN check.
            TcpTestPeer p = TcpTestPeer.listening();
            p.send(p.syn().flags(SYN | ACK).ack(777));
            p.expect(p.reply().flags(RST).seq(777).window(0));
        }
    }

    // ------------------------------------------------------------------ 3.10.7.3 SYN-SENT

    @Nested
    class SynSent {
        @Test
        void synAckEstablishesAndIsAcknowledged() {
            // RFC 9293 3.10.7.3, fourth: SND.UNA > ISS, ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
            TcpTestPeer p = TcpTestPeer.activeEstablished();
            assertEquals(1, p.counter(Counter.TcpActiveOpens));
            p.expectNothing();
        }

        @Test
        void ackOfIssOrBeyondSndNxtGetsResetAndStaysSynSent() {
            // RFC 9293 3.10.7.3, first: SEG.ACK =< ISS or SEG.ACK > SND.NXT gets <SEQ=SEG.ACK><CTL=RST>.
            TcpTestPeer p = TcpTestPeer.synSent();
            p.send(p.syn().flags(SYN | ACK).ack(p.localIss));
            p.expect(p.reply().flags(RST).seq(p.localIss).window(0));
            p.send(p.syn().flags(SYN | ACK).ack(p.l(1)));
            p.expect(p.reply().flags(RST).seq(p.l(1)).window(0));
            assertEquals(TcpState.SYN_SENT, p.state());
            assertEquals(2, p.drops(DropReason.TCP_INVALID_ACK));
        }

        @Test
        void rstWithAcceptableAckRefusesTheConnection() {
            // RFC 9293 3.10.7.3, second: RST with an acceptable ACK: "error: connection reset", CLOSED.
            TcpTestPeer p = TcpTestPeer.synSent();
            p.send(p.seg().flags(RST | ACK).seq(0).ack(p.l(0)).window(0));
            p.expectNothing();
            assertEquals(TcpState.CLOSED, p.state());
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> p.socket.connect(new Ipv4SocketAddress(TcpTestPeer.REMOTE, TcpTestPeer.REMOTE_PORT)));
            assertEquals(Errno.ECONNREFUSED, e.errno());
            assertEquals(1, p.counter(Counter.TcpAttemptFails));
        }

        @Test
        void rstWithoutAckOrWithBadAckIsDropped() {
            // RFC 9293 3.10.7.3: a RST without ACK is dropped; with an unacceptable ACK it is dropped unanswered.
            TcpTestPeer p = TcpTestPeer.synSent();
            p.send(p.seg().flags(RST).seq(0).ack(0));
            p.send(p.seg().flags(RST | ACK).seq(0).ack(p.l(5)));
            p.expectNothing();
            assertEquals(TcpState.SYN_SENT, p.state());
        }

        @Test
        void bareSynIsSimultaneousOpen() {
            // RFC 9293 3.10.7.3, fourth: SYN without ACK: SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            TcpTestPeer p = TcpTestPeer.synSent();
            p.send(p.syn());
            p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).ack(p.r(0)).options(new netstack4j.wire.TcpOption.Mss(1460)));
            assertEquals(TcpState.SYN_RECEIVED, p.state());
        }

        @Test
        void neitherSynNorRstIsDropped() {
            // RFC 9293 3.10.7.3, fifth: neither SYN nor RST: drop the segment.
            TcpTestPeer p = TcpTestPeer.synSent();
            p.send(p.seg().data("early"));
            p.expectNothing();
            assertEquals(TcpState.SYN_SENT, p.state());
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 first: sequence number

    @Nested
    class SequenceAcceptability {
        @Test
        void zeroLengthSegmentInsideTheWindowIsAcceptable() {
            // RFC 9293 3.10.7.4 table, case 2: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
            TcpTestPeer p = TcpTestPeer.established();
            int wnd = p.conn().receiver.receiveWindow();
            p.send(p.seg().seq(p.r(wnd - 1)));
            p.expectNothing();
            assertEquals(0, p.drops(DropReason.TCP_INVALID_SEQUENCE));
        }

        @Test
        void zeroLengthSegmentBeforeTheWindowGetsABareAckAndIsDropped() {
            // RFC 9293 3.10.7.4 table, case 2 fails: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().seq(p.r(-1)));
            p.expect(p.reply());
            assertEquals(1, p.drops(DropReason.TCP_INVALID_SEQUENCE));
        }

        @Test
        void zeroLengthSegmentPastTheWindowGetsABareAck() {
            // Case 2 fails beyond the right edge. As Linux's tcp_sequence, SEG.SEQ = RCV.NXT+RCV.WND
            // still passes (!after(seq, rcv_nxt + window)); one more does not.
            TcpTestPeer p = TcpTestPeer.established();
            int wnd = p.conn().receiver.receiveWindow();
            p.send(p.seg().seq(p.r(wnd)));
            p.expectNothing();
            p.send(p.seg().seq(p.r(wnd + 1)));
            p.expect(p.reply());
            assertEquals(1, p.drops(DropReason.TCP_INVALID_SEQUENCE));
        }

        @Test
        void dataWhollyBeforeTheWindowIsAnOldDuplicate() throws ErrnoException {
            // Case 4 fails on the left (a retransmission of acknowledged data): ACK at once, nothing
            // queued twice. As Linux's tcp_sequence, a segment ending exactly at RCV.WUP passes the
            // first check and is recognised as a duplicate when its text is processed.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | PSH).data("hello"));
            p.expect(p.reply().ack(p.r(5)));
            p.send(p.seg().flags(ACK | PSH).data("hello"));
            p.expect(p.reply().ack(p.r(5)));
            assertEquals("hello", p.read());
        }

        @Test
        void dataOverlappingTheLeftEdgeDeliversOnlyTheNewBytes() throws ErrnoException {
            // Case 4: "RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND" is enough; the old part is trimmed.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | PSH).data("hello"));
            p.expect(p.reply().ack(p.r(5)));
            p.send(p.seg().flags(ACK | PSH).seq(p.r(3)).data("lo world"));
            p.expect(p.reply().ack(p.r(11)));
            assertEquals("hello world", p.read());
        }

        @Test
        void dataWhollyBeyondTheWindowGetsABareAckAndIsNotStored() throws ErrnoException {
            // Case 4 fails on the right: ACK, drop, nothing queued.
            TcpTestPeer p = TcpTestPeer.established();
            int wnd = p.conn().receiver.receiveWindow();
            p.send(p.seg().seq(p.r(wnd + 1)).data("far"));
            p.expect(p.reply());
            assertEquals(1, p.drops(DropReason.TCP_INVALID_SEQUENCE));
            p.send(p.seg().data("near"));
            p.expect(p.reply().ack(p.r(4)));
            assertEquals("near", p.read());
        }

        @Test
        void zeroWindowTakesOnlyAZeroLengthSegmentAtRcvNxt() throws ErrnoException {
            // Cases 1 and 3: with RCV.WND = 0 only SEG.SEQ = RCV.NXT without data is acceptable; data
            // gets a bare ACK (as Linux's tcp_data_queue: TCPZeroWindowDrop) and is not queued.
            TcpTestPeer p = zeroWindow();
            int full = p.conn().receiver.rcvNxt - p.r(0);
            p.send(p.seg().seq(p.r(full)));
            p.expectNothing();
            p.send(p.seg().seq(p.r(full)).data("x"));
            p.expect(p.reply().ack(p.r(full)).window(0));
            assertEquals(full, p.conn().readableBytes());
            p.send(p.seg().seq(p.r(full + 1)));
            p.expect(p.reply().ack(p.r(full)).window(0));
        }

        /** An established connection whose receive buffer the peer has filled: RCV.WND = 0. */
        private TcpTestPeer zeroWindow() {
            TcpTestPeer p = TcpTestPeer.listening();
            try {
                p.listener.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 2048);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
            p.send(p.syn());
            p.next();
            p.send(p.seg());
            p.accept();
            int sent = 0;
            for (int i = 0; i < 10 && p.conn().receiver.receiveWindow() > 0; i++) {
                int n = Math.min(1000, p.conn().receiver.receiveWindow());
                p.send(p.seg().seq(p.r(sent)).data("z".repeat(n)));
                sent += n;
                p.advanceMs(200);
            }
            p.drain();
            assertEquals(0, p.conn().receiver.receiveWindow(), "the window closed");
            return p;
        }

        @Test
        void sequenceNumbersWrapAround2To32() throws ErrnoException {
            // RFC 9293 section 3.4: sequence arithmetic is modulo 2^32; both streams cross the wrap.
            TcpTestPeer p = new TcpTestPeer(0xfffffff0, 0xfffffffa, StackConfig.linuxDefaults());
            p.listen();
            p.send(p.syn());
            p.expect(p.reply().flags(SYN | ACK).seq(0xfffffff0).ack(0xfffffffb).options(new netstack4j.wire.TcpOption.Mss(1460)));
            p.send(p.seg());
            p.accept();
            p.send(p.seg().flags(ACK | PSH).data("0123456789"));
            assertEquals(5, p.r(10), "the peer's stream wrapped");
            p.expect(p.reply().ack(5));
            p.write("abcdefghijklmnopqrstuvwxyz");
            p.expect(p.reply().flags(ACK | PSH).ack(5).data("abcdefghijklmnopqrstuvwxyz"));
            assertEquals(0x0b, p.l(26), "our stream wrapped");
            p.send(p.seg().seq(5).ack(p.l(26)).data("wrapped"));
            p.advanceMs(200); // we replied quickly, so the connection is interactive: a delayed ACK
            p.expect(p.reply().seq(p.l(26)).ack(12));
            assertEquals(p.l(26), p.conn().sender.sndUna);
            assertEquals(0, p.conn().sendQueueBytes());
            assertEquals("0123456789wrapped", p.read());
            // An old segment from before the wrap is still recognised as old.
            p.send(p.seg().seq(0xfffffffb).ack(p.l(26)).data("01"));
            p.expect(p.reply().seq(p.l(26)).ack(12));
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 second: RST

    @Nested
    class Reset {
        @Test
        void rstAtRcvNxtResetsTheConnection() throws ErrnoException {
            // RFC 9293 3.10.7.4 second, RFC 5961 3.2: RST with SEG.SEQ = RCV.NXT resets. As Linux
            // (tcp_reset purges only the write queue; tcp_recvmsg reads queued data before
            // sk_err), data already received is still read, then ECONNRESET. (N37's "error even
            // with data buffered" is the Windows personality's behaviour.)
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | PSH).data("data"));
            p.expect(p.reply().ack(p.r(4)));
            p.send(p.seg().flags(RST).seq(p.r(4)).ack(0).window(0));
            p.expectNothing();
            assertEquals(TcpState.CLOSED, p.state());
            assertEquals(1, p.counter(Counter.TcpEstabResets));
            assertEquals("data", p.read());
            assertEquals(Errno.ECONNRESET, readError(p).errno());
        }

        @Test
        void rstInWindowButNotExactGetsAChallengeAckLimitedPerSocket() {
            // RFC 5961 3.2: an in-window RST not at RCV.NXT gets a challenge ACK, the connection
            // stays; as Linux, tcp_invalid_ratelimit (500 ms) limits them per socket.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(RST).seq(p.r(1)));
            p.expect(p.reply());
            assertEquals(1, p.counter(Counter.TcpExtTCPChallengeACK));
            p.send(p.seg().flags(RST).seq(p.r(2)));
            p.expectNothing();
            p.advanceMs(499);
            p.send(p.seg().flags(RST).seq(p.r(3)));
            p.expectNothing();
            p.advanceMs(1);
            p.send(p.seg().flags(RST).seq(p.r(4)));
            p.expect(p.reply());
            assertEquals(2, p.counter(Counter.TcpExtTCPChallengeACK));
            assertEquals(TcpState.ESTABLISHED, p.state());
            assertEquals(0, p.counter(Counter.TcpEstabResets));
            // The answer to the challenge, an exact RST, does reset.
            p.send(p.seg().flags(RST));
            assertEquals(TcpState.CLOSED, p.state());
        }

        @Test
        void rstOutsideTheWindowIsDroppedSilently() {
            // RFC 9293 3.10.7.4 first: an unacceptable RST is dropped without an ACK.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(RST).seq(p.r(-1)));
            p.send(p.seg().flags(RST).seq(p.r(70000)));
            p.expectNothing();
            assertEquals(TcpState.ESTABLISHED, p.state());
            assertEquals(2, p.drops(DropReason.TCP_INVALID_SEQUENCE));
        }

        @Test
        void rstInSynReceivedOfAPassiveOpenRemovesTheChild() {
            // RFC 9293 3.10.7.4 second, SYN-RECEIVED from a passive OPEN: back to LISTEN.
            TcpTestPeer p = TcpTestPeer.synReceived();
            p.send(p.seg().flags(RST));
            p.expectNothing();
            assertEquals(0, p.tcp.connections().stream().filter(c -> !c.isListening()).count());
            assertEquals(1, p.counter(Counter.TcpAttemptFails));
            // The listener still listens.
            p.send(p.syn());
            p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).options(new netstack4j.wire.TcpOption.Mss(1460)));
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 fourth: SYN

    @Nested
    class SynInSynchronizedState {
        @Test
        void inWindowSynGetsAChallengeAckAndChangesNothing() {
            // RFC 9293 3.10.7.4 fourth and RFC 5961 4.2: any SYN in a synchronized state gets a challenge ACK.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.syn().seq(p.r(10)));
            p.expect(p.reply());
            assertEquals(TcpState.ESTABLISHED, p.state());
            assertEquals(1, p.counter(Counter.TcpExtTCPChallengeACK));
        }

        @Test
        void retransmittedSynInEstablishedIsOutOfWindowAndGetsADuplicateAck() {
            // The peer's old SYN (SEG.SEQ = IRS) fails the sequence test first: ACK and drop.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.syn());
            p.expect(p.reply());
            assertEquals(TcpState.ESTABLISHED, p.state());
        }

        @Test
        void synRetransmittedInSynReceivedGetsTheSynAckAgain() {
            // RFC 9293 3.10.7.4 (as Linux's tcp_check_req): the same SYN again means our SYN-ACK was lost.
            TcpTestPeer p = TcpTestPeer.synReceived();
            p.send(p.syn());
            p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).options(new netstack4j.wire.TcpOption.Mss(1460)));
            assertEquals(TcpState.SYN_RECEIVED, p.state());
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 fifth: ACK

    @Nested
    class Acknowledgment {
        @Test
        void segmentWithoutAckIsDropped() throws ErrnoException {
            // RFC 9293 3.10.7.4 fifth: if the ACK bit is off, drop the segment and return.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(PSH).data("noack"));
            p.expectNothing();
            assertEquals("", p.read());
            assertEquals(1, p.drops(DropReason.TCP_OTHER));
        }

        @Test
        void ackInSynReceivedOutsideTheSentRangeGetsReset() {
            // RFC 9293 3.10.7.4 fifth, SYN-RECEIVED: an unacceptable ACK gets <SEQ=SEG.ACK><CTL=RST>.
            TcpTestPeer p = TcpTestPeer.synReceived();
            p.send(p.seg().ack(p.l(100)));
            p.expect(p.reply().flags(RST).seq(p.l(100)).window(0));
            assertEquals(TcpState.SYN_RECEIVED, p.child().state());
        }

        @Test
        void ackOfUnsentDataIsDroppedWithItsDataSilentlyAsLinux() throws ErrnoException {
            // RFC 9293 3.10.7.4 fifth: SEG.ACK > SND.NXT: the segment is dropped with its data.
            // The RFC adds "send an ACK"; Linux's tcp_ack returns invalid_ack and
            // tcp_rcv_established discards the segment silently, and we answer as Linux.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().ack(p.l(100)).data("bad"));
            p.expectNothing();
            p.send(p.seg().ack(p.l(100)).data("bad"));
            p.expectNothing();
            assertEquals("", p.read());
            assertEquals(2, p.drops(DropReason.TCP_INVALID_ACK));
            assertEquals(0, p.counter(Counter.TcpExtTCPChallengeACK));
            p.send(p.seg().data("good"));
            p.expect(p.reply().ack(p.r(4)));
            assertEquals("good", p.read());
        }

        @Test
        void ackBelowSndUnaMinusTheMaxWindowGetsAChallengeAck() throws ErrnoException {
            // RFC 5961 5.2: SEG.ACK must be within [SND.UNA - MAX.SND.WND, SND.NXT]; below it the
            // segment is dropped with a challenge ACK (as Linux's tcp_ack, whose window is
            // min(max_window, bytes_acked)).
            TcpTestPeer p = TcpTestPeer.established();
            p.write("0123456789");
            p.expect(p.reply().flags(ACK | PSH).data("0123456789"));
            p.send(p.seg().ack(p.l(10)));
            p.expectNothing();
            p.send(p.seg().ack(p.l(-1000)).data("blind"));
            p.expect(p.reply().seq(p.l(10)));
            assertEquals("", p.read());
            assertEquals(1, p.counter(Counter.TcpExtTCPChallengeACK));
        }

        @Test
        void oldDuplicateAckIsIgnored() throws ErrnoException {
            // RFC 9293 3.10.7.4 fifth: "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
            TcpTestPeer p = TcpTestPeer.established();
            p.write("0123456789");
            p.expect(p.reply().flags(ACK | PSH).data("0123456789"));
            p.send(p.seg().ack(p.l(10)));
            p.send(p.seg().ack(p.l(5)));
            p.expectNothing();
            assertEquals(p.l(10), p.conn().sender.sndUna);
            p.send(p.seg().ack(p.l(5)).data("still delivered"));
            p.expect(p.reply().seq(p.l(10)).ack(p.r(15)));
            assertEquals("still delivered", p.read());
        }

        @Test
        void sendWindowIsUpdatedOnlyByNewerSegments() {
            // RFC 9293 3.10.7.4 fifth: update SND.WND if SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK.
            TcpTestPeer p = TcpTestPeer.established();
            p.write("0123456789");
            p.expect(p.reply().flags(ACK | PSH).data("0123456789"));
            p.send(p.seg().ack(p.l(10)).window(2000));
            assertEquals(2000, p.conn().sender.sndWnd);
            // Same SEQ, older ACK (reordered): the window is not taken.
            p.send(p.seg().ack(p.l(5)).window(100));
            assertEquals(2000, p.conn().sender.sndWnd);
            // Same SEQ and ACK: taken (a pure window update).
            p.send(p.seg().ack(p.l(10)).window(3000));
            assertEquals(3000, p.conn().sender.sndWnd);
            // Data carrying the same ACK: SND.WL1 = SEG.SEQ and SND.WL2 = SEG.ACK, taken.
            p.send(p.seg().ack(p.l(10)).data("ab").window(1500));
            assertEquals(1500, p.conn().sender.sndWnd);
            assertEquals(p.r(0), p.conn().sender.sndWl1);
            // A newer SEQ (SND.WL1 < SEG.SEQ): taken, even when the window grows.
            p.send(p.seg().seq(p.r(2)).ack(p.l(10)).window(1600));
            assertEquals(1600, p.conn().sender.sndWnd);
            assertEquals(p.r(2), p.conn().sender.sndWl1);
            assertEquals(p.l(10), p.conn().sender.sndWl2);
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 sixth: URG

    @Nested
    class Urgent {
        @Test
        void urgentDataIsDeliveredInline() throws ErrnoException {
            // RFC 9293 3.10.7.4 sixth and RFC 6093: the urgent pointer is parsed and ignored; there is
            // no out-of-band byte, so everything arrives in the stream (as Linux with SO_OOBINLINE).
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | URG | PSH).urgent(3).data("abc"));
            p.expect(p.reply().ack(p.r(3)));
            p.send(p.seg().flags(ACK | URG).seq(p.r(3)).urgent(60000).data("def"));
            p.expect(p.reply().ack(p.r(6)));
            assertEquals("abcdef", p.read());
        }

        @Test
        void urgentFlagWithoutDataChangesNothing() {
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | URG).urgent(1));
            p.expectNothing();
            assertEquals(TcpState.ESTABLISHED, p.state());
        }
    }

    // ------------------------------------------------------------------ 3.10.7.4 seventh and eighth: text and FIN

    @Nested
    class FinProcessing {
        @Test
        void finInEstablishedMovesToCloseWaitAndReadsEndOfStream() throws ErrnoException {
            // RFC 9293 3.10.7.4 eighth: ESTABLISHED enters CLOSE-WAIT; FIN implies PUSH.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | FIN).data("bye"));
            p.expect(p.reply().ack(p.r(4)));
            assertEquals(TcpState.CLOSE_WAIT, p.state());
            assertEquals("bye", p.read());
            assertEquals("", p.read());
        }

        @Test
        void finBeyondAGapWaitsForTheGap() throws ErrnoException {
            // RFC 9293 3.10.7.4 eighth: FIN is processed when RCV.NXT reaches it.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | FIN).seq(p.r(3)).data("def"));
            p.expect(p.reply());
            assertEquals(TcpState.ESTABLISHED, p.state());
            p.send(p.seg().data("abc"));
            p.expect(p.reply().ack(p.r(7)));
            assertEquals(TcpState.CLOSE_WAIT, p.state());
            assertEquals("abcdef", p.read());
        }

        @Test
        void finInSynReceivedWithTheHandshakeAckGoesToCloseWait() {
            // RFC 9293 3.10.7.4 fifth then eighth: the ACK establishes, the FIN moves to CLOSE-WAIT.
            TcpTestPeer p = TcpTestPeer.synReceived();
            p.send(p.seg().flags(ACK | FIN));
            p.expect(p.reply().ack(p.r(1)));
            assertEquals(TcpState.CLOSE_WAIT, p.child().state());
        }

        @Test
        void finAgainInCloseWaitIsAcknowledged() {
            // RFC 9293 3.10.7.4 eighth: CLOSE-WAIT remains.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | FIN));
            p.expect(p.reply().ack(p.r(1)));
            p.send(p.seg().flags(ACK | FIN));
            p.expect(p.reply().ack(p.r(1)));
            assertEquals(TcpState.CLOSE_WAIT, p.state());
        }

        @Test
        void lastAckEndsWhenOurFinIsAcknowledged() {
            // RFC 9293 3.10.7.4 fifth, LAST-ACK: when our FIN is acknowledged, CLOSED.
            TcpTestPeer p = TcpTestPeer.established();
            p.send(p.seg().flags(ACK | FIN));
            p.expect(p.reply().ack(p.r(1)));
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN).ack(p.r(1)));
            assertEquals(TcpState.LAST_ACK, p.conn().state());
            p.send(p.seg().seq(p.r(1)).ack(p.l(1)));
            p.expectNothing();
            assertEquals(TcpState.CLOSED, p.conn().state());
        }

        @Test
        void finInFinWait1WithoutAckOfOursIsSimultaneousClose() {
            // RFC 9293 3.10.7.4 eighth, FIN-WAIT-1 (our FIN not acknowledged): CLOSING; then TIME-WAIT.
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().flags(ACK | FIN));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.CLOSING, p.conn().state());
            p.send(p.seg().seq(p.r(1)).ack(p.l(1)));
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
        }

        @Test
        void finAckingOurFinInFinWait1GoesStraightToTimeWait() {
            // RFC 9293 3.10.7.4 fifth then eighth: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT in one segment.
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().flags(ACK | FIN).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
        }

        @Test
        void finInFinWait2GoesToTimeWait() {
            // RFC 9293 3.10.7.4 eighth, FIN-WAIT-2: TIME-WAIT, start the time-wait timer.
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().ack(p.l(1)));
            assertEquals(TcpState.FIN_WAIT_2, p.conn().state());
            p.send(p.seg().flags(ACK | FIN).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
        }

        @Test
        void dataAfterCloseIsAnsweredWithReset() {
            // RFC 1122 4.2.2.13 and Linux's tcp_rcv_state_process (TCPAbortOnData): new data for a
            // socket that will never read it resets the connection.
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().ack(p.l(1)).data("late"));
            // tcp_v4_send_reset builds the RST from the segment: <SEQ=SEG.ACK><CTL=RST>.
            p.expect(p.reply().flags(RST).seq(p.l(1)).ack(0).window(0));
            assertEquals(TcpState.CLOSED, p.conn().state());
        }

        @Test
        void dataAfterShutdownOfBothDirectionsIsAnsweredWithReset() throws ErrnoException {
            // As Linux (tcp_rcv_state_process, FIN-WAIT-1/2 with RCV_SHUTDOWN): shutdown(SHUT_RDWR)
            // is "the receiver was shut down" just as close is.
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.shutdown(Shutdown.BOTH);
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().ack(p.l(1)).data("late"));
            // tcp_v4_send_reset builds the RST from the segment: <SEQ=SEG.ACK><CTL=RST>.
            p.expect(p.reply().flags(RST).seq(p.l(1)).ack(0).window(0));
            assertEquals(TcpState.CLOSED, p.conn().state());
        }
    }

    // ------------------------------------------------------------------ TIME-WAIT

    @Nested
    class TimeWait {
        /** We closed first; the peer's FIN arrived: TIME-WAIT. */
        private TcpTestPeer timeWait() {
            TcpTestPeer p = TcpTestPeer.established();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().flags(ACK | FIN).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
            return p;
        }

        @Test
        void retransmittedFinIsAcknowledgedAndRestartsTwoMsl() {
            // RFC 9293 3.10.7.4 eighth, TIME-WAIT: "Acknowledge it, and restart the 2 MSL timeout" (N40).
            TcpTestPeer p = timeWait();
            p.advanceMs(30_000);
            p.send(p.seg().flags(ACK | FIN).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            p.advanceMs(59_999);
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
            p.advanceMs(1);
            assertEquals(TcpState.CLOSED, p.conn().state());
            assertEquals(1, p.counter(Counter.TcpExtTW));
        }

        @Test
        void rstEndsTimeWaitAsLinux() {
            // RFC 1337 suggests ignoring it; Linux (tcp_rfc1337 = 0) closes, and so does the engine.
            TcpTestPeer p = timeWait();
            p.send(p.seg().flags(RST).seq(p.r(1)));
            p.expectNothing();
            assertEquals(TcpState.CLOSED, p.conn().state());
        }

        @Test
        void newSynAboveTheOldSequenceSpaceReopensAsLinux() {
            // As Linux's tcp_timewait_state_process (TCP_TW_SYN): a SYN beyond RCV.NXT to a port
            // that listens starts a new connection, whose ISN is the old SND.NXT + 65537 (tcp_tw_isn).
            TcpTestPeer p = timeWait();
            p.send(p.syn().seq(p.r(100_000)));
            p.expect(p.reply().flags(SYN | ACK).seq(p.l(1 + 65_537)).ack(p.r(100_001))
                    .options(new netstack4j.wire.TcpOption.Mss(1460)));
            assertEquals(TcpState.CLOSED, p.conn().state());
        }

        @Test
        void timeWaitIsASmallEntryThatHoldsTheTuple() {
            // Linux's tcp_time_wait: the connection leaves the tables, a timewait entry takes its place.
            TcpTestPeer p = timeWait();
            assertEquals(1, p.tcp.timeWaitCount());
            assertEquals(0, p.tcp.connections().stream().filter(c -> !c.isListening()).count());
            assertEquals(0, p.tcp.memoryBytes(), "no memory charged for TIME-WAIT");
            assertEquals("timewait", p.tcp.timeWaitSockets().getFirst().info(p.nowNs).timer());
        }

        @Test
        void bareAckAtRcvNxtRestartsTheTimerSilently() {
            // tcp_timewait_state_process: "In window segment, it may be only reset or bare ack."
            TcpTestPeer p = timeWait();
            p.advanceMs(30_000);
            p.send(p.seg().seq(p.r(1)).ack(p.l(1)));
            p.expectNothing();
            p.advanceMs(59_999);
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
            p.advanceMs(1);
            assertEquals(TcpState.CLOSED, p.conn().state());
        }

        @Test
        void rstOutsideTheWindowIsIgnored() {
            TcpTestPeer p = timeWait();
            p.send(p.seg().flags(RST).seq(p.r(500)));
            p.expectNothing();
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
            assertEquals(1, p.tcp.timeWaitCount());
        }

        @Test
        void answersToOutOfWindowAcksAreRateLimited() {
            // tcp_timewait_check_oow_rate_limit: one answer per tcp_invalid_ratelimit (TCPACKSkippedTimeWait).
            TcpTestPeer p = timeWait();
            p.send(p.seg().seq(p.r(-100)).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            p.advanceMs(100);
            p.send(p.seg().seq(p.r(-100)).ack(p.l(1)));
            p.expectNothing();
            assertEquals(1, p.counter(Counter.TcpExtTCPACKSkippedTimeWait));
            p.advanceMs(400);
            p.send(p.seg().seq(p.r(-100)).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
        }

        @Test
        void pastTcpMaxTwBucketsTheConnectionSkipsTimeWait() {
            // tcp_time_wait when inet_twsk_alloc fails: closed at once, TCPTimeWaitOverflow.
            TcpTestPeer p = new TcpTestPeer(TcpTestPeer.LOCAL_ISS, TcpTestPeer.REMOTE_ISS,
                    netstack4j.stack.StackConfig.linuxDefaults(), TcpSettings.linux().withMaxTwBuckets(0));
            p.listen();
            p.send(p.syn());
            p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).ack(p.r(0)).options(new netstack4j.wire.TcpOption.Mss(1460)));
            p.send(p.seg());
            p.accept();
            p.socket.close();
            p.expect(p.reply().flags(ACK | FIN));
            p.send(p.seg().flags(ACK | FIN).ack(p.l(1)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.CLOSED, p.conn().state());
            assertEquals(0, p.tcp.timeWaitCount());
            assertEquals(1, p.counter(Counter.TcpExtTCPTimeWaitOverflow));
        }

        @Test
        void oldSynInTimeWaitIsAnsweredWithAnAck() {
            // A SYN at or below RCV.NXT is an old duplicate: TIME-WAIT answers with its ACK.
            TcpTestPeer p = timeWait();
            p.send(p.syn().seq(p.r(0)));
            p.expect(p.reply().seq(p.l(1)).ack(p.r(1)));
            assertEquals(TcpState.TIME_WAIT, p.conn().state());
        }
    }
}
