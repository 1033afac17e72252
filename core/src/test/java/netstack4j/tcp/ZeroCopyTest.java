package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.PSH;
import static netstack4j.wire.TcpFlags.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.ExtendedError;
import netstack4j.socket.MessageFlags;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.PollEvents;
import netstack4j.socket.TcpSocket;
import netstack4j.wire.TcpOption;
import org.junit.jupiter.api.Test;

/**
 * MSG_ZEROCOPY completions as Linux reports them (net/core/skbuff.c msg_zerocopy_*,
 * Documentation/networking/msg_zerocopy.rst): ids per send, a range per completion, only once
 * every skb of the send is freed by a cumulative ACK or a purge.
 */
class ZeroCopyTest {
    private static final int ZC = MessageFlags.MSG_ZEROCOPY;

    private static TcpTestPeer zeroCopyEstablished() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.socket.setOption(NetSocketOptions.SO_ZEROCOPY, true);
        assertTrue(p.socket.getOption(NetSocketOptions.SO_ZEROCOPY));
        return p;
    }

    private static void expectRange(TcpSocket s, int lo, int hi) throws ErrnoException {
        ExtendedError e = s.receiveError();
        assertEquals(new ExtendedError(0, ExtendedError.ORIGIN_ZEROCOPY, 0, ExtendedError.CODE_ZEROCOPY_COPIED, lo, hi, -1, 0), e);
    }

    private static void expectEmpty(TcpSocket s) {
        ErrnoException x = assertThrows(ErrnoException.class, s::receiveError);
        assertEquals(Errno.EAGAIN, x.errno());
    }

    @Test
    void eachSendGetsTheNextIdAndCompletesOnTheCumulativeAck() throws ErrnoException {
        TcpTestPeer p = zeroCopyEstablished();
        assertEquals(100, p.socket.send(new byte[100], 0, 100, ZC));
        p.expect(p.reply().flags(ACK | PSH).data(new byte[100]));
        expectEmpty(p.socket); // not acknowledged yet: the skb is still held
        assertEquals(0, p.socket.readyEvents() & PollEvents.ERR);
        p.send(p.seg().ack(p.l(100)));
        assertTrue((p.socket.readyEvents() & PollEvents.ERR) != 0, "tcp_poll: EPOLLERR for a queued record");
        expectRange(p.socket, 0, 0);
        expectEmpty(p.socket);
        assertEquals(0, p.socket.readyEvents() & PollEvents.ERR);
        p.socket.send(new byte[100], 0, 100, ZC);
        p.send(p.seg().ack(p.l(200)));
        expectRange(p.socket, 1, 1);
    }

    @Test
    void completionsOfConsecutiveIdsMergeIntoOneRecord() throws ErrnoException {
        TcpTestPeer p = zeroCopyEstablished();
        for (int i = 0; i < 3; i++) {
            p.socket.send(new byte[100], 0, 100, ZC);
            p.send(p.seg().ack(p.l(100 * (i + 1))));
        }
        expectRange(p.socket, 0, 2);
        expectEmpty(p.socket);
    }

    @Test
    void aSendJoiningTheUnsentTailExtendsItsNotification() throws ErrnoException {
        // msg_zerocopy_realloc: while corked the first send's skb is unsent, so the second send's
        // id joins its notification; one completion covers both.
        TcpTestPeer p = zeroCopyEstablished();
        p.socket.setOption(NetSocketOptions.TCP_CORK, true);
        p.socket.send(new byte[100], 0, 100, ZC);
        p.socket.send(new byte[100], 0, 100, ZC);
        p.expectNothing();
        p.socket.setOption(NetSocketOptions.TCP_CORK, false);
        p.expect(p.reply().flags(ACK | PSH).data(new byte[200]));
        p.send(p.seg().ack(p.l(100)));
        expectEmpty(p.socket); // half of the skb's data: the skb is trimmed, not freed
        p.send(p.seg().ack(p.l(200)));
        expectRange(p.socket, 0, 1);
    }

    @Test
    void sackedDataIsNotCompletedUntilCumulativelyAcked() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.listening();
        p.send(p.syn().options(new TcpOption.Mss(1000), new TcpOption.SackPermitted()));
        p.next();
        p.send(p.seg());
        p.accept();
        p.socket.setOption(NetSocketOptions.SO_ZEROCOPY, true);
        p.socket.setOption(NetSocketOptions.TCP_CORK, true);
        p.socket.send(new byte[2000], 0, 2000, ZC);
        p.socket.setOption(NetSocketOptions.TCP_CORK, false);
        assertEquals(2, p.drain().size());
        p.send(p.seg().options(new TcpOption.Sack(List.of(new TcpOption.SackBlock(p.l(1000), p.l(2000))))));
        expectEmpty(p.socket);
        p.send(p.seg().ack(p.l(2000)));
        expectRange(p.socket, 0, 0);
    }

    @Test
    void aFailedSendConsumesNoId() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.listening();
        TcpSocket s = p.stack.sockets().tcp();
        s.setOption(NetSocketOptions.SO_ZEROCOPY, true);
        // sk_stream_wait_connect: EPIPE on a socket never connected; net_zcopy_put_abort.
        ErrnoException x = assertThrows(ErrnoException.class, () -> s.send(new byte[10], 0, 10, ZC));
        assertEquals(Errno.EPIPE, x.errno());
        expectEmpty(s);

        TcpTestPeer q = zeroCopyEstablished();
        q.socket.send(new byte[0], 0, 0, ZC); // an empty send takes no id either
        q.socket.send(new byte[10], 0, 10, ZC);
        q.send(q.seg().ack(q.l(10)));
        expectRange(q.socket, 0, 0);
    }

    @Test
    void withoutSoZerocopyTheFlagIsIgnored() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.socket.send(new byte[10], 0, 10, ZC);
        p.send(p.seg().ack(p.l(10)));
        expectEmpty(p.socket);
        assertFalse(p.socket.getOption(NetSocketOptions.SO_ZEROCOPY));
    }

    @Test
    void eachIovecElementIsAFragmentAndAnSkbHoldsSeventeen() throws ErrnoException {
        TcpTestPeer p = zeroCopyEstablished();
        p.socket.setOption(NetSocketOptions.TCP_CORK, true);
        int[] iov = new int[20];
        java.util.Arrays.fill(iov, 1);
        assertEquals(20, p.socket.sendGathered(new byte[20], 0, iov, ZC, null));
        p.socket.setOption(NetSocketOptions.TCP_CORK, false);
        // tcp_mark_push on the skb that ran out of fragments; Nagle holds the small second one
        // until the first is acknowledged.
        p.expect(p.reply().flags(ACK | PSH).data(new byte[17]));
        p.expectNothing();
        p.send(p.seg().ack(p.l(17)));
        p.expect(p.reply().flags(ACK | PSH).seq(p.l(17)).data(new byte[3]));
    }

    @Test
    void aResetCompletesPendingSendsButAClosedSocketHearsNothing() throws ErrnoException {
        TcpTestPeer p = zeroCopyEstablished();
        p.socket.send(new byte[100], 0, 100, ZC);
        p.send(p.seg().flags(RST).ack(0));
        expectRange(p.socket, 0, 0); // tcp_write_queue_purge frees the skbs: the callback runs

        TcpTestPeer q = zeroCopyEstablished();
        q.socket.send(new byte[100], 0, 100, ZC);
        q.socket.close();
        q.send(q.seg().ack(q.l(100)));
        assertEquals(0, netstack4j.tcp.ErrorQueue.pending(q.socket.connection()) ? 1 : 0, "SOCK_DEAD: no report");
    }

    @Test
    void errorQueueMergesOnlyContiguousRanges() {
        ErrorQueue q = new ErrorQueue();
        q.addZeroCopy(0, 0, ErrorQueue.CODE_ZEROCOPY_COPIED);
        q.addZeroCopy(1, 4, ErrorQueue.CODE_ZEROCOPY_COPIED);
        q.addZeroCopy(6, 6, ErrorQueue.CODE_ZEROCOPY_COPIED);
        assertEquals(2, q.size());
        assertEquals(0, q.headInfo());
        assertEquals(4, q.headData());
        q.pop();
        assertEquals(6, q.headInfo());
        for (int i = 0; i < ErrorQueue.LIMIT + 5; i++) {
            q.addZeroCopy(100 + 2 * i, 100 + 2 * i, 0); // gaps: never merged
        }
        assertEquals(ErrorQueue.LIMIT, q.size());
        assertEquals(6, q.dropped());
    }
}
