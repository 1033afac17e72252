package netstack4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The interval and summary lines of iperf3's client output (iperf_locale.c), for
 * {@code transfer}: one row per interval with Transfer, Bitrate, Retr and Cwnd, then the sender
 * and receiver rows. Sizes and rates are written as iperf3's unit_snprintf writes them
 * ({@code 11.2 MBytes}, {@code 94.1 Mbits/sec}: binary multiples for bytes, decimal for bits).
 */
final class Iperf3Text {
    /** One interval as the sender saw it: bytes its application wrote, segments retransmitted, cwnd at the end. */
    record Interval(long startNs, long endNs, long bytes, long retrans, long cwndBytes) {
    }

    /** iperf3 names the first test stream by its descriptor, usually 5. */
    static final int STREAM = 5;
    static final String SEPARATOR = "- - - - - - - - - - - - - - - - - - - - - - - - -";

    private Iperf3Text() {
    }

    static void print(PrintWriter out, List<Interval> intervals, long simNs, long written, long received, long retrans) {
        out.println("[ ID] Interval           Transfer     Bitrate         Retr  Cwnd");
        for (Interval i : intervals) {
            out.println(String.format(Locale.ROOT, "[%3d] %6.2f-%-6.2f sec  %s  %s  %3d   %s", STREAM, i.startNs() / 1e9, i.endNs() / 1e9,
                    bytes(i.bytes()), bits(rate(i.bytes(), i.endNs() - i.startNs())), i.retrans(), bytes(i.cwndBytes())));
        }
        out.println(SEPARATOR);
        out.println("[ ID] Interval           Transfer     Bitrate         Retr");
        out.println(String.format(Locale.ROOT, "[%3d] %6.2f-%-6.2f sec  %s  %s  %3d             sender", STREAM, 0.0, simNs / 1e9,
                bytes(written), bits(rate(written, simNs)), retrans));
        out.println(String.format(Locale.ROOT, "[%3d] %6.2f-%-6.2f sec  %s  %s                  receiver", STREAM, 0.0, simNs / 1e9,
                bytes(received), bits(rate(received, simNs))));
    }

    private static double rate(long bytes, long ns) {
        return ns <= 0 ? 0 : bytes * 8e9 / ns;
    }

    /** unit_snprintf 'A' for bytes: Bytes, KBytes, MBytes, GBytes (1024). */
    static String bytes(double v) {
        return unit(v, 1024, new String[] {"Bytes", "KBytes", "MBytes", "GBytes", "TBytes"});
    }

    /** unit_snprintf 'a' for rates: bits/sec, Kbits/sec, … (1000). */
    static String bits(double v) {
        return unit(v, 1000, new String[] {"bits/sec", "Kbits/sec", "Mbits/sec", "Gbits/sec", "Tbits/sec"});
    }

    private static String unit(double v, double base, String[] names) {
        int i = 0;
        while (v >= base && i < names.length - 1) {
            v /= base;
            i++;
        }
        String num = v < 9.995 ? String.format(Locale.ROOT, "%4.2f", v)
                : v < 99.95 ? String.format(Locale.ROOT, "%4.1f", v) : String.format(Locale.ROOT, "%4.0f", v);
        return num + " " + names[i];
    }
}
