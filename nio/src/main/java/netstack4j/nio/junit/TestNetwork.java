package netstack4j.nio.junit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.SimLink;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;

/**
 * The simulated network of one test ({@link SimulatedNetwork}): its hosts by name, its links,
 * the simulator and the pacer that drives it. Touch links and counters inside
 * {@link RealTimePacer#call} ({@link #pacer()}).
 */
public record TestNetwork(long seed, Simulator simulator, RealTimePacer pacer, Map<String, NetStack> hosts,
                          List<SimLink> links, Path captureDirectory) {
    public TestNetwork {
        hosts = Map.copyOf(hosts);
        links = List.copyOf(links);
    }

    /** The host called {@code name}. */
    public NetStack host(String name) {
        NetStack h = hosts.get(name);
        if (h == null) {
            throw new NoSuchElementException("no host " + name + " in this network; there are " + hosts.keySet());
        }
        return h;
    }
}
