package netstack4j.tcp;

import java.util.random.RandomGenerator;

/**
 * Picks the local port of an outgoing connection when the application did not bind one (N15),
 * with RFC 6056 section 3.3.4, Algorithm 4 ("Double-Hash Port Selection"): a keyed hash of
 * (local address, remote address, remote port) gives a starting offset in the range, a second
 * keyed hash picks a counter in a small table, and the search walks the range from
 * {@code offset + counter}, bumping the counter at each try. Connections to one destination thus
 * get successive ports, while different destinations' sequences are independent and unguessable.
 * Linux's {@code __inet_hash_connect()} follows the same scheme (its {@code table_perturb} has
 * 65536 counters; it also tries even ports first and adds a small random step, which this class
 * does not).
 *
 * <p>The range is {@code net.ipv4.ip_local_port_range} (Linux: 32768..60999). Whether a port is
 * usable is the caller's answer ({@link InUse}); when every port is taken, {@link #select} returns
 * {@link #EXHAUSTED}, which the socket layer reports as EADDRNOTAVAIL (N40, N44: a client that
 * makes many connections runs out of local ports).
 *
 * <p>Allocation-free per call. Thread-compatible: owned by the stack's thread.
 */
public final class EphemeralPorts {
    /** {@link #select}'s answer when no port in the range is free. */
    public static final int EXHAUSTED = -1;
    /** Counters in the table; RFC 6056 section 3.3.4 leaves the size open (it suggests 10). */
    public static final int DEFAULT_TABLE_SIZE = 256;

    /** Whether a 4-tuple is taken (a connection or TIME_WAIT holds it, or the port is reserved). */
    @FunctionalInterface
    public interface InUse {
        boolean test(int localIp, int localPort, int remoteIp, int remotePort);
    }

    private final int low;
    private final int high;
    private final long offsetKey0;
    private final long offsetKey1;
    private final long indexKey0;
    private final long indexKey1;
    private final int[] table;
    private final byte[] message = new byte[10];

    /** The range {@code [low, high]}, keys drawn from the stack's seeded generator. */
    public EphemeralPorts(int low, int high, RandomGenerator random) {
        this(low, high, random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(),
                DEFAULT_TABLE_SIZE);
    }

    /** The range {@code [low, high]} with explicit keys for F and G and table size. */
    public EphemeralPorts(int low, int high, long offsetKey0, long offsetKey1, long indexKey0, long indexKey1,
                          int tableSize) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("bad port range " + low + ".." + high);
        }
        if (tableSize < 1) {
            throw new IllegalArgumentException("table size must be >= 1: " + tableSize);
        }
        this.low = low;
        this.high = high;
        this.offsetKey0 = offsetKey0;
        this.offsetKey1 = offsetKey1;
        this.indexKey0 = indexKey0;
        this.indexKey1 = indexKey1;
        this.table = new int[tableSize];
    }

    /**
     * A free local port for a connection from {@code localIp} to {@code remoteIp:remotePort}, or
     * {@link #EXHAUSTED}. RFC 6056 section 3.3.4: tries every port of the range at most once.
     */
    public int select(int localIp, int remoteIp, int remotePort, InUse inUse) {
        int count = high - low + 1;
        SipHash.putBigEndian(message, 0, localIp, 4);
        SipHash.putBigEndian(message, 4, remoteIp, 4);
        SipHash.putBigEndian(message, 8, remotePort, 2);
        int offset = (int) Long.remainderUnsigned(SipHash.hash(offsetKey0, offsetKey1, message, 0, message.length), count);
        int index = (int) Long.remainderUnsigned(SipHash.hash(indexKey0, indexKey1, message, 0, message.length),
                table.length);
        for (int tries = 0; tries < count; tries++) {
            // port = min + (offset + table[index]) % num_ephemeral; table[index]++ (kept reduced modulo the range)
            int port = low + (int) (((long) offset + table[index]) % count);
            table[index] = (table[index] + 1) % count;
            if (!inUse.test(localIp, port, remoteIp, remotePort)) {
                return port;
            }
        }
        return EXHAUSTED;
    }

    public int low() {
        return low;
    }

    public int high() {
        return high;
    }
}
