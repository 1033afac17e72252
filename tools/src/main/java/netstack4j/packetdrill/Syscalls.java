package netstack4j.packetdrill;

import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.ip.PmtuMode;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.MessageFlags;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.PollEvents;
import netstack4j.socket.Pollable;
import netstack4j.socket.Poller;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.TcpSocket;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * The C system call interface over the socket API, for the packetdrill runner: int descriptors
 * (from 3, lowest free first, as Linux allocates them), C call names, return values and errno
 * as Linux gives them. A call's arguments are the script's expressions: {@code ...} stands for
 * packetdrill's defaults (the local address and port 8080 for bind, the remote for connect and
 * sendto, a buffer of the given length), and output arguments written as values
 * ({@code [425984]} in getsockopt, {@code revents=} in poll, the event in epoll_wait) are
 * checked against what the call produced.
 *
 * <p>TCP descriptors are {@link TcpSocket}s; their calls are in {@link TcpCalls}.
 *
 * <p>Thread-compatible: used by one simulated process at a time.
 */
public final class Syscalls {
    /** What a call returned: a value, or -1 and an errno. */
    public record Outcome(long result, Errno errno) {
        static Outcome ok(long v) {
            return new Outcome(v, null);
        }
    }

    private final NetStack stack;
    private final PacketPlayer player;
    /** Live descriptors (as the stack's process would see them) and what they are. */
    private final TreeMap<Integer, Object> descriptors = new TreeMap<>();
    /** Script descriptor → live descriptor; -1 once the script closed it (packetdrill's {@code is_closed}). */
    private final Map<Integer, Integer> scriptFds = new java.util.HashMap<>();
    private final Map<Object, Boolean> nonBlocking = new java.util.IdentityHashMap<>();
    private final Map<String, Long> tcpInfo = new java.util.HashMap<>();
    private TcpSocket lastTcp;

    Syscalls(NetStack stack, PacketPlayer player) {
        this.stack = stack;
        this.player = player;
    }

    /** Whether the runner knows the call {@code name}. */
    static boolean supports(String name) {
        return switch (name) {
            case "socket", "bind", "listen", "accept", "connect", "read", "write", "send", "recv", "sendto",
                 "recvfrom", "sendmsg", "recvmsg", "close", "shutdown", "setsockopt", "getsockopt", "fcntl",
                 "poll", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "ioctl", "getsockname",
                 "getpeername", "writev", "readv" -> true;
            default -> false;
        };
    }

    /**
     * Calls packetdrill has (run_system_call.c's {@code system_call_table}) that need something
     * the stack lacks (files, pipes): a script using one is skipped, naming it. Any other name is
     * unknown to packetdrill too and fails the script.
     */
    static boolean packetdrillOnly(String name) {
        return switch (name) {
            case "open", "openat", "sendfile", "pipe", "splice", "socketpair" -> true;
            default -> false;
        };
    }

    /**
     * Calls whose result is a new descriptor, checked as packetdrill's {@code end_syscall} does
     * with {@code CHECK_FD}: a script's {@code = 4} accepts any descriptor, which the script then
     * calls 4.
     */
    static boolean returnsFd(String name) {
        return switch (name) {
            case "socket", "accept", "epoll_create", "epoll_create1" -> true;
            default -> false;
        };
    }

    /**
     * Records that the script's descriptor {@code scriptFd} is the live {@code liveFd}, as
     * packetdrill's {@code run_syscall_socket} / {@code run_syscall_accept} do. An accepted
     * socket may take a script descriptor still open: run_syscall_accept checks no duplicate,
     * and find_by_script_fd then finds the newest socket first, so the name moves to it.
     *
     * @throws ScriptFailure for a script descriptor already open ({@code check_duplicate_fd}),
     *                       except for {@code accept}
     */
    void mapFd(int scriptFd, int liveFd, boolean accepted) {
        Integer old = scriptFds.get(scriptFd);
        if (old != null && old >= 0 && !accepted) {
            throw new ScriptFailure("duplicate fd " + scriptFd + " in script");
        }
        if (scriptFd < 0) {
            throw new ScriptFailure("invalid socket fd " + scriptFd + " in script");
        }
        scriptFds.put(scriptFd, liveFd);
    }

    /** Runs one call; an {@link ErrnoException} becomes {@code -1} with its errno. */
    public Outcome invoke(String name, List<Expr> args) {
        if (!supports(name)) {
            // run_system_call_event: a name that is not in the table stops the script.
            throw new ScriptFailure("Unknown system call: '" + name + "'");
        }
        checkArgCount(name, args.size());
        try {
            return Outcome.ok(dispatch(name, args));
        } catch (ErrnoException e) {
            return new Outcome(-1, e.errno());
        }
    }

