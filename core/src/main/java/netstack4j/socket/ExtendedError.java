package netstack4j.socket;

/**
 * One record of a socket's error queue as {@code recvmsg(MSG_ERRQUEUE)} returns it in its
 * IP_RECVERR control message: Linux's {@code struct sock_extended_err}.
 *
 * @param errno  ee_errno (0 for a MSG_ZEROCOPY completion)
 * @param origin ee_origin ({@link #ORIGIN_ZEROCOPY}, ...)
 * @param type   ee_type
 * @param code   ee_code ({@link #CODE_ZEROCOPY_COPIED} for a completion whose data was copied)
 * @param info   ee_info (a completion: the first id of its range)
 * @param data   ee_data (a completion: the last id of its range, inclusive; a timestamp: the
 *               stamped byte's key)
 * @param timestampNs the software timestamp SCM_TIMESTAMPING reports with the record (the stack
 *               clock's nanoseconds), or -1 for none
 * @param length the length of the data the record carries (the stamped segment's payload for a
 *               transmit timestamp without OPT_TSONLY; else 0): a shorter read sees MSG_TRUNC
 */
public record ExtendedError(int errno, int origin, int type, int code, int info, int data, long timestampNs, int length) {
    /** SO_EE_ORIGIN_TIMESTAMPING. */
    public static final int ORIGIN_TIMESTAMPING = 4;
    /** SO_EE_ORIGIN_ZEROCOPY. */
    public static final int ORIGIN_ZEROCOPY = 5;
    /** SO_EE_CODE_ZEROCOPY_COPIED. */
    public static final int CODE_ZEROCOPY_COPIED = 1;

    @Override
    public String toString() {
        return origin == ORIGIN_ZEROCOPY
                ? "zerocopy ids " + Integer.toUnsignedString(info) + ".." + Integer.toUnsignedString(data)
                        + ((code & CODE_ZEROCOPY_COPIED) != 0 ? " (copied)" : "")
                : origin == ORIGIN_TIMESTAMPING
                ? "timestamp " + (info == 0 ? "SND" : info == 1 ? "SCHED" : info == 2 ? "ACK" : "type " + info)
                        + " key " + Integer.toUnsignedString(data) + (timestampNs >= 0 ? " at " + timestampNs + " ns" : "")
                : "error errno=" + errno + " origin=" + origin + " type=" + type + " code=" + code
                        + " info=" + info + " data=" + data;
    }
}
