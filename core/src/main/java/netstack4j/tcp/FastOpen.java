package netstack4j.tcp;

import java.util.HexFormat;
import netstack4j.socket.Errno;
import netstack4j.stack.Counter;
import netstack4j.wire.TcpFlags;
import netstack4j.wire.TcpPacket;

/**
 * TCP Fast Open (RFC 7413) as Linux does it (net/ipv4/tcp_fastopen.c, tcp_output.c's
 * tcp_send_syn_data, tcp_input.c's tcp_rcv_fastopen_synack): one instance per stack holds
 * {@code net.ipv4.tcp_fastopen} (the bits below), the server keys of
 * {@code net.ipv4.tcp_fastopen_key}, and the client's cookie cache ({@link FastOpenCookies});
 * each socket's own state is a {@link FastOpenState}.
 *
 * <p>Server (tcp_try_fastopen): a SYN asking for a cookie gets one in the SYN-ACK; a SYN with
 * data and a valid cookie (or with {@link #SERVER_COOKIE_NOT_REQD}) makes a child at once, its
 * data readable and the child in the accept queue before the handshake completes; the child may
 * send in SYN-RECEIVED, and retransmits only its SYN-ACK until the ACK comes
 * (tcp_fastopen_synack_timer). A cookie is SipHash-2-4 of the SYN's source and destination
 * addresses under the key, little-endian, 8 bytes (__tcp_fastopen_cookie_gen_cipher).
 *
 * <p>Client: sendto/sendmsg with MSG_FASTOPEN, or the first write after connect with
 * TCP_FASTOPEN_CONNECT, connects and puts data in the SYN when a cookie for the destination is
 * cached (or {@link #CLIENT_NO_COOKIE}); otherwise the SYN asks for a cookie. Data the SYN-ACK
 * does not acknowledge is sent again after the handshake; a retransmitted SYN carries neither
 * data nor the option.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class FastOpen {
    /** net.ipv4.tcp_fastopen bits (include/net/tcp.h TFO_*). Linux's default is {@link #CLIENT_ENABLE}. */
    public static final int CLIENT_ENABLE = 0x1;
    public static final int SERVER_ENABLE = 0x2;
    /** Data in the SYN without any cookie (TFO_CLIENT_NO_COOKIE). */
    public static final int CLIENT_NO_COOKIE = 0x4;
    /** Accept data in a SYN without a cookie (TFO_SERVER_COOKIE_NOT_REQD). */
    public static final int SERVER_COOKIE_NOT_REQD = 0x200;
    /** Every listener does Fast Open with a queue of its backlog, without TCP_FASTOPEN (TFO_SERVER_WO_SOCKOPT1). */
    public static final int SERVER_WO_SOCKOPT1 = 0x400;

    /** RFC 7413 section 4.1.1: cookies of 4 to 16 bytes, even (TCP_FASTOPEN_COOKIE_MIN/MAX). */
    static final int COOKIE_MIN = 4;
    static final int COOKIE_MAX = 16;
    /** The cookies Linux's servers make: one SipHash value (TCP_FASTOPEN_COOKIE_SIZE). */
    static final int COOKIE_SIZE = 8;
    /** TCP_FASTOPEN_KEY_LENGTH: one 128-bit key; a second one is the backup (TCP_FASTOPEN_KEY_BUF_LENGTH). */
    public static final int KEY_LENGTH = 16;
    /** Option space Linux keeps free when sizing SYN data (MAX_TCP_OPTION_SPACE). */
    private static final int MAX_OPTION_SPACE = 40;

    private final TcpLayer layer;
    private int mode = CLIENT_ENABLE;
    /** Stack keys as (k0, k1) pairs, primary first; null until set or first needed. */
    private long[] keys;
    final FastOpenCookies cache = new FastOpenCookies();
    private final byte[] message = new byte[8];
    private final byte[] scratch = new byte[COOKIE_MAX];

    FastOpen(TcpLayer layer) {
        this.layer = layer;
    }

    // ------------------------------------------------------------------ settings

    /** net.ipv4.tcp_fastopen. */
    public int mode() {
        return mode;
    }

    public void setMode(int mode) {
        this.mode = mode;
    }

    /**
     * net.ipv4.tcp_fastopen_key as Linux's proc_tcp_fastopen_key writes it: one or two keys
     * ({@code primary[,backup]}), each four 32-bit hex words separated by '-', stored
     * little-endian word by word.
     *
     * @throws IllegalArgumentException for any other text
     */
    public void setKeys(String text) {
        keys = parseKeys(text);
    }

    /** The (k0, k1) pairs of a tcp_fastopen_key text (see {@link #setKeys}). */
    static long[] parseKeys(String text) {
        String[] parts = text.strip().split(",");
        if (parts.length < 1 || parts.length > 2) {
            throw new IllegalArgumentException("tcp_fastopen_key takes one or two keys");
        }
        long[] k = new long[2 * parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] w = parts[i].strip().split("-");
            if (w.length != 4) {
                throw new IllegalArgumentException("a key is four hex words a-b-c-d: " + parts[i]);
            }
            long[] v = new long[4];
            for (int j = 0; j < 4; j++) {
                v[j] = Long.parseLong(w[j], 16) & 0xffffffffL;
            }
            k[2 * i] = v[1] << 32 | v[0];
            k[2 * i + 1] = v[3] << 32 | v[2];
        }
        return k;
    }

    /** net.ipv4.tcp_fastopen_key read back, as Linux prints it. */
    public String keysText() {
        long[] k = stackKeys();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < k.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(String.format("%08x-%08x-%08x-%08x", k[i] & 0xffffffffL, k[i] >>> 32,
                    k[i + 1] & 0xffffffffL, k[i + 1] >>> 32));
        }
        return b.toString();
    }

    /** {@code ip tcp_metrics flush}: forgets every cached cookie and MSS. */
    public void flushCache() {
        cache.clear();
    }

    /** Linux's tcp_fastopen_init_key_once: a random key when none was set. */
    private long[] stackKeys() {
        if (keys == null) {
            keys = new long[] {layer.stack().random().nextLong(), layer.stack().random().nextLong()};
        }
        return keys;
    }

    // ------------------------------------------------------------------ socket options

    static FastOpenState state(TcpConnection c) {
        if (c.fastOpen == null) {
            c.fastOpen = new FastOpenState();
        }
        return c.fastOpen;
    }

    /** A passive child whose handshake is not complete (Linux's tcp_passive_fastopen). */
    public static boolean passive(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.passive;
    }

    /** connect() with TCP_FASTOPEN_CONNECT returned at once; the first write sends the SYN. */
    public static boolean deferred(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.deferred;
    }

    /** TCPI_OPT_SYN_DATA: data in the SYN was acknowledged (client) or accepted (server). */
    public static boolean synDataAcked(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.synDataAcked;
    }

    /** Our SYN carried data. */
    static boolean synDataSent(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.synDataSent;
    }

    /** TCP_FASTOPEN (do_tcp_setsockopt): the listener's Fast Open queue length, in CLOSE or LISTEN only. */
    public Errno setQueueLength(TcpConnection c, int qlen) {
        if (c.state() != TcpState.CLOSED && c.state() != TcpState.LISTEN) {
            return Errno.EINVAL;
        }
        if (qlen < 0) {
            return Errno.EINVAL;
        }
        stackKeys();
        state(c).maxQueueLength = Math.min(qlen, TcpLayer.SOMAXCONN); // fastopen_queue_tune
        return null;
    }

    public static int queueLength(TcpConnection c) {
        return c.fastOpen == null ? 0 : c.fastOpen.maxQueueLength;
    }

    /** TCP_FASTOPEN_CONNECT: only with the client bit set, and only before connect. */
    public Errno setConnectOption(TcpConnection c, int value) {
        if (value < 0 || value > 1) {
            return Errno.EINVAL;
        }
        if ((mode & CLIENT_ENABLE) == 0) {
            return Errno.EOPNOTSUPP;
        }
        if (c.state() != TcpState.CLOSED) {
            return Errno.EINVAL;
        }
        state(c).connectOption = value == 1;
        return null;
    }

    public static boolean connectOption(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.connectOption;
    }

    /** TCP_FASTOPEN_NO_COOKIE (0 or 1). */
    public static Errno setNoCookie(TcpConnection c, int value) {
        if (value < 0 || value > 1) {
            return Errno.EINVAL;
        }
        state(c).noCookie = value == 1;
        return null;
    }

    public static boolean noCookie(TcpConnection c) {
        return c.fastOpen != null && c.fastOpen.noCookie;
    }

    /** TCP_FASTOPEN_KEY: a 16-byte key, or 32 (primary and backup); used as Linux does, little-endian halves. */
    public Errno setKey(TcpConnection c, byte[] key) {
        if (key.length != KEY_LENGTH && key.length != 2 * KEY_LENGTH) {
            return Errno.EINVAL;
        }
        state(c).keys = keyFromBytes(key);
        return null;
    }

    /** A TCP_FASTOPEN_KEY buffer as (k0, k1) pairs: little-endian 64-bit halves (tcp_fastopen_reset_cipher). */
    static long[] keyFromBytes(byte[] key) {
        long[] k = new long[key.length / 8];
        for (int i = 0; i < k.length; i++) {
            long v = 0;
            for (int j = 7; j >= 0; j--) {
                v = v << 8 | (key[8 * i + j] & 0xffL);
            }
            k[i] = v;
        }
        return k;
    }

    /** listen(): TFO_SERVER_WO_SOCKOPT1 gives a listener without TCP_FASTOPEN a queue of its backlog (inet_listen). */
    void onListen(TcpConnection l, int backlog) {
        if ((mode & SERVER_WO_SOCKOPT1) != 0 && queueLength(l) == 0) {
            state(l).maxQueueLength = Math.min(backlog, TcpLayer.SOMAXCONN);
        }
    }

    // ------------------------------------------------------------------ server

    /**
     * tcp_try_fastopen, for a SYN to listener {@code l} (not answered with a SYN cookie): the
     * child's state when it gets Fast Open treatment (a cookie in the SYN-ACK, or its data
     * accepted), else null.
     */
    FastOpenState onListenerSyn(TcpConnection l, TcpPacket syn, int dst, int src) {
        int at = syn.fastOpenOption();
        int len = at < 0 ? -1 : syn.fastOpenCookieLength(at);
        boolean exp = at >= 0 && (syn.array()[at] & 0xff) == 254;
        if (len > 0 && (len < COOKIE_MIN || len > COOKIE_MAX || (len & 1) != 0)) {
            len = -1; // tcp_parse_fastopen_option: an invalid length is no cookie
        }
        if (len == 0) {
            layer.counters().increment(Counter.TcpExtTCPFastOpenCookieReqd);
        }
        boolean synData = syn.payloadLength() > 0 || syn.hasFlags(TcpFlags.FIN);
        if ((mode & SERVER_ENABLE) == 0 || !(synData || len >= 0) || !queueCheck(l)) {
            return null;
        }
        FastOpenState fo = new FastOpenState();
        fo.synAckCookie.experimental = exp;
        if ((mode & SERVER_COOKIE_NOT_REQD) != 0 || noCookie(l)) {
            fo.passive = true; // tcp_fastopen_no_cookie: data accepted without a cookie
            return fo;
        }
        long[] k = l.fastOpen != null && l.fastOpen.keys != null ? l.fastOpen.keys : stackKeys();
        cookie(k[0], k[1], src, dst, fo.synAckCookie.bytes);
        if (len == 0) {
            fo.synAckCookie.length = COOKIE_SIZE; // a cookie request: answer with one
            return fo;
        }
        if (len < 0) {
            return null;
        }
        int match = 0;
        byte[] b = syn.array();
        int off = syn.fastOpenCookieOffset(at);
        for (int i = 0; i < k.length && match == 0; i += 2) {
            byte[] want = i == 0 ? fo.synAckCookie.bytes : scratch;
            cookie(k[i], k[i + 1], src, dst, want);
            if (len == COOKIE_SIZE && java.util.Arrays.equals(b, off, off + len, want, 0, COOKIE_SIZE)) {
                match = i / 2 + 1;
            }
        }
        if (match == 0) {
            layer.counters().increment(Counter.TcpExtTCPFastOpenPassiveFail);
            fo.synAckCookie.length = COOKIE_SIZE; // an invalid cookie: the SYN-ACK carries the valid one
            return fo;
        }
        if (match == 2) {
            fo.synAckCookie.length = COOKIE_SIZE; // the backup key matched: hand out the primary's cookie
            layer.counters().increment(Counter.TcpExtTCPFastOpenPassiveAltKey);
        }
        fo.passive = true;
        return fo;
    }

    /** tcp_fastopen_queue_check: a listener with a Fast Open queue that has room. */
    private boolean queueCheck(TcpConnection l) {
        FastOpenState q = l.fastOpen;
        if (q == null || q.maxQueueLength == 0) {
            return false;
        }
        if (q.queueLength >= q.maxQueueLength) {
            layer.counters().increment(Counter.TcpExtTCPFastOpenListenOverflow);
            return false;
        }
        return true;
    }

    /** __tcp_fastopen_cookie_gen_cipher: SipHash-2-4 of saddr, daddr (network order), written little-endian. */
    void cookie(long k0, long k1, int saddr, int daddr, byte[] out) {
        cookie(k0, k1, saddr, daddr, message, out);
    }

    /** {@link #cookie(long, long, int, int, byte[])} with {@code m} (8 bytes) as scratch space. */
    static void cookie(long k0, long k1, int saddr, int daddr, byte[] m, byte[] out) {
        SipHash.putBigEndian(m, 0, saddr, 4);
        SipHash.putBigEndian(m, 4, daddr, 4);
        long h = SipHash.hash(k0, k1, m, 0, 8);
        for (int i = 0; i < COOKIE_SIZE; i++) {
            out[i] = (byte) (h >>> (8 * i));
        }
    }

    /**
     * tcp_fastopen_create_child and tcp_fastopen_add_skb, in the child's open: the SYN's data is
     * queued and acknowledged by the SYN-ACK, a FIN in it processed; called in SYN-RECEIVED
     * before the SYN-ACK goes out.
     */
    static void onPassiveOpen(TcpConnection child, TcpPacket syn) {
        FastOpenState fo = child.fastOpen;
        if (fo == null || !fo.passive) {
            return;
        }
        child.sender.sndWnd = syn.window(); // RFC 7323: a SYN's window is never scaled
        child.sender.maxSndWnd = syn.window();
        int len = syn.payloadLength();
        int seq = SeqNum.add(syn.sequenceNumber(), 1);
        if (len > 0) {
            child.receiver.onData(child.nowNs(), seq, syn.array(), syn.payloadOffset(), len, syn.hasFlags(TcpFlags.PSH));
            fo.synDataAcked = true;
        }
        if (syn.hasFlags(TcpFlags.FIN)) {
            child.receiver.onFin(SeqNum.add(seq, len));
        }
        child.receiver.rcvWup = child.receiver.rcvNxt;
        child.chargeMemory();
    }

    /** tcp_conn_request for a Fast Open child: straight into the accept queue, counted in the Fast Open queue. */
    void childCreated(TcpConnection l, TcpConnection child) {
        FastOpenState fo = child.fastOpen;
        fo.listener = state(l);
        fo.listener.queueLength++;
        layer.counters().increment(Counter.TcpExtTCPFastOpenPassive);
        layer.counters().increment(Counter.TcpPassiveOpens);
        child.inSynQueue = false;
        l.listenQueue.established(child);
    }

    /** tcp_rcv_synrecv_state_fastopen: the handshake of a passive child completed (reqsk_fastopen_remove). */
    static void handshakeDone(TcpConnection c) {
        leaveQueue(c);
    }

    /** The connection left the tables: a passive child leaves its listener's Fast Open queue. */
    static void onUnhash(TcpConnection c) {
        leaveQueue(c);
    }

    private static void leaveQueue(TcpConnection c) {
        FastOpenState fo = c.fastOpen;
        if (fo != null && fo.passive) {
            fo.passive = false;
            if (fo.listener != null && fo.listener.queueLength > 0) {
                fo.listener.queueLength--;
            }
            fo.listener = null;
        }
    }

    /**
     * tcp_fastopen_synack_timer: a passive child retransmits only its SYN-ACK, tcp_synack_retries
     * + 1 times (or TCP_SYNCNT), then fails with ETIMEDOUT (tcp_write_err); sent data waits.
     */
    static void synAckTimeout(TcpConnection c) {
        int max = c.synCount > 0 ? c.synCount : c.settings.synackRetries() + 1;
        if (c.synAckRetries >= max) {
            c.abortOnTimeout();
            return;
        }
        c.layer.counters().increment(Counter.TcpExtTCPTimeouts);
        c.synAckRetries++;
        c.sender.rtt.backoff();
        c.sender.retransmits++;
        c.sendSegment(c.sender.iss, TcpFlags.SYN | TcpFlags.ACK | (c.ecn.ok ? TcpFlags.ECE : 0), 0, 0, c.receiver.advMss);
        c.layer.counters().increment(Counter.TcpRetransSegs);
        c.totalRetrans++;
        c.synRetrans++;
        c.timers.armRetransmit(c.nowNs() + c.sender.rtt.rtoNs());
    }

    // ------------------------------------------------------------------ options of our SYN and SYN-ACK

    /** tcp_syn_options / tcp_synack_options: the Fast Open option, when there is one to send. */
    static void fillOptions(TcpConnection c, SegmentOptions o, int flags) {
        FastOpenState fo = c.fastOpen;
        if (fo == null || (flags & TcpFlags.SYN) == 0) {
            return;
        }
        boolean ack = (flags & TcpFlags.ACK) != 0;
        FastOpenCookie cookie = ack ? fo.synAckCookie : fo.cookie;
        if (cookie.length < 0) {
            return;
        }
        int need = ((cookie.experimental ? 4 : 2) + cookie.length + 3) & ~3;
        if (o.length() + need > MAX_OPTION_SPACE) {
            return;
        }
        o.fastOpenLength = cookie.length;
        o.fastOpenExperimental = cookie.experimental;
        System.arraycopy(cookie.bytes, 0, o.fastOpenCookie, 0, cookie.length);
        if (!ack) {
            fo.synFastOpen = true;
            fo.synFastOpenExperimental = cookie.experimental;
        }
    }

    // ------------------------------------------------------------------ client

    /**
     * The checks of tcp_sendmsg_fastopen before it connects: the client bit must be set
     * (EOPNOTSUPP), and no other Fast Open may be in progress (EALREADY).
     */
    public Errno checkSend(TcpConnection c) {
        if ((mode & CLIENT_ENABLE) == 0) {
            return Errno.EOPNOTSUPP;
        }
        if (c.fastOpen != null && c.fastOpen.request) {
            return Errno.EALREADY;
        }
        return null;
    }

    /**
     * The data of a sendto/sendmsg with MSG_FASTOPEN (or of the first write of a deferred
     * connect) that the coming SYN may carry (fo->data, fo->size).
     */
    public static void offerData(TcpConnection c, byte[] b, int off, int len) {
        FastOpenState fo = state(c);
        fo.request = true;
        fo.data = b;
        fo.dataOffset = off;
        fo.dataLength = len;
        fo.copied = 0;
        fo.cookie.length = 0;
        fo.cookie.experimental = false;
    }

    /** A blocking Fast Open send waits for the handshake with data left to send (or no longer does). */
    public static void setWritePending(TcpConnection c, boolean pending) {
        state(c).writePending = pending;
    }

    /** Bytes the SYN took of the offered data (fo->copied); ends the request. */
    public static int takeCopied(TcpConnection c) {
        FastOpenState fo = c.fastOpen;
        if (fo == null) {
            return 0;
        }
        int n = fo.copied;
        fo.request = false;
        fo.deferred = false;
        fo.data = null;
        return n;
    }

    /**
     * tcp_fastopen_defer_connect, at connect() with TCP_FASTOPEN_CONNECT: true when a cookie is
     * usable, so the SYN waits for the first write; otherwise the SYN asks for a cookie.
     */
    boolean deferConnect(TcpConnection c) {
        FastOpenState fo = c.fastOpen;
        if (fo == null || !fo.connectOption || fo.request) {
            return false;
        }
        if (cookieCheck(c, fo)) {
            fo.deferred = true;
            return true;
        }
        fo.request = true;
        fo.data = null;
        fo.dataLength = 0;
        fo.copied = 0;
        return false;
    }

    /** The deferred SYN: the first write after a TCP_FASTOPEN_CONNECT connect sends it (tcp_connect). */
    public static void sendDeferredSyn(TcpConnection c) {
        c.fastOpen.deferred = false;
        if (!c.layer.fastOpen().sendSynData(c)) {
            c.sendSyn(false);
        }
        c.sender.retransStampNs = c.nowNs();
    }

    /**
     * tcp_fastopen_cookie_check: the cached cookie and MSS for the destination go into the
     * request; true when data may go in the SYN (a cookie, or no cookie needed).
     */
    private boolean cookieCheck(TcpConnection c, FastOpenState fo) {
        FastOpenCookies.Entry e = cache.get(c.remoteIp);
        fo.cookie.length = 0;
        fo.cookie.experimental = false;
        if (e != null && e.cookie.length > 0) {
            fo.cookie.copyFrom(e.cookie);
        } else if (e != null) {
            fo.cookie.experimental = e.tryExperimental == 1; // tcp_fastopen_cache_get: try_exp
        }
        if ((mode & CLIENT_NO_COOKIE) != 0 || fo.noCookie) {
            fo.cookie.length = -1;
            return true;
        }
        return fo.cookie.length > 0;
    }

    /**
     * tcp_send_syn_data, from the active open when a request exists: a SYN with as much of the
     * offered data as fits (the cached or our MSS, less 40 bytes of option space) and the cookie;
     * or, without a usable cookie, false after setting up a cookie request for the caller's plain SYN.
     */
    boolean sendSynData(TcpConnection c) {
        FastOpenState fo = c.fastOpen;
        if (fo == null || !fo.request) {
            return false;
        }
        if (!cookieCheck(c, fo)) {
            if (fo.cookie.length > 0) {
                fo.cookie.length = 0;
            }
            c.sendSyn(false); // fallback: a regular SYN with a cookie request
            fo.cookie.length = -1; // no option on SYN retries
            return true;
        }
        FastOpenCookies.Entry e = cache.get(c.remoteIp);
        int clamp = e != null && e.mss > 0 ? e.mss : c.receiver.advMss;
        if (c.userMss > 0 && c.userMss < clamp) {
            clamp = c.userMss; // tcp_mss_clamp
        }
        int space = Math.max(0, Math.min(c.sender.mss, clamp) - MAX_OPTION_SPACE);
        space = Math.min(space, fo.dataLength);
        if (space > 0) {
            space = c.sender.buffer.write(fo.data, fo.dataOffset, space);
            // The SYN's data is an skb of its own, marked PSH (tcp_send_syn_data's syn_data).
            c.sender.skbs.addSkb();
            c.sender.skbs.extendTail(space);
            c.sender.skbs.markPush();
            ZeroCopy.synData(c, space);
        }
        fo.copied = space;
        fo.synData = space;
        int flags = TcpFlags.SYN | c.ecn.synFlags(c.settings.loss().ecn(), false);
        c.sendSegment(c.sender.iss, flags, 0, space, c.receiver.advMss);
        c.sender.sndNxt = SeqNum.add(c.sender.iss, 1 + space);
        c.sender.sndMax = c.sender.sndNxt;
        if (space > 0) {
            fo.synDataSent = true;
            c.dataSegsOut++;
            c.sender.chrono.start(TcpChrono.BUSY, c.nowNs());
        }
        fo.cookie.length = -1; // "Exclude Fast Open option for SYN retries"
        fo.data = null;
        c.timers.armRetransmit(c.nowNs() + c.sender.rtt.rtoNs());
        c.chargeMemory();
        return true;
    }

    /**
     * tcp_rcv_fastopen_synack, for the SYN-ACK of an active open (before SND.UNA moves): the
     * server's MSS and cookie are cached; SYN data it acknowledged leaves SendQ, the rest stays
     * to be sent again after the handshake (TCPFastOpenActiveFail); all of it acknowledged is
     * TCPFastOpenActive. Returns true when a writer waits to send more: the SYN-ACK's ACK is then
     * left to its data (tcp_rcv_synsent_state_process with sk_write_pending).
     */
    boolean onSynAck(TcpConnection c, TcpPacket synAck, int ack) {
        FastOpenState fo = c.fastOpen;
        boolean deferAck = fo != null && fo.writePending;
        if (deferAck) {
            // tcp_rcv_synsent_state_process with sk_write_pending: no ACK of its own, the data
            // carries it; quick-ACK mode with the minimum ato, so sending at once makes the
            // connection interactive (tcp_event_data_sent) and the peer's answer waits for a delayed ACK.
            c.receiver.atoNs = c.settings.delackMinNs();
            c.receiver.lastRecvNs = c.nowNs();
        }
        if (fo == null || !fo.synFastOpen && fo.synData == 0) {
            return deferAck;
        }
        int at = synAck.fastOpenOption();
        int len = at < 0 ? -1 : synAck.fastOpenCookieLength(at);
        if (len > 0 && (len < COOKIE_MIN || len > COOKIE_MAX || (len & 1) != 0)) {
            len = -1;
        }
        int tryExp = 0;
        boolean synDrop = false;
        if (!fo.synFastOpen) {
            len = -1; // an unsolicited cookie is ignored
        } else if (c.sender.retransmits > 0 || c.totalRetrans > 0) {
            synDrop = len < 0 && fo.synData > 0;
        } else if (len < 0 && fo.synData == 0) {
            tryExp = fo.synFastOpenExperimental ? 2 : 1;
        }
        // The SYN-ACK's own MSS, not the one TCP_MAXSEG clamped (tcp_rcv_fastopen_synack re-parses it).
        int mss = synAck.mss() > 0 ? synAck.mss() : 0;
        FastOpenCookies.Entry e = cache.getOrCreate(c.remoteIp);
        if (mss > 0) {
            e.mss = mss;
        }
        if (len > 0) {
            e.cookie.length = len;
            e.cookie.experimental = (synAck.array()[at] & 0xff) == 254;
            System.arraycopy(synAck.array(), synAck.fastOpenCookieOffset(at), e.cookie.bytes, 0, len);
        } else if (tryExp > e.tryExperimental && e.cookie.length <= 0 && !e.cookie.experimental) {
            e.tryExperimental = tryExp;
        }
        if (synDrop) {
            e.synLoss++;
            e.lastSynLossNs = c.nowNs();
        } else {
            e.synLoss = 0;
        }
        int acked = Math.max(0, Math.min(fo.synData, SeqNum.diff(ack, SeqNum.add(c.sender.iss, 1))));
        if (acked > 0) {
            c.sender.buffer.acknowledge(acked);
            c.sender.bufSeq = SeqNum.add(c.sender.bufSeq, acked);
            c.bytesAcked += acked;
            c.sender.skbs.acknowledged(c.bytesAcked);
            c.sendSpaceFreed();
        }
        if (fo.synData > 0 && acked < fo.synData) {
            fo.synDataLost = fo.synData - acked;
            layer.counters().increment(Counter.TcpExtTCPFastOpenActiveFail);
        } else if (fo.synData > 0) {
            fo.synDataAcked = true;
            layer.counters().increment(Counter.TcpExtTCPFastOpenActive);
        }
        fo.synData = 0;
        return deferAck;
    }

    /** SYN data the SYN-ACK left unacknowledged (once; 0 when none), to be resent as lost. */
    static int takeSynDataLost(TcpConnection c) {
        FastOpenState fo = c.fastOpen;
        if (fo == null || fo.synDataLost <= 0) {
            return 0;
        }
        int n = fo.synDataLost;
        fo.synDataLost = 0;
        return n;
    }

    /** The ACK of a SYN-ACK a writer waits for: delayed (TCP_DELACK_MAX), the data will carry it. */
    static void delayAck(TcpConnection c, long nowNs) {
        c.receiver.ackPending = true;
        c.timers.armDelack(nowNs + c.settings.delackMaxNs());
    }

    /** The cookie cached for {@code remoteIp} as hex (diagnostics, {@code ip tcp_metrics}), or null. */
    public String cachedCookie(int remoteIp) {
        FastOpenCookies.Entry e = cache.get(remoteIp);
        return e == null || e.cookie.length <= 0 ? null : HexFormat.of().formatHex(e.cookie.bytes, 0, e.cookie.length);
    }
}
