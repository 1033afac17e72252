package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TcpStateTest {

    @Test
    void ssNamesAreWhatSsPrints() {
        assertEquals("ESTAB", TcpState.ESTABLISHED.ssName());
        assertEquals("SYN-SENT", TcpState.SYN_SENT.ssName());
        assertEquals("SYN-RECV", TcpState.SYN_RECEIVED.ssName());
        assertEquals("FIN-WAIT-1", TcpState.FIN_WAIT_1.ssName());
        assertEquals("FIN-WAIT-2", TcpState.FIN_WAIT_2.ssName());
        assertEquals("CLOSE-WAIT", TcpState.CLOSE_WAIT.ssName());
        assertEquals("CLOSING", TcpState.CLOSING.ssName());
        assertEquals("LAST-ACK", TcpState.LAST_ACK.ssName());
        assertEquals("TIME-WAIT", TcpState.TIME_WAIT.ssName());
        assertEquals("LISTEN", TcpState.LISTEN.ssName());
        assertEquals("UNCONN", TcpState.CLOSED.ssName());
    }

    @Test
    void linuxNumbersMatchTcpStatesH() {
        assertEquals(1, TcpState.ESTABLISHED.linuxState());
        assertEquals(2, TcpState.SYN_SENT.linuxState());
        assertEquals(3, TcpState.SYN_RECEIVED.linuxState());
        assertEquals(4, TcpState.FIN_WAIT_1.linuxState());
        assertEquals(5, TcpState.FIN_WAIT_2.linuxState());
        assertEquals(6, TcpState.TIME_WAIT.linuxState());
        assertEquals(7, TcpState.CLOSED.linuxState());
        assertEquals(8, TcpState.CLOSE_WAIT.linuxState());
        assertEquals(9, TcpState.LAST_ACK.linuxState());
        assertEquals(10, TcpState.LISTEN.linuxState());
        assertEquals(11, TcpState.CLOSING.linuxState());
        Set<Integer> seen = new HashSet<>();
        for (TcpState s : TcpState.values()) {
            assertTrue(seen.add(s.linuxState()));
            assertEquals(s, TcpState.fromLinuxState(s.linuxState()));
        }
        assertThrows(IllegalArgumentException.class, () -> TcpState.fromLinuxState(12));
    }

    @Test
    void synchronizedStatesAreThoseOfRfc9293Section352() {
        assertFalse(TcpState.LISTEN.isSynchronized());
        assertFalse(TcpState.SYN_SENT.isSynchronized());
        assertFalse(TcpState.SYN_RECEIVED.isSynchronized());
        assertTrue(TcpState.ESTABLISHED.isSynchronized());
        assertTrue(TcpState.TIME_WAIT.isSynchronized());
    }
}
