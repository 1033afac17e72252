package netstack4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import netstack4j.report.SsTable;
import netstack4j.socket.SocketInfo;

/**
 * What a {@code transfer} run measured, and its two renderings: text for people and one JSON
 * object for scripts. Bytes written are what the sender's write calls returned (accepted by the
 * stack); bytes received are what the receiver's reads returned, each checked against the
 * stream as it arrived. Whether the two match is only said of a completed run: an unfinished
 * one says how far it got instead ({@code "match": null} in JSON).
 */
final class TransferReport {
    private TransferReport() {
    }

    /** How a run ended. */
    enum Ending { COMPLETED, TIME_LIMIT, FAILED, INTERRUPTED }

    /** Checksum-error counters of one receiving host (nstat names). */
    record HostErrors(long tcpInCsumErrors, long tcpInErrs, long ipExtInCsumErrors) {
        boolean any() {
            return tcpInCsumErrors + tcpInErrs + ipExtInCsumErrors > 0;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("TcpInCsumErrors", tcpInCsumErrors);
            m.put("TcpInErrs", tcpInErrs);
            m.put("IpExtInCsumErrors", ipExtInCsumErrors);
            return m;
        }

        String text() {
            return "TcpInCsumErrors " + tcpInCsumErrors + ", TcpInErrs " + tcpInErrs
                    + (ipExtInCsumErrors > 0 ? ", IpExtInCsumErrors " + ipExtInCsumErrors : "");
        }
    }

    /**
     * Damage the cable did and what the hosts made of it: frames each port discarded for a bad
     * FCS ({@code rx_crc_errors}), frames delivered damaged past the FCS, and each host's
     * checksum-error counters.
     */
    record Damage(long rxCrcErrorsA, long rxCrcErrorsB, long damagedPastFcs, HostErrors a, HostErrors b) {
    }

    /**
     * One direction of the cable ({@code a->b} carries the data, {@code b->a} the ACKs): the
     * payload bytes its receiver read and the goodput they make over the run's simulated time; the
     * TCP segments its sender sent ({@code tcpi_segs_out}), those with data
     * ({@code tcpi_data_segs_out}) and those retransmitted ({@code tcpi_total_retrans}); the
     * frames the link carried and dropped ({@link netstack4j.sim.LinkStats}, ARP included), by
     * cause; and the data segments sent that never reached the receiving socket (its sender's
     * {@code data_segs_out} minus its receiver's {@code data_segs_in}, when the receiver had
     * read everything). Issue 9's retransmission efficiency compares the retransmitted segments
     * with the frames dropped.
     */
    record Direction(String name, long bytes, double goodputBitsPerSec, long segmentsSent, long dataSegmentsSent,
                     long retransmittedSegments, long dataSegmentsReceived, long framesSent, long framesDelivered,
                     long droppedLoss, long droppedQueue, long droppedDown, long droppedMtu, long rxCrcErrors) {
        long framesDropped() {
            return droppedLoss + droppedQueue + droppedDown + droppedMtu + rxCrcErrors;
        }

        /** Data segments sent that did not arrive (lost, or still in flight when counted). */
        long dataSegmentsMissing() {
            return Math.max(0, dataSegmentsSent - dataSegmentsReceived);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", bytes);
            m.put("goodputBitsPerSec", Math.round(goodputBitsPerSec));
            m.put("segmentsSent", segmentsSent);
            m.put("dataSegmentsSent", dataSegmentsSent);
            m.put("retransmittedSegments", retransmittedSegments);
            m.put("dataSegmentsReceived", dataSegmentsReceived);
            m.put("dataSegmentsMissing", dataSegmentsMissing());
            m.put("framesSent", framesSent);
            m.put("framesDelivered", framesDelivered);
            m.put("framesDropped", framesDropped());
            Map<String, Object> why = new LinkedHashMap<>();
            why.put("loss", droppedLoss);
            why.put("queue", droppedQueue);
            why.put("down", droppedDown);
            why.put("mtu", droppedMtu);
            why.put("rxCrcErrors", rxCrcErrors);
            m.put("framesDroppedBy", why);
            m.put("retransmittedPerDroppedFrame", framesDropped() == 0 ? null
                    : Math.round(1000.0 * retransmittedSegments / framesDropped()) / 1000.0);
            return m;
        }

        String text() {
            return String.format(Locale.ROOT, "%-4s %s, %d segments sent (%d with data), %d retransmitted; link dropped %d of %d "
                            + "frames%s", name, Units.formatRate(goodputBitsPerSec), segmentsSent, dataSegmentsSent,
                    retransmittedSegments, framesDropped(), framesSent + droppedQueue + droppedDown + droppedMtu,
                    framesDropped() == 0 ? "" : String.format(Locale.ROOT, " (retransmitted/dropped %.3f)",
                            (double) retransmittedSegments / framesDropped()));
        }
    }

