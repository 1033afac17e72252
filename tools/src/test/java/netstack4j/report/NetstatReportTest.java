package netstack4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import org.junit.jupiter.api.Test;

class NetstatReportTest {
    @Test
    void sectionsReadAsNetToolsPrintsThem() {
        Counters c = new Counters();
        c.add(Counter.IcmpInMsgs, 4);
        c.add(Counter.IcmpInEchos, 4);
        c.add(Counter.IcmpOutMsgs, 4);
        c.add(Counter.IcmpOutEchoReps, 4);
        c.add(Counter.TcpExtDelayedACKs, 2);
        c.add(Counter.TcpInCsumErrors, 0);
        String s = NetstatReport.format(c.snapshot(), false);
        assertTrue(s.contains("""
                Icmp:
                    4 ICMP messages received
                    0 input ICMP message failed
                    InCsumErrors: 0
                    ICMP input histogram:
                        echo requests: 4
                    4 ICMP messages sent
                    0 ICMP messages failed
                    ICMP output histogram:
                        echo replies: 4
                Tcp:
                """), s);
        assertTrue(s.contains("    0 forwarded\n"), "SNMP sections keep their zero lines: " + s);
        assertTrue(s.contains("TcpExt:\n    2 delayed acks sent\n"), s);
        assertFalse(s.contains("IpExt:"), "an extension section with nothing to say is left out");
        assertFalse(s.contains("Drops:"), s);
        String nonZero = NetstatReport.format(c.snapshot(), true);
        assertEquals("""
                Icmp:
                    4 ICMP messages received
                    ICMP input histogram:
                        echo requests: 4
                    4 ICMP messages sent
                    ICMP output histogram:
                        echo replies: 4
                TcpExt:
                    2 delayed acks sent
                """, nonZero);
    }
}
