package netstack4j.tcp;

/**
 * A Fast Open cookie as Linux's struct tcp_fastopen_cookie holds it (RFC 7413 section 4.1.1):
 * its bytes, their number (0 for a cookie request, -1 for none) and whether it travels in the
 * experimental option (kind 254) rather than kind 34. Mutable and reused.
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
final class FastOpenCookie {
    /** Cookie bytes, 0 for a request, or -1 for no cookie (no option). */
    int length = -1;
    boolean experimental;
    final byte[] bytes = new byte[FastOpen.COOKIE_MAX];

    /** Becomes a copy of {@code o}. */
    void copyFrom(FastOpenCookie o) {
        length = o.length;
        experimental = o.experimental;
        System.arraycopy(o.bytes, 0, bytes, 0, Math.max(0, o.length));
    }
}
