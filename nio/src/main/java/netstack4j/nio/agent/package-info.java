/**
 * The Java agent of issue 12 (the module's jar: {@code -javaagent:netstack4j-nio.jar[=ARGS]}), in
 * two modes.
 * <ul>
 *   <li>{@code =deterministic} ({@code DeterministicAgent}): inside a
 *       {@code netstack4j.sim.DeterministicThreads} run, every thread the program starts runs as a
 *       virtual thread on the simulation's single scheduler, and the JDK's and the application's
 *       clocks, sleeps, timed waits and monitor hand-offs follow the simulation
 *       ({@code JdkRewriter} rewrites the classes with the ClassFile API,
 *       {@link netstack4j.nio.agent.boot.JdkHooks} is what the rewritten JDK code calls,
 *       {@code SimulationHooks} answers it). Package {@code netstack4j.nio}
 *       lists what that makes deterministic and what not.</li>
 *   <li>no argument, or class-name prefixes ({@link netstack4j.nio.agent.VirtualTimeAgent}):
 *       application classes read the clock and sleep in the virtual time of the current
 *       {@link netstack4j.nio.NetScope}'s host ({@link netstack4j.nio.agent.VirtualTime}), for
 *       programs run against a {@code RealTimePacer}; JDK classes and threads are left alone, so
 *       this is not deterministic.</li>
 * </ul>
 */
package netstack4j.nio.agent;
