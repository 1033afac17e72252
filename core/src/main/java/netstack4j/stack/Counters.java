package netstack4j.stack;

import java.util.EnumMap;
import java.util.Map;

/**
 * A stack's counters: one {@code long} per {@link Counter} and per {@link DropReason}. Increments
 * allocate nothing.
 *
 * <p>Thread-compatible: written by the stack's thread; readers take a {@link #snapshot()}.
 */
public final class Counters {
    private final long[] values = new long[Counter.values().length];
    private final long[] drops = new long[DropReason.values().length];

    public void increment(Counter c) {
        values[c.ordinal()]++;
    }

    public void add(Counter c, long n) {
        values[c.ordinal()] += n;
    }

    public void set(Counter c, long v) {
        values[c.ordinal()] = v;
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    /** Counts a dropped packet under {@code reason}. */
    public void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    public long totalDrops() {
        long t = 0;
        for (long d : drops) {
            t += d;
        }
        return t;
    }

    public Snapshot snapshot() {
        EnumMap<Counter, Long> c = new EnumMap<>(Counter.class);
        for (Counter k : Counter.values()) {
            c.put(k, values[k.ordinal()]);
        }
        EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason k : DropReason.values()) {
            d.put(k, drops[k.ordinal()]);
        }
        return new Snapshot(c, d);
    }

    /** Counter values at one instant. */
    public record Snapshot(Map<Counter, Long> counters, Map<DropReason, Long> drops) {
        public long get(Counter c) {
            return counters.getOrDefault(c, 0L);
        }

        public long drops(DropReason r) {
            return drops.getOrDefault(r, 0L);
        }

        /** As {@code nstat -a} prints: one line per non-zero counter, {@code name value}. */
        public String formatNstat() {
            StringBuilder sb = new StringBuilder("#kernel\n");
            for (var e : counters.entrySet()) {
                if (e.getValue() != 0) {
                    sb.append(String.format("%-32s%-16d%s%n", e.getKey().name(), e.getValue(), "0.0"));
                }
            }
            return sb.toString();
        }

        /** As {@code netstat -s} prints, section by section, then the drop reasons. */
        public String formatNetstat() {
            StringBuilder sb = new StringBuilder();
            for (Counter.Group g : Counter.Group.values()) {
                sb.append(g.name()).append(":\n");
                for (var e : counters.entrySet()) {
                    if (e.getKey().group() == g) {
                        sb.append("    ").append(e.getKey().netstatLine(e.getValue())).append('\n');
                    }
                }
            }
            sb.append("Drops:\n");
            boolean any = false;
            for (var e : drops.entrySet()) {
                if (e.getValue() != 0) {
                    any = true;
                    sb.append("    ").append(e.getValue()).append(' ').append(e.getKey().description())
                            .append(" (").append(e.getKey().name()).append(")\n");
                }
            }
            if (!any) {
                sb.append("    none\n");
            }
            return sb.toString();
        }
    }
}
