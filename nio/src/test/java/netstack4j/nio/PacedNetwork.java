package netstack4j.nio;

import netstack4j.sim.LinkParams;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.stack.NetStack;

/** client (10.0.1.2) - router - server (10.0.2.2), paced against the wall clock. */
final class PacedNetwork implements AutoCloseable {
    final Simulator sim;
    final RealTimePacer pacer;
    final Topologies.ClientRouterServer net;

    PacedNetwork(long seed, LinkParams params) {
        this(seed, params, 1.0);
    }

    PacedNetwork(long seed, LinkParams params, double speed) {
        sim = new Simulator(seed);
        pacer = new RealTimePacer(sim, speed);
        net = Topologies.clientRouterServer(sim, params);
        pacer.start();
    }

    NetStack client() {
        return net.client();
    }

    NetStack server() {
        return net.server();
    }

    @Override
    public void close() {
        pacer.close();
        sim.close();
        if (pacer.failure() != null) {
            throw new AssertionError("the simulation failed", pacer.failure());
        }
    }
}
