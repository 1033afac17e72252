package netstack4j.nio.junit;

import java.util.ArrayList;
import java.util.List;
import netstack4j.stack.Counter;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpConnection;
import netstack4j.tcp.TcpState;

/**
 * The stack invariants {@link SimulatedNetworkExtension} checks after each test, through the
 * stack's public API (the fuzz targets' {@code StackInvariants} check many more from inside the
 * engine): TcpCurrEstab counts exactly the ESTABLISHED and CLOSE-WAIT connections (as Linux's
 * {@code tcp_set_state} keeps it), socket memory is never negative (N2), no connection in
 * the tables is CLOSED. Run as the owner of the simulation.
 */
final class StackChecks {
    private StackChecks() {
    }

    /** The violated rules of {@code host}, one line each; empty when all hold. */
    static List<String> violations(NetStack host) {
        List<String> out = new ArrayList<>();
        int established = 0;
        for (TcpConnection c : host.tcp().connections()) {
            TcpState s = c.state();
            if (s == TcpState.ESTABLISHED || s == TcpState.CLOSE_WAIT) {
                established++;
            }
            if (s == TcpState.CLOSED && c.remotePort() != 0) {
                out.add(host.name() + ": a CLOSED connection is still in the tables: " + c);
            }
        }
        long currEstab = host.counters().get(Counter.TcpCurrEstab);
        if (currEstab != established) {
            out.add(host.name() + ": TcpCurrEstab is " + currEstab + " but " + established
                    + " connections are ESTABLISHED or CLOSE-WAIT");
        }
        if (host.tcp().memoryBytes() < 0) {
            out.add(host.name() + ": TCP socket memory is negative: " + host.tcp().memoryBytes());
        }
        return out;
    }
}