    /**
     * check_arg_count (run_system_call.c): each call takes a fixed number of arguments (fcntl two
     * or three, ioctl and epoll_create as packetdrill accepts them).
     */
    private static void checkArgCount(String name, int count) {
        int min;
        int max;
        switch (name) {
            case "close", "epoll_create", "epoll_create1" -> { min = 1; max = 1; }
            case "listen", "shutdown" -> { min = 2; max = 2; }
            case "fcntl" -> { min = 2; max = 3; }
            case "send", "recv", "epoll_ctl", "epoll_wait" -> { min = 4; max = 4; }
            case "setsockopt", "getsockopt" -> { min = 5; max = 5; }
            case "sendto", "recvfrom" -> { min = 6; max = 6; }
            default -> { min = 3; max = 3; }
        }
        if (count < min || count > max) {
            throw new ScriptFailure("expected " + (min == max ? Integer.toString(min) : min + " or " + max)
                    + " args but got " + count);
        }
    }

    private long dispatch(String name, List<Expr> a) throws ErrnoException {
        if (name.equals("socket")) {
            return socket(a);
        }
        if (name.equals("epoll_create") || name.equals("epoll_create1")) {
            return allocate(stack.sockets().poller());
        }
        if (name.equals("poll")) {
            return poll(a);
        }
        Object d = descriptor(a, 0);
        return switch (name) {
            case "close" -> close(a);
            case "fcntl" -> fcntl(a);
            case "epoll_ctl" -> epollCtl(a);
            case "epoll_wait" -> epollWait(a);
            default -> switch (d) {
                case TcpSocket t -> tcp(name, t, a);
                case UdpSocket u -> udp(name, u, a);
                default -> throw new ErrnoException(Errno.ENOTSOCK, name);
            };
        };
    }

    private long udp(String name, UdpSocket u, List<Expr> a) throws ErrnoException {
        return switch (name) {
            case "bind" -> {
                u.bind(sockaddr(a, 1, new Ipv4SocketAddress(player.local, player.bindPort)));
                player.localPort = u.localAddress().port();
                yield 0;
            }
            case "connect" -> {
                Ipv4SocketAddress to = sockaddr(a, 1, remote());
                u.connect(to);
                player.remotePort = to.port();
                player.localPort = u.localAddress().port();
                yield 0;
            }
            case "listen", "accept", "shutdown" -> throw new ErrnoException(Errno.EOPNOTSUPP, name);
            case "write", "send", "sendto" -> {
                if (isNullBuffer(a, 1) && intArg(a, 2) > 0) {
                    throw new ErrnoException(Errno.EFAULT, name); // udp_sendmsg: the copy from a bad pointer fails
                }
                yield name.equals("sendto") ? u.sendTo(new byte[(int) intArg(a, 2)], sockaddr(a, 4, remote()))
                        : u.send(new byte[(int) intArg(a, 2)]);
            }
            case "sendmsg" -> sendmsg(u, a);
            case "writev" -> u.send(new byte[iovecLength(a.get(1))]);
            case "readv" -> recv(u, iovecLength(a.get(1)), 0);
            case "read", "recv", "recvfrom" -> recv(u, (int) intArg(a, 2), a.size() > 3 ? intArg(a, 3) : 0);
            case "recvmsg" -> recv(u, iovLength(struct(a.get(1))), a.size() > 2 ? intArg(a, 2) : 0);
            case "setsockopt" -> setsockopt(u, a);
            case "getsockopt" -> getsockopt(u, a);
            case "ioctl" -> ioctl(u, a);
            case "getsockname" -> {
                u.localAddress();
                yield 0;
            }
            case "getpeername" -> {
                if (u.remoteAddress() == null) {
                    throw new ErrnoException(Errno.ENOTCONN, name);
                }
                yield 0;
            }
            default -> throw new UnsupportedFeature("system call " + name);
        };
    }

    /** MSG_ERRQUEUE outside recvmsg: Linux's tcp_recvmsg reads the error queue for recv too; the runner does not. */
    private static void rejectErrQueue(String name, List<Expr> a, int i) {
        if (i < a.size() && (value(a.get(i)) & MessageFlags.MSG_ERRQUEUE) != 0) {
            throw new UnsupportedFeature(name + " with MSG_ERRQUEUE (the runner reads the error queue with recvmsg only)", true);
        }
    }