    /** One run. {@code receivedIntact}: every byte received was the stream's byte at that offset. */
    record Outcome(long toWrite, long written, long received, boolean receivedIntact, String sha256Written,
                   String sha256Received, long simNs, double wallSeconds, long retransSegs, Damage damage,
                   SocketInfo client, SocketInfo server, Ending ending, String error, java.util.List<Iperf3Text.Interval> intervals,
                   java.util.List<Direction> directions) {
        boolean completed() {
            return ending == Ending.COMPLETED;
        }

        /** Null unless completed: then whether everything asked for arrived, byte for byte. */
        Boolean match() {
            return completed() ? written == toWrite && received == written && sha256Written.equals(sha256Received) : null;
        }

        double goodputBitsPerSec() {
            return simNs == 0 ? 0 : received * 8e9 / simNs;
        }
    }

    static void printText(PrintWriter out, Outcome o, String header, long limitNs, long seed) {
        out.println(header);
        out.printf(Locale.ROOT, "written   %d bytes%s  sha256 %s%n", o.written(),
                o.written() == o.toWrite() ? "" : " (of " + o.toWrite() + ")", o.sha256Written());
        Boolean match = o.match();
        out.printf(Locale.ROOT, "received  %d bytes  sha256 %s  %s%n", o.received(), o.sha256Received(),
                match == null ? "(incomplete)" : match ? "(match)" : "(MISMATCH)");
        out.printf(Locale.ROOT, "simulated %.6f s   wall %.3f s%n", o.simNs() / 1e9, o.wallSeconds());
        out.printf(Locale.ROOT, "goodput   %s (simulated time)%n", Units.formatRate(o.goodputBitsPerSec()));
        out.printf(Locale.ROOT, "retransmitted segments: %d (TcpRetransSegs on the sender)%n", o.retransSegs());
        Damage d = o.damage();
        if (d.rxCrcErrorsA() + d.rxCrcErrorsB() > 0) {
            out.printf(Locale.ROOT, "link      rx_crc_errors: b %d, a %d (frames damaged on the wire, discarded by the"
                    + " receiving port)%n", d.rxCrcErrorsB(), d.rxCrcErrorsA());
        }
        if (d.damagedPastFcs() > 0 || d.a().any() || d.b().any()) {
            out.printf(Locale.ROOT, "checksums b: %s; a: %s (%d frames damaged past the FCS)%n", d.b().text(), d.a().text(),
                    d.damagedPastFcs());
        }
        if (o.ending() != Ending.COMPLETED) {
            printUnfinished(out, o, limitNs);
        }
        for (Direction dir : o.directions()) {
            out.println("direction " + dir.text());
        }
        if (o.client() != null) {
            out.println("ss -tanoim (sender, a):");
            out.print(SsTable.format(java.util.List.of(o.client()), SsTable.Options.ALL));
            out.println("ss -tanoim (receiver, b):");
            out.print(SsTable.format(java.util.List.of(o.server()), SsTable.Options.ALL));
        }
        if (!o.intervals().isEmpty()) {
            out.println("iperf3's view (simulated time):");
            Iperf3Text.print(out, o.intervals(), o.simNs(), o.written(), o.received(), o.retransSegs());
        }
        out.println("(repeat with --seed " + seed + ")");
    }

    private static void printUnfinished(PrintWriter out, Outcome o, long limitNs) {
        String why = switch (o.ending()) {
            case FAILED -> {
                out.println("FAILED: " + o.error());
                yield "the transfer failed";
            }
            case INTERRUPTED -> "interrupted";
            case TIME_LIMIT -> "the transfer did not finish within " + Units.formatDuration(limitNs) + " of simulated time";
            case COMPLETED -> throw new IllegalArgumentException("completed");
        };
        out.printf(Locale.ROOT, "incomplete: %s; %d of %d bytes written, %d received%s%n", why, o.written(), o.toWrite(),
                o.received(), o.received() == 0 ? ""
                        : o.receivedIntact() ? " (intact: the first " + o.received() + " bytes written)"
                        : " (CORRUPTED: they differ from what was written)");
    }

