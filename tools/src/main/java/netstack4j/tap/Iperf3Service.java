package netstack4j.tap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/**
 * A server that speaks iperf3's protocol (esnet/iperf, {@code iperf_server_api.c} and
 * {@code iperf_api.c}), port 5201, so that an unmodified {@code iperf3 -c} (and {@code -R},
 * {@code -P}, {@code -n}, {@code -t}) measures TCP against the stack:
 * <ol>
 * <li>the client opens the control connection and sends its 37-byte cookie (36 characters and a
 *     NUL); the server sends the state byte {@code PARAM_EXCHANGE};</li>
 * <li>the client sends its parameters as a 4-byte big-endian length and JSON;</li>
 * <li>{@code CREATE_STREAMS}: the client opens {@code parallel} data connections to the same port,
 *     each starting with the same cookie (that is how the server tells them from a new test);</li>
 * <li>{@code TEST_START}, {@code TEST_RUNNING}: data flows, client to server, or server to client
 *     with {@code "reverse"};</li>
 * <li>the client sends {@code TEST_END}; the server sends {@code EXCHANGE_RESULTS}, reads the
 *     client's results (length and JSON), sends its own ({@code bytes} per stream, the stream ids
 *     1, 3, 4, … as iperf_add_stream numbers them), then {@code DISPLAY_RESULTS}; the client
 *     answers {@code IPERF_DONE}.</li>
 * </ol>
 * One test at a time, as iperf3: a second client gets {@code ACCESS_DENIED}. UDP and
 * {@code --bidir} are refused with {@code SERVER_ERROR}.
 *
 * <p>Byte counts: as receiver, the server waits (up to 10 s) until it has read every byte the
 * client's results say were sent before it answers, so both sides report the same count (the
 * real server closes its data sockets at TEST_END and may count less).
 */
public final class Iperf3Service extends TcpService {
    public static final int PORT = 5201;
    static final int COOKIE_SIZE = 37;
    // iperf_api.h
    static final int TEST_START = 1;
    static final int TEST_RUNNING = 2;
    static final int TEST_END = 4;
    static final int PARAM_EXCHANGE = 9;
    static final int CREATE_STREAMS = 10;
    static final int CLIENT_TERMINATE = 12;
    static final int EXCHANGE_RESULTS = 13;
    static final int DISPLAY_RESULTS = 14;
    static final int IPERF_DONE = 16;
    static final int ACCESS_DENIED = -1;
    static final int SERVER_ERROR = -2;
    /** iperf_api.h IEUNIMP: "an option you are trying to set is not implemented yet". */
    static final int IEUNIMP = 13;
    private static final int DEFAULT_LEN = 128 * 1024;

    private final Object lock = new Object();
    private Test current;

    public Iperf3Service(NetStack stack, int port, Consumer<String> log) {
        super(stack, port, "iperf3", log);
    }

