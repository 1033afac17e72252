package netstack4j.torture;

import java.util.List;

/**
 * What one run found.
 *
 * @param scenario       the run
 * @param violations     the broken invariants (none: it passed)
 * @param simNs          simulated time at the end, drain included
 * @param events         events the run took
 * @param connections    connections planned
 * @param completed      of which both ends finished their part without error
 * @param failedEnds     endpoints that saw an error (explained or not)
 * @param bytes          bytes delivered and checked, both directions, every connection
 * @param maxEstablished most client connections open at once
 * @param zeroWindow     a sender saw a zero window
 * @param retransSegs    TcpRetransSegs summed over the hosts
 * @param errors         errors the applications saw (explained or not), per errno name
 * @param checksumBlind  chunks delivered corrupted in a way the Internet checksum cannot see
 *                       (not a stack bug: compensating bit flips in two words of a datagram)
 */
public record RunResult(Scenario scenario, List<Violation> violations, long simNs, long events, int connections,
                        int completed, int failedEnds, long bytes, int maxConcurrent, boolean zeroWindow, long retransSegs,
                        java.util.Map<String, Integer> errors, int checksumBlind) {
    public RunResult {
        violations = List.copyOf(violations);
        errors = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(errors));
    }

    public boolean passed() {
        return violations.isEmpty();
    }
}
