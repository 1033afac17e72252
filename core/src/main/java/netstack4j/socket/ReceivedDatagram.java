package netstack4j.socket;

/**
 * What one {@code recvfrom} returned: how many bytes were copied, how long the datagram was
 * ({@code MSG_TRUNC} when longer than the buffer, N28/N30) and who sent it.
 *
 * @param length         bytes copied into the buffer
 * @param datagramLength bytes the datagram had
 * @param source         the sender's address and port
 */
public record ReceivedDatagram(int length, int datagramLength, Ipv4SocketAddress source) {
    /** The datagram was longer than the buffer; the rest is lost (Linux MSG_TRUNC). */
    public boolean truncated() {
        return datagramLength > length;
    }
}