    @Override
    protected void serve(TcpSocket s) throws ErrnoException {
        s.setReadTimeout(Duration.ofSeconds(10));
        byte[] cookie = new byte[COOKIE_SIZE];
        if (!readFully(s, cookie, COOKIE_SIZE)) {
            return;
        }
        String c = new String(cookie, 0, COOKIE_SIZE - 1, StandardCharsets.US_ASCII);
        Test t;
        Test mine = null;
        Stream stream = null;
        synchronized (lock) {
            t = current;
            // A test that has shown its results ends with the client's IPERF_DONE, which the
            // client sent before it exited and its successor connected: iperf3's one-threaded
            // server reads it first, so wait for it here (bounded) instead of refusing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (t != null && t.resultsShown && !t.cookie.equals(c) && System.nanoTime() < deadline) {
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                t = current;
            }
            if (t != null && t.cookie.equals(c)) {
                stream = t.addStream(s);
            } else if (t == null) {
                mine = new Test(c, s);
                current = mine;
            }
        }
        if (stream != null) {
            stream.run();
        } else if (mine == null) {
            s.write(new byte[] {(byte) ACCESS_DENIED}, 0, 1);
            log(s.remoteAddress() + ": refused, a test is running");
        } else {
            try {
                mine.run();
            } finally {
                synchronized (lock) {
                    current = null;
                    lock.notifyAll();
                }
            }
        }
    }

    /** Reads exactly {@code n} bytes; false at end of stream. */
    static boolean readFully(TcpSocket s, byte[] b, int n) throws ErrnoException {
        int have = 0;
        while (have < n) {
            int r = s.read(b, have, n - have);
            if (r == 0) {
                return false;
            }
            have += r;
        }
        return true;
    }

    /** One test: its control connection, parameters and data streams. */
    private final class Test {
        final String cookie;
        final TcpSocket control;
        final List<Stream> streams = new ArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean stop;
        volatile boolean finished;
        /** DISPLAY_RESULTS was sent: only the client's IPERF_DONE (or its close) is left. */
        volatile boolean resultsShown;
        volatile int parallel;
        boolean reverse;
        int len = DEFAULT_LEN;
        /** {@code -n} or {@code -k}: bytes to send in all (0: until TEST_END), rounded up to whole blocks. */
        long byteLimit;
        final AtomicLong sentTotal = new AtomicLong();
        long startNs;
        long endNs;

        Test(String cookie, TcpSocket control) {
            this.cookie = cookie;
            this.control = control;
        }

        /** Called with the service's lock held. */
        Stream addStream(TcpSocket s) {
            if (streams.size() >= parallel) {
                return null;
            }
            Stream st = new Stream(this, s, streams.isEmpty() ? 1 : streams.size() + 2);
            streams.add(st);
            lock.notifyAll();
            return st;
        }

        void run() throws ErrnoException {
            try {
                exchange();
            } finally {
                finished = true;
                stop = true;
                started.countDown();
                done.countDown();
            }
        }

        private void exchange() throws ErrnoException {
            state(PARAM_EXCHANGE);
            Map<String, Object> params = Json.parseObject(readJson(control));
            if (Json.getFlag(params, "udp") || Json.getFlag(params, "sctp") || Json.getFlag(params, "bidirectional")) {
                state(SERVER_ERROR);
                writeInt(IEUNIMP);
                writeInt(0);
                log(control.remoteAddress() + ": refused: only TCP, one direction at a time");
                return;
            }
            parallel = (int) Math.max(1, Json.getLong(params, "parallel", 1));
            reverse = Json.getFlag(params, "reverse");
            len = (int) Math.clamp(Json.getLong(params, "len", DEFAULT_LEN), 1, 1 << 20);
            long blocks = Json.getLong(params, "blockcount", 0);
            byteLimit = blocks > 0 ? blocks * len : Math.max(0, Json.getLong(params, "num", 0));
            log(control.remoteAddress() + ": test of " + parallel + " stream(s), " + (reverse ? "server sends (-R)" : "client sends"));
            state(CREATE_STREAMS);
            if (!awaitStreams()) {
                log(control.remoteAddress() + ": the data connections did not come");
                return;
            }
            state(TEST_START);
            state(TEST_RUNNING);
            startNs = System.nanoTime();
            started.countDown();
            control.setReadTimeout(Duration.ZERO);
            int st = readState();
            if (st != TEST_END) {
                log(control.remoteAddress() + ": client ended the test (state " + st + ")");
                return;
            }
            endNs = System.nanoTime();
            if (reverse) {
                endStreams();
            }
            state(EXCHANGE_RESULTS);
            control.setReadTimeout(Duration.ofSeconds(10));
            Map<String, Object> theirs = Json.parseObject(readJson(control));
            if (!reverse) {
                awaitReceived(sentBy(theirs));
            }
            writeJson(results());
            state(DISPLAY_RESULTS);
            resultsShown = true;
            readState(); // IPERF_DONE, or the client just closes
            long total = 0;
            for (Stream s : streams) {
                total += s.bytes.get();
            }
            log(control.remoteAddress() + ": " + total + " bytes " + (reverse ? "sent" : "received") + " in "
                    + String.format(java.util.Locale.ROOT, "%.2f s", (endNs - startNs) / 1e9));
        }

        /**
         * As iperf3's server at TEST_END: the data streams end. The client turned its data sockets
         * blocking when it sent TEST_END and drains them with reads of whole blocks, which return
         * only at a block's end or at end of stream; so each sender finishes its block and sends
         * FIN, and the client's last read returns.
         */
        private void endStreams() {
            stop = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Stream s : streams) {
                try {
                    s.betweenBlocks.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    s.socket.shutdown(netstack4j.socket.Shutdown.WRITE);
                } catch (ErrnoException e) {
                    // already reset or closed: the client has its end of stream
                }
            }
        }

        private boolean awaitStreams() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (lock) {
                while (streams.size() < parallel) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return true;
        }

        private long sentBy(Map<String, Object> clientResults) {
            long sum = 0;
            if (clientResults.get("streams") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m && m.get("bytes") instanceof Number n) {
                        sum += n.longValue();
                    }
                }
            }
            return sum;
        }

        private void awaitReceived(long sent) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() - deadline < 0) {
                long got = 0;
                boolean allEnded = true;
                for (Stream s : streams) {
                    got += s.bytes.get();
                    allEnded &= s.ended;
                }
                if (got >= sent || allEnded) {
                    return;
                }
                try {
                    Thread.sleep(1); // polls the streams' counters, up to the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private Map<String, Object> results() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("cpu_util_total", 0.0);
            r.put("cpu_util_user", 0.0);
            r.put("cpu_util_system", 0.0);
            r.put("sender_has_retransmits", reverse ? 1 : 0);
            r.put("congestion_used", "cubic");
            List<Object> list = new ArrayList<>();
            double seconds = (endNs - startNs) / 1e9;
            for (Stream s : streams) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id);
                m.put("bytes", s.bytes.get());
                m.put("retransmits", reverse ? s.retransmits() : -1L);
                m.put("jitter", 0);
                m.put("errors", 0);
                m.put("omitted_errors", 0);
                m.put("packets", 0);
                m.put("omitted_packets", 0);
                m.put("start_time", 0);
                m.put("end_time", seconds);
                list.add(m);
            }
            r.put("streams", list);
            return r;
        }

        private void state(int s) throws ErrnoException {
            TcpService.writeFully(control, new byte[] {(byte) s}, 0, 1);
        }

        private int readState() throws ErrnoException {
            byte[] b = new byte[1];
            return control.read(b, 0, 1) == 0 ? CLIENT_TERMINATE : b[0];
        }

        private void writeInt(int v) throws ErrnoException {
            byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            TcpService.writeFully(control, b, 0, 4);
        }

        private void writeJson(Map<String, Object> m) throws ErrnoException {
            byte[] b = Json.write(m).getBytes(StandardCharsets.UTF_8);
            writeInt(b.length);
            TcpService.writeFully(control, b, 0, b.length);
        }
    }

    /** iperf3's JSON message: a 4-byte big-endian length, then the text. */
    static String readJson(TcpSocket s) throws ErrnoException {
        byte[] n = new byte[4];
        if (!readFully(s, n, 4)) {
            throw new ErrnoException(Errno.ECONNRESET, "iperf3 control connection closed");
        }
        int len = ((n[0] & 0xff) << 24) | ((n[1] & 0xff) << 16) | ((n[2] & 0xff) << 8) | (n[3] & 0xff);
        if (len < 2 || len > 1 << 20) {
            throw new ErrnoException(Errno.EINVAL, "iperf3 JSON of " + len + " bytes");
        }
        byte[] b = new byte[len];
        if (!readFully(s, b, len)) {
            throw new ErrnoException(Errno.ECONNRESET, "iperf3 control connection closed");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** One data connection; its thread is the connection's own. */
    private static final class Stream {
        final Test test;
        final TcpSocket socket;
        final int id;
        final AtomicLong bytes = new AtomicLong();
        volatile boolean ended;
        /** Counted down when the sender has stopped between two blocks (or the stream ended). */
        final CountDownLatch betweenBlocks = new CountDownLatch(1);

        Stream(Test test, TcpSocket socket, int id) {
            this.test = test;
            this.socket = socket;
            this.id = id;
        }

        long retransmits() {
            try {
                return socket.info().totalRetrans();
            } catch (RuntimeException e) {
                return 0;
            }
        }

        void run() throws ErrnoException {
            try {
                test.started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Short timeouts, so that the thread notices the end of the test while it waits.
            socket.setReadTimeout(Duration.ofMillis(200));
            socket.setWriteTimeout(Duration.ofMillis(200));
            byte[] buf = new byte[Math.max(test.len, 65536)];
            try {
                if (test.reverse) {
                    send(buf);
                } else {
                    receive(buf);
                }
            } finally {
                betweenBlocks.countDown();
                ended = true;
            }
        }

        /**
         * Whole blocks of {@code len} bytes, as iperf3's sender writes them: its receiver reads
         * whole blocks too ({@code Nread} of {@code blksize}), so a stream that stopped in the
         * middle of one would leave the client waiting for the rest.
         */
        private void send(byte[] buf) throws ErrnoException {
            int n = test.len;
            while (!test.stop) {
                if (test.byteLimit > 0 && test.sentTotal.getAndAdd(n) >= test.byteLimit) {
                    break; // -n: the blocks reserved so far cover it (iperf3 also ends on a whole block)
                }
                int off = 0;
                while (off < n) {
                    try {
                        off += socket.write(buf, off, n - off);
                    } catch (ErrnoException e) {
                        if (e.errno() != Errno.EAGAIN || test.finished) {
                            throw e;
                        }
                    }
                }
                bytes.addAndGet(n);
            }
            betweenBlocks.countDown();
            try {
                test.done.await(); // keep the connection open until the results are exchanged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void receive(byte[] buf) throws ErrnoException {
            while (!test.finished) {
                try {
                    int n = socket.read(buf, 0, buf.length);
                    if (n == 0) {
                        return;
                    }
                    bytes.addAndGet(n);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw e;
                    }
                }
            }
        }
    }
}
