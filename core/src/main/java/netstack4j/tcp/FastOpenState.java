package netstack4j.tcp;

/**
 * One socket's TCP Fast Open state (RFC 7413), created on first use: a listener's Fast Open
 * queue and key (Linux's fastopenq and its own tcp_fastopen_context), the socket options, an
 * active open's request (Linux's tcp_fastopen_request and tp->syn_fastopen, syn_data), and a
 * passive child's standing (tp->fastopen_rsk) until its handshake completes.
 *
 * <p>Thread-compatible: owned by the stack's thread, like its connection.
 */
final class FastOpenState {
    // ---------------------------------------------------------------- listener
    /** TCP_FASTOPEN: the most children that may wait for the end of their handshake (fastopenq.max_qlen). */
    int maxQueueLength;
    /** Children created from SYN-data whose handshake has not completed (fastopenq.qlen). */
    int queueLength;
    /** TCP_FASTOPEN_KEY of this listener: k0, k1 (and a backup pair), or null for the stack's keys. */
    long[] keys;

    // ---------------------------------------------------------------- socket options
    /** TCP_FASTOPEN_CONNECT (tp->fastopen_connect). */
    boolean connectOption;
    /** TCP_FASTOPEN_NO_COOKIE (tp->fastopen_no_cookie). */
    boolean noCookie;

    // ---------------------------------------------------------------- active open
    /** connect() with TCP_FASTOPEN_CONNECT returned before any SYN (Linux's DEFER_CONNECT). */
    boolean deferred;
    /** A Fast Open request is being built (tp->fastopen_req): data, if any, goes in the SYN. */
    boolean request;
    /** The data the request may put in the SYN (fo->data, fo->size); cleared once used. */
    byte[] data;
    int dataOffset;
    int dataLength;
    /** Bytes of data that went into the SYN (fo->copied). */
    int copied;
    /** The cookie for the next SYN's option (length 0: a request; -1: no option) (fo->cookie). */
    final FastOpenCookie cookie = new FastOpenCookie();
    /** The SYN carried the Fast Open option (tp->syn_fastopen), in the experimental form (syn_fastopen_exp). */
    boolean synFastOpen;
    boolean synFastOpenExperimental;
    /** Our SYN carried data (counted among the data segments sent). */
    boolean synDataSent;
    /** Bytes of data the SYN carried (tp->syn_data as a count). */
    int synData;
    /** Of {@link #synData}, what the SYN-ACK left unacknowledged, to be resent as lost; 0 once taken. */
    int synDataLost;
    /** A blocking sendto waits for the handshake with more data to send (sk_write_pending from inet_wait_for_connect's writebias). */
    boolean writePending;
    /** The peer acknowledged data in our SYN, or we accepted data in its SYN (tp->syn_data_acked: TCPI_OPT_SYN_DATA). */
    boolean synDataAcked;

    // ---------------------------------------------------------------- passive child
    /** A child created from SYN-data, its handshake not yet complete (tp->fastopen_rsk != NULL). */
    boolean passive;
    /** The listener's state whose queue counts this child. */
    FastOpenState listener;
    /** The cookie for our SYN-ACK (Linux's foc in tcp_conn_request), length -1 for none. */
    final FastOpenCookie synAckCookie = new FastOpenCookie();
}
