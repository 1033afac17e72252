package netstack4j.tcp;

/**
 * CUBIC (RFC 9438) as Linux's {@code tcp_cubic.c} computes it, Linux's default congestion
 * control: the window follows W(t) = C (t - K)^3 + W_max after a loss, in packets, with Linux's
 * fixed-point constants (C = 0.4 as bic_scale 41, β = 0.7 as 717/1024, fast convergence and the
 * TCP-friendly region on), and HyStart (ACK train and delay increase) to leave slow start before
 * the first loss. Recovery itself (RFC 6582) is {@link AbstractCongestionControl}'s.
 *
 * <p>Time is the stack's clock; Linux's jiffies are taken as milliseconds (HZ = 1000).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class Cubic extends AbstractCongestionControl {
    static final int BETA_SCALE = 1024;
    /** β = 717/1024 ≈ 0.7 (RFC 9438 section 4.6). */
    static final int BETA = 717;
    /** C = 0.4: bic_scale 41, cube_rtt_scale = bic_scale * 10. */
    static final long CUBE_RTT_SCALE = 410;
    /** BICTCP_HZ: time in the cubic function is in units of 1/1024 s. */
    static final int BICTCP_HZ = 10;
    /** cube_factor = 2^(10 + 3 BICTCP_HZ) / (bic_scale * 10). */
    static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE;
    /** beta_scale = 8 (BETA_SCALE + β) / 3 / (BETA_SCALE - β): the TCP-friendly growth rate. */
    static final int FRIENDLY_SCALE = 8 * (BETA_SCALE + BETA) / 3 / (BETA_SCALE - BETA);
    /** hystart_low_window: HyStart only looks at windows of 16 packets or more. */
    static final int HYSTART_LOW_WINDOW = 16;
    /** HYSTART_MIN_SAMPLES: RTT samples per round before the delay test. */
    static final int HYSTART_MIN_SAMPLES = 8;
    static final long HYSTART_ACK_DELTA_NS = 2_000_000L;
    static final long HYSTART_DELAY_MIN_NS = 4_000_000L;
    static final long HYSTART_DELAY_MAX_NS = 16_000_000L;
    private static final long MS = 1_000_000L;
    /** The largest cube that fits in a long is 2097151^3. */
    private static final long MAX_CUBE_ROOT = 2_097_151L;

    private int cnt;
    private int lastMaxCwnd;
    private int lastCwnd;
    private long lastTimeNs;
    private int originPoint;
    private long bicK;
    private long delayMinNs;
    /** epoch_start, or NO_EPOCH after a loss or at the start. */
    private long epochStartNs = NO_EPOCH;
    private int ackCnt;
    private int tcpCwnd;
    private int cwndCnt;
    private static final long NO_EPOCH = Long.MIN_VALUE;

    private boolean hystartFound;
    private long roundStartNs;
    private long lastAckNs;
    private int endSeq;
    private boolean roundStarted;
    private long currRttNs;
    private int sampleCnt;
    /** An RTT sample waiting for its ACK (Linux's pkts_acked runs with the ACK known). */
    private long pendingRttNs;

    public Cubic(int smssBytes, int initialWindowSegments) {
        super(smssBytes, (int) Math.min(MAX_CWND_BYTES, (long) smssBytes * Math.max(1, initialWindowSegments)));
    }

    @Override
    public String name() {
        return "cubic";
    }

    private int cwndPackets() {
        return Math.max(1, cwndBytes() / smssBytes());
    }

    private void setCwndPackets(int packets) {
        setCwnd((int) Math.min(MAX_CWND_BYTES, (long) packets * smssBytes()));
    }

    @Override
    protected void increaseWindow(long nowNs, int bytesAcked) {
        int acked = Math.max(1, bytesAcked / smssBytes());
        int cwnd = cwndPackets();
        if (inSlowStart()) {
            // tcp_slow_start: cwnd += acked, up to ssthresh; the rest goes on in avoidance.
            int ssthresh = ssthreshBytes() / smssBytes();
            int next = Math.min(cwnd + acked, ssthresh);
            acked -= next - cwnd;
            setCwndPackets(next);
            if (acked <= 0) {
                return;
            }
            cwnd = next;
        }
        update(nowNs, cwnd, acked);
        congestionAvoidanceIncrease(cnt, acked);
    }

    /** Linux's bictcp_update: the per-ACK count of packets per cwnd increment. */
    private void update(long nowNs, int cwnd, int acked) {
        ackCnt += acked;
        if (lastCwnd == cwnd && nowNs - lastTimeNs <= 1000 * MS / 32) {
            return;
        }
        boolean sameTick = epochStartNs != NO_EPOCH && nowNs / MS == lastTimeNs / MS;
        if (!sameTick) {
            lastCwnd = cwnd;
            lastTimeNs = nowNs;
            if (epochStartNs == NO_EPOCH) {
                epochStartNs = nowNs;
                ackCnt = acked;
                tcpCwnd = cwnd;
                if (lastMaxCwnd <= cwnd) {
                    bicK = 0;
                    originPoint = cwnd;
                } else {
                    bicK = cubicRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
                    originPoint = lastMaxCwnd;
                }
            }
            // t in 1/1024 s, from the epoch start plus the minimum delay.
            long tMs = (nowNs - epochStartNs) / MS + delayMinNs / MS;
            long t = (tMs << BICTCP_HZ) / 1000;
            long offs = t < bicK ? bicK - t : t - bicK;
            long delta = (CUBE_RTT_SCALE * offs * offs * offs) >> (10 + 3 * BICTCP_HZ);
            long target = t < bicK ? originPoint - delta : originPoint + delta;
            cnt = target > cwnd ? (int) Math.max(1, cwnd / (target - cwnd)) : 100 * cwnd;
            if (lastMaxCwnd == 0 && cnt > 20) {
                cnt = 20; // the first growth, before any loss: 5 % per RTT
            }
        }
        // TCP friendliness (RFC 9438 section 4.3): never slower than Reno would be.
        int delta = (cwnd * FRIENDLY_SCALE) >> 3;
        while (delta > 0 && ackCnt > delta) {
            ackCnt -= delta;
            tcpCwnd++;
        }
        if (tcpCwnd > cwnd) {
            int maxCnt = cwnd / (tcpCwnd - cwnd);
            cnt = Math.min(cnt, maxCnt);
        }
        cnt = Math.max(cnt, 2); // at most 1 packet per 2 acknowledged: 1.5x per RTT
    }

    /** Linux's tcp_cong_avoid_ai: one packet per {@code w} acknowledged. */
    private void congestionAvoidanceIncrease(int w, int acked) {
        int cwnd = cwndPackets();
        if (cwndCnt >= w) {
            cwndCnt = 0;
            cwnd++;
        }
        cwndCnt += acked;
        if (cwndCnt >= w) {
            int d = cwndCnt / w;
            cwndCnt -= d * w;
            cwnd += d;
        }
        setCwndPackets(cwnd);
    }

    /** Linux's cubic_root for a 64-bit value: floor of the cube root (Newton steps from a good guess). */
    static long cubicRoot(long a) {
        if (a <= 0) {
            return 0;
        }
        long x = Math.min((long) Math.cbrt((double) a), MAX_CUBE_ROOT);
        while (x * x * x > a) {
            x--;
        }
        while (x < MAX_CUBE_ROOT && (x + 1) * (x + 1) * (x + 1) <= a) {
            x++;
        }
        return x;
    }

    @Override
    protected int ssthreshAfterLoss(long nowNs, int flightSizeBytes, boolean timeout) {
        // cubictcp_recalc_ssthresh: W_max with fast convergence, then β·cwnd.
        int cwnd = cwndPackets();
        epochStartNs = NO_EPOCH;
        if (cwnd < lastMaxCwnd) {
            lastMaxCwnd = cwnd * (BETA_SCALE + BETA) / (2 * BETA_SCALE);
        } else {
            lastMaxCwnd = cwnd;
        }
        return Math.max(cwnd * BETA / BETA_SCALE, 2) * smssBytes();
    }

    @Override
    protected void onWindowReduced(long nowNs) {
        epochStartNs = NO_EPOCH;
        cwndCnt = 0;
        if (state() == CongestionControlState.LOSS) {
            // cubictcp_state(TCP_CA_Loss): bictcp_reset and hystart_reset.
            lastMaxCwnd = 0;
            lastCwnd = 0;
            tcpCwnd = 0;
            roundStarted = false;
            hystartFound = false;
        }
    }

    @Override
    public void onRttSample(long nowNs, long rttNs) {
        pendingRttNs = rttNs;
    }

    /** Linux's cubictcp_acked: delay_min is the smallest RTT seen; HyStart runs in slow start. */
    private void acked(long nowNs, int ack, int flightSizeBytes, long rttNs) {
        if (epochStartNs != NO_EPOCH && nowNs - epochStartNs < 1000 * MS) {
            return; // delay samples right after fast recovery are discarded
        }
        long delay = Math.max(1000, rttNs);
        if (delayMinNs == 0 || delay < delayMinNs) {
            delayMinNs = delay;
        }
        if (!hystartFound && inSlowStart()) {
            hystartUpdate(nowNs, ack, flightSizeBytes, delay);
        }
    }

    /** Linux's hystart_update: an ACK train long enough, or RTTs rising, ends slow start. */
    private void hystartUpdate(long nowNs, int ack, int flightSizeBytes, long rttNs) {
        if (!roundStarted || SeqNum.gt(ack, endSeq)) {
            // bictcp_hystart_reset: a new round ends when what is in flight now is acknowledged.
            roundStarted = true;
            roundStartNs = nowNs;
            lastAckNs = nowNs;
            endSeq = SeqNum.add(ack, flightSizeBytes);
            currRttNs = Long.MAX_VALUE;
            sampleCnt = 0;
        }
        if (cwndPackets() < HYSTART_LOW_WINDOW) {
            return;
        }
        if (nowNs - lastAckNs <= HYSTART_ACK_DELTA_NS) {
            lastAckNs = nowNs;
            long threshold = delayMinNs / 2; // the train has lasted half the minimum RTT
            if (nowNs - roundStartNs > threshold) {
                exitSlowStart();
                return;
            }
        }
        // hystart_update (HYSTART_DELAY): the round's minimum takes every sample, also after the
        // first HYSTART_MIN_SAMPLES, so a path whose RTT falls does not look delayed.
        currRttNs = Math.min(currRttNs, rttNs);
        if (sampleCnt < HYSTART_MIN_SAMPLES) {
            sampleCnt++;
        } else {
            long thresh = Math.max(HYSTART_DELAY_MIN_NS, Math.min(HYSTART_DELAY_MAX_NS, delayMinNs >> 3));
            if (currRttNs > delayMinNs + thresh) {
                exitSlowStart();
            }
        }
    }

    @Override
    public boolean onAck(long nowNs, int ack, int bytesAcked, int flightSizeBytes, boolean cwndLimited) {
        if (pendingRttNs > 0) {
            acked(nowNs, ack, flightSizeBytes, pendingRttNs);
            pendingRttNs = 0;
        }
        return super.onAck(nowNs, ack, bytesAcked, flightSizeBytes, cwndLimited);
    }

    private void exitSlowStart() {
        hystartFound = true;
        setSsthresh(cwndBytes());
    }

    /** HyStart ended slow start (Linux counts TCPHystartTrainDetect / TCPHystartDelayDetect). */
    public boolean hystartFound() {
        return hystartFound;
    }
}
