package netstack4j.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SHA-256 computed on its own thread, so that checking a large transfer does not slow the
 * simulation: {@link #update} copies the bytes into one of a few reusable buffers and returns;
 * the hashing thread digests them in order. Used by one producer thread.
 */
final class BackgroundDigest implements AutoCloseable {
    private static final int BUFFERS = 8;

    private record Chunk(byte[] data, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> work = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final MessageDigest digest;
    private final Thread thread;
    private final int bufferSize;
    private volatile String result;

    BackgroundDigest(String name, int bufferSize) {
        this.bufferSize = bufferSize;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[bufferSize]);
        }
        thread = Thread.ofPlatform().daemon(true).name("sha256-" + name).start(this::run);
    }

    /** Queues {@code b[off, off+len)} for hashing (blocks only while every buffer is in use). */
    void update(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, bufferSize);
            byte[] buf = take(free);
            System.arraycopy(b, off, buf, 0, n);
            put(new Chunk(buf, n));
            off += n;
            len -= n;
        }
    }

    /** Waits for the hashing thread and returns the digest in hex. */
    String hex() {
        if (result == null) {
            put(END);
            join();
        }
        return result;
    }

    private void run() {
        while (true) {
            Chunk c = take(work);
            if (c == END) {
                result = HexFormat.of().formatHex(digest.digest());
                return;
            }
            digest.update(c.data(), 0, c.length());
            free.add(c.data());
        }
    }

    private void put(Chunk c) {
        try {
            work.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    private static <T> T take(BlockingQueue<T> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    @Override
    public void close() {
        hex();
    }
}
