/**
 * The load generator ({@code netstack4j loadgen}): many dummy clients against one server on a
 * simulated network, to show what load does to the stacks (N44: TIME_WAIT on the side that
 * closes first, local ports running out; N45: a server closing first).
 */
package netstack4j.loadgen;
