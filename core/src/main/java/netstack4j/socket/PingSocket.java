package netstack4j.socket;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import netstack4j.ip.IcmpError;
import netstack4j.ip.IcmpLayer;
import netstack4j.ip.PmtuMode;
import netstack4j.stack.NetStack;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;
import netstack4j.wire.Ipv4Address;

/**
 * A ping socket, as Linux's {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}: sends ICMP echo
 * requests with the socket's identifier and receives the matching replies, and, as with
 * {@code IP_RECVERR}, the ICMP errors routers or the destination return for them.
 *
 * <p>Thread-safe: every call enters the stack through its runtime.
 */
public final class PingSocket implements Closeable {
    /** Events queued beyond this are dropped (the socket's receive buffer is full). */
    static final int QUEUE_LIMIT = 1024;

    /** What {@link #receive()} returns. */
    public sealed interface Event permits Reply, Error {
        /** The ICMP echo sequence number the event belongs to. */
        int sequence();
    }

    /** An echo reply: who answered, its TTL, the sequence number and the data length. */
    public record Reply(Ipv4Address from, int ttl, int sequence, int dataLength, long receivedAtNs) implements Event {
    }

    /** An ICMP error about one of our requests (e.g. from a router: TTL exceeded, host unreachable). */
    public record Error(IcmpError error, int sequence, long receivedAtNs) implements Event {
    }

    private final NetStack stack;
    private final IcmpLayer icmp;
    private final int identifier;
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private final WaitQueue readers;
    private boolean closed;
    private int ttl;
    private PmtuMode pmtu = PmtuMode.WANT;
    private volatile long receiveTimeoutNs;

    private PingSocket(NetStack stack) {
        this.stack = stack;
        this.icmp = stack.ip().icmp();
        this.readers = stack.runtime().newWaitQueue();
        this.ttl = stack.config().ipDefaultTtl();
        this.identifier = icmp.bindPing(new IcmpLayer.PingEndpoint() {
            @Override
            public void echoReply(Ipv4Address from, int replyTtl, int sequence, byte[] data) {
                offer(new Reply(from, replyTtl, sequence, data.length, stack.nowNs()));
            }

            @Override
            public void error(IcmpError error, int sequence) {
                offer(new Error(error, sequence, stack.nowNs()));
            }
        });
    }

    static PingSocket open(NetStack stack) throws ErrnoException {
        PingSocket s = new PingSocket(stack);
        if (s.identifier < 0) {
            throw new ErrnoException(Errno.EADDRINUSE, "socket");
        }
        return s;
    }

    private void offer(Event e) {
        if (!closed && queue.size() < QUEUE_LIMIT) {
            queue.addLast(e);
            readers.wakeAll();
        }
    }

    /** The ICMP identifier of this socket's requests. */
    public int identifier() {
        return identifier;
    }

    /** Sends one echo request with {@code sequence} and {@code data}. */
    public void send(Ipv4Address to, int sequence, byte[] data) throws ErrnoException {
        stack.runtime().call(() -> {
            if (closed) {
                throw new ErrnoException(Errno.EBADF, "sendto");
            }
            if (data.length > 65535 - 20 - 8) {
                throw new ErrnoException(Errno.EMSGSIZE, "sendto");
            }
            Errno e = icmp.sendEcho(to, identifier, sequence & 0xffff, data, ttl, pmtu);
            if (e != null) {
                throw new ErrnoException(e, "sendto");
            }
            return null;
        });
    }

    /** The next reply or error; blocks until one arrives or the receive timeout passes (EAGAIN). */
    public Event receive() throws ErrnoException {
        return stack.runtime().call(() -> {
            long timeout = receiveTimeoutNs;
            long deadline = timeout > 0 ? stack.nowNs() + timeout : TimerQueue.NEVER;
            while (true) {
                if (closed) {
                    throw new ErrnoException(Errno.EBADF, "recvmsg");
                }
                Event e = queue.pollFirst();
                if (e != null) {
                    return e;
                }
                if (deadline != TimerQueue.NEVER && stack.nowNs() - deadline >= 0) {
                    throw new ErrnoException(Errno.EAGAIN, "recvmsg");
                }
                Blocking.await(readers, deadline, "recvmsg");
            }
        });
    }

    /** SO_RCVTIMEO; zero waits forever. */
    public void setReceiveTimeout(Duration timeout) {
        receiveTimeoutNs = timeout.toNanos();
    }

    /** IP_TTL of the requests (ping -t). */
    public void setTtl(int ttl) throws ErrnoException {
        if (ttl < 1 || ttl > 255) {
            throw new ErrnoException(Errno.EINVAL, "setsockopt IP_TTL");
        }
        stack.runtime().call(() -> {
            this.ttl = ttl;
            return null;
        });
    }

    /** IP_MTU_DISCOVER (ping -M do|want|dont). */
    public void setPmtuMode(PmtuMode mode) {
        stack.runtime().call(() -> {
            this.pmtu = mode;
            return null;
        });
    }

    @Override
    public void close() {
        stack.runtime().call(() -> {
            if (!closed) {
                closed = true;
                icmp.unbindPing(identifier);
                queue.clear();
                readers.wakeAll();
            }
            return null;
        });
    }
}
