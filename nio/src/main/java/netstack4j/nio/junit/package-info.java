/**
 * The JUnit 5 extension: {@link netstack4j.nio.junit.SimulatedNetwork} gives each test a paced
 * simulated network from a topology, a seed and faults, injects its hosts, captures every
 * interface, prints the seed and the captures on failure and fails on stack invariant violations.
 * Needs {@code netstack4j-sim} and JUnit Jupiter on the class path (optional dependencies of this
 * module).
 */
package netstack4j.nio.junit;