    private long tcp(String name, TcpSocket t, List<Expr> a) throws ErrnoException {
        if (name.equals("recv") || name.equals("recvfrom")) {
            rejectErrQueue(name, a, 3);
        }
        return switch (name) {
            case "bind" -> {
                t.bind(sockaddr(a, 1, new Ipv4SocketAddress(player.local, player.bindPort)));
                player.localPort = t.localAddress().port();
                yield 0;
            }
            case "listen" -> {
                t.listen((int) intArg(a, 1));
                player.listening = true;
                yield 0;
            }
            case "accept" -> {
                TcpSocket child = t.accept();
                lastTcp = child;
                yield allocate(child);
            }
            case "connect" -> {
                lastTcp = t;
                Ipv4SocketAddress to = sockaddr(a, 1, remote());
                player.remotePort = to.port();
                t.connect(to);
                yield 0;
            }
            case "write", "send", "sendto" -> {
                int n = (int) intArg(a, 2);
                boolean fastOpen = !name.equals("write") && (intArg(a, 3) & MessageFlags.MSG_FASTOPEN) != 0;
                if (isNullBuffer(a, 1) && n > 0) {
                    if (fastOpen || stack.runtime().call(() -> netstack4j.tcp.FastOpen.deferred(t.connection()))) {
                        // tcp_send_syn_data: copying the SYN's data from a bad address fails
                        throw new ErrnoException(Errno.EFAULT, name);
                    }
                    yield TcpCalls.faultingWrite(t, n);
                }
                if (fastOpen && a.size() > 4 && a.get(4) instanceof Expr.SymbolExpr sym && sym.name().equals("AF_UNSPEC")) {
                    throw new ErrnoException(Errno.EOPNOTSUPP, name); // tcp_sendmsg_fastopen: AF_UNSPEC
                }
                if (name.equals("write")) {
                    yield t.write(new byte[n], 0, n);
                }
                int flags = (int) intArg(a, 3);
                if (name.equals("sendto") && (flags & MessageFlags.MSG_FASTOPEN) != 0) {
                    yield fastOpenSend(t, n, flags, sockaddr(a, 4, remote()));
                }
                yield t.send(new byte[n], 0, n, flags);
            }
            case "sendmsg" -> {
                Expr.StructExpr msg = struct(a.get(1));
                rejectControl(msg);
                int[] iov = iovecLengths(field(msg, "msg_iov"));
                int n = java.util.Arrays.stream(iov).sum();
                int flags = a.size() > 2 ? (int) intArg(a, 2) : 0;
                if ((flags & MessageFlags.MSG_FASTOPEN) != 0) {
                    Expr msgName = field(msg, "msg_name");
                    yield fastOpenSend(t, n, flags, msgName == null ? remote() : sockaddr(msgName, remote()));
                }
                yield t.sendGathered(new byte[n], 0, iov, flags, null);
            }
            case "read", "recv", "recvfrom" -> {
                int n = (int) intArg(a, 2);
                if (isNullBuffer(a, 1) && n > 0 && t.availableBytes() > 0) {
                    // tcp_recvmsg: the copy to a bad pointer fails and nothing is consumed.
                    throw new ErrnoException(Errno.EFAULT, name);
                }
                yield name.equals("read") ? t.read(new byte[n], 0, n) : t.recv(new byte[n], 0, n, (int) intArg(a, 3));
            }
            case "writev" -> {
                int n = iovecLength(a.get(1));
                yield t.write(new byte[n], 0, n);
            }
            case "readv" -> {
                int n = iovecLength(a.get(1));
                yield t.read(new byte[n], 0, n);
            }
            case "recvmsg" -> {
                int flags = a.size() > 2 ? (int) intArg(a, 2) : 0;
                Expr.StructExpr msg = struct(a.get(1));
                if ((flags & MessageFlags.MSG_ERRQUEUE) != 0) {
                    yield ControlMessages.recvErrorQueue(t, msg, iovecLength(field(msg, "msg_iov")), player.toleranceUsecs());
                }
                yield ControlMessages.recv(t, msg, iovecLength(field(msg, "msg_iov")), flags);
            }
            case "shutdown" -> {
                t.shutdown(TcpCalls.shutdownHow(intArg(a, 1)));
                yield 0;
            }
            case "setsockopt" -> {
                TcpCalls.setsockopt(t, intArg(a, 1), intArg(a, 2), a.get(3), a.size() > 4 && !(a.get(4) instanceof Expr.EllipsisExpr) ? intArg(a, 4) : -1);
                yield 0;
            }
            case "getsockopt" -> {
                TcpCalls.getsockopt(t, intArg(a, 1), intArg(a, 2), a.get(3), tcpInfo);
                yield 0;
            }
            case "ioctl" -> {
                long req = intArg(a, 1);
                if (req == 0x5421) {
                    t.setNonBlocking(value(a.get(2)) != 0);
                } else {
                    TcpCalls.ioctl(t, req, a.size() > 2 ? a.get(2) : Expr.ELLIPSIS);
                }
                yield 0;
            }
            case "getsockname" -> {
                t.localAddress();
                yield 0;
            }
            case "getpeername" -> {
                if (t.remoteAddress() == null) {
                    throw new ErrnoException(Errno.ENOTCONN, name);
                }
                yield 0;
            }
            default -> throw new UnsupportedFeature("system call " + name);
        };
    }

