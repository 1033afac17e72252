package netstack4j.tcp;

/**
 * The round-trip time estimator and retransmission timeout of one connection (RFC 6298).
 *
 * <p>The sender feeds it RTT samples; it answers {@link #rtoNs()}. Karn's algorithm (RFC 6298
 * section 3) is the caller's part of the contract: never pass a sample measured on a segment that
 * was retransmitted (until RFC 7323 timestamps make such samples unambiguous). The timer's
 * exponential backoff (RFC 6298 section 5.5) is {@link #backoff()}. RFC 6298 section 5 keeps the
 * backed-off RTO until an acknowledgement of data that was not retransmitted yields a new sample;
 * Linux clears the backoff in {@code tcp_ack_update_rtt()} on exactly that, and so does
 * {@link #onSample}. {@link #resetBackoff()} lets the engine clear it on other evidence of progress
 * (a new ACK, as the engine design chooses).
 *
 * <h2>Two formulas</h2>
 * <ul>
 *   <li>{@link Formula#RFC6298}: RFC 6298 section 2.2 and 2.3 exactly: on the first sample R,
 *       SRTT = R, RTTVAR = R/2; then RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R';
 *       RTO = SRTT + max(G, 4 RTTVAR), then clamped to [min, max] (sections 2.4, 2.5).</li>
 *   <li>{@link Formula#LINUX}, as Linux's {@code tcp_rtt_estimator()} and {@code __tcp_set_rto()}
 *       do (net/ipv4/tcp_input.c, include/net/tcp.h). SRTT is the same 1/8 average. The mean
 *       deviation {@code mdev} (4 RTTVAR) gains 1/4 of the error, but only 1/32 when the RTT
 *       falls below SRTT (so a sudden RTT drop does not inflate the RTO). The RTO uses not mdev
 *       but {@code rttvar}: the largest mdev seen during the last round trip, never below the
 *       minimum RTO, decaying by 1/4 of its excess once per round trip (a round trip ends when
 *       SND.UNA passes the SND.NXT recorded at its start). So
 *       <pre>RTO = SRTT + max(rto_min, max mdev over the last RTT)</pre>
 *       rounded up to the clock granularity G (Linux converts microseconds to jiffies rounding
 *       up). The first sample R gives SRTT = R, mdev = 2R and RTO = R + max(2R, rto_min): 3R on
 *       long paths, R + 200 ms on a LAN. Linux's rto_min is 200 ms (TCP_RTO_MIN) where RFC 6298
 *       section 2.4 asks for 1 s; the max is 120 s (TCP_RTO_MAX); the initial RTO is 1 s
 *       (TCP_TIMEOUT_INIT, RFC 6298 section 2.1).</li>
 * </ul>
 *
 * <p>{@link #srttNs()} and {@link #rttvarNs()} are what {@code ss -i} prints as
 * {@code rtt:srtt/rttvar} (Linux's tcpi_rtt and tcpi_rttvar: SRTT and mdev/4, the RFC's RTTVAR);
 * {@link #rtoNs()} is {@code rto:}.
 *
 * <p>Integer arithmetic in nanoseconds with Linux's scaling (SRTT kept times 8, mdev times 4), so
 * results are exact and deterministic. Thread-compatible: owned by the stack's thread.
 */
public final class RttEstimator {
    /** How the RTO is derived from samples; see the class comment. */
    public enum Formula { RFC6298, LINUX }

    private static final long MS = 1_000_000L;

    private final Formula formula;
    private final long initialRtoNs;
    private final long minRtoNs;
    private final long maxRtoNs;
    private final long granularityNs;

    /** SRTT times 8 (Linux's srtt_us scaling); 0 before the first sample. */
    private long srtt8Ns;
    /** Mean deviation times 4, i.e. 4 RTTVAR (Linux's mdev_us). */
    private long mdev4Ns;
    /** Largest mdev4 in the current round trip, floored at minRtoNs (Linux's mdev_max_us). */
    private long mdevMaxNs;
    /** The RTO's variance term (Linux's rttvar_us); LINUX formula only. */
    private long rttvarTermNs;
    /** SND.NXT when the current round trip started (Linux's rtt_seq). */
    private int rttSeq;
    private boolean hasSample;
    /** The smallest sample seen (Linux's tcp_min_rtt; its 300 s window, tcp_min_rtt_wlen, is taken as the connection's life). */
    private long minRttNs = Long.MAX_VALUE;
    private long baseRtoNs;
    private int backoffs;

