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
 *
 * @param seed             the seed the network was built with (the annotation's, or {@code -Dnetstack4j.seed})
 * @param simulator        the simulator
 * @param pacer            the pacer that runs the simulator against the wall clock
 * @param hosts            the hosts by name ({@code "client"}, {@code "h1"}...)
 * @param links            every link, for faults set during a test (loss, partitions)
 * @param captureDirectory where the pcap of each interface goes
 */
public record TestNetwork(long seed, Simulator simulator, RealTimePacer pacer, Map<String, NetStack> hosts,
                          List<SimLink> links, Path captureDirectory) {
    /** Copies {@code hosts} and {@code links}. */
    public TestNetwork {
        hosts = Map.copyOf(hosts);
        links = List.copyOf(links);
    }

    /**
     * The host called {@code name}.
     *
     * @throws NoSuchElementException when the network has none
     */
    public NetStack host(String name) {
        NetStack h = hosts.get(name);
        if (h == null) {
            throw new NoSuchElementException("no host " + name + " in this network; there are " + hosts.keySet());
        }
        return h;
    }
}
