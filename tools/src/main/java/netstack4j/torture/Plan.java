package netstack4j.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the applications of a scenario do: how many client and server hosts, and the
 * connections, grouped in lanes (a lane is one client process that makes its connections one
 * after another; lanes run at once).
 *
 * @param clients   client hosts c1…
 * @param servers   server hosts s1…
 * @param lanes     the connections, per client process
 * @param keepalive the keepalive settings of every socket
 * @param listenRcvBuf SO_RCVBUF of the servers' listeners (inherited by accepted sockets), 0 for the default
 * @param barrier   clients send nothing until every connection is open (or has failed to open), so
 *                  that all of them are open at once
 */
record Plan(int clients, int servers, List<List<ConnPlan>> lanes, Keepalive keepalive, int listenRcvBuf, boolean barrier) {
    private static final int KB = 1024;

    /** What a connection does. */
    enum Mode {
        /** The client sends {@code up} bytes and half-closes; the server reads to EOF, sends {@code down} bytes, closes. */
        STREAM,
        /** Both send at once ({@code up} and {@code down}), each with a reader and a writer, then half-close. */
        DUPLEX,
        /** Request i of {@code requests[i]} bytes, answer of {@code responses[i]}; then half-close. */
        RPC,
        /** The client sends {@code up} bytes and closes with SO_LINGER 0: the server must see ECONNRESET. */
        ABORT,
        /** The server reads the client's {@code up} bytes and closes with SO_LINGER 0: the client must see ECONNRESET. */
        SERVER_ABORT,
        /** The client connects to a port nobody listens on: ECONNREFUSED. */
        REFUSED
    }

    /**
     * How a reader paces itself: chunks of {@code minChunk..maxChunk} bytes, and with chance
     * {@code pauseChance} after a chunk a pause of up to {@code pauseNs}.
     */
    record Pace(int minChunk, int maxChunk, double pauseChance, long pauseNs) {
        static final Pace FAST = new Pace(16 * KB, 16 * KB, 0, 0);
    }

    /** Keepalive on every socket, or off ({@code SO_RCVTIMEO} then bounds every read). */
    record Keepalive(boolean on, int idleSeconds, int intervalSeconds, int count) {
        long limitNs() {
            return (idleSeconds + (long) intervalSeconds * count) * FaultPlan.S;
        }
    }

    /**
     * One connection.
     *
     * @param id        its number in the run
     * @param client    index of the client host
     * @param server    index of the server host
     * @param startNs   when the client starts it, at the earliest (after the lane's previous one)
     * @param noDelay   TCP_NODELAY on both ends
     * @param sndBuf    SO_SNDBUF of both ends, 0 for the default
     * @param serverPace how the server reads
     */
    record ConnPlan(int id, int client, int server, Mode mode, int up, int down, int[] requests, int[] responses,
                    long startNs, boolean noDelay, int sndBuf, Pace serverPace) {
        ConnPlan withStart(long ns) {
            return new ConnPlan(id, client, server, mode, up, down, requests, responses, ns, noDelay, sndBuf, serverPace);
        }

        ConnPlan withPace(Pace pace) {
            return new ConnPlan(id, client, server, mode, up, down, requests, responses, startNs, noDelay, sndBuf, pace);
        }

        /** Bytes the client sends in all. */
        long clientBytes() {
            return mode == Mode.RPC ? sum(requests) : up;
        }

        /** Bytes the server sends in all. */
        long serverBytes() {
            return switch (mode) {
                case RPC -> sum(responses);
                case STREAM, DUPLEX -> down;
                default -> 0;
            };
        }

        private static long sum(int[] a) {
            long s = 0;
            for (int v : a) {
                s += v;
            }
            return s;
        }
    }

    Plan withBarrier() {
        return new Plan(clients, servers, lanes, keepalive, listenRcvBuf, true);
    }

    int connectionCount() {
        int n = 0;
        for (List<ConnPlan> l : lanes) {
            n += l.size();
        }
        return n;
    }

