package netstack4j.tcp;

/**
 * The options of one outgoing segment, laid out as Linux's tcp_options_write lays them out (RFC
 * 9293 section 3.1 option format; every option 32-bit aligned with NOPs):
 *
 * <pre>
 *   MSS                 kind 2, len 4                                  (SYN, SYN-ACK)
 *   SACK-permitted + TS kind 4, len 2, kind 8, len 10, TSval, TSecr   (both offered)
 *   or NOP NOP + TS     kind 8, len 10, TSval, TSecr                   (RFC 7323 section 3)
 *   NOP NOP SACK-perm   kind 4, len 2                                  (SACK without TS)
 *   NOP + window scale  kind 3, len 3, shift                           (RFC 7323 section 2)
 *   NOP NOP SACK        kind 5, len 2 + 8n, n blocks                    (RFC 2018 section 3)
 *   Fast Open [NOP NOP] kind 34, len 2 + n, cookie; or kind 254, len 4 + n, 0xF989, cookie
 *                       (RFC 7413 section 4.1.1; NOPs when the length is 2 mod 4)
 * </pre>
 * so a Linux SYN reads {@code <mss 1460,sackOK,TS val … ecr 0,nop,wscale 7>}.
 *
 * <p>Reused: each connection fills one instance per segment, so building options allocates
 * nothing. Thread-compatible.
 */
final class SegmentOptions {
    /** Options nobody fills in: a bare header. */
    static final SegmentOptions NONE = new SegmentOptions();

    /** MSS option value, or -1. */
    int mss = -1;
    /** Window scale shift, or -1. */
    int windowScale = -1;
    boolean sackPermitted;
    boolean timestamps;
    int tsVal;
    int tsEcr;
    /** SACK blocks as [start, end) pairs in {@link #sack}, at most 4. */
    int sackBlocks;
    final int[] sack = new int[8];
    /** Fast Open cookie bytes (0: a cookie request), or -1 for no Fast Open option. */
    int fastOpenLength = -1;
    /** The experimental form (kind 254 with magic 0xF989) instead of kind 34. */
    boolean fastOpenExperimental;
    final byte[] fastOpenCookie = new byte[FastOpen.COOKIE_MAX];

    SegmentOptions clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        sackBlocks = 0;
        fastOpenLength = -1;
        return this;
    }

    /** Options bytes, a multiple of 4 (at most 40). */
    int length() {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (timestamps) {
            n += 12;
        } else if (sackPermitted) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4;
        }
        if (sackBlocks > 0) {
            n += 4 + 8 * sackBlocks;
        }
        if (fastOpenLength >= 0) {
            n += (fastOpenOptionLength() + 3) & ~3;
        }
        return n;
    }

    /** Writes the options at {@code a[at..]}: {@link #length()} bytes. */
    void write(byte[] a, int at) {
        if (mss >= 0) {
            at = put(a, at, 2, 4, mss >>> 8, mss & 0xff);
        }
        if (timestamps) {
            at = sackPermitted ? put(a, at, 4, 2, 8, 10) : put(a, at, 1, 1, 8, 10);
            at = putInt(a, at, tsVal);
            at = putInt(a, at, tsEcr);
        } else if (sackPermitted) {
            at = put(a, at, 1, 1, 4, 2);
        }
        if (windowScale >= 0) {
            at = put(a, at, 1, 3, 3, windowScale);
        }
        if (sackBlocks > 0) {
            at = put(a, at, 1, 1, 5, 2 + 8 * sackBlocks);
            for (int i = 0; i < 2 * sackBlocks; i++) {
                at = putInt(a, at, sack[i]);
            }
        }
        if (fastOpenLength >= 0) {
            // Linux's tcp_options_write (OPTION_FAST_OPEN_COOKIE): the option, then two NOPs
            // when its length leaves two bytes of the last word.
            int len = fastOpenOptionLength();
            a[at] = (byte) (fastOpenExperimental ? 254 : 34);
            a[at + 1] = (byte) len;
            int p = at + 2;
            if (fastOpenExperimental) {
                a[p] = (byte) 0xf9;
                a[p + 1] = (byte) 0x89;
                p += 2;
            }
            System.arraycopy(fastOpenCookie, 0, a, p, fastOpenLength);
            p += fastOpenLength;
            for (int end = at + ((len + 3) & ~3); p < end; p++) {
                a[p] = 1;
            }
        }
    }

    private int fastOpenOptionLength() {
        return (fastOpenExperimental ? 4 : 2) + fastOpenLength;
    }

    private static int put(byte[] a, int at, int b0, int b1, int b2, int b3) {
        a[at] = (byte) b0;
        a[at + 1] = (byte) b1;
        a[at + 2] = (byte) b2;
        a[at + 3] = (byte) b3;
        return at + 4;
    }

    private static int putInt(byte[] a, int at, int v) {
        return put(a, at, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    }
}
