package netstack4j.nio.junit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.link.CaptureDevice;
import netstack4j.nio.NetScope;
import netstack4j.sim.LinkParams;
import netstack4j.sim.RealTimePacer;
import netstack4j.sim.SimLink;
import netstack4j.sim.Simulator;
import netstack4j.sim.Topologies;
import netstack4j.stack.NetStack;
import netstack4j.trace.PcapWriter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** The JUnit 5 extension behind {@link SimulatedNetwork}. */
public final class SimulatedNetworkExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /** Overrides every {@link SimulatedNetwork#seed()}, to repeat a failed run. */
    public static final String SEED_PROPERTY = "netstack4j.seed";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimulatedNetworkExtension.class);

    /** What one test holds: the network, its capture writers, its scope. */
    private record Running(TestNetwork network, List<PcapWriter> writers, List<Path> captures, NetScope scope) {
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        SimulatedNetwork spec = spec(context);
        long seed = Long.getLong(SEED_PROPERTY, spec.seed());
        Path dir = Path.of("target", "netstack4j", context.getRequiredTestClass().getSimpleName(),
                context.getRequiredTestMethod().getName());
        List<PcapWriter> writers = new ArrayList<>();
        List<Path> captures = new ArrayList<>();
        Simulator sim = new Simulator(seed);
        RealTimePacer pacer = new RealTimePacer(sim, spec.speed());
        Topologies.DeviceDecorator capture = Topologies.DeviceDecorator.NONE;
        if (spec.capture()) {
            Files.createDirectories(dir);
            capture = (host, port) -> {
                Path file = dir.resolve(host.name() + "-" + port.name() + ".pcap");
                try {
                    PcapWriter w = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)));
                    writers.add(w);
                    captures.add(file);
                    return new CaptureDevice(port, w, sim);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
        LinkParams params = LinkParams.builder().bandwidthBitsPerSec(spec.bandwidthBitsPerSec())
                .delayNs(spec.delayMicros() * 1_000).jitterNs(spec.jitterMicros() * 1_000)
                .lossRate(spec.lossRate()).build();
        Map<String, NetStack> hosts = new LinkedHashMap<>();
        List<SimLink> links = new ArrayList<>();
        switch (spec.topology()) {
            case PAIR -> {
                var t = Topologies.hostPair(sim, params, capture);
                hosts.put("a", t.a());
                hosts.put("b", t.b());
                links.add(t.link());
            }
            case CLIENT_ROUTER_SERVER -> {
                var t = Topologies.clientRouterServer(sim, params, capture);
                hosts.put("client", t.client());
                hosts.put("router", t.router());
                hosts.put("server", t.server());
                links.add(t.clientLink());
                links.add(t.serverLink());
            }
            case LAN -> {
                var t = Topologies.lan(sim, spec.hosts(), params, capture);
                t.hosts().forEach(h -> hosts.put(h.name(), h));
                links.addAll(t.links());
            }
        }
        TestNetwork network = new TestNetwork(seed, sim, pacer, hosts, links, spec.capture() ? dir : null);
        pacer.start();
        NetScope scope = spec.scope().isEmpty() ? null : NetScope.enter(network.host(spec.scope()));
        context.getStore(NS).put(Running.class, new Running(network, writers, captures, scope));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        Running r = context.getStore(NS).remove(Running.class, Running.class);
        if (r == null) {
            return;
        }
        if (r.scope() != null) {
            r.scope().close();
        }
        RealTimePacer pacer = r.network().pacer();
        List<String> violations = pacer.failure() != null ? List.of() : pacer.call(() -> {
            List<String> v = new ArrayList<>();
            r.network().hosts().values().forEach(h -> v.addAll(StackChecks.violations(h)));
            return v;
        });
        pacer.close();
        r.network().simulator().close();
        for (PcapWriter w : r.writers()) {
            w.close();
        }
        boolean failed = context.getExecutionException().isPresent() || pacer.failure() != null || !violations.isEmpty();
        if (failed) {
            StringBuilder sb = new StringBuilder("netstack4j: ").append(context.getDisplayName())
                    .append(" failed with seed ").append(r.network().seed())
                    .append(" (repeat with -D").append(SEED_PROPERTY).append('=').append(r.network().seed()).append(')');
            for (Path p : r.captures()) {
                sb.append("\n  capture: ").append(p.toAbsolutePath());
            }
            System.err.println(sb);
        }
        if (pacer.failure() != null) {
            throw new AssertionError("the simulation failed (an exception inside a stack), seed "
                    + r.network().seed(), pacer.failure());
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("stack invariants violated, seed " + r.network().seed() + ":\n  "
                    + String.join("\n  ", violations));
        }
    }

    private static SimulatedNetwork spec(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), SimulatedNetwork.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), SimulatedNetwork.class))
                .orElseThrow(() -> new IllegalStateException("@SimulatedNetwork missing on " + context.getDisplayName()));
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == NetStack.class || t == TestNetwork.class || t == Simulator.class || t == RealTimePacer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Running r = ec.getStore(NS).get(Running.class, Running.class);
        if (r == null) {
            throw new ParameterResolutionException("no simulated network for " + ec.getDisplayName()
                    + " (test methods only, not constructors or @BeforeAll)");
        }
        Parameter p = pc.getParameter();
        Class<?> t = p.getType();
        if (t == TestNetwork.class) {
            return r.network();
        }
        if (t == Simulator.class) {
            return r.network().simulator();
        }
        if (t == RealTimePacer.class) {
            return r.network().pacer();
        }
        String name = pc.findAnnotation(Host.class).map(Host::value).orElse(p.getName());
        try {
            return r.network().host(name);
        } catch (java.util.NoSuchElementException e) {
            throw new ParameterResolutionException(e.getMessage());
        }
    }
}
