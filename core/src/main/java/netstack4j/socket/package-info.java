/**
 * The socket API applications use: {@link netstack4j.socket.TcpSocket},
 * {@link netstack4j.socket.TcpListener}, {@link netstack4j.socket.UdpSocket},
 * {@link netstack4j.socket.PingSocket} and the epoll-like {@link netstack4j.socket.Poller}, opened
 * from a stack's {@link netstack4j.socket.SocketFactory}. Blocking by default, non-blocking on
 * request; typed options; failures are {@link netstack4j.socket.ErrnoException}s carrying the
 * errno a C program would see. Every call enters the stack through its runtime, so sockets work
 * from simulated processes and from plain threads on a real stack.
 */
package netstack4j.socket;