    /**
     * @param formula          how the RTO is computed
     * @param initialRtoNs     RTO before any sample (RFC 6298 section 2.1: 1 s)
     * @param minRtoNs         lower bound (RFC 6298 section 2.4: 1 s; Linux TCP_RTO_MIN: 200 ms)
     * @param maxRtoNs         upper bound, also for backoff (RFC 6298 section 2.5: at least 60 s;
     *                         Linux TCP_RTO_MAX: 120 s)
     * @param granularityNs    clock granularity G (RFC 6298 section 2; Linux: one jiffy, 1 ms at HZ=1000)
     */
    public RttEstimator(Formula formula, long initialRtoNs, long minRtoNs, long maxRtoNs, long granularityNs) {
        if (minRtoNs <= 0 || maxRtoNs < minRtoNs || initialRtoNs < minRtoNs || initialRtoNs > maxRtoNs) {
            throw new IllegalArgumentException("need 0 < min <= initial <= max: " + minRtoNs + " "
                    + initialRtoNs + " " + maxRtoNs);
        }
        if (granularityNs <= 0) {
            throw new IllegalArgumentException("granularity must be > 0: " + granularityNs);
        }
        this.formula = formula;
        this.initialRtoNs = initialRtoNs;
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.granularityNs = granularityNs;
        this.baseRtoNs = initialRtoNs;
    }

    /** Linux's personality: initial 1 s, min 200 ms, max 120 s, G = 1 ms (HZ=1000). */
    public static RttEstimator linux() {
        return new RttEstimator(Formula.LINUX, 1000 * MS, 200 * MS, 120_000 * MS, MS);
    }

    /** RFC 6298 to the letter: initial 1 s, min 1 s, max 60 s, G = 1 ms. */
    public static RttEstimator rfc6298() {
        return new RttEstimator(Formula.RFC6298, 1000 * MS, 1000 * MS, 60_000 * MS, MS);
    }

    /**
     * Takes one RTT measurement (RFC 6298 section 2.2, 2.3). The caller applies Karn's algorithm:
     * no sample from a retransmitted segment. {@code sndUna} and {@code sndNxt} are the sender's
     * after processing the ACK that produced the sample; the LINUX formula uses them to tell
     * round trips apart, the RFC6298 formula ignores them.
     *
     * @param rttNs the measured round-trip time, &gt;= 0 (a 0 is taken as 1 ns, as Linux takes 1 us)
     */
    public void onSample(long rttNs, int sndUna, int sndNxt) {
        if (rttNs < 0) {
            throw new IllegalArgumentException("negative RTT sample: " + rttNs);
        }
        long m = Math.max(1, rttNs);
        minRttNs = Math.min(minRttNs, m);
        if (formula == Formula.RFC6298) {
            sampleRfc(m);
        } else {
            sampleLinux(m, sndUna, sndNxt);
        }
        hasSample = true;
        baseRtoNs = computeRto();
        backoffs = 0; // RFC 6298 section 5; as Linux's tcp_ack_update_rtt
    }

    private void sampleRfc(long r) {
        if (!hasSample) {
            // RFC 6298 section 2.2: SRTT <- R, RTTVAR <- R/2.
            srtt8Ns = r << 3;
            mdev4Ns = r << 1;
            return;
        }
        // RFC 6298 section 2.3: RTTVAR first, with the old SRTT; beta = 1/4, alpha = 1/8.
        long srtt = srtt8Ns >> 3;
        long err = Math.abs(srtt - r);
        mdev4Ns += err - (mdev4Ns >> 2);
        srtt8Ns += r - srtt;
    }

