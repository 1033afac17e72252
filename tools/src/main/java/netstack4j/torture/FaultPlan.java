package netstack4j.torture;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import netstack4j.sim.LinkParams;

/**
 * The faults of one scenario, all on the WAN cable between the router and the servers' switch:
 * link parameters for each direction ({@code forward} is router → servers, the direction client
 * data takes), the windows in which the cable is cut, and the MTU changes at the router.
 *
 * @param kinds      which faults are on
 * @param forward    the WAN cable, router → servers
 * @param reverse    the WAN cable, servers → router
 * @param partitions when the cable is down, in time order, never overlapping
 * @param mtuChanges router egress MTU changes, in time order
 */
public record FaultPlan(Set<Fault> kinds, LinkParams forward, LinkParams reverse, List<Window> partitions,
                        List<MtuChange> mtuChanges) {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    /** Loss (random and burst) per direction stays at or below this. */
    static final double MAX_LOSS = 0.30;
    private static final int[] MTUS = {576, 1006, 1280, 1400, 1500};

    /** The cable is down from {@code cutNs} to {@code healNs}. */
    public record Window(long cutNs, long healNs) {
        boolean overlaps(long fromNs, long toNs) {
            return cutNs < toNs && healNs > fromNs;
        }
    }

    /**
     * At {@code atNs} the router's egress MTU becomes {@code mtu}: towards the servers when
     * {@code forward}, towards the clients otherwise.
     */
    public record MtuChange(long atNs, boolean forward, int mtu) {
    }

    public FaultPlan {
        kinds = Set.copyOf(kinds);
        partitions = List.copyOf(partitions);
        mtuChanges = List.copyOf(mtuChanges);
    }

    /** A fault plan drawn from {@code r}: each fault on with its own probability, then its parameters. */
    static FaultPlan derive(SplittableRandom r, Workload workload) {
        EnumSet<Fault> kinds = EnumSet.noneOf(Fault.class);
        double[] chance = {0.35, 0.25, 0.3, 0.25, 0.3, 0.25, 0.3, 0.3, 0.25};
        for (Fault f : Fault.values()) {
            if (r.nextDouble() < chance[f.ordinal()]) {
                kinds.add(f);
            }
        }
        long delayNs = (long) (0.2 * MS + r.nextDouble() * 20 * MS);
        LinkParams.Builder fwd = LinkParams.builder().bandwidthBitsPerSec(100_000_000L).delayNs(delayNs);
        LinkParams.Builder rev = LinkParams.builder().bandwidthBitsPerSec(100_000_000L).delayNs(delayNs);
        for (LinkParams.Builder b : List.of(fwd, rev)) {
            double burst = 0;
            if (kinds.contains(Fault.BURST)) {
                double p = 0.002 + r.nextDouble() * 0.05;
                double rr = 0.1 + r.nextDouble() * 0.5;
                double h = r.nextDouble() * 0.5;
                burst = p / (p + rr) * (1 - h);
                if (burst > MAX_LOSS) {
                    h = 1 - MAX_LOSS * (p + rr) / p;
                    burst = MAX_LOSS;
                }
                b.gilbertElliott(p, rr, h, 1);
            }
            if (kinds.contains(Fault.LOSS)) {
                double u = r.nextDouble();
                b.lossRate(Math.min(MAX_LOSS - burst, 0.002 + u * u * MAX_LOSS));
            }
            if (kinds.contains(Fault.REORDER)) {
                b.reorderRate(0.01 + r.nextDouble() * 0.14).reorderHoldNs((long) (1 * MS + r.nextDouble() * 19 * MS));
            }
            if (kinds.contains(Fault.DUPLICATE)) {
                b.duplicateRate(0.01 + r.nextDouble() * 0.09);
            }
            if (kinds.contains(Fault.JITTER)) {
                b.jitterNs((long) (0.1 * MS + r.nextDouble() * 10 * MS));
            }
            if (kinds.contains(Fault.CORRUPT)) {
                corruptPastFcs(b, 0.001 + r.nextDouble() * 0.05);
                b.corruptRate(r.nextDouble() * 0.02); // damage on the wire: the receiving port's FCS check drops it
            }
        }
        if (kinds.contains(Fault.BOTTLENECK)) {
            fwd.bandwidthBitsPerSec(1_000_000L + r.nextLong(19_000_000L)).queueLimitBytes(4096 + r.nextInt(20_480));
            if (r.nextBoolean()) {
                rev.bandwidthBitsPerSec(1_000_000L + r.nextLong(19_000_000L)).queueLimitBytes(4096 + r.nextInt(20_480));
            }
        }
        long active = workload.activeNs();
        List<Window> partitions = new ArrayList<>();
        if (kinds.contains(Fault.PARTITION)) {
            int n = 1 + r.nextInt(2);
            long t = 0;
            for (int i = 0; i < n; i++) {
                long cut = t + (long) (r.nextDouble() * active);
                double kind = r.nextDouble();
                long length = kind < 0.4 ? (long) (0.2 * S + r.nextDouble() * 5 * S)
                        : kind < 0.75 ? (long) (5 * S + r.nextDouble() * 115 * S)
                        : (long) (950 * S + r.nextDouble() * 350 * S); // past tcp_retries2's 924.6 s
                partitions.add(new Window(cut, cut + length));
                t = cut + length + (long) (0.5 * S);
            }
        }
        List<MtuChange> mtus = new ArrayList<>();
        if (kinds.contains(Fault.MTU)) {
            int n = 1 + r.nextInt(2);
            for (int i = 0; i < n; i++) {
                mtus.add(new MtuChange((long) (r.nextDouble() * active), r.nextDouble() < 0.7, MTUS[r.nextInt(MTUS.length)]));
            }
            mtus.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        }
        return new FaultPlan(kinds, fwd.build(), rev.build(), partitions, mtus);
    }

    /** Bit corruption of the IP payload past the link's frame check: the TCP and ICMP checksums must catch it. */
    static void corruptPastFcs(LinkParams.Builder b, double rate) {
        b.payloadCorruptRate(rate);
    }

    /** The corruption rate past the FCS of {@code p} (see {@link #corruptPastFcs}). */
    static double pastFcsCorruption(LinkParams p) {
        return p.payloadCorruptRate();
    }

    /** True when the cable is down at some time in [{@code fromNs}, {@code toNs}). */
    boolean partitioned(long fromNs, long toNs) {
        for (Window w : partitions) {
            if (w.overlaps(fromNs, toNs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A bound on the chance that one more exchange (a retransmitted segment and the answer to it)
     * is lost on this path while the cable is up, given that the ones before it were: loss,
     * corruption, a burst that goes on (Gilbert–Elliott moves per frame, so a burst spans
     * backed-off retransmissions: (1 - r) stays bad, lost with 1 - h), and a pessimistic 0.5 for
     * a bottleneck's tail drops.
     */
    double exchangeLossBound() {
        double f = directionLossBound(forward);
        double b = directionLossBound(reverse);
        return 1 - (1 - f) * (1 - b);
    }

    private double directionLossBound(LinkParams p) {
        double good = 1 - (1 - p.lossRate()) * (1 - pastFcsCorruption(p)) * (1 - p.corruptRate());
        double lost = good;
        if (p.gilbertElliott()) {
            double bad = 1 - (1 - good) * p.geH();
            lost = Math.max(good, (1 - p.geR()) * bad + p.geR() * good);
        }
        if (kinds.contains(Fault.BOTTLENECK)) {
            lost = 1 - (1 - lost) * 0.5;
        }
        return lost;
    }

    /** One line: each fault and its parameters. */
    String describe() {
        if (kinds.isEmpty()) {
            return "no faults";
        }
        StringBuilder b = new StringBuilder();
        for (Fault f : Fault.values()) {
            if (!kinds.contains(f)) {
                continue;
            }
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(f.label());
            switch (f) {
                case LOSS -> b.append(String.format(Locale.ROOT, " %.1f%%/%.1f%%", 100 * forward.lossRate(), 100 * reverse.lossRate()));
                case BURST -> b.append(String.format(Locale.ROOT, " p%.3f r%.2f h%.2f", forward.geP(), forward.geR(), forward.geH()));
                case REORDER -> b.append(String.format(Locale.ROOT, " %.0f%%", 100 * forward.reorderRate()));
                case DUPLICATE -> b.append(String.format(Locale.ROOT, " %.0f%%", 100 * forward.duplicateRate()));
                case JITTER -> b.append(String.format(Locale.ROOT, " %.1fms", forward.jitterNs() / 1e6));
                case CORRUPT -> b.append(String.format(Locale.ROOT, " %.1f%%+fcs %.1f%%", 100 * pastFcsCorruption(forward),
                        100 * forward.corruptRate()));
                case PARTITION -> {
                    for (Window w : partitions) {
                        b.append(String.format(Locale.ROOT, " %.1fs+%.1fs", w.cutNs() / 1e9, (w.healNs() - w.cutNs()) / 1e9));
                    }
                }
                case BOTTLENECK -> b.append(String.format(Locale.ROOT, " %.1fMbit/%dB", forward.bandwidthBitsPerSec() / 1e6,
                        forward.queueLimitBytes()));
                case MTU -> {
                    for (MtuChange m : mtuChanges) {
                        b.append(String.format(Locale.ROOT, " %d%s@%.2fs", m.mtu(), m.forward() ? ">" : "<", m.atNs() / 1e9));
                    }
                }
            }
        }
        return b.toString();
    }
}
