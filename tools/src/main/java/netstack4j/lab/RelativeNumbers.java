package netstack4j.lab;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netstack4j.wire.TcpFlags;

/**
 * Rewrites tcpdump lines with relative sequence numbers, as tcpdump prints them without
 * {@code -S}: the first segment of each direction of a connection keeps its absolute numbers,
 * later ones count from that direction's initial sequence number (seq, SACK blocks) and from
 * the other direction's (ack).
 *
 * <p>Not thread-safe: one per listing, fed in the order the segments were sent.
 */
final class RelativeNumbers {
    private static final Pattern SEQ = Pattern.compile("seq (\\d+)(:(\\d+))?");
    private static final Pattern ACK = Pattern.compile("\\back (\\d+)"); // not the "sack 1" block count
    private static final Pattern SACK = Pattern.compile("\\{(\\d+):(\\d+)}");
    private final Map<String, Long> isn = new HashMap<>();

    /** The segment's line, relative where tcpdump would make it relative. */
    String line(Segment s) {
        if (!s.isTcp()) {
            return s.line();
        }
        String mine = s.src() + ":" + s.srcPort() + ">" + s.dst() + ":" + s.dstPort();
        String theirs = s.dst() + ":" + s.dstPort() + ">" + s.src() + ":" + s.srcPort();
        if (!isn.containsKey(mine)) {
            isn.put(mine, s.has(TcpFlags.SYN) ? s.seq() : s.seq());
            return s.line(); // the first segment of a direction: absolute, as tcpdump
        }
        long own = isn.get(mine);
        Long peer = isn.get(theirs);
        String line = s.line();
        int cut = line.indexOf(": Flags ");
        String head = line.substring(0, cut);
        String body = line.substring(cut);
        body = replace(SEQ, body, m -> "seq " + rel(m.group(1), own) + (m.group(3) == null ? "" : ":" + rel(m.group(3), own)));
        if (peer != null) {
            body = replace(ACK, body, m -> "ack " + rel(m.group(1), peer));
            body = replace(SACK, body, m -> "{" + rel(m.group(1), peer) + ":" + rel(m.group(2), peer) + "}");
        }
        return head + body;
    }

    private static long rel(String abs, long base) {
        return (Long.parseLong(abs) - base) & 0xffffffffL;
    }

    private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(b);
        return b.toString();
    }
}
