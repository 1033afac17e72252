package netstack4j.nio.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh simulated network, paced against the wall clock
 * ({@code netstack4j.sim.RealTimePacer}) so that the test's own threads and the libraries they
 * use can talk over it, and injects its hosts:
 *
 * <pre>{@code
 * @SimulatedNetwork(topology = Topology.CLIENT_ROUTER_SERVER, seed = 7, lossRate = 0.05, delayMicros = 10_000)
 * class MyClientTest {
 *     @Test
 *     void survivesLoss(@Host("client") NetStack client, @Host("server") NetStack server) { ... }
 * }
 * }</pre>
 *
 * <p>Parameters it resolves: {@link netstack4j.stack.NetStack} (by {@link Host} or by parameter
 * name), {@link TestNetwork} (everything: simulator, pacer, links, seed, capture directory), and
 * {@code Simulator} and {@code RealTimePacer}. The test method runs inside a
 * {@link netstack4j.nio.NetScope} of the {@link #scope()} host, if one is named.
 *
 * <p>On failure it prints the seed (repeat the run with {@code -Dnetstack4j.seed=N}) and where the
 * capture of every interface is ({@code target/netstack4j/CLASS/METHOD/HOST-IF.pcap}, written
 * when {@link #capture()} is on). It fails a test that passed when the simulation itself failed
 * (an exception inside a stack, which stops the pacer) or when a stack invariant does not hold
 * after the test (TcpCurrEstab against the connections' states, socket memory, the tables).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(SimulatedNetworkExtension.class)
public @interface SimulatedNetwork {
    /** The shape of the network. */
    Topology topology() default Topology.CLIENT_ROUTER_SERVER;

    /** Hosts on the LAN ({@link Topology#LAN} only). */
    int hosts() default 3;

    /** The master seed; {@code -Dnetstack4j.seed} overrides it. */
    long seed() default 1;

    /** Link bandwidth, bits per second. */
    long bandwidthBitsPerSec() default 100_000_000L;

    /** One-way delay of each link, microseconds. */
    long delayMicros() default 1_000;

    /** Jitter of each link, microseconds. */
    long jitterMicros() default 0;

    /** Fraction of frames each link loses. */
    double lossRate() default 0;

    /** Virtual seconds per wall-clock second. */
    double speed() default 1;

    /** Write a pcap per interface. */
    boolean capture() default true;

    /** The host the test method runs on ({@code NetScope}); empty for none. */
    String scope() default "";

    /** The shapes {@link netstack4j.sim.Topologies} builds. */
    enum Topology {
        /** {@code a} 10.0.0.1 and {@code b} 10.0.0.2 on one cable. */
        PAIR,
        /** {@code client} 10.0.1.2, {@code router}, {@code server} 10.0.2.2. */
        CLIENT_ROUTER_SERVER,
        /** {@code h1}... at 10.0.0.1... on one switch. */
        LAN
    }
}