    static String toJson(Outcome o, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytesToWrite", o.toWrite());
        m.put("bytesWritten", o.written());
        m.put("bytesReceived", o.received());
        m.put("receivedIntact", o.receivedIntact());
        m.put("sha256Written", o.sha256Written());
        m.put("sha256Received", o.sha256Received());
        m.put("match", o.match());
        m.put("completed", o.completed());
        m.put("ending", o.ending().name().toLowerCase(Locale.ROOT));
        if (o.error() != null) {
            m.put("error", o.error());
        }
        m.put("simSeconds", o.simNs() / 1e9);
        m.put("wallSeconds", o.wallSeconds());
        m.put("goodputBitsPerSec", Math.round(o.goodputBitsPerSec()));
        m.put("simGoodputBitsPerWallSecond", o.wallSeconds() == 0 ? 0 : Math.round(o.received() * 8 / o.wallSeconds()));
        m.put("retransSegs", o.retransSegs());
        m.put("congestion", o.client() == null ? null : o.client().congestionControl());
        Damage d = o.damage();
        m.put("rxCrcErrors", Map.of("a", d.rxCrcErrorsA(), "b", d.rxCrcErrorsB()));
        m.put("framesDamagedPastFcs", d.damagedPastFcs());
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("a", d.a().json());
        errors.put("b", d.b().json());
        m.put("checksumErrors", errors);
        Map<String, Object> dirs = new LinkedHashMap<>();
        for (Direction dir : o.directions()) {
            dirs.put(dir.name(), dir.json());
        }
        m.put("directions", dirs);
        m.put("intervals", iperf3Intervals(o));
        m.put("end", iperf3End(o));
        m.put("seed", seed);
        return json(m);
    }

    /**
     * iperf3 {@code -J}'s {@code intervals}: per interval a {@code streams} list (our one stream)
     * and a {@code sum}, with the fields both have (start, end, seconds, bytes, bits_per_second,
     * retransmits; snd_cwnd in the stream).
     */
    private static java.util.List<Object> iperf3Intervals(Outcome o) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (Iperf3Text.Interval i : o.intervals()) {
            Map<String, Object> sum = iperf3Sum(i.startNs(), i.endNs(), i.bytes());
            sum.put("retransmits", i.retrans());
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("socket", Iperf3Text.STREAM);
            stream.putAll(sum);
            stream.put("snd_cwnd", i.cwndBytes());
            stream.put("sender", true);
            sum.put("sender", true);
            Map<String, Object> interval = new LinkedHashMap<>();
            interval.put("streams", java.util.List.of(stream));
            interval.put("sum", sum);
            out.add(interval);
        }
        return out;
    }

    /** iperf3 {@code -J}'s {@code end}: {@code sum_sent} (with retransmits) and {@code sum_received}. */
    private static Map<String, Object> iperf3End(Outcome o) {
        Map<String, Object> sent = iperf3Sum(0, o.simNs(), o.written());
        sent.put("retransmits", o.retransSegs());
        sent.put("sender", true);
        Map<String, Object> received = iperf3Sum(0, o.simNs(), o.received());
        received.put("sender", true);
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("sum_sent", sent);
        end.put("sum_received", received);
        return end;
    }

    private static Map<String, Object> iperf3Sum(long startNs, long endNs, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", startNs / 1e9);
        m.put("end", endNs / 1e9);
        m.put("seconds", (endNs - startNs) / 1e9);
        m.put("bytes", bytes);
        m.put("bits_per_second", endNs > startNs ? bytes * 8e9 / (endNs - startNs) : 0.0);
        return m;
    }

    /** A JSON value: maps (in their order; Map.of ones sorted by key), strings, booleans, numbers, null. */
    private static String json(Object v) {
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            Iterable<? extends Map.Entry<?, ?>> entries = map instanceof LinkedHashMap<?, ?> ? map.entrySet()
                    : new java.util.TreeMap<>(map).entrySet();
            for (Map.Entry<?, ?> e : entries) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v instanceof String str) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : str.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            return b.append('"').toString();
        }
        if (v instanceof java.util.List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object e : list) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(json(e));
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }
}
