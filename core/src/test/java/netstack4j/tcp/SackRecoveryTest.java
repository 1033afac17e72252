package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.PSH;
import static netstack4j.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import netstack4j.socket.ErrnoException;
import netstack4j.stack.Counter;
import netstack4j.wire.TcpOption;
import org.junit.jupiter.api.Test;

/** SACK recovery (RFC 6675 scoreboard, RFC 8985 RACK, Linux's tcp_fastretrans_alert): what the peer SACKed is never sent again. */
class SackRecoveryTest {
    /** An accepted connection whose peer offered SACK (no timestamps, no window scale) and an MSS of 1000. */
    private static TcpTestPeer sackEstablished() {
        TcpTestPeer p = TcpTestPeer.listening();
        p.send(p.syn().options(new TcpOption.Mss(1000), new TcpOption.SackPermitted()));
        p.expect(p.reply().flags(SYN | ACK).seq(p.localIss).ack(p.r(0)).options(new TcpOption.Mss(1460),
                new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.SackPermitted()));
        p.send(p.seg());
        p.expectNothing();
        p.accept();
        return p;
    }

    /** The application writes {@code n} segments' worth; they go out at once, PSH on the last. */
    private static void writeSegments(TcpTestPeer p, int n) throws ErrnoException {
        p.socket.write(new byte[1000 * n], 0, 1000 * n);
        for (int i = 0; i < n; i++) {
            p.expect(p.reply().flags(i == n - 1 ? ACK | PSH : ACK).seq(p.l(1000 * i)).data(new byte[1000]));
        }
    }

    private static TcpOption sack(int left, int right) {
        return new TcpOption.Sack(List.of(new TcpOption.SackBlock(left, right)));
    }

    @Test
    void n26OnlyTheLostSegmentIsResent() throws ErrnoException {
        // N26: segments 1..5 in flight, 4 lost; 5 is SACKed, so the retransmission sends 4 only.
        TcpTestPeer p = sackEstablished();
        writeSegments(p, 5);
        p.send(p.seg().ack(p.l(3000)));
        // RACK (RFC 8985): 5, sent after 4, is delivered; with no RTT to wait for (this peer
        // answers at once, so min_rtt/4 is 0) 4 is lost now and fast recovery resends it alone.
        p.send(p.seg().ack(p.l(3000)).options(sack(p.l(4000), p.l(5000))));
        p.expect(p.reply().flags(ACK).seq(p.l(3000)).data(new byte[1000]));
        p.expectNothing();
        p.send(p.seg().ack(p.l(5000)));
        p.advanceMs(5000);
        p.expectNothing();
        assertEquals(1, p.counter(Counter.TcpRetransSegs));
        assertEquals(1, p.counter(Counter.TcpExtTCPSackRecovery));
        assertEquals(0, p.counter(Counter.TcpExtTCPTimeouts));
        assertEquals(0, p.conn().sendQueueBytes());
    }

    @Test
    void twoHolesAreResentAndTheSackedSegmentsAreNot() throws ErrnoException {
        // Segments 2 and 4 of 1..5 lost, 3 and 5 SACKed: after the RTO, 2 then 4 are resent, 5 never.
        TcpTestPeer p = sackEstablished();
        writeSegments(p, 5);
        p.send(p.seg().ack(p.l(1000)));
        // 3 SACKed: RACK finds 2 lost (sent before 3, reordering window 0 here) and recovery resends it.
        p.send(p.seg().ack(p.l(1000)).options(sack(p.l(2000), p.l(3000))));
        p.expect(p.reply().seq(p.l(1000)).data(new byte[1000]));
        p.expectNothing();
        // 5 SACKed too: 4 is lost; PRR lets one segment go for the one delivered.
        p.send(p.seg().ack(p.l(1000)).options(new TcpOption.Sack(List.of(new TcpOption.SackBlock(p.l(4000), p.l(5000)),
                new TcpOption.SackBlock(p.l(2000), p.l(3000))))));
        p.expect(p.reply().flags(ACK).seq(p.l(3000)).data(new byte[1000]));
        p.expectNothing(); // 3 and 5 are SACKed: not sent again
        p.send(p.seg().ack(p.l(3000)).options(sack(p.l(4000), p.l(5000))));
        p.expectNothing();
        p.send(p.seg().ack(p.l(5000)));
        assertEquals(2, p.counter(Counter.TcpRetransSegs));
        assertEquals(0, p.conn().sendQueueBytes());
    }

    @Test
    void aReceiverThatRenegedOnItsSacksGetsTheDataAgainAfterTheTimeout() throws ErrnoException {
        // 2 and 3 SACKed, 1 resent; the peer then acknowledges 1 only and SACKs nothing: it dropped
        // 2 and 3 (a receiver under memory pressure prunes its out-of-order queue). At the RTO the
        // SACKed head shows the reneging (tcp_timeout_mark_lost): the marks go and 2 is resent.
        TcpTestPeer p = sackEstablished();
        writeSegments(p, 3);
        p.send(p.seg().ack(p.l(0)).options(sack(p.l(1000), p.l(3000))));
        p.expect(p.reply().seq(p.l(0)).data(new byte[1000]));
        p.send(p.seg().ack(p.l(1000)));
        p.drain();
        p.advanceMs(3000);
        List<TcpTestPeer.Seg> resent = p.drain();
        assertEquals(1, p.counter(Counter.TcpExtTCPSACKReneging));
        assertEquals(p.l(1000), resent.get(0).seq(), resent.toString());
        assertEquals(0, p.conn().sender.scoreboard.ranges());
    }

    @Test
    void aDsackBlockIsCountedNotTakenAsSacked() throws ErrnoException {
        TcpTestPeer p = sackEstablished();
        p.socket.write(new byte[2000], 0, 2000);
        p.expect(p.reply().seq(p.l(0)).data(new byte[1000]));
        p.expect(p.reply().flags(ACK | PSH).seq(p.l(1000)).data(new byte[1000]));
        p.send(p.seg().ack(p.l(1000)).options(sack(p.l(0), p.l(1000)))); // below SEG.ACK: a D-SACK
        assertEquals(1, p.counter(Counter.TcpExtTCPDSACKRecv));
        assertEquals(0, p.conn().sender.scoreboard.ranges());
    }
}
