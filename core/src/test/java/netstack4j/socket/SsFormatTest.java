package netstack4j.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SsFormatTest {
    @Test
    void numbersReadAsCsPercentG() {
        // Expected values printed by printf(1) with '%g' (C's printf), as ss prints rtt, rto and minrtt.
        String[][] cases = {{"204", "204"}, {"0.045", "0.045"}, {"50.888", "50.888"}, {"1234567", "1.23457e+06"},
                {"0.00001234", "1.234e-05"}, {"100", "100"}, {"0.1", "0.1"}, {"21.689", "21.689"},
                {"123456.5", "123456"}, {"999999.5", "1e+06"}, {"0.0001", "0.0001"}, {"3.14159265", "3.14159"}, {"0", "0"}};
        for (String[] c : cases) {
            assertEquals(c[1], SsFormat.g(Double.parseDouble(c[0])), c[0]);
        }
    }

    @Test
    void ratesReadAsSsDashN() {
        assertEquals("5068919", SsFormat.bps(5068919.4));
        assertEquals("0", SsFormat.bps(0));
    }
}