    /** sendto/sendmsg with MSG_FASTOPEN: connects (RFC 7413), so the script's connection is this socket's. */
    private long fastOpenSend(TcpSocket t, int n, int flags, Ipv4SocketAddress to) throws ErrnoException {
        lastTcp = t;
        player.remotePort = to.port();
        return t.sendTo(new byte[n], 0, n, flags, to);
    }

    /**
     * packetdrill's {@code socket_under_test}: the TCP socket the script created or accepted
     * last, whose tcp_info {@code %{ }%} blocks read.
     */
    TcpSocket socketUnderTest() {
        return lastTcp;
    }

    private Ipv4SocketAddress remote() {
        return new Ipv4SocketAddress(player.remote, player.connectPort);
    }

    // ------------------------------------------------------------------ descriptors

    private long allocate(Object o) {
        int fd = 3;
        while (descriptors.containsKey(fd)) {
            fd++;
        }
        descriptors.put(fd, o);
        return fd;
    }

    /**
     * The object behind the script descriptor in argument {@code i}, as packetdrill's
     * {@code to_live_fd}: a descriptor the script never opened fails the script; one it closed
     * is EBADF, as the kernel answers for the live descriptor.
     */
    private Object descriptor(List<Expr> a, int i) throws ErrnoException {
        return descriptor(intArg(a, i));
    }

