package netstack4j.udp;

import java.util.ArrayDeque;
import netstack4j.ip.PmtuMode;
import netstack4j.socket.Errno;
import netstack4j.stack.Readiness;
import netstack4j.stack.WaitQueue;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.PacketBuffer;

/**
 * The kernel side of one UDP socket (N6): local and remote address and port, the receive queue
 * of whole datagrams (N28) with the memory they are charged for, and a pending error.
 *
 * <p>Thread-compatible: owned by the stack's thread; applications reach it through
 * {@link netstack4j.socket.UdpSocket}.
 */
public final class UdpEndpoint {
    /**
     * One received datagram, kept in the buffer it arrived in (a broadcast datagram for several
     * sockets is copied for all but one), given back to the pool once read or discarded.
     */
    public record Datagram(PacketBuffer buffer, int payloadOffset, int length, Ipv4Address source, int sourcePort,
                           Ipv4Address destination, int truesize) {
    }

    Ipv4Address localAddress = Ipv4Address.ANY;
    int localPort;
    Ipv4Address remoteAddress = Ipv4Address.ANY;
    int remotePort;
    boolean reuseAddress;
    boolean broadcast;
    boolean closed;
    int ttl;
    int tos;
    PmtuMode pmtuMode = PmtuMode.WANT;
    /** IP_MULTICAST_TTL: 1 by default, so multicast stays on the LAN (RFC 1112 section 6.1; Linux inet->mc_ttl). */
    int multicastTtl = 1;
    /** IP_MULTICAST_LOOP: on by default (RFC 1112 section 6.1; Linux inet->mc_loop). */
    boolean multicastLoop = true;
    /** IP_MULTICAST_IF: the address of the interface multicast leaves by, or ANY for the route's. */
    Ipv4Address multicastInterface = Ipv4Address.ANY;
    /** Groups joined (IP_ADD_MEMBERSHIP), each as {interface index, group}, in join order. */
    final java.util.ArrayList<netstack4j.ip.NetInterface> membershipInterfaces = new java.util.ArrayList<>();
    final java.util.ArrayList<Ipv4Address> membershipGroups = new java.util.ArrayList<>();
    int receiveBufferBytes;
    int sendBufferBytes;
    long bindOrder;
    final ArrayDeque<Datagram> receiveQueue = new ArrayDeque<>();
    int receiveMemory;
    long drops;
    Errno pendingError;
    final WaitQueue readers;
    final Readiness readiness = new Readiness(this);

    UdpEndpoint(WaitQueue readers, int ttl, int rcvbuf, int sndbuf) {
        this.readers = readers;
        this.ttl = ttl;
        this.receiveBufferBytes = rcvbuf;
        this.sendBufferBytes = sndbuf;
    }

    public Ipv4Address localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    public Ipv4Address remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    public boolean isConnected() {
        return remotePort != 0;
    }

    public boolean isBound() {
        return localPort != 0;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Recv-Q as {@code ss -u} shows it: bytes of memory charged to queued datagrams. */
    public int receiveMemory() {
        return receiveMemory;
    }

    public int queuedDatagrams() {
        return receiveQueue.size();
    }

    /** Datagrams dropped because the receive buffer was full ({@code ss -m} "d"). */
    public long drops() {
        return drops;
    }

    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    public boolean reuseAddress() {
        return reuseAddress;
    }

    public void setReuseAddress(boolean on) {
        reuseAddress = on;
    }

    public boolean broadcast() {
        return broadcast;
    }

    public void setBroadcast(boolean on) {
        broadcast = on;
    }

    public int ttl() {
        return ttl;
    }

    public void setTtl(int ttl) {
        this.ttl = ttl;
    }

    public int tos() {
        return tos;
    }

    public void setTos(int tos) {
        this.tos = tos;
    }

    public PmtuMode pmtuMode() {
        return pmtuMode;
    }

    public void setPmtuMode(PmtuMode mode) {
        this.pmtuMode = mode;
    }

    public int multicastTtl() {
        return multicastTtl;
    }

    public void setMulticastTtl(int ttl) {
        multicastTtl = ttl;
    }

    public boolean multicastLoop() {
        return multicastLoop;
    }

    public void setMulticastLoop(boolean on) {
        multicastLoop = on;
    }

    public Ipv4Address multicastInterface() {
        return multicastInterface;
    }

    public void setMulticastInterface(Ipv4Address address) {
        multicastInterface = address;
    }

    /** The groups this socket joined, in join order. */
    public java.util.List<Ipv4Address> memberships() {
        return java.util.List.copyOf(membershipGroups);
    }

    public void setReceiveBufferBytes(int bytes) {
        receiveBufferBytes = bytes;
    }

    public void setSendBufferBytes(int bytes) {
        sendBufferBytes = bytes;
    }

    public Readiness readiness() {
        return readiness;
    }

    public WaitQueue readers() {
        return readers;
    }

    public Datagram poll() {
        Datagram d = receiveQueue.pollFirst();
        if (d != null) {
            receiveMemory -= d.truesize();
        }
        return d;
    }

    public Datagram peek() {
        return receiveQueue.peekFirst();
    }

    public boolean hasError() {
        return pendingError != null;
    }

    /** Returns and clears the pending error (SO_ERROR semantics). */
    public Errno takeError() {
        Errno e = pendingError;
        pendingError = null;
        return e;
    }

    @Override
    public String toString() {
        return "udp " + localAddress + ":" + localPort + (isConnected() ? " -> " + remoteAddress + ":" + remotePort : "");
    }
}