    /** The plan of {@code s}, from a generator of its own so fault draws do not shift it. */
    static Plan derive(Scenario s) {
        SplittableRandom r = new SplittableRandom(RunSeeds.mix(s.seed() ^ 0x5EEDC0DEL));
        Keepalive ka = r.nextDouble() < 0.7
                ? new Keepalive(true, pick(r, 5, 15, 60, 300, 1800), pick(r, 1, 5, 30, 75), pick(r, 1, 3, 9))
                : new Keepalive(false, 0, 0, 0);
        Builder b = new Builder(r);
        return switch (s.workload()) {
            case BULK -> {
                b.lane().add(b.conn(0, 0, Mode.STREAM, size(r, 20 * KB, 400 * KB), 0));
                yield b.build(1, 1, ka, r.nextDouble() < 0.2 ? 4 * KB + r.nextInt(60 * KB) : 0);
            }
            case BULK_BOTH -> {
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    b.lane().add(b.conn(0, 0, Mode.DUPLEX, size(r, 20 * KB, 300 * KB), size(r, 20 * KB, 300 * KB)));
                }
                yield b.build(1, 1, ka, 0);
            }
            case RPC -> {
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.lane().add(b.rpc(0, 0, 20 + r.nextInt(130)));
                }
                yield b.build(1, 1, ka, 0);
            }
            case MANY -> {
                int clients = 3 + r.nextInt(3);
                int servers = 2 + r.nextInt(2);
                int n = 50 + r.nextInt(31);
                for (int i = 0; i < n; i++) {
                    ConnPlan c = b.conn(i % clients, r.nextInt(servers), Mode.STREAM, r.nextInt(8 * KB + 1), r.nextInt(16 * KB + 1));
                    b.lane().add(c.withStart((long) (r.nextDouble() * 100 * FaultPlan.MS)));
                }
                yield b.build(clients, servers, ka, 0).withBarrier();
            }
            case CHURN -> {
                int clients = 1 + r.nextInt(3);
                int lanes = 2 + r.nextInt(3);
                for (int l = 0; l < lanes; l++) {
                    List<ConnPlan> lane = b.lane();
                    int n = 10 + r.nextInt(21);
                    for (int i = 0; i < n; i++) {
                        double u = r.nextDouble();
                        Mode m = u < 0.55 ? Mode.STREAM : u < 0.7 ? Mode.ABORT : u < 0.85 ? Mode.SERVER_ABORT : Mode.REFUSED;
                        lane.add(b.conn(l % clients, 0, m, r.nextInt(4 * KB + 1), m == Mode.STREAM ? r.nextInt(4 * KB + 1) : 0));
                    }
                }
                yield b.build(clients, 1, ka, 0);
            }
            case SLOW_READER -> {
                Pace pace = new Pace(64 + r.nextInt(512), 1024 + r.nextInt(4096), 0.05 + r.nextDouble() * 0.2,
                        (long) ((0.2 + r.nextDouble() * 3) * FaultPlan.S));
                ConnPlan c = b.conn(0, 0, Mode.STREAM, size(r, 50 * KB, 300 * KB), 0).withPace(pace);
                b.lane().add(c);
                yield b.build(1, 1, ka, 2 * KB + r.nextInt(14 * KB));
            }
        };
    }

    private static int pick(SplittableRandom r, int... values) {
        return values[r.nextInt(values.length)];
    }

    /** Log-uniform in [min, max], so small and large sizes are both common. */
    private static int size(SplittableRandom r, int min, int max) {
        return (int) Math.round(min * Math.pow((double) max / min, r.nextDouble()));
    }

    /** Collects lanes and numbers connections. */
    private static final class Builder {
        private final SplittableRandom r;
        private final List<List<ConnPlan>> lanes = new ArrayList<>();
        private int nextId;

        Builder(SplittableRandom r) {
            this.r = r;
        }

        List<ConnPlan> lane() {
            List<ConnPlan> l = new ArrayList<>();
            lanes.add(l);
            return l;
        }

        ConnPlan conn(int client, int server, Mode mode, int up, int down) {
            boolean noDelay = r.nextDouble() < 0.3;
            int sndBuf = r.nextDouble() < 0.2 ? 4 * KB + r.nextInt(60 * KB) : 0;
            return new ConnPlan(nextId++, client, server, mode, up, down, null, null, 0, noDelay, sndBuf, Pace.FAST);
        }

        ConnPlan rpc(int client, int server, int messages) {
            int[] req = new int[messages];
            int[] resp = new int[messages];
            for (int i = 0; i < messages; i++) {
                req[i] = 1 + (r.nextDouble() < 0.1 ? r.nextInt(3000) : r.nextInt(300));
                resp[i] = 1 + (r.nextDouble() < 0.1 ? r.nextInt(10_000) : r.nextInt(2000));
            }
            boolean noDelay = r.nextDouble() < 0.5;
            return new ConnPlan(nextId++, client, server, Mode.RPC, 0, 0, req, resp, 0, noDelay, 0, Pace.FAST);
        }

        Plan build(int clients, int servers, Keepalive ka, int listenRcvBuf) {
            return new Plan(clients, servers, List.copyOf(lanes), ka, listenRcvBuf, false);
        }
    }
}
