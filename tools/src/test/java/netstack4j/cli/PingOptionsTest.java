package netstack4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** iputils ping's -q, -W, -w and -b, and its first line for a numeric target. */
class PingOptionsTest {
    @Test
    void aNumericTargetIsPrintedTwiceAsIputilsDoes() {
        CliTest.Result r = CliTest.run("ping", "10.0.2.2", "-c", "1", "--seed", "1");
        assertTrue(r.out().startsWith("PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n"), r.out());
    }

    @Test
    void quietPrintsOnlyTheFirstLineAndTheStatistics() {
        CliTest.Result r = CliTest.run("ping", "server", "-q", "-c", "3", "--seed", "1");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("bytes from"), r.out());
        assertTrue(r.out().contains("3 packets transmitted, 3 received, 0% packet loss"), r.out());
    }

    @Test
    void aDeadlineStopsSendingWhateverTheCount() {
        CliTest.Result r = CliTest.run("ping", "server", "-w", "2.5", "--seed", "1");
        assertTrue(r.out().contains("3 packets transmitted, 3 received, 0% packet loss, time 2500ms"), r.out());
        // With -c and -w, ping stops once -c replies came back.
        CliTest.Result c = CliTest.run("ping", "server", "-w", "10", "-c", "2", "--seed", "1");
        assertTrue(c.out().contains("2 packets transmitted, 2 received"), c.out());
        assertEquals(0, c.code());
    }

    @Test
    void theReplyTimeoutEndsTheWaitWhenNothingCameBack() {
        // The router reports Host Unreachable after its ARP tries (3 s); -W 1 gives up before.
        CliTest.Result slow = CliTest.run("ping", "10.0.2.77", "-c", "1", "--seed", "1");
        CliTest.Result quick = CliTest.run("ping", "10.0.2.77", "-c", "1", "-W", "1", "--seed", "1");
        assertTrue(slow.out().contains("Destination Host Unreachable"), slow.out());
        assertFalse(quick.out().contains("Destination Host Unreachable"), quick.out());
        assertTrue(quick.out().contains("1 packets transmitted, 0 received, 100% packet loss"), quick.out());
        assertEquals(1, quick.code());
    }

    @Test
    void aBroadcastTargetNeedsDashB() {
        CliTest.Result refused = CliTest.run("ping", "10.0.1.255", "--seed", "1");
        assertEquals(2, refused.code());
        assertTrue(refused.out().startsWith("ping: Do you want to ping broadcast? Then -b."), refused.out());
        CliTest.Result allowed = CliTest.run("ping", "10.0.1.255", "-b", "-c", "1", "-W", "1", "--seed", "1");
        assertTrue(allowed.out().startsWith("WARNING: pinging broadcast address\nPING 10.0.1.255 (10.0.1.255)"), allowed.out());
        // Linux hosts ignore broadcast echo requests (icmp_echo_ignore_broadcasts = 1).
        assertTrue(allowed.out().contains("1 packets transmitted, 0 received"), allowed.out());
    }
}
