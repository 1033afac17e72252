package netstack4j.nio;

import java.nio.ByteBuffer;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.MessageFlags;
import netstack4j.socket.TcpSocket;

/**
 * Copies between {@link ByteBuffer}s and a {@link TcpSocket}: heap buffers directly through their
 * array, direct buffers through the channel's scratch array.
 */
final class ByteIo {
    /** The scratch array size: direct buffers move at most this much per call. */
    static final int SCRATCH_BYTES = 64 * 1024;

    private ByteIo() {
    }

    /** One recv into {@code dst}; returns what TcpSocket.recv returned (0 at end of stream). */
    static int read(TcpSocket s, ByteBuffer dst, int flags, byte[] scratch) throws ErrnoException {
        int rem = dst.remaining();
        if (rem == 0) {
            return 0;
        }
        int pos = dst.position();
        if (dst.hasArray()) {
            int n = s.recv(dst.array(), dst.arrayOffset() + pos, rem, flags);
            dst.position(pos + n);
            return n;
        }
        int n = s.recv(scratch, 0, Math.min(rem, scratch.length), flags);
        dst.put(scratch, 0, n);
        return n;
    }

    /**
     * Sends from {@code src}: everything when {@code all} (a blocking channel), else one call's
     * worth (what fits, EAGAIN when nothing does).
     */
    static int write(TcpSocket s, ByteBuffer src, boolean all, byte[] scratch) throws ErrnoException {
        int done = 0;
        while (src.hasRemaining()) {
            int pos = src.position();
            int rem = src.remaining();
            int n;
            if (src.hasArray()) {
                n = s.send(src.array(), src.arrayOffset() + pos, rem, 0);
            } else {
                int chunk = Math.min(rem, scratch.length);
                src.get(pos, scratch, 0, chunk);
                n = s.send(scratch, 0, chunk, 0);
            }
            src.position(pos + n);
            done += n;
            if (!all) {
                break;
            }
        }
        return done;
    }

    /** Scattering read: blocks (if blocking) for the first buffer only, the rest take what is queued. */
    static long read(TcpSocket s, ByteBuffer[] dsts, int offset, int length, byte[] scratch) throws ErrnoException {
        long total = 0;
        int flags = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (!b.hasRemaining()) {
                continue;
            }
            int want = b.remaining();
            int n;
            try {
                n = read(s, b, flags, scratch);
            } catch (ErrnoException e) {
                if (total > 0) {
                    return total;
                }
                throw e;
            }
            if (n == 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (n < want) {
                return total;
            }
            flags = MessageFlags.MSG_DONTWAIT;
        }
        return total;
    }
}
