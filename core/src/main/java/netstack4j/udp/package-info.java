/**
 * UDP (RFC 768, RFC 1122 section 4.1): the port table, demultiplexing, receive-buffer accounting
 * and the kernel side of UDP sockets.
 */
package netstack4j.udp;
