package netstack4j.lab;

import netstack4j.loadgen.LoadGen;

/** The lab's runs of the load generator ({@code netstack4j loadgen}) for N44 and N45, told in the run's story. */
final class LoadRuns {
    private LoadRuns() {
    }

    /** The client host's ports in the N44 load: 40000-40199. */
    static final int PORTS = 200;

    record Pair(LoadGen.Stats fin, LoadGen.Stats rst) {
    }

    /** N44 at scale: 4 clients reconnecting at once for 0.5 s, 200 local ports, closing first with FIN, then with RST. */
    static Pair clientsCloseFirst(Run run, long seed) {
        run.say("The same with the load generator (netstack4j loadgen --clients 4 --rate 0 --duration 500ms --port-range 40000-40199 --close fin|rst):");
        return pair(run, seed, LoadGen.Closer.CLIENT, 4, 0, 500 * Bench.MS, 40000, 40000 + PORTS - 1);
    }

    /** N45 at scale: 50 connections per second for 2 s, the server closing each first, with FIN, then with RST. */
    static Pair serverClosesFirst(Run run, long seed) {
        run.say("A server that closes every client first, under the load generator (netstack4j loadgen --clients 10 --rate 50 --duration 2s --closer server --close fin|rst):");
        return pair(run, seed, LoadGen.Closer.SERVER, 10, 50, 2 * Bench.S, 32768, 60999);
    }

    private static Pair pair(Run run, long seed, LoadGen.Closer closer, int clients, double rate, long durationNs, int low, int high) {
        LoadGen.Stats[] s = new LoadGen.Stats[2];
        for (LoadGen.Close how : LoadGen.Close.values()) {
            s[how.ordinal()] = new LoadGen(new LoadGen.Config(clients, rate, durationNs, 100, how, closer, 1, low, high, seed))
                    .sampleEvery(durationNs / 20).run(l -> { });
            LoadGen.Stats x = s[how.ordinal()];
            for (long[] p : x.samples) {
                run.point("loadgen: TIME-WAIT entries", closer.name().toLowerCase(java.util.Locale.ROOT) + " closing with " + how + " ("
                        + (closer == LoadGen.Closer.CLIENT ? "client" : "server") + "'s)", p[0], closer == LoadGen.Closer.CLIENT ? p[1] : p[2]);
                run.point("loadgen: connections", "completed, " + how, p[0], p[3]);
                run.point("loadgen: connections", "connect failures, " + how, p[0], p[4]);
            }
            run.say("  " + how + ": " + x.attempts + " connects, " + x.completed + " completed, connect failures " + x.connectFailures
                    + "; TIME-WAIT at most: client " + x.maxClientTimeWait + ", server " + x.maxServerTimeWait);
        }
        return new Pair(s[0], s[1]);
    }
}
