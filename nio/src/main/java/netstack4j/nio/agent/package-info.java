/**
 * The first part of the Java agent of issue 12: {@link netstack4j.nio.agent.VirtualTimeAgent}
 * rewrites application classes (ClassFile API) so that their clock reads and sleeps answer in the
 * virtual time of the current {@link netstack4j.nio.NetScope}'s host ({@link
 * netstack4j.nio.agent.VirtualTime}). Not yet: JDK classes, thread creation as simulator-scheduled
 * processes, timed waits on locks and conditions, seeded randomness; until then a program under
 * the agent runs in the real-time-paced mode and is not deterministic.
 */
package netstack4j.nio.agent;
