package netstack4j.socket;

import java.io.Closeable;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Objects;
import netstack4j.ip.PmtuMode;
import netstack4j.stack.NetStack;
import netstack4j.time.TimerQueue;
import netstack4j.udp.UdpEndpoint;
import netstack4j.udp.UdpLayer;
import netstack4j.wire.Ipv4Address;

/**
 * A UDP socket ({@code socket(AF_INET, SOCK_DGRAM, 0)}): datagrams keep their boundaries (N28),
 * a datagram longer than the read buffer is truncated and says so (N30), a connected socket
 * learns of ICMP port unreachable as ECONNREFUSED. Blocking by default; non-blocking calls fail
 * with EAGAIN instead of waiting; a receive timeout (SO_RCVTIMEO) also ends in EAGAIN.
 *
 * <p>Thread-safe: every call enters the stack through its runtime. Blocking calls work from
 * simulated processes and, on a real stack, from any thread.
 */
public final class UdpSocket implements Closeable, Pollable {
    private final NetStack stack;
    private final UdpLayer udp;
    private final UdpEndpoint ep;
    private volatile boolean nonBlocking;
    private volatile long receiveTimeoutNs;

    UdpSocket(NetStack stack, UdpEndpoint ep) {
        this.stack = stack;
        this.udp = stack.udp();
        this.ep = ep;
    }

    /** bind(2): the local address and port (port 0: an ephemeral one); EADDRINUSE when taken. */
    public void bind(Ipv4SocketAddress local) throws ErrnoException {
        call(() -> check(udp.bind(ep, local.address(), local.port()), "bind"));
    }

    /** bind(2) to {@code port} on every local address. */
    public void bind(int port) throws ErrnoException {
        bind(new Ipv4SocketAddress(Ipv4Address.ANY, port));
    }

    /** connect(2): fixes the peer; {@link #send} goes to it and only its datagrams are received. */
    public void connect(Ipv4SocketAddress remote) throws ErrnoException {
        call(() -> check(udp.connect(ep, remote.address(), remote.port()), "connect"));
    }

    /** {@code connect} with AF_UNSPEC: forget the peer. */
    public void disconnect() throws ErrnoException {
        call(() -> {
            udp.disconnect(ep);
            return null;
        });
    }

    /** {@code send} on a connected socket; returns the bytes sent (the whole datagram). */
    public int send(byte[] data, int offset, int length) throws ErrnoException {
        Objects.checkFromIndexSize(offset, length, data.length);
        return call(() -> {
            if (!ep.isConnected()) {
                throw new ErrnoException(Errno.EDESTADDRREQ, "send");
            }
            return sendLocked(ep.remoteAddress(), ep.remotePort(), data, offset, length);
        });
    }

    /** {@code send} of the whole array as one datagram. */
    public int send(byte[] data) throws ErrnoException {
        return send(data, 0, data.length);
    }

    /** {@code sendto}: one datagram to {@code to}. */
    public int sendTo(byte[] data, int offset, int length, Ipv4SocketAddress to) throws ErrnoException {
        Objects.checkFromIndexSize(offset, length, data.length);
        return call(() -> sendLocked(to.address(), to.port(), data, offset, length));
    }

    /** {@code sendto} of the whole array as one datagram. */
    public int sendTo(byte[] data, Ipv4SocketAddress to) throws ErrnoException {
        return sendTo(data, 0, data.length, to);
    }

    private int sendLocked(Ipv4Address to, int port, byte[] data, int offset, int length) throws ErrnoException {
        if (ep.isClosed()) {
            throw new ErrnoException(Errno.EBADF, "send");
        }
        Errno pending = ep.takeError();
        if (pending != null) {
            throw new ErrnoException(pending, "send");
        }
        check(udp.send(ep, to, port, data, offset, length), "send");
        return length;
    }

