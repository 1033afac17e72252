package netstack4j.socket;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import netstack4j.stack.NetStack;
import netstack4j.stack.Readiness;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * Readiness for many sockets at once, shaped like Linux {@code epoll} (N10): register sockets
 * with the {@link PollEvents} they are interested in and an attachment, then {@link #poll} for
 * the ones that are ready.
 *
 * <p>How it scales: each registration puts a {@link Readiness.Watcher} on the socket. When the
 * engine signals that the socket's readiness may have changed, the watcher puts the socket on
 * this poller's ready list (once) and wakes a waiting {@code poll}. {@code poll} looks only at
 * listed sockets, so its cost is proportional to the sockets that became ready, not to those
 * registered; {@link #examinedCount()} counts how many it looked at. As in Linux's
 * {@code ep_send_events}:
 * <ul>
 *   <li>level-triggered (the default): a socket that is still ready after being reported stays
 *       listed, and is reported again by the next {@code poll};</li>
 *   <li>{@link PollEvents#ET} (edge-triggered): reported once per readiness signal; it comes back
 *       only when the engine signals again;</li>
 *   <li>{@link PollEvents#ONESHOT}: reported once, then disabled until {@link #modify};</li>
 *   <li>{@link PollEvents#ERR} and {@link PollEvents#HUP} are reported whether asked for or not;</li>
 *   <li>a socket that is closed ({@link PollEvents#NVAL}) leaves the poller, as a closed file
 *       leaves every epoll set.</li>
 * </ul>
 *
 * <p>Thread-safe: every method enters the stack through its runtime; the poller's state is
 * touched only as the stack's owner. One poller serves the sockets of one stack.
 */
public final class Poller implements Closeable {
    /**
     * One ready socket as {@link #poll} reports it ({@code struct epoll_event}).
     *
     * @param socket     the socket
     * @param events     the {@link PollEvents} bits that are ready
     * @param attachment what was registered with it
     */
    public record Ready(Pollable socket, int events, Object attachment) {
        @Override
        public String toString() {
            return socket + " " + PollEvents.toString(events);
        }
    }

    /** Events always reported, asked for or not (as epoll and poll do). */
    private static final int ALWAYS = PollEvents.ERR | PollEvents.HUP;

    private final NetStack stack;
    private final WaitQueue waiters;
    private final Map<Pollable, Registration> registrations = new IdentityHashMap<>();
    private final ArrayDeque<Registration> readyList = new ArrayDeque<>();
    private long examined;
    private boolean closed;

    /** A poller for sockets of {@code stack}; usually obtained from {@link SocketFactory#poller()}. */
    public Poller(NetStack stack) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.waiters = stack.runtime().newWaitQueue();
    }

    /** One socket's registration; also the watcher on its readiness. */
    private final class Registration implements Readiness.Watcher {
        final Pollable socket;
        int interest;
        Object attachment;
        /** On {@link #readyList} now. */
        boolean listed;
        /** Signalled since it was last reported (what edge-triggered registrations report on). */
        boolean edge;
        /** A ONESHOT registration that has fired. */
        boolean disabled;

        Registration(Pollable socket, int interest, Object attachment) {
            this.socket = socket;
            this.interest = interest;
            this.attachment = attachment;
        }

        @Override
        public void readinessChanged(Readiness source) {
            edge = true;
            if (!disabled) {
                list(this);
                waiters.wakeAll();
            }
        }
    }

    /** As Linux's ep_insert and ep_modify: a socket already ready goes on the ready list at once. */
    private void armIfReady(Registration r) {
        r.edge = true;
        if ((r.socket.readyEvents() & (r.interest | ALWAYS)) != 0) {
            list(r);
            waiters.wakeAll();
        }
    }

    private void list(Registration r) {
        if (!r.listed) {
            r.listed = true;
            readyList.addLast(r);
        }
    }

    /**
     * {@code epoll_ctl(EPOLL_CTL_ADD)}: watch {@code socket} for {@code events} (a set of
     * {@link PollEvents} bits, with {@link PollEvents#ET} / {@link PollEvents#ONESHOT}).
     *
     * @throws ErrnoException EEXIST when already registered, EINVAL for a socket of another
     *                        stack, EBADF when the socket or the poller is closed
     */
    public void register(Pollable socket, int events, Object attachment) throws ErrnoException {
        Objects.requireNonNull(socket, "socket");
        checkStack(socket);
        call(() -> {
            checkOpen();
            if (registrations.containsKey(socket)) {
                throw new ErrnoException(Errno.EEXIST, "epoll_ctl ADD");
            }
            if ((socket.readyEvents() & PollEvents.NVAL) != 0) {
                throw new ErrnoException(Errno.EBADF, "epoll_ctl ADD");
            }
            Registration r = new Registration(socket, events, attachment);
            registrations.put(socket, r);
            socket.readiness().addWatcher(r);
            armIfReady(r);
            return null;
        });
    }

    /**
     * {@code epoll_ctl(EPOLL_CTL_MOD)}: new interest and attachment; re-arms a ONESHOT
     * registration that has fired.
     *
     * @throws ErrnoException ENOENT when the socket is not registered
     */
    public void modify(Pollable socket, int events, Object attachment) throws ErrnoException {
        Objects.requireNonNull(socket, "socket");
        call(() -> {
            checkOpen();
            Registration r = registrations.get(socket);
            if (r == null) {
                throw new ErrnoException(Errno.ENOENT, "epoll_ctl MOD");
            }
            r.interest = events;
            r.attachment = attachment;
            r.disabled = false;
            armIfReady(r);
            return null;
        });
    }

    /**
     * {@code epoll_ctl(EPOLL_CTL_DEL)}.
     *
     * @throws ErrnoException ENOENT when the socket is not registered
     */
    public void unregister(Pollable socket) throws ErrnoException {
        Objects.requireNonNull(socket, "socket");
        call(() -> {
            checkOpen();
            Registration r = registrations.remove(socket);
            if (r == null) {
                throw new ErrnoException(Errno.ENOENT, "epoll_ctl DEL");
            }
            drop(r);
            return null;
        });
    }

    private void drop(Registration r) {
        r.socket.readiness().removeWatcher(r);
        if (r.listed) {
            readyList.remove(r);
            r.listed = false;
        }
    }

    /**
     * {@code epoll_wait}: adds up to {@code maxEvents} ready sockets to {@code out} and returns
     * how many it added. Waits until at least one is ready or {@code timeout} passes (then
     * returns 0); a null timeout waits for ever, a zero timeout does not wait.
     *
     * @throws ErrnoException EINVAL when {@code maxEvents < 1}, EBADF when closed, EINTR when the
     *                        waiting thread is interrupted
     */
    public int poll(List<Ready> out, int maxEvents, Duration timeout) throws ErrnoException {
        Objects.requireNonNull(out, "out");
        if (maxEvents < 1) {
            throw new ErrnoException(Errno.EINVAL, "epoll_wait maxevents");
        }
        if (timeout != null && timeout.isNegative()) {
            timeout = null;
        }
        Duration wait = timeout;
        return call(() -> {
            long deadline = wait == null ? TimerQueue.NEVER : stack.nowNs() + wait.toNanos();
            while (true) {
                checkOpen();
                int n = collect(out, maxEvents);
                if (n > 0) {
                    return n;
                }
                if (deadline != TimerQueue.NEVER && stack.nowNs() - deadline >= 0) {
                    return 0;
                }
                Blocking.await(waiters, deadline, "epoll_wait");
            }
        });
    }

    /** One pass over the sockets listed now; as the stack's owner. */
    private int collect(List<Ready> out, int maxEvents) {
        int reported = 0;
        int pending = readyList.size();
        ArrayDeque<Registration> keep = null;
        while (pending-- > 0 && reported < maxEvents) {
            Registration r = readyList.pollFirst();
            r.listed = false;
            if (r.disabled) {
                continue;
            }
            examined++;
            int now = r.socket.readyEvents();
            if ((now & PollEvents.NVAL) != 0) {
                // Closed: gone from every poller, as a closed file leaves epoll sets.
                registrations.remove(r.socket);
                r.socket.readiness().removeWatcher(r);
                continue;
            }
            boolean edgeTriggered = (r.interest & PollEvents.ET) != 0;
            int ev = now & (r.interest | ALWAYS) & ~(PollEvents.ET | PollEvents.ONESHOT);
            if (ev == 0 || edgeTriggered && !r.edge) {
                continue;
            }
            r.edge = false;
            out.add(new Ready(r.socket, ev, r.attachment));
            reported++;
            if ((r.interest & PollEvents.ONESHOT) != 0) {
                r.disabled = true;
            } else if (!edgeTriggered) {
                // Level-triggered: stays listed while ready, re-checked by the next poll.
                if (keep == null) {
                    keep = new ArrayDeque<>();
                }
                keep.add(r);
            }
        }
        if (keep != null) {
            for (Registration r : keep) {
                list(r);
            }
        }
        return reported;
    }

    /** How many registered sockets this poller holds. */
    public int size() {
        return stack.runtime().call(registrations::size);
    }

    /**
     * How many socket readiness evaluations {@link #poll} has made in total: the measure of its
     * cost, which grows with sockets that became ready, never with sockets registered (N10).
     */
    public long examinedCount() {
        return stack.runtime().call(() -> examined);
    }

    /** Whether {@code socket} is registered. */
    public boolean isRegistered(Pollable socket) {
        return stack.runtime().call(() -> registrations.containsKey(socket));
    }

    /** Removes every registration and wakes waiting polls, which then fail with EBADF. */
    @Override
    public void close() {
        stack.runtime().call(() -> {
            if (!closed) {
                closed = true;
                for (Registration r : registrations.values()) {
                    r.socket.readiness().removeWatcher(r);
                }
                registrations.clear();
                readyList.clear();
                waiters.wakeAll();
            }
            return null;
        });
    }

    private void checkStack(Pollable socket) throws ErrnoException {
        if (socket.stack() != stack) {
            throw new ErrnoException(Errno.EINVAL, "socket of another stack");
        }
    }

    private void checkOpen() throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "poller closed");
        }
    }

    private <T> T call(netstack4j.stack.StackRuntime.StackCall<T, ErrnoException> op) throws ErrnoException {
        return stack.runtime().call(op);
    }

    @Override
    public String toString() {
        return "Poller[" + registrations.size() + " registered, " + readyList.size() + " listed]";
    }
}
