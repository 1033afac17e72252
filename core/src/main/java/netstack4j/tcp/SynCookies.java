package netstack4j.tcp;

import java.util.random.RandomGenerator;

/**
 * SYN cookies (RFC 4987 section 3.6), laid out as Linux's {@code secure_tcp_syn_cookie}: when a
 * listener's SYN queue is full, the SYN-ACK's sequence number carries everything needed to
 * rebuild the connection from the final ACK, and nothing is stored.
 *
 * <pre>
 *   cookie = H(4-tuple, 0) + client ISN + (count &lt;&lt; 24) + ((H(4-tuple, count) + mssIndex) mod 2^24)
 * </pre>
 * H is SipHash-2-4 under a secret key; {@code count} ticks every 60 s; a cookie is valid for two
 * ticks (MAX_SYNCOOKIE_AGE). Only the MSS survives, as an index into Linux's table for IPv4
 * (536, 1300, 1440, 1460); options that need state (window scale, SACK without timestamps) are
 * lost, as on Linux.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class SynCookies {
    static final int COOKIE_BITS = 24;
    static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    static final long TICK_NS = 60_000_000_000L;
    /** MAX_SYNCOOKIE_AGE: a cookie older than this many ticks is refused. */
    static final int MAX_AGE = 2;
    /** Linux's msstab for IPv4 (net/ipv4/syncookies.c). */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};

    private final long k0;
    private final long k1;
    private final byte[] message = new byte[16];

    SynCookies(RandomGenerator random) {
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
    }

    /** The cookie to send as our ISN for a SYN from the peer whose ISN is {@code peerIsn}. */
    int encode(int localIp, int localPort, int remoteIp, int remotePort, int peerIsn, int peerMss, long nowNs) {
        int index = MSS_TABLE.length - 1;
        while (index > 0 && peerMss < MSS_TABLE[index]) {
            index--;
        }
        int count = (int) (nowNs / TICK_NS);
        return hash(localIp, localPort, remoteIp, remotePort, 0) + peerIsn + (count << COOKIE_BITS)
                + ((hash(localIp, localPort, remoteIp, remotePort, count) + index) & COOKIE_MASK);
    }

    /**
     * The MSS a valid cookie carries, or 0: {@code cookie} is the final ACK's SEG.ACK − 1 and
     * {@code peerIsn} its SEG.SEQ − 1 (Linux's {@code __cookie_v4_check}).
     */
    int decode(int localIp, int localPort, int remoteIp, int remotePort, int peerIsn, int cookie, long nowNs) {
        int count = (int) (nowNs / TICK_NS);
        int rest = cookie - (hash(localIp, localPort, remoteIp, remotePort, 0) + peerIsn);
        int age = (count - (rest >>> COOKIE_BITS)) & (-1 >>> COOKIE_BITS);
        if (age >= MAX_AGE) {
            return 0;
        }
        int index = (rest - hash(localIp, localPort, remoteIp, remotePort, count - age)) & COOKIE_MASK;
        return index < MSS_TABLE.length ? MSS_TABLE[index] : 0;
    }

    private int hash(int localIp, int localPort, int remoteIp, int remotePort, int count) {
        SipHash.putBigEndian(message, 0, localIp, 4);
        SipHash.putBigEndian(message, 4, localPort, 2);
        SipHash.putBigEndian(message, 6, remoteIp, 4);
        SipHash.putBigEndian(message, 10, remotePort, 2);
        SipHash.putBigEndian(message, 12, count, 4);
        return (int) SipHash.hash(k0, k1, message, 0, message.length);
    }
}
