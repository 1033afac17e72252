package netstack4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SsTableTest {
    @Test
    void timersReadAsIproute2PrintsThem() {
        // misc/ss.c print_ms_timer
        assertEquals("202ms", SsTable.msTimer(202));
        assertEquals("1.500ms", SsTable.msTimer(1500));
        assertEquals("9.999ms", SsTable.msTimer(9999));
        assertEquals("10sec", SsTable.msTimer(10_400));
        assertEquals("59sec", SsTable.msTimer(59_990));
        assertEquals("1min1sec", SsTable.msTimer(61_500));
        assertEquals("2min5sec", SsTable.msTimer(125_000));
        assertEquals("10min", SsTable.msTimer(605_000));
        assertEquals("", SsTable.msTimer(0));
    }
}
