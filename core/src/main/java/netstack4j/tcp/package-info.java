/**
 * TCP: the engine that turns a byte stream into segments and back (RFC 9293), split by concern.
 *
 * <p>This package holds the engine's self-contained parts, each usable and tested without a
 * connection or the wire codecs:
 * <ul>
 *   <li>{@link netstack4j.tcp.SeqNum}: wrap-safe sequence number arithmetic (RFC 9293 section 3.4);</li>
 *   <li>{@link netstack4j.tcp.TcpState}: the connection states and their {@code ss} names;</li>
 *   <li>{@link netstack4j.tcp.RttEstimator}: SRTT, RTTVAR and the retransmission timeout (RFC 6298);</li>
 *   <li>{@link netstack4j.tcp.CongestionControl} and {@link netstack4j.tcp.NewReno}: the congestion
 *       window (RFC 5681, RFC 6582);</li>
 *   <li>{@link netstack4j.tcp.SendBuffer}: SendQ, bytes written and not yet acknowledged;</li>
 *   <li>{@link netstack4j.tcp.ReceiveBuffer} and {@link netstack4j.tcp.Assembler}: RecvQ and the
 *       out-of-order data held until the gap fills;</li>
 *   <li>{@link netstack4j.tcp.IsnGenerator} (RFC 6528) and {@link netstack4j.tcp.EphemeralPorts}
 *       (RFC 6056).</li>
 * </ul>
 *
 * <p>Every type here is thread-compatible: owned by the stack's thread, as DESIGN.md says. Nothing
 * reads a clock; times are passed in as {@code long} nanoseconds. The data path (buffer writes,
 * reads, acknowledgements, congestion and RTT updates) allocates nothing once buffers are grown.
 * The default personality is Linux's; where a rule follows Linux rather than the RFC, its comment
 * says "as Linux does".
 */
package netstack4j.tcp;