    private Object descriptor(long scriptFd) throws ErrnoException {
        Integer live = scriptFds.get((int) scriptFd);
        if (live == null) {
            throw new ScriptFailure("unable to find fd with script fd " + scriptFd);
        }
        Object o = descriptors.get(live);
        if (o == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return o;
    }

    private long socket(List<Expr> a) throws ErrnoException {
        long type = intArg(a, 1) & 0xf;
        if (type == 1) {
            TcpSocket t = stack.sockets().tcp();
            if ((intArg(a, 1) & CConstants.O_NONBLOCK) != 0) {
                t.setNonBlocking(true);
            }
            lastTcp = t;
            player.newTcpSocket();
            return allocate(t);
        }
        if (type != 2) {
            throw new ErrnoException(Errno.EPROTOTYPE, "socket type " + type);
        }
        UdpSocket s = stack.sockets().udp();
        if ((intArg(a, 1) & CConstants.O_NONBLOCK) != 0) {
            s.setNonBlocking(true);
        }
        return allocate(s);
    }

    private static void closeObject(Object o) {
        switch (o) {
            case UdpSocket u -> u.close();
            case TcpSocket t -> t.close();
            case Poller p -> p.close();
            default -> throw new IllegalStateException("descriptor of " + o);
        }
    }

    private long close(List<Expr> a) throws ErrnoException {
        int scriptFd = (int) intArg(a, 0);
        Object o = descriptor(scriptFd);
        descriptors.remove(scriptFds.get(scriptFd));
        scriptFds.put(scriptFd, -1);
        closeObject(o);
        return 0;
    }

    /** Closes every descriptor still open (end of script). */
    void closeAll() {
        for (Object o : descriptors.values()) {
            closeObject(o);
        }
        descriptors.clear();
    }

    // ------------------------------------------------------------------ data

    private long recv(UdpSocket s, int len, long flags) throws ErrnoException {
        boolean wasNonBlocking = s.isNonBlocking();
        if ((flags & 0x40) != 0) {
            s.setNonBlocking(true);
        }
        try {
            ReceivedDatagram d = s.receive(new byte[Math.max(len, 0)]);
            // MSG_TRUNC: the real length of the datagram, as Linux returns for UDP.
            return (flags & 0x20) != 0 ? d.datagramLength() : d.length();
        } finally {
            s.setNonBlocking(wasNonBlocking);
        }
    }

    private long sendmsg(UdpSocket s, List<Expr> a) throws ErrnoException {
        Expr.StructExpr msg = struct(a.get(1));
        int total = iovLength(msg);
        Expr name = field(msg, "msg_name");
        if (name != null && !(name instanceof Expr.EllipsisExpr)) {
            return s.sendTo(new byte[total], sockaddr(name, remote()));
        }
        return s.remoteAddress() == null ? s.sendTo(new byte[total], remote()) : s.send(new byte[total]);
    }

    private int iovLength(Expr.StructExpr msg) {
        rejectControl(msg);
        return iovecLength(field(msg, "msg_iov"));
    }

    /** The total length of an iovec array: {@code [{iov_base=..., iov_len=10}, {..., 20}]}. */
    private static int iovecLength(Expr iov) {
        int total = 0;
        for (int l : iovecLengths(iov)) {
            total += l;
        }
        return total;
    }

    /** The element lengths of an iovec array. */
    private static int[] iovecLengths(Expr iov) {
        if (!(iov instanceof Expr.ArrayExpr arr)) {
            throw new UnsupportedFeature("msg_iov written as " + iov, true);
        }
        int[] lengths = new int[arr.elements().size()];
        for (int i = 0; i < lengths.length; i++) {
            Expr e = arr.elements().get(i);
            Expr.StructExpr v = struct(e);
            Expr len = field(v, "iov_len");
            if (len == null && v.fields().size() == 2 && v.fields().get(1).name() == null) {
                len = v.fields().get(1).value();
            }
            if (len == null) {
                throw new UnsupportedFeature("an iovec without iov_len: " + e, true);
            }
            long l = value(len);
            if (l < 0 || l > Integer.MAX_VALUE) {
                throw new ScriptFailure("iov_len " + l + " out of range");
            }
            lengths[i] = (int) l;
        }
        return lengths;
    }

    // ------------------------------------------------------------------ options and control

    private long setsockopt(UdpSocket s, List<Expr> a) throws ErrnoException {
        long level = intArg(a, 1);
        long opt = intArg(a, 2);
        long v = a.get(3) instanceof Expr.ArrayExpr arr ? value(arr.elements().getFirst()) : value(a.get(3));
        if (level == CConstants.SOL_SOCKET) {
            switch ((int) opt) {
                case 2 -> s.setOption(StandardSocketOptions.SO_REUSEADDR, v != 0);
                case 6 -> s.setOption(StandardSocketOptions.SO_BROADCAST, v != 0);
                case 7 -> s.setOption(StandardSocketOptions.SO_SNDBUF, (int) v);
                case 8 -> s.setOption(StandardSocketOptions.SO_RCVBUF, (int) v);
                default -> throw Syscalls.lacksOption("setsockopt", level, opt, "UDP");
            }
        } else if (level == CConstants.SOL_IP) {
            switch ((int) opt) {
                case 1 -> s.setOption(StandardSocketOptions.IP_TOS, (int) v);
                case 2 -> s.setOption(NetSocketOptions.IP_TTL, (int) v);
                case 10 -> s.setOption(NetSocketOptions.IP_MTU_DISCOVER, pmtu(v));
                default -> throw Syscalls.lacksOption("setsockopt", level, opt, "UDP");
            }
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT, "setsockopt level " + level);
        }
        return 0;
    }

    static PmtuMode pmtu(long v) throws ErrnoException {
        return switch ((int) v) {
            case 0 -> PmtuMode.DONT;
            case 1 -> PmtuMode.WANT;
            case 2 -> PmtuMode.DO;
            default -> throw new ErrnoException(Errno.EINVAL, "IP_MTU_DISCOVER " + v);
        };
    }