    /**
     * {@code recvfrom}: copies one datagram into {@code buf}; a longer datagram is truncated and
     * the rest discarded. Blocks while none is queued (N12) unless non-blocking or timed out.
     */
    public ReceivedDatagram receive(byte[] buf, int offset, int length) throws ErrnoException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        return call(() -> {
            long timeout = receiveTimeoutNs;
            long deadline = timeout > 0 ? stack.nowNs() + timeout : TimerQueue.NEVER;
            while (true) {
                if (ep.isClosed()) {
                    throw new ErrnoException(Errno.EBADF, "recvfrom");
                }
                Errno pending = ep.takeError();
                if (pending != null) {
                    throw new ErrnoException(pending, "recvfrom");
                }
                UdpEndpoint.Datagram d = ep.poll();
                if (d != null) {
                    int n = Math.min(length, d.length());
                    System.arraycopy(d.buffer().array(), d.payloadOffset(), buf, offset, n);
                    udp.release(d);
                    return new ReceivedDatagram(n, d.length(), new Ipv4SocketAddress(d.source(), d.sourcePort()));
                }
                if (nonBlocking || deadline != TimerQueue.NEVER && stack.nowNs() - deadline >= 0) {
                    throw new ErrnoException(Errno.EAGAIN, "recvfrom");
                }
                awaitReadable(deadline);
            }
        });
    }

    /** {@code recvfrom} into the whole of {@code buf}. */
    public ReceivedDatagram receive(byte[] buf) throws ErrnoException {
        return receive(buf, 0, buf.length);
    }

    private void awaitReadable(long deadline) throws ErrnoException {
        Blocking.await(ep.readers(), deadline, "recvfrom");
    }

    @Override
    public NetStack stack() {
        return stack;
    }

    @Override
    public netstack4j.stack.Readiness readiness() {
        return ep.readiness();
    }

    /** UDP: readable with a datagram or an error queued; always writable while open. */
    @Override
    public int readyEvents() {
        if (ep.isClosed()) {
            return PollEvents.NVAL;
        }
        int ev = PollEvents.OUT | PollEvents.WRNORM;
        if (ep.queuedDatagrams() > 0) {
            ev |= PollEvents.IN | PollEvents.RDNORM;
        }
        if (ep.hasError()) {
            ev |= PollEvents.ERR;
        }
        return ev;
    }

    /** Bytes of memory held by queued datagrams (Recv-Q in {@code ss -u}). */
    public int receiveQueueBytes() {
        return stack.runtime().call(ep::receiveMemory);
    }

    /** Datagrams waiting to be read. */
    public int queuedDatagrams() {
        return stack.runtime().call(ep::queuedDatagrams);
    }

    /** Datagrams this socket dropped for want of receive buffer. */
    public long drops() {
        return stack.runtime().call(ep::drops);
    }

    /** getsockname(2), or null before the socket has a port. */
    public Ipv4SocketAddress localAddress() {
        return stack.runtime().call(() -> new Ipv4SocketAddress(ep.localAddress(), ep.localPort()));
    }

    /** The peer, or null when not connected. */
    public Ipv4SocketAddress remoteAddress() {
        return stack.runtime().call(() -> ep.isConnected() ? new Ipv4SocketAddress(ep.remoteAddress(), ep.remotePort()) : null);
    }

    /** O_NONBLOCK: a receive with nothing queued fails with EAGAIN instead of waiting. */
    public void setNonBlocking(boolean on) {
        nonBlocking = on;
    }

    /** Whether O_NONBLOCK is set. */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /** SO_RCVTIMEO: a blocked receive gives up with EAGAIN after this long; zero waits forever. */
    public void setReceiveTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout");
        }
        receiveTimeoutNs = timeout.toNanos();
    }

    /** setsockopt(2): a {@link java.net.StandardSocketOptions} or {@link NetSocketOptions} option. */
    public <T> void setOption(SocketOption<T> option, T value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        call(() -> {
            if (option == StandardSocketOptions.SO_RCVBUF) {
                ep.setReceiveBufferBytes(BufferSizes.receive(stack.config(), (Integer) value));
            } else if (option == StandardSocketOptions.SO_SNDBUF) {
                ep.setSendBufferBytes(BufferSizes.send(stack.config(), (Integer) value));
            } else if (option == StandardSocketOptions.SO_REUSEADDR) {
                ep.setReuseAddress((Boolean) value);
            } else if (option == StandardSocketOptions.SO_BROADCAST) {
                ep.setBroadcast((Boolean) value);
            } else if (option == StandardSocketOptions.IP_TOS) {
                ep.setTos((Integer) value & 0xff);
            } else if (option == NetSocketOptions.IP_TTL) {
                int ttl = (Integer) value;
                if (ttl == -1) {
                    ttl = stack.config().ipDefaultTtl();
                } else if (ttl < 1 || ttl > 255) {
                    throw new ErrnoException(Errno.EINVAL, "setsockopt IP_TTL");
                }
                ep.setTtl(ttl);
            } else if (option == NetSocketOptions.IP_MTU_DISCOVER) {
                ep.setPmtuMode((PmtuMode) value);
            } else if (!setMulticastOption(option, value)) {
                throw new ErrnoException(Errno.ENOPROTOOPT, "setsockopt " + option.name());
            }
            return null;
        });
    }

    /** getsockopt(2). */
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> option) throws ErrnoException {
        return call(() -> {
            Object v;
            if (option == StandardSocketOptions.SO_RCVBUF) {
                v = ep.receiveBufferBytes();
            } else if (option == StandardSocketOptions.SO_SNDBUF) {
                v = ep.sendBufferBytes();
            } else if (option == StandardSocketOptions.SO_REUSEADDR) {
                v = ep.reuseAddress();
            } else if (option == StandardSocketOptions.SO_BROADCAST) {
                v = ep.broadcast();
            } else if (option == StandardSocketOptions.IP_TOS) {
                v = ep.tos();
            } else if (option == NetSocketOptions.IP_TTL) {
                v = ep.ttl();
            } else if (option == NetSocketOptions.IP_MTU_DISCOVER) {
                v = ep.pmtuMode();
            } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
                v = ep.multicastTtl();
            } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
                v = ep.multicastLoop();
            } else if (option == NetSocketOptions.IP_MULTICAST_IF) {
                v = ep.multicastInterface();
            } else {
                throw new ErrnoException(Errno.ENOPROTOOPT, "getsockopt " + option.name());
            }
            return (T) v;
        });
    }

    /** The multicast options (RFC 1112 section 6.1; Linux do_ip_setsockopt); false for any other option. */
    private boolean setMulticastOption(SocketOption<?> option, Object value) throws ErrnoException {
        if (option == NetSocketOptions.IP_ADD_MEMBERSHIP) {
            MembershipRequest r = (MembershipRequest) value;
            check(udp.join(ep, r.group(), r.interfaceAddress()), "setsockopt IP_ADD_MEMBERSHIP");
        } else if (option == NetSocketOptions.IP_DROP_MEMBERSHIP) {
            MembershipRequest r = (MembershipRequest) value;
            check(udp.leave(ep, r.group(), r.interfaceAddress()), "setsockopt IP_DROP_MEMBERSHIP");
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            int ttl = (Integer) value;
            if (ttl == -1) {
                ttl = 1;
            } else if (ttl < 0 || ttl > 255) {
                throw new ErrnoException(Errno.EINVAL, "setsockopt IP_MULTICAST_TTL");
            }
            ep.setMulticastTtl(ttl);
        } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            ep.setMulticastLoop((Boolean) value);
        } else if (option == NetSocketOptions.IP_MULTICAST_IF) {
            netstack4j.wire.Ipv4Address a = (netstack4j.wire.Ipv4Address) value;
            if (!a.isAny() && !stack.isLocalAddress(a)) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, "setsockopt IP_MULTICAST_IF");
            }
            ep.setMulticastInterface(a);
        } else {
            return false;
        }
        return true;
    }

    /** The groups this socket joined, in join order. */
    public java.util.List<netstack4j.wire.Ipv4Address> memberships() {
        return stack.runtime().call(ep::memberships);
    }

    /** SO_ERROR: returns and clears the pending error, or null. */
    public Errno takeError() {
        return stack.runtime().call(ep::takeError);
    }

    @Override
    public void close() {
        stack.runtime().call(() -> {
            udp.close(ep);
            return null;
        });
    }

    private <T> T call(netstack4j.stack.StackRuntime.StackCall<T, ErrnoException> op) throws ErrnoException {
        return stack.runtime().call(op);
    }

    private static Void check(Errno e, String what) throws ErrnoException {
        if (e != null) {
            throw new ErrnoException(e, what);
        }
        return null;
    }

    @Override
    public String toString() {
        return ep.toString();
    }
}
