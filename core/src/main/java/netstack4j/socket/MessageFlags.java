package netstack4j.socket;

/** Flags of {@code send(2)}/{@code recv(2)}, with Linux's values. */
public final class MessageFlags {
    /**
     * Out-of-band (urgent) data. Not supported: the urgent pointer of received segments is parsed
     * and the urgent byte stays in the stream (as with SO_OOBINLINE), and recv/send with MSG_OOB
     * fail with EOPNOTSUPP.
     */
    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    private MessageFlags() {
    }
}
