package netstack4j.tcp;

import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static netstack4j.wire.TcpFlags.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.ExtendedError;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpSocket;
import org.junit.jupiter.api.Test;

/**
 * SO_TIMESTAMPING transmit timestamps (Linux's tcp_tx_timestamp, __skb_tstamp_tx,
 * tcp_ack_tstamp) and TCP_INQ's hint (tcp_inq_hint).
 */
class TxTimestampsTest {
    private static final int ALL = TxTimestamps.TX_SCHED | TxTimestamps.TX_SOFTWARE | TxTimestamps.TX_ACK
            | TxTimestamps.SOFTWARE | TxTimestamps.OPT_ID;

    private static ExtendedError stamp(int type, int key, long ns, int len) {
        return new ExtendedError(42, ExtendedError.ORIGIN_TIMESTAMPING, 0, 0, type, key, ns, len);
    }

    @Test
    void theLastByteOfEachSendIsStampedWhenSentAndWhenAcked() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.socket.setOption(NetSocketOptions.SO_TIMESTAMPING, ALL);
        assertEquals(ALL, p.socket.getOption(NetSocketOptions.SO_TIMESTAMPING));
        long sentAt = p.nowNs;
        p.socket.write(new byte[300], 0, 300);
        p.expect(p.reply().flags(ACK | PSH).data(new byte[300]));
        p.advanceMs(10);
        p.send(p.seg().ack(p.l(300)));
        assertEquals(stamp(TxTimestamps.SCM_TSTAMP_SCHED, 299, sentAt, 300), p.socket.receiveError());
        assertEquals(stamp(TxTimestamps.SCM_TSTAMP_SND, 299, sentAt, 300), p.socket.receiveError());
        assertEquals(stamp(TxTimestamps.SCM_TSTAMP_ACK, 299, sentAt + 10_000_000L, 300), p.socket.receiveError());
        assertThrows(ErrnoException.class, p.socket::receiveError);
    }

    @Test
    void withoutOptIdTheKeyIsZeroAndWithoutSoftwareThereIsNoTime() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.socket.setOption(NetSocketOptions.SO_TIMESTAMPING, TxTimestamps.TX_ACK | TxTimestamps.OPT_TSONLY);
        p.socket.write(new byte[10], 0, 10);
        p.send(p.seg().ack(p.l(10)));
        assertEquals(stamp(TxTimestamps.SCM_TSTAMP_ACK, 0, -1, 0), p.socket.receiveError());
    }

    @Test
    void impossibleFlagsAreRefused() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        assertEquals(Errno.EINVAL, refused(p.socket, 1 << 20)); // beyond SOF_TIMESTAMPING_MASK
        assertEquals(Errno.EINVAL, refused(p.socket, TxTimestamps.OPT_ID_TCP)); // OPT_ID_TCP needs OPT_ID
        assertEquals(Errno.EOPNOTSUPP, refused(p.socket, TxTimestamps.RX_SOFTWARE));
        TcpSocket fresh = p.stack.sockets().tcp();
        assertEquals(Errno.EINVAL, refused(fresh, TxTimestamps.OPT_ID)); // TCP_CLOSE: no sequence to key on
    }

    private static Errno refused(TcpSocket s, int flags) {
        return assertThrows(ErrnoException.class, () -> s.setOption(NetSocketOptions.SO_TIMESTAMPING, flags)).errno();
    }

    @Test
    void inqCountsTheFinOnceTheDataIsRead() throws ErrnoException {
        TcpTestPeer p = TcpTestPeer.established();
        p.socket.setOption(NetSocketOptions.TCP_INQ, true);
        p.send(p.seg().flags(ACK | PSH).data(new byte[100]));
        byte[] b = new byte[60];
        p.socket.read(b, 0, 60);
        assertEquals(40, p.socket.inqHint());
        p.send(p.seg().flags(ACK | FIN).seq(p.r(100)));
        assertEquals(41, p.socket.inqHint()); // rcv_nxt - copied_seq: the FIN's sequence number too
        p.socket.read(b, 0, 60);
        assertEquals(1, p.socket.inqHint());
    }
}
