package netstack4j.report;

import java.util.Locale;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;

/**
 * A host's counters as iproute2's {@code nstat -az} prints them (misc/nstat.c): {@code #kernel},
 * then every counter, zeros included ({@code -z}), as absolute values ({@code -a}), in columns of
 * 32 and 16 characters followed by the rate (always 0.0 here: one snapshot has no rate).
 */
public final class NstatReport {
    private NstatReport() {
    }

    public static String format(Counters.Snapshot s) {
        StringBuilder b = new StringBuilder("#kernel\n");
        for (Counter c : Counter.values()) {
            b.append(String.format(Locale.ROOT, "%-32s%-16d%6.1f%n", c.name(), s.get(c), 0.0));
        }
        return b.toString();
    }
}