    private void sampleLinux(long m, int sndUna, int sndNxt) {
        if (!hasSample) {
            // As Linux does: SRTT = R, mdev = R/2 (stored 2R), rttvar = max(2R, rto_min).
            srtt8Ns = m << 3;
            mdev4Ns = m << 1;
            rttvarTermNs = Math.max(mdev4Ns, minRtoNs);
            mdevMaxNs = rttvarTermNs;
            rttSeq = sndNxt;
            return;
        }
        long err = m - (srtt8Ns >> 3);
        srtt8Ns += err; // SRTT = 7/8 SRTT + 1/8 R
        if (err < 0) {
            err = -err - (mdev4Ns >> 2);
            // As Linux does: an RTT below SRTT moves mdev with gain 1/32, not 1/4.
            if (err > 0) {
                err >>= 3;
            }
        } else {
            err -= mdev4Ns >> 2;
        }
        mdev4Ns += err; // mdev = 3/4 mdev + 1/4 |error|
        if (mdev4Ns > mdevMaxNs) {
            mdevMaxNs = mdev4Ns;
            if (mdevMaxNs > rttvarTermNs) {
                rttvarTermNs = mdevMaxNs;
            }
        }
        if (SeqNum.gt(sndUna, rttSeq)) {
            // One round trip over: rttvar decays towards this round's largest mdev.
            if (mdevMaxNs < rttvarTermNs) {
                rttvarTermNs -= (rttvarTermNs - mdevMaxNs) >> 2;
            }
            rttSeq = sndNxt;
            mdevMaxNs = minRtoNs;
        }
        srtt8Ns = Math.max(1, srtt8Ns);
    }

    private long computeRto() {
        long srtt = srtt8Ns >> 3;
        long rto;
        if (formula == Formula.RFC6298) {
            rto = srtt + Math.max(granularityNs, mdev4Ns); // RFC 6298 section 2.3: K = 4
        } else {
            long raw = (srtt8Ns >> 3) + rttvarTermNs;
            rto = Math.ceilDiv(raw, granularityNs) * granularityNs; // as Linux's usecs_to_jiffies
        }
        return Math.min(maxRtoNs, Math.max(minRtoNs, rto)); // RFC 6298 sections 2.4, 2.5
    }

    /**
     * The retransmission timer expired: doubles the RTO, bounded by the maximum (RFC 6298 section
     * 5.5; Linux shifts the base RTO left by its backoff count, capped at TCP_RTO_MAX).
     */
    public void backoff() {
        if (backoffs < 31) {
            backoffs++;
        }
    }

    /** A new acknowledgement arrived: the RTO is again computed from SRTT and RTTVAR. */
    public void resetBackoff() {
        backoffs = 0;
    }

    /** The current retransmission timeout, including backoff. */
    public long rtoNs() {
        if (backoffs == 0) {
            return baseRtoNs;
        }
        if (baseRtoNs > (maxRtoNs >> backoffs)) {
            return maxRtoNs;
        }
        return Math.min(maxRtoNs, baseRtoNs << backoffs);
    }

    /** The RTO computed from the samples (or the initial RTO), without backoff. */
    public long baseRtoNs() {
        return baseRtoNs;
    }

    /** How many times in a row the timer backed off ({@code ss}'s {@code backoff:}). */
    public int backoffCount() {
        return backoffs;
    }

    /** Smoothed RTT; 0 before the first sample. */
    public long srttNs() {
        return srtt8Ns >> 3;
    }

    /** RTTVAR, the mean deviation (RFC 6298; Linux's tcpi_rttvar); 0 before the first sample. */
    public long rttvarNs() {
        return mdev4Ns >> 2;
    }

    /** The smallest RTT sample so far ({@code ss}'s {@code minrtt}); {@link Long#MAX_VALUE} before the first. */
    public long minRttNs() {
        return minRttNs;
    }

    /** True once a sample was taken. */
    public boolean hasSample() {
        return hasSample;
    }

    public Formula formula() {
        return formula;
    }

    public long initialRtoNs() {
        return initialRtoNs;
    }

    public long minRtoNs() {
        return minRtoNs;
    }

    public long maxRtoNs() {
        return maxRtoNs;
    }

    /** As {@code ss -i} shows it: {@code rto:204 rtt:3.5/1.75} (milliseconds). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("rto:").append(formatMs(rtoNs()));
        if (backoffs > 0) {
            sb.append(" backoff:").append(backoffs);
        }
        if (hasSample) {
            sb.append(" rtt:").append(formatMs(srttNs())).append('/').append(formatMs(rttvarNs()));
        }
        return sb.toString();
    }

    private static String formatMs(long ns) {
        long us = ns / 1000;
        if (us % 1000 == 0) {
            return Long.toString(us / 1000);
        }
        return java.math.BigDecimal.valueOf(us, 3).stripTrailingZeros().toPlainString();
    }
}
