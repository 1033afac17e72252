package netstack4j.trace;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes Ethernet frames in the classic libpcap file format that tcpdump, Wireshark and tshark
 * read (pcap-savefile(5); draft-ietf-opsawg-pcap section 4): a 24-byte file header (magic
 * 0xa1b2c3d4, version 2.4, snaplen 262144, LINKTYPE_ETHERNET) then, per frame, a 16-byte record
 * header (seconds, microseconds, captured length, original length) and the bytes. Fields are
 * written little-endian; readers recognise the byte order by the magic number.
 *
 * <p>Timestamps are the stack clock's nanoseconds, written with microsecond resolution; in a
 * simulation they start near zero, which readers show as 1970.
 *
 * <p>Thread-compatible: one writer per capture, used by the thread that owns the device.
 * The stream is not buffered here; pass a {@link java.io.BufferedOutputStream} for files.
 */
public final class PcapWriter implements Closeable, Flushable {
    public static final int MAGIC = 0xa1b2c3d4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 262144;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private final OutputStream out;
    private final byte[] header = new byte[FILE_HEADER_LENGTH];
    private long packets;

    /** Starts a capture on {@code out} by writing the file header. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        putInt(0, MAGIC);
        putShort(4, VERSION_MAJOR);
        putShort(6, VERSION_MINOR);
        putInt(8, 0);  // thiszone: timestamps are UTC
        putInt(12, 0); // sigfigs: always 0
        putInt(16, SNAPLEN);
        putInt(20, LINKTYPE_ETHERNET);
        out.write(header, 0, FILE_HEADER_LENGTH);
    }

    /**
     * Appends one frame {@code b[off, off+len)} captured at {@code timestampNs}. Frames longer
     * than the snap length are truncated to it, with the original length recorded.
     */
    public void writePacket(long timestampNs, byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long us = Math.floorDiv(timestampNs, 1_000L);
        int captured = Math.min(len, SNAPLEN);
        putInt(0, (int) Math.floorDiv(us, 1_000_000L));
        putInt(4, (int) Math.floorMod(us, 1_000_000L));
        putInt(8, captured);
        putInt(12, len);
        out.write(header, 0, RECORD_HEADER_LENGTH);
        out.write(b, off, captured);
        packets++;
    }

    /** Frames written so far. */
    public long packets() {
        return packets;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void putInt(int at, int v) {
        header[at] = (byte) v;
        header[at + 1] = (byte) (v >>> 8);
        header[at + 2] = (byte) (v >>> 16);
        header[at + 3] = (byte) (v >>> 24);
    }

    private void putShort(int at, int v) {
        header[at] = (byte) v;
        header[at + 1] = (byte) (v >>> 8);
    }
}
