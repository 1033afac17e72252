package netstack4j.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netstack4j.cli.Main;
import org.junit.jupiter.api.Test;

/** The load generator: TIME_WAIT on the side that closes first, ports running out, RST avoiding both, the command's lines and errors. */
class LoadGenTest {
    static final long S = LoadGen.S;

    static LoadGen.Stats run(int clients, double rate, long durationNs, LoadGen.Close close, LoadGen.Closer closer, int addresses,
                             int low, int high, List<String> live) {
        return new LoadGen(new LoadGen.Config(clients, rate, durationNs, 100, close, closer, addresses, low, high, 1)).run(live::add);
    }

    @Test
    void clientsThatCloseFirstWithFinPileUpTimeWaitAndRunOutOfPorts() {
        List<String> live = new ArrayList<>();
        LoadGen.Stats s = run(2, 0, 2 * S, LoadGen.Close.FIN, LoadGen.Closer.CLIENT, 1, 40000, 40049, live);
        assertEquals(50, s.completed, "one connection per local port");
        assertEquals(50, s.clientTimeWait, "every one of them in TIME_WAIT on the client (60 s)");
        assertEquals(0, s.serverTimeWait);
        assertTrue(s.connectFailures.get("EADDRNOTAVAIL") > 0, s.connectFailures.toString());
        assertEquals(Map.of(), s.exchangeFailures);
        assertEquals(50, s.counters.get("TcpActiveOpens")[0]);
        assertEquals(50, s.counters.get("TcpPassiveOpens")[1]);
        assertEquals(2, live.size(), "one live line per simulated second");
        assertTrue(live.get(1).contains("TIME-WAIT client 50 server 0"), live.get(1));
    }

    @Test
    void closingWithRstLeavesNoTimeWaitAndThePortsLast() {
        List<String> live = new ArrayList<>();
        LoadGen.Stats s = run(2, 0, 1 * S, LoadGen.Close.RST, LoadGen.Closer.CLIENT, 1, 40000, 40049, live);
        assertTrue(s.completed > 200, "ports are reused at once: " + s.completed);
        assertEquals(s.attempts, s.completed);
        assertEquals(0, s.maxClientTimeWait);
        assertEquals(0, s.maxServerTimeWait);
        assertEquals(Map.of(), s.connectFailures);
        assertEquals(s.completed, s.counters.get("TcpOutRsts")[0], "one RST per connection from the client");
    }

    @Test
    void aServerThatClosesFirstHoldsTheTimeWaitInstead() {
        LoadGen.Stats fin = run(5, 50, 2 * S, LoadGen.Close.FIN, LoadGen.Closer.SERVER, 1, 40000, 40999, new ArrayList<>());
        assertEquals(100, fin.completed);
        assertEquals(0, fin.maxClientTimeWait);
        assertEquals(100, fin.maxServerTimeWait);
        LoadGen.Stats rst = run(5, 50, 2 * S, LoadGen.Close.RST, LoadGen.Closer.SERVER, 1, 40000, 40999, new ArrayList<>());
        assertEquals(100, rst.completed);
        assertEquals(0, rst.maxServerTimeWait);
        assertEquals(100, rst.counters.get("TcpEstabResets")[0], "each client saw the server's RST");
    }

    @Test
    void severalSourceAddressesEachGetTheirOwnSocketsAndConnections() {
        LoadGen.Stats s = run(4, 40, 1 * S, LoadGen.Close.FIN, LoadGen.Closer.CLIENT, 4, 40000, 40999, new ArrayList<>());
        assertEquals(40, s.completed);
        assertEquals(40, s.clientTimeWait);
    }

    @Test
    void eachSourceAddressHasTheWholePortRange() {
        // inet_csk_find_open_port: bind(address, 0) skips only ports held on an overlapping address,
        // so two addresses with 50 ports each give 100 connections before the ports run out.
        LoadGen.Stats s = run(4, 0, 2 * S, LoadGen.Close.FIN, LoadGen.Closer.CLIENT, 2, 40000, 40049, new ArrayList<>());
        assertEquals(100, s.completed);
        assertEquals(100, s.clientTimeWait);
    }

    record Result(int code, String out, String err) {
    }

    static Result command(String... args) {
        var cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theCommandPrintsLiveLinesAndASummaryAndRepeatsWithTheSameSeed() {
        String[] args = {"loadgen", "--clients", "2", "--rate", "0", "--duration", "2s", "--port-range", "40000-40049", "--seed", "4"};
        Result r = command(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("loadgen: 2 clients against 10.0.0.2:80, unlimited connections/s for 2s"), r.out());
        assertTrue(r.out().contains("  1.0s  attempts "), r.out());
        assertTrue(r.out().contains("connect failed with EADDRNOTAVAIL: "), r.out());
        assertTrue(r.out().contains("TIME-WAIT: client 50 now, 50 at most; server 0 now"), r.out());
        assertTrue(r.out().contains("(simulated 2.1 s; repeat with --seed 4)"), r.out());
        assertEquals(r.out(), command(args).out(), "same seed, same output");
        String withNstat = command("loadgen", "--clients", "1", "--rate", "10", "--duration", "1s", "-q", "--nstat").out();
        assertTrue(withNstat.contains("nstat -az on client:") && withNstat.contains("nstat -az on server:"), withNstat);
        assertTrue(withNstat.matches("(?s).*TcpActiveOpens +10 .*"), withNstat);
    }

    @Test
    void usageErrorsAreOneLineAndExitCode2() {
        for (String[] bad : new String[][] {{"--close", "linger"}, {"--closer", "both"}, {"--port-range", "5-3"}, {"--port-range", "x"},
            {"--clients", "0"}, {"--addresses", "500"}, {"--duration", "soon"}, {"--rate", "-1"}}) {
            List<String> args = new ArrayList<>(List.of("loadgen"));
            args.addAll(List.of(bad));
            Result r = command(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().startsWith("loadgen: "), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            assertEquals("", r.out());
        }
    }
}
