/**
 * One host's network kernel: {@link netstack4j.stack.NetStack} owns devices, protocol engines,
 * timers, counters (named as Linux {@code nstat} names them), configuration (Linux sysctl names)
 * and the trace. {@link netstack4j.stack.StackRuntime} is how application threads enter it and
 * wait in it; {@link netstack4j.stack.EventLoop} drives a real stack on its own thread.
 */
package netstack4j.stack;
