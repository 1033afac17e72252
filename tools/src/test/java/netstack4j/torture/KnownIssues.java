package netstack4j.torture;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Stack bugs the campaign has found and that are not fixed yet. The campaign test tolerates a
 * violation only when one of these matches it (its kind and its text), and prints how many runs
 * each matched. Remove an entry when its fix lands: the test then holds the stack to it.
 */
final class KnownIssues {
    /** One known bug: which violations are it, and what it is. */
    record Issue(String name, Violation.Kind kind, Pattern detail, String description) {
        boolean matches(Violation v) {
            return v.kind() == kind && detail.matcher(v.detail()).find();
        }
    }

    static final List<Issue> ALL = List.of(
            new Issue("last-ack-charge", Violation.Kind.MEMORY, Pattern.compile("bytes of TCP socket memory still charged"),
                    "a connection closed from LAST_ACK by the final ACK keeps its last charge in TcpLayer.memoryBytes"
                            + " (chargedBytes 4-16 KiB with both buffers empty)"),
            new Issue("keepalive-with-data", Violation.Kind.TIMING, Pattern.compile("a keepalive timeout with data outstanding"),
                    "keepalive probes and times out while data is outstanding; Linux's tcp_keepalive_timer reschedules"
                            + " while packets are out, so only the retransmission timeout (924.6 s) ends such a connection"),
            new Issue("orphan-retries", Violation.Kind.TIMING, Pattern.compile("the orphan retransmitted without progress"),
                    "an orphan (closed with data or FIN unacknowledged) retransmits for tcp_retries2's 924.6 s;"
                            + " Linux's tcp_write_timeout gives orphans tcp_orphan_retries (8: 102.2 s)"),
            new Issue("pmtu-mss", Violation.Kind.PMTU, Pattern.compile("fragmented its own TCP segments"),
                    "after ICMP fragmentation needed the MSS becomes mtu - 40, ignoring the 12 bytes of timestamps"
                            + " (Linux tcp_mtu_to_mss takes the TCP header with options): full segments are 12 bytes too"
                            + " big, fragmented locally once the path MTU is learned (also seen: other connections to"
                            + " the destination keep MSS 1460)"),
            new Issue("pmtu-mss-blackhole", Violation.Kind.HANG, Pattern.compile("too slow: .*\\(path MTU changed\\)"),
                    "the same MSS, before the path MTU is learned or when its ICMP is lost: the router drops every full"
                            + " segment, only RTO-backed-off smaller ones pass, and the run is not done after 10,000 s"));

    private KnownIssues() {
    }

    /** The known issue {@code v} is, or null. */
    static Issue match(Violation v) {
        for (Issue i : ALL) {
            if (i.matches(v)) {
                return i;
            }
        }
        return null;
    }
}
