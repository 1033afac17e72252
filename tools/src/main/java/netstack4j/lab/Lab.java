package netstack4j.lab;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import netstack4j.dns.DnsServer;
import netstack4j.link.CaptureDevice;
import netstack4j.link.NetworkDevice;
import netstack4j.sim.LinkParams;
import netstack4j.sim.SimLink;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.socket.ErrnoException;
import netstack4j.stack.NetStack;
import netstack4j.trace.PcapWriter;
import netstack4j.trace.TraceSink;
import netstack4j.wire.Ipv4Address;

/**
 * A ready-made simulated network for the commands: a topology on a {@link Simulator}, with
 * optional pcap capture on every host interface ({@code DIR/host-eth0.pcap}), and a DNS server
 * that knows every host by name. Close it to flush the captures.
 *
 * <p>A capture that cannot be written (the directory is a file, is missing and cannot be made,
 * or refuses the file) fails the factory method with an {@link UncheckedIOException} whose
 * message is one line, such as {@code cannot create directory 'x': File exists}; nothing is left
 * open then.
 *
 * <p>Threading: like its simulator, touched by one thread at a time.
 */
public final class Lab implements AutoCloseable {
    /** The domain lab hosts live in; each is reachable as {@code NAME} and {@code NAME.lab}. */
    public static final String DOMAIN = "lab";

    private final Simulator sim;
    private final List<PcapWriter> captures = new ArrayList<>();
    private final List<Path> captureFiles = new ArrayList<>();
    private final Path pcapDir;
    private final List<SimLink> links = new ArrayList<>();
    private DnsServer dns;

    private Lab(long seed, Path pcapDir, TraceSink trace) {
        if (pcapDir != null) {
            try {
                Files.createDirectories(pcapDir);
            } catch (IOException e) {
                throw IoErrors.failure("cannot create directory", pcapDir, e);
            }
        }
        this.sim = new Simulator(seed);
        this.pcapDir = pcapDir;
        if (trace != null) {
            sim.setTrace(trace);
        }
    }

    /** Builds the network with {@code setup}; on failure closes what was opened and rethrows. */
    private static Lab build(long seed, Path pcapDir, TraceSink trace, Consumer<Lab> setup) {
        Lab lab = new Lab(seed, pcapDir, trace);
        try {
            setup.accept(lab);
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Simulator sim() {
        return sim;
    }

    /** Every cable of the network, in the order the topology made them. */
    public List<SimLink> links() {
        return List.copyOf(links);
    }

    /** The pcap files written so far. */
    public List<Path> captureFiles() {
        return List.copyOf(captureFiles);
    }

    /** client 10.0.1.2 – router – server 10.0.2.2, DNS on the server. */
    public static Lab clientRouterServer(long seed, LinkParams params, Path pcapDir, TraceSink trace) {
        return build(seed, pcapDir, trace, lab -> {
            var t = Topologies.clientRouterServer(lab.sim, params, lab::decorate);
            lab.links.addAll(List.of(t.clientLink(), t.serverLink()));
            lab.startDns(t.server(), List.of(t.client(), t.router(), t.server()));
        });
    }

    /** hosts a 10.0.0.1 and b 10.0.0.2 on one cable, no DNS. */
    public static Lab pair(long seed, LinkParams params, Path pcapDir, TraceSink trace) {
        return pair(seed, params, pcapDir, trace, netstack4j.stack.Personality.LINUX);
    }

    /** As {@link #pair(long, LinkParams, Path, TraceSink)}, both hosts with {@code personality}'s defaults. */
    public static Lab pair(long seed, LinkParams params, Path pcapDir, TraceSink trace, netstack4j.stack.Personality personality) {
        return build(seed, pcapDir, trace, lab -> lab.links.add(
                Topologies.hostPair(lab.sim, params, lab::decorate, netstack4j.stack.StackConfig.defaults(personality)).link()));
    }

    /** hosts h1..hN on one switch (10.0.0.1..), DNS on the last host. */
    public static Lab lan(long seed, int n, LinkParams params, Path pcapDir, TraceSink trace) {
        return build(seed, pcapDir, trace, lab -> {
            var t = Topologies.lan(lab.sim, n, params, lab::decorate);
            lab.links.addAll(t.links());
            lab.startDns(t.hosts().getLast(), t.hosts());
        });
    }

    public NetStack host(String name) {
        for (NetStack h : sim.hosts()) {
            if (h.name().equals(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException("no host " + name);
    }

    private NetworkDevice decorate(NetStack host, NetworkDevice port) {
        if (pcapDir == null) {
            return port;
        }
        Path file = pcapDir.resolve(host.name() + "-" + port.name() + ".pcap");
        try {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            PcapWriter w = new PcapWriter(out);
            captures.add(w);
            captureFiles.add(file);
            return new CaptureDevice(port, w, sim);
        } catch (IOException e) {
            throw IoErrors.failure("cannot write", file, e);
        }
    }

    private void startDns(NetStack server, List<NetStack> hosts) {
        Map<String, Ipv4Address> zone = new LinkedHashMap<>();
        for (NetStack h : hosts) {
            Ipv4Address a = h.interfaces().stream().filter(i -> !i.name().equals("lo")).findFirst().orElseThrow().address();
            zone.put(h.name(), a);
            zone.put(h.name() + "." + DOMAIN, a);
        }
        Ipv4Address dnsAddress = zone.get(server.name());
        try {
            dns = new DnsServer(server, 53, zone);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot start DNS server", e);
        }
        for (NetStack h : hosts) {
            h.resolver().addNameserver(dnsAddress);
        }
        sim.spawn(server, "named", ctx -> dns.serve());
    }

    /** Stops the DNS server so the simulation can run out of events. */
    public void stopServices() {
        if (dns != null) {
            dns.close();
        }
    }

    /** Stops the services and the simulation, then flushes and closes every capture (all of them, even when one fails). */
    @Override
    public void close() {
        stopServices();
        sim.close();
        UncheckedIOException failure = null;
        for (int i = 0; i < captures.size(); i++) {
            try {
                captures.get(i).close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = IoErrors.failure("cannot write", captureFiles.get(i), e);
                }
            }
        }
        captures.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
