package netstack4j.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsers for the units people type: durations ({@code 5ms}, {@code 1s}, {@code 250us},
 * {@code 0.2} seconds), rates ({@code 100Mbit}, {@code 10Gbit}, {@code 1.5Mbit}) and sizes
 * ({@code 50M}, {@code 1G}, {@code 64K}, {@code 1500}), as tc, iperf3 and ping spell them.
 */
public final class Units {
    private Units() {
    }

    /** A duration in nanoseconds. A bare number is seconds, as ping's {@code -i} reads it. */
    public static long parseDurationNs(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[][] suffixes = {{"ns", "1"}, {"us", "1000"}, {"µs", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                {"m", "60000000000"}};
        for (String[] s : suffixes) {
            if (t.endsWith(s[0]) && !(s[0].equals("s") && (t.endsWith("ms") || t.endsWith("us") || t.endsWith("ns")))) {
                return scale(t.substring(0, t.length() - s[0].length()), Long.parseLong(s[1]), text, "duration");
            }
        }
        return scale(t, 1_000_000_000L, text, "duration");
    }

    /** A rate in bits per second: {@code 100Mbit}, {@code 10Gbit}, {@code 56kbit}, {@code 1000} (bit/s). */
    public static long parseRateBps(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("bps", "bit").replace("bit/s", "bit");
        if (t.endsWith("bit")) {
            t = t.substring(0, t.length() - 3);
        }
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1_000L;
        } else if (t.endsWith("m")) {
            unit = 1_000_000L;
        } else if (t.endsWith("g")) {
            unit = 1_000_000_000L;
        } else if (t.endsWith("t")) {
            unit = 1_000_000_000_000L;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return scale(t, unit, text, "rate");
    }

    /** A size in bytes: {@code 1500}, {@code 64K}, {@code 50M}, {@code 1G} (binary multiples, as iperf3). */
    public static long parseSizeBytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("I")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return scale(t, unit, text, "size");
    }

    private static long scale(String number, long unit, String original, String what) {
        try {
            if (number.isEmpty()) {
                throw new NumberFormatException();
            }
            double v = Double.parseDouble(number);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v) || v * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return Math.round(v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + ": '" + original + "'");
        }
    }

    /** Formats nanoseconds as {@code 1.5s}, {@code 20ms}, {@code 250us}. */
    public static String formatDuration(long ns) {
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        if (ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        if (ns % 1_000L == 0) {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }

    /** Formats bits per second as {@code 9.41 Gbits/sec}, as iperf3 does. */
    public static String formatRate(double bps) {
        String[] units = {"bits/sec", "Kbits/sec", "Mbits/sec", "Gbits/sec", "Tbits/sec"};
        int i = 0;
        while (bps >= 1000 && i < units.length - 1) {
            bps /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s", bps, units[i]);
    }

    /** Formats bytes with binary multiples, as iperf3 does: {@code 512 B}, {@code 1.50 KiB}, {@code 20.00 MiB}. */
    public static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes / 1024.0;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[i]);
    }

    /** picocli converter for durations (nanoseconds). */
    public static final class DurationNs implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseDurationNs(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (use e.g. 5ms, 1s, 250us)");
            }
        }
    }

    /** picocli converter for rates (bits per second). */
    public static final class RateBps implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseRateBps(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (use e.g. 100Mbit, 10Gbit)");
            }
        }
    }

    /** picocli converter for sizes (bytes). */
    public static final class SizeBytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseSizeBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (use e.g. 1500, 64K, 50M, 1G)");
            }
        }
    }
}
