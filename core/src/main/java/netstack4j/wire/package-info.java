/**
 * Wire formats: the bytes of Ethernet II, ARP, IPv4, ICMPv4, UDP and TCP, with nothing else.
 * This layer holds no state and does no I/O.
 *
 * <p>Each protocol has two levels, after smoltcp's {@code wire} module:
 * <ul>
 *   <li>a <em>packet view</em> ({@link netstack4j.wire.Ipv4Packet}, {@link netstack4j.wire.TcpPacket},
 *       …): a reusable flyweight over a region of a {@code byte[]} with named accessors. The
 *       contract of every view: {@code wrap} does no checks; {@code check()} returns null when the
 *       region holds a structurally valid packet, or a short reason; after {@code check()} has
 *       returned null (or {@code wrapChecked} has returned), no accessor throws. Untrusted input
 *       must go through {@code check()} or {@code wrapChecked} first.</li>
 *   <li>a <em>header record</em> ({@link netstack4j.wire.Ipv4Header}, {@link netstack4j.wire.TcpHeader},
 *       …): the parsed, validated value the engine works with. Its constructor rejects values that
 *       cannot be on the wire; {@code parse(view)} builds it from a view or throws
 *       {@link netstack4j.wire.MalformedPacketException} with a reason; {@code emit} writes it.</li>
 * </ul>
 * Parsing validates structure, not checksums: views offer {@code verifyChecksum} so that the caller
 * can count checksum errors apart from malformed packets, as Linux counts {@code InCsumErrors}.
 * {@link netstack4j.wire.Checksum} holds the Internet checksum and the pseudo-header sum.
 *
 * <p>Views are thread-compatible (one owner at a time); records are immutable.
 */
package netstack4j.wire;
