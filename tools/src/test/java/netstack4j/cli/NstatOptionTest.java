package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --nstat} on every command prints each host's counters as iproute2's {@code nstat -az}. */
class NstatOptionTest {
    @Test
    void everyCommandPrintsItsHostsCountersAsNstatDoes() {
        List<String[]> commands = List.of(
                new String[] {"ping", "server", "-c", "1", "--seed", "1", "--nstat"},
                new String[] {"demo", "--seed", "1", "--nstat"},
                new String[] {"transfer", "--bytes", "10K", "--seed", "1", "--nstat"},
                new String[] {"lab", "N28", "--nstat"});
        List<String> firstHost = List.of("client", "h1", "a", "a");
        for (int i = 0; i < commands.size(); i++) {
            CliTest.Result r = CliTest.run(commands.get(i));
            assertEquals(0, r.code(), r.err());
            String out = r.out();
            assertTrue(out.contains("nstat -az on " + firstHost.get(i) + ":\n#kernel\nIpForwarding                    "), out);
            // %-32s%-16llu%6.1f, zeros included (-z)
            assertTrue(out.matches("(?s).*\nTcpRetransSegs {18}\\d+ +0\\.0\n.*"), out);
            assertTrue(out.matches("(?s).*\nUdpRcvbufErrors {17}0 {18}0\\.0\n.*"), out);
        }
        assertFalse(CliTest.run("ping", "server", "-c", "1", "--seed", "1").out().contains("#kernel"), "only with --nstat");
    }
}
