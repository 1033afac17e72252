package netstack4j.socket;

/** Flags of {@code send(2)}/{@code recv(2)}, with Linux's values. */
public final class MessageFlags {
    /**
     * Out-of-band (urgent) data. Not supported: the urgent pointer of received segments is parsed
     * and the urgent byte stays in the stream (as with SO_OOBINLINE), and recv/send with MSG_OOB
     * fail with EOPNOTSUPP.
     */
    public static final int MSG_OOB = 0x1;
    /** Return data without removing it from the queue. */
    public static final int MSG_PEEK = 0x2;
    /** Set on a received datagram that did not fit the buffer (the rest was discarded). */
    public static final int MSG_TRUNC = 0x20;
    /** End of record: later writes never join this one's last segment (Linux's skb eor mark). */
    public static final int MSG_EOR = 0x80;
    /** Non-blocking for this call only. */
    public static final int MSG_DONTWAIT = 0x40;
    /** Wait until the whole buffer is filled (or end of stream, an error, a timeout). */
    public static final int MSG_WAITALL = 0x100;
    /** No SIGPIPE on a broken connection (there are no signals here; accepted for C code). */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** More data follows: hold a partial segment back, as TCP_CORK does for one call. */
    public static final int MSG_MORE = 0x8000;
    /** Read the socket's error queue ({@link TcpSocket#receiveError}); set in msg_flags of what it returns. */
    public static final int MSG_ERRQUEUE = 0x2000;
    /**
     * With SO_ZEROCOPY on: report on the error queue when the kernel no longer needs the data
     * (Linux's MSG_ZEROCOPY). This stack always copies, so the report says
     * SO_EE_CODE_ZEROCOPY_COPIED.
     */
    public static final int MSG_ZEROCOPY = 0x4000000;
    /** TCP Fast Open (RFC 7413): connect to the destination and send the data in the SYN (Linux's tcp_sendmsg_fastopen). */
    public static final int MSG_FASTOPEN = 0x20000000;

    private MessageFlags() {
    }
}
