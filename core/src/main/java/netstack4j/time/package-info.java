/** Time as data: the injected {@link netstack4j.time.Clock} and the stack's timer heap. */
package netstack4j.time;
