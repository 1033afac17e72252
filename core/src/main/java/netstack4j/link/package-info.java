/**
 * The link layer: {@link netstack4j.link.NetworkDevice}, the contract between the stack and
 * anything that moves Ethernet frames, and decorators that wrap any device (capture, tracing).
 */
package netstack4j.link;
