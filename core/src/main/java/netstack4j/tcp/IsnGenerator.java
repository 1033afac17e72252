package netstack4j.tcp;

import java.util.random.RandomGenerator;

/**
 * Initial sequence numbers per RFC 6528 section 3: {@code ISN = M + F(localip, localport,
 * remoteip, remoteport, secretkey)}, where M is a timer ticking every {@code tickNs} and F is
 * SipHash-2-4 under a secret key. A new connection on a 4-tuple thus starts beyond where an old
 * incarnation's segments may still be (the clock), while an off-path attacker cannot guess another
 * tuple's numbers (the keyed hash).
 *
 * <p>The tick is RFC 6528's 4 microseconds ({@link #RFC6528_TICK_NS}, the RFC 9293 section 3.4.1
 * clock) or Linux's 64 nanoseconds ({@link #LINUX_TICK_NS}: {@code seq_scale()} in
 * net/core/secure_seq.c adds {@code ktime_get_real_ns() >> 6}, so the 32-bit space turns over about
 * every 274 s, more than 2 MSL even at 10 Gb/s). The time is the stack's clock, passed in; the key
 * comes from the stack's seeded generator, so a simulation replays the same ISNs.
 *
 * <p>Allocation-free per call. Thread-compatible: owned by the stack's thread.
 */
public final class IsnGenerator {
    /** RFC 6528 section 3 (after RFC 9293 section 3.4.1): M increments every 4 microseconds. */
    public static final long RFC6528_TICK_NS = 4_000;
    /** As Linux's seq_scale: M increments every 64 nanoseconds. */
    public static final long LINUX_TICK_NS = 64;

    private final long k0;
    private final long k1;
    private final long tickNs;
    private final byte[] message = new byte[12];

    /** Draws the 128-bit secret key from {@code random} (the stack's seeded generator). */
    public IsnGenerator(RandomGenerator random, long tickNs) {
        this(random.nextLong(), random.nextLong(), tickNs);
    }

    /** Uses the given secret key. */
    public IsnGenerator(long key0, long key1, long tickNs) {
        if (tickNs <= 0) {
            throw new IllegalArgumentException("tick must be > 0 ns: " + tickNs);
        }
        this.k0 = key0;
        this.k1 = key1;
        this.tickNs = tickNs;
    }

    /**
     * The ISN for a connection from {@code localIp:localPort} to {@code remoteIp:remotePort} (IPv4
     * addresses as big-endian ints, ports 0..65535) opened at {@code nowNs} on the stack's clock.
     */
    public int isn(long nowNs, int localIp, int localPort, int remoteIp, int remotePort) {
        int m = (int) Math.floorDiv(nowNs, tickNs);
        return m + hash(localIp, localPort, remoteIp, remotePort);
    }

    /** F alone: the keyed hash of the 4-tuple, truncated to 32 bits (RFC 6528 section 3). */
    int hash(int localIp, int localPort, int remoteIp, int remotePort) {
        SipHash.putBigEndian(message, 0, localIp, 4);
        SipHash.putBigEndian(message, 4, localPort, 2);
        SipHash.putBigEndian(message, 6, remoteIp, 4);
        SipHash.putBigEndian(message, 10, remotePort, 2);
        return (int) SipHash.hash(k0, k1, message, 0, message.length);
    }

    public long tickNs() {
        return tickNs;
    }
}
