package netstack4j.report;

import java.util.EnumSet;
import java.util.Set;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.DropReason;

/**
 * A host's counters as net-tools' {@code netstat -s} prints them (statistics.c): the SNMP
 * sections {@code Ip}, {@code Icmp}, {@code Tcp}, {@code Udp} with every line, zeros included,
 * and the ICMP message types under {@code ICMP input histogram:} and {@code ICMP output
 * histogram:} (only the types seen); the Linux extensions {@code TcpExt} and {@code IpExt} with
 * their non-zero lines only, and not at all when all are zero. Counters net-tools has no sentence
 * for read {@code Name: value}, as net-tools prints unknown entries. The stack's own drop
 * reasons follow under {@code Drops:} when there are any (not a net-tools section).
 */
public final class NetstatReport {
    private static final Set<Counter> INPUT_HISTOGRAM = EnumSet.of(Counter.IcmpInDestUnreachs, Counter.IcmpInTimeExcds,
            Counter.IcmpInEchos, Counter.IcmpInEchoReps);
    private static final Set<Counter> OUTPUT_HISTOGRAM = EnumSet.of(Counter.IcmpOutDestUnreachs, Counter.IcmpOutTimeExcds,
            Counter.IcmpOutEchos, Counter.IcmpOutEchoReps);

    private NetstatReport() {
    }

    /** All sections; with {@code nonZeroOnly} the zero lines of the SNMP sections are left out too (and empty sections with them). */
    public static String format(Counters.Snapshot s, boolean nonZeroOnly) {
        StringBuilder b = new StringBuilder();
        for (Counter.Group g : Counter.Group.values()) {
            boolean extension = g == Counter.Group.TcpExt || g == Counter.Group.IpExt;
            StringBuilder section = new StringBuilder();
            boolean inputHeading = false;
            boolean outputHeading = false;
            for (Counter c : Counter.values()) {
                if (c.group() != g) {
                    continue;
                }
                long v = s.get(c);
                boolean histogram = INPUT_HISTOGRAM.contains(c) || OUTPUT_HISTOGRAM.contains(c);
                if (v == 0 && (extension || histogram || nonZeroOnly)) {
                    continue;
                }
                if (INPUT_HISTOGRAM.contains(c) && !inputHeading) {
                    section.append("    ICMP input histogram:\n");
                    inputHeading = true;
                }
                if (OUTPUT_HISTOGRAM.contains(c) && !outputHeading) {
                    section.append("    ICMP output histogram:\n");
                    outputHeading = true;
                }
                section.append(histogram ? "        " : "    ").append(line(c, v)).append('\n');
            }
            if (!section.isEmpty()) {
                b.append(g.name()).append(":\n").append(section);
            }
        }
        StringBuilder drops = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            long v = s.drops(r);
            if (v != 0) {
                drops.append("    ").append(v).append(' ').append(r.description()).append(" (").append(r.name()).append(")\n");
            }
        }
        if (!drops.isEmpty()) {
            b.append("Drops:\n").append(drops);
        }
        return b.toString();
    }

    /** net-tools' sentence for a counter, or {@code Name: value} for one it has no sentence for. */
    static String line(Counter c, long v) {
        String text = c.netstatLine(v);
        if (OUTPUT_HISTOGRAM.contains(c)) {
            return text.replace(" sent:", ":"); // the output histogram names the types as the input one does
        }
        if (c == Counter.IcmpInCsumErrors || c == Counter.TcpInCsumErrors || c == Counter.UdpInCsumErrors) {
            return "InCsumErrors: " + v; // net-tools has no sentence for it
        }
        if (c == Counter.UdpIgnoredMulti) {
            return "IgnoredMulti: " + v;
        }
        return text;
    }
}