    private long getsockopt(UdpSocket s, List<Expr> a) throws ErrnoException {
        long level = intArg(a, 1);
        long opt = intArg(a, 2);
        long actual;
        if (level == CConstants.SOL_SOCKET) {
            actual = switch ((int) opt) {
                case 2 -> s.getOption(StandardSocketOptions.SO_REUSEADDR) ? 1 : 0;
                case 3 -> 2; // SOCK_DGRAM
                case 4 -> {
                    Errno e = s.takeError();
                    yield e == null ? 0 : e.code();
                }
                case 6 -> s.getOption(StandardSocketOptions.SO_BROADCAST) ? 1 : 0;
                case 7 -> s.getOption(StandardSocketOptions.SO_SNDBUF);
                case 8 -> s.getOption(StandardSocketOptions.SO_RCVBUF);
                default -> throw Syscalls.lacksOption("getsockopt", level, opt, "UDP");
            };
        } else if (level == CConstants.SOL_IP) {
            actual = switch ((int) opt) {
                case 1 -> s.getOption(StandardSocketOptions.IP_TOS);
                case 2 -> s.getOption(NetSocketOptions.IP_TTL);
                default -> throw Syscalls.lacksOption("getsockopt", level, opt, "UDP");
            };
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT, "getsockopt level " + level);
        }
        Expr want = a.get(3);
        if (want instanceof Expr.ArrayExpr arr && arr.elements().size() == 1
                && !(arr.elements().getFirst() instanceof Expr.EllipsisExpr)) {
            long w = value(arr.elements().getFirst());
            if (w != actual) {
                throw new ScriptFailure("Bad getsockopt optval: expected: " + w + " actual: " + actual);
            }
        }
        return 0;
    }

    private long fcntl(List<Expr> a) throws ErrnoException {
        Object o = descriptor(a, 0);
        long cmd = intArg(a, 1);
        if (cmd == CConstants.F_GETFL) {
            return CConstants.O_RDWR | (isNonBlocking(o) ? CConstants.O_NONBLOCK : 0);
        }
        if (cmd == CConstants.F_SETFL) {
            boolean on = (intArg(a, 2) & CConstants.O_NONBLOCK) != 0;
            if (o instanceof UdpSocket u) {
                u.setNonBlocking(on);
            } else if (o instanceof TcpSocket t) {
                t.setNonBlocking(on);
            }
            nonBlocking.put(o, on);
            return 0;
        }
        throw new UnsupportedFeature("fcntl command " + cmd, true);
    }

    private boolean isNonBlocking(Object o) {
        return switch (o) {
            case UdpSocket u -> u.isNonBlocking();
            case TcpSocket t -> t.isNonBlocking();
            default -> nonBlocking.getOrDefault(o, false);
        };
    }

    private long ioctl(UdpSocket o, List<Expr> a) throws ErrnoException {
        long req = intArg(a, 1);
        if (req == 0x5421) { // FIONBIO
            boolean on = a.get(2) instanceof Expr.ArrayExpr arr ? value(arr.elements().getFirst()) != 0 : value(a.get(2)) != 0;
            o.setNonBlocking(on);
            return 0;
        }
        if (req == CConstants.SIOCINQ || req == CConstants.SIOCOUTQ || req == CConstants.SIOCOUTQNSD) {
            throw new UnsupportedFeature("ioctl queue sizes on a UDP socket", true);
        }
        throw new ErrnoException(Errno.ENOTTY, "ioctl " + req);
    }

    // ------------------------------------------------------------------ readiness

    private Pollable pollable(Object o) {
        if (o instanceof Pollable p) {
            return p;
        }
        throw new UnsupportedFeature("polling a descriptor that is not a socket", true);
    }

    private long poll(List<Expr> a) throws ErrnoException {
        if (!(a.getFirst() instanceof Expr.ArrayExpr fds)) {
            throw new UnsupportedFeature("poll() without a pollfd array", true);
        }
        long timeoutMs = intArg(a, 2);
        List<Pollable> sockets = new ArrayList<>();
        List<Integer> interest = new ArrayList<>();
        for (Expr e : fds.elements()) {
            Expr.StructExpr pfd = struct(e);
            Object d;
            try {
                d = descriptor(value(field(pfd, "fd")));
            } catch (ErrnoException closed) {
                d = null;
            }
            sockets.add(d == null ? null : pollable(d));
            interest.add((int) value(field(pfd, "events")));
        }
        int[] revents = pollOnce(sockets, interest);
        if (count(revents) == 0 && timeoutMs != 0) {
            try (Poller p = stack.sockets().poller()) {
                for (int i = 0; i < sockets.size(); i++) {
                    if (sockets.get(i) != null && !p.isRegistered(sockets.get(i))) {
                        p.register(sockets.get(i), interest.get(i), i);
                    }
                }
                p.poll(new ArrayList<>(), 64, timeoutMs < 0 ? null : Duration.ofMillis(timeoutMs));
            }
            revents = pollOnce(sockets, interest);
        }
        for (int i = 0; i < fds.elements().size(); i++) {
            Expr want = field(struct(fds.elements().get(i)), "revents");
            if (want != null && !(want instanceof Expr.EllipsisExpr) && value(want) != revents[i]) {
                throw new ScriptFailure("poll: expected revents " + PollEvents.toString((int) value(want))
                        + " for fd " + value(field(struct(fds.elements().get(i)), "fd")) + " but got "
                        + PollEvents.toString(revents[i]));
            }
        }
        return count(revents);
    }

    private int[] pollOnce(List<Pollable> sockets, List<Integer> interest) {
        int[] r = new int[sockets.size()];
        stack.runtime().call(() -> {
            for (int i = 0; i < r.length; i++) {
                Pollable p = sockets.get(i);
                r[i] = p == null ? PollEvents.NVAL
                        : p.readyEvents() & (interest.get(i) | PollEvents.ERR | PollEvents.HUP | PollEvents.NVAL);
            }
            return null;
        });
        return r;
    }

    private static int count(int[] revents) {
        int n = 0;
        for (int r : revents) {
            n += r != 0 ? 1 : 0;
        }
        return n;
    }

    private Poller epoll(List<Expr> a) throws ErrnoException {
        if (descriptor(a, 0) instanceof Poller p) {
            return p;
        }
        throw new ErrnoException(Errno.EINVAL, "not an epoll descriptor");
    }

    private long epollCtl(List<Expr> a) throws ErrnoException {
        Poller p = epoll(a);
        long op = intArg(a, 1);
        Pollable s = pollable(descriptor(a, 2));
        if (op == 2) {
            p.unregister(s);
            return 0;
        }
        Expr.StructExpr ev = struct(a.get(3));
        int events = (int) value(field(ev, "events"));
        Long data = epollData(ev);
        if (op == 1) {
            p.register(s, events, data);
        } else if (op == 3) {
            p.modify(s, events, data);
        } else {
            throw new ErrnoException(Errno.EINVAL, "epoll_ctl op " + op);
        }
        return 0;
    }

    private Long epollData(Expr.StructExpr ev) {
        for (String n : List.of("fd", "u32", "u64", "ptr")) {
            Expr e = field(ev, n);
            if (e != null && !(e instanceof Expr.EllipsisExpr)) {
                return value(e);
            }
        }
        return null;
    }

    private long epollWait(List<Expr> a) throws ErrnoException {
        Poller p = epoll(a);
        int max = (int) intArg(a, 2);
        long timeoutMs = intArg(a, 3);
        List<Poller.Ready> out = new ArrayList<>();
        int n = p.poll(out, max, timeoutMs < 0 ? null : Duration.ofMillis(timeoutMs));
        if (n > 0 && a.get(1) instanceof Expr.StructExpr want) {
            Expr events = field(want, "events");
            if (events != null && !(events instanceof Expr.EllipsisExpr) && value(events) != out.getFirst().events()) {
                throw new ScriptFailure("epoll_wait: expected events " + PollEvents.toString((int) value(events))
                        + " but got " + PollEvents.toString(out.getFirst().events()));
            }
            Long data = epollData(want);
            if (data != null && !data.equals(out.getFirst().attachment())) {
                throw new ScriptFailure("epoll_wait: expected data " + data + " but got " + out.getFirst().attachment());
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ expressions

    /**
     * Whether buffer argument {@code i} is NULL: packetdrill's {@code buffer_arg} takes {@code ...}
     * (a buffer) or {@code NULL}/{@code 0}; anything else fails the script.
     */
    static boolean isNullBuffer(List<Expr> a, int i) {
        if (i >= a.size()) {
            throw new ScriptFailure("Argument list too short");
        }
        Expr e = a.get(i);
        if (e instanceof Expr.EllipsisExpr) {
            return false;
        }
        if ((e instanceof Expr.IntExpr n && n.value() == 0) || (e instanceof Expr.SymbolExpr s && s.name().equals("NULL"))) {
            return true;
        }
        throw new ScriptFailure("Expected ... or NULL for buffer");
    }

    /** Ancillary data ({@code msg_control}): the runner passes none, so a script that uses it is skipped, naming it. */
    private static void rejectControl(Expr.StructExpr msg) {
        Expr control = field(msg, "msg_control");
        if (control instanceof Expr.ArrayExpr arr && !arr.elements().isEmpty()) {
            List<String> types = new ArrayList<>();
            for (Expr e : arr.elements()) {
                Expr type = e instanceof Expr.StructExpr cm ? field(cm, "cmsg_type") : null;
                types.add(type instanceof Expr.SymbolExpr sym ? sym.name() : String.valueOf(type));
            }
            throw new UnsupportedFeature("cmsg " + String.join(", ", types) + " (the runner has no ancillary data)", true);
        }
    }

    /** A socket option the stack lacks: the script is skipped, naming it. */
    static UnsupportedFeature lacksOption(String call, long level, long option, String protocol) {
        return new UnsupportedFeature(call + " " + CConstants.optionName(level, option) + " on " + protocol
                + ": the stack lacks this socket option", true);
    }

    private static long intArg(List<Expr> a, int i) {
        if (i >= a.size()) {
            throw new ScriptFailure("Argument list too short");
        }
        return value(a.get(i));
    }

    /** The integer value of an expression: numbers, constants, bit-or, {@code htons}. */
    static long value(Expr e) {
        if (e == null) {
            throw new UnsupportedFeature("a call whose struct lacks a member the runner needs", true);
        }
        return switch (e) {
            case Expr.IntExpr i -> i.value();
            case Expr.SymbolExpr s -> {
                Long v = CConstants.value(s.name());
                if (v == null) {
                    // packetdrill's parser leaves an unknown symbol a word; get_s32 then refuses it.
                    throw new ScriptFailure("Bad type; actual: word expected: integer (unknown symbol " + s.name() + ")");
                }
                yield v;
            }
            case Expr.BinaryOrExpr or -> {
                long v = 0;
                for (Expr o : or.operands()) {
                    v |= value(o);
                }
                yield v;
            }
            // The byte order is the runner's business; the width is C's: htons keeps 16 bits, htonl 32.
            case Expr.CallExpr c when (c.function().equals("htons") || c.function().equals("ntohs"))
                    && c.args().size() == 1 -> value(c.args().getFirst()) & 0xffff;
            case Expr.CallExpr c when c.function().equals("htonl") && c.args().size() == 1
                    -> value(c.args().getFirst()) & 0xffffffffL;
            case Expr.CallExpr c when c.function().equals("inet_addr") && c.args().size() == 1
                    && c.args().getFirst() instanceof Expr.StringExpr s -> inetAddr(s.value());
            case Expr.ArrayExpr arr when arr.elements().size() == 1 -> value(arr.elements().getFirst());
            default -> throw new ScriptFailure("Bad type; actual: " + typeName(e) + " expected: integer");
        };
    }

    /** inet_addr(3): the address, or INADDR_NONE (255.255.255.255) for text that is not one. */
    private static long inetAddr(String text) {
        try {
            return Ipv4Address.parse(text).value() & 0xffffffffL;
        } catch (IllegalArgumentException e) {
            return 0xffffffffL;
        }
    }

    /** The name packetdrill's expression_type_to_string gives an expression's type. */
    static String typeName(Expr e) {
        return switch (e) {
            case Expr.StructExpr s -> "struct";
            case Expr.ArrayExpr a -> "array";
            case Expr.StringExpr s -> "string";
            case Expr.EllipsisExpr x -> "ellipsis";
            case Expr.SymbolExpr x -> "word";
            case Expr.CallExpr c -> "function call";
            default -> e.getClass().getSimpleName().replace("Expr", "").toLowerCase(java.util.Locale.ROOT);
        };
    }

    static Expr.StructExpr struct(Expr e) {
        if (e instanceof Expr.StructExpr s) {
            return s;
        }
        throw new ScriptFailure("Bad type; actual: " + typeName(e) + " expected: struct");
    }

    /** A struct member by name (ignoring a {@code (n)} suffix), or null. */
    static Expr field(Expr.StructExpr s, String name) {
        for (Expr.Field f : s.fields()) {
            if (f.name() != null && (f.name().equals(name) || f.name().startsWith(name + "("))) {
                return f.value();
            }
        }
        return null;
    }

    private static Ipv4SocketAddress sockaddr(List<Expr> a, int i, Ipv4SocketAddress dflt) {
        return i < a.size() ? sockaddr(a.get(i), dflt) : dflt;
    }

    private static Ipv4SocketAddress sockaddr(Expr e, Ipv4SocketAddress dflt) {
        if (e instanceof Expr.EllipsisExpr) {
            return dflt;
        }
        Expr.StructExpr s = struct(e);
        Expr port = field(s, "sin_port");
        Expr addr = field(s, "sin_addr");
        return new Ipv4SocketAddress(
                addr == null || addr instanceof Expr.EllipsisExpr ? dflt.address() : new Ipv4Address((int) value(addr)),
                port == null || port instanceof Expr.EllipsisExpr ? dflt.port() : (int) value(port));
    }
}
