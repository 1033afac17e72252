package netstack4j.packetdrill;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.Map;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.Shutdown;
import netstack4j.socket.SocketInfo;
import netstack4j.socket.TcpSocket;

/**
 * The TCP half of {@link Syscalls}: C calls on a {@link TcpSocket} descriptor. Options map from
 * their Linux level and number to the typed socket options; {@code TCP_INFO} compares the
 * {@code tcpi_} fields a script lists and remembers the snapshot for {@code %{ }%} blocks.
 *
 * <p>Stateless apart from the snapshot map it is given; used by one simulated process at a time.
 */
final class TcpCalls {
    /** The tcp_info fields copied into {@code %{ }%} blocks' names. */
    static final List<String> TCPI_FIELDS = List.of("tcpi_state", "tcpi_ca_state", "tcpi_retransmits", "tcpi_probes",
            "tcpi_backoff", "tcpi_options", "tcpi_snd_mss", "tcpi_rcv_mss", "tcpi_unacked", "tcpi_sacked",
            "tcpi_lost", "tcpi_rtt", "tcpi_rttvar", "tcpi_rto", "tcpi_ato", "tcpi_snd_ssthresh", "tcpi_snd_cwnd",
            "tcpi_rcv_space", "tcpi_total_retrans", "tcpi_bytes_acked", "tcpi_bytes_received", "tcpi_segs_out",
            "tcpi_segs_in", "tcpi_data_segs_in", "tcpi_data_segs_out", "tcpi_delivered", "tcpi_snd_wnd");

    private TcpCalls() {
    }

    static Shutdown shutdownHow(long how) throws ErrnoException {
        return switch ((int) how) {
            case 0 -> Shutdown.READ;
            case 1 -> Shutdown.WRITE;
            case 2 -> Shutdown.BOTH;
            default -> throw new ErrnoException(Errno.EINVAL, "shutdown how " + how);
        };
    }

    /** The typed option for a Linux (level, name) pair, or null when the stack has none. */
    static SocketOption<?> option(long level, long name) {
        if (level == CConstants.SOL_SOCKET) {
            return switch ((int) name) {
                case 2 -> StandardSocketOptions.SO_REUSEADDR;
                case 3 -> NetSocketOptions.SO_TYPE;
                case 4 -> NetSocketOptions.SO_ERROR;
                case 7 -> StandardSocketOptions.SO_SNDBUF;
                case 8 -> StandardSocketOptions.SO_RCVBUF;
                case 9 -> StandardSocketOptions.SO_KEEPALIVE;
                case 13 -> StandardSocketOptions.SO_LINGER;
                case 30 -> NetSocketOptions.SO_ACCEPTCONN;
                case 36 -> NetSocketOptions.SO_MARK;
                case 37 -> NetSocketOptions.SO_TIMESTAMPING;
                case 60 -> NetSocketOptions.SO_ZEROCOPY;
                default -> null;
            };
        }
        if (level == CConstants.SOL_IP) {
            return switch ((int) name) {
                case 1 -> StandardSocketOptions.IP_TOS;
                case 10 -> NetSocketOptions.IP_MTU_DISCOVER;
                default -> null;
            };
        }
        if (level == CConstants.SOL_TCP) {
            return switch ((int) name) {
                case 1 -> StandardSocketOptions.TCP_NODELAY;
                case 2 -> NetSocketOptions.TCP_MAXSEG;
                case 3 -> NetSocketOptions.TCP_CORK;
                case 4 -> NetSocketOptions.TCP_KEEPIDLE;
                case 5 -> NetSocketOptions.TCP_KEEPINTVL;
                case 6 -> NetSocketOptions.TCP_KEEPCNT;
                case 7 -> NetSocketOptions.TCP_SYNCNT;
                case 11 -> NetSocketOptions.TCP_INFO;
                case 12 -> NetSocketOptions.TCP_QUICKACK;
                case 13 -> NetSocketOptions.TCP_CONGESTION;
                case 18 -> NetSocketOptions.TCP_USER_TIMEOUT;
                case 25 -> NetSocketOptions.TCP_NOTSENT_LOWAT;
                case 23 -> NetSocketOptions.TCP_FASTOPEN;
                case 30 -> NetSocketOptions.TCP_FASTOPEN_CONNECT;
                case 33 -> NetSocketOptions.TCP_FASTOPEN_KEY;
                case 34 -> NetSocketOptions.TCP_FASTOPEN_NO_COOKIE;
                case 36 -> NetSocketOptions.TCP_INQ;
                default -> null;
            };
        }
        return null;
    }

    static void setsockopt(TcpSocket s, long level, long name, Expr value) throws ErrnoException {
        setsockopt(s, level, name, value, -1);
    }

    /** setsockopt with the script's option length ({@code optlen}, -1 when not written). */
    @SuppressWarnings("unchecked")
    static void setsockopt(TcpSocket s, long level, long name, Expr value, long optlen) throws ErrnoException {
        SocketOption<?> o = option(level, name);
        if (o == null) {
            throw Syscalls.lacksOption("setsockopt", level, name, "TCP");
        }
        if (o == NetSocketOptions.TCP_FASTOPEN_KEY) {
            byte[] key = value instanceof Expr.StringExpr str ? cBytes(str.value()) : new byte[0];
            if (optlen >= 0 && optlen != key.length) {
                key = java.util.Arrays.copyOf(key, (int) Math.min(optlen, 64)); // the bytes the length covers
            }
            s.setOption(NetSocketOptions.TCP_FASTOPEN_KEY, key);
            return;
        }
        if (o == StandardSocketOptions.SO_LINGER) {
            Expr.StructExpr l = Syscalls.struct(value);
            long on = Syscalls.value(Syscalls.field(l, "onoff"));
            long secs = Syscalls.value(Syscalls.field(l, "linger"));
            s.setOption(StandardSocketOptions.SO_LINGER, on == 0 ? -1 : (int) secs);
            return;
        }
        if (o == NetSocketOptions.TCP_CONGESTION) {
            if (!(value instanceof Expr.StringExpr str)) {
                throw new ScriptFailure("setsockopt TCP_CONGESTION takes a string such as \"reno\"");
            }
            s.setOption(NetSocketOptions.TCP_CONGESTION, str.value());
            return;
        }
        long v = Syscalls.value(value);
        if (o == NetSocketOptions.IP_MTU_DISCOVER) {
            s.setOption(NetSocketOptions.IP_MTU_DISCOVER, Syscalls.pmtu(v));
            return;
        }
        if (o == NetSocketOptions.SO_ZEROCOPY && (v < 0 || v > 1)) {
            throw new ErrnoException(Errno.EINVAL, "setsockopt SO_ZEROCOPY " + v); // sk_setsockopt: 0 or 1
        }
        if (o.type() == Boolean.class) {
            s.setOption((SocketOption<Boolean>) o, v != 0);
        } else if (o.type() == Integer.class) {
            s.setOption((SocketOption<Integer>) o, (int) v);
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT, "setsockopt " + o.name());
        }
    }

    /** The bytes of a C string literal's text: {@code \xHH}, octal and the usual escapes decoded. */
    static byte[] cBytes(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.write(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (i + 1 < text.length() && digits < 2 && Character.digit(text.charAt(i + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(text.charAt(++i), 16);
                        digits++;
                    }
                    out.write(v);
                }
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = e - '0';
                    for (int d = 0; d < 2 && i + 1 < text.length() && text.charAt(i + 1) >= '0' && text.charAt(i + 1) <= '7'; d++) {
                        v = v * 8 + (text.charAt(++i) - '0');
                    }
                    out.write(v);
                }
                default -> out.write(e);
            }
        }
        return out.toByteArray();
    }

    /** getsockopt: compares what the script lists; TCP_INFO snapshots go to {@code tcpInfo}. */
    static void getsockopt(TcpSocket s, long level, long name, Expr expected, Map<String, Long> tcpInfo)
            throws ErrnoException {
        SocketOption<?> o = option(level, name);
        if (o == null) {
            throw Syscalls.lacksOption("getsockopt", level, name, "TCP");
        }
        if (o == NetSocketOptions.TCP_INFO) {
            SocketInfo info = s.getOption(NetSocketOptions.TCP_INFO);
            remember(info, tcpInfo);
            if (expected instanceof Expr.StructExpr want) {
                for (Expr.Field f : want.fields()) {
                    if (f.name() == null || f.value() instanceof Expr.EllipsisExpr) {
                        continue;
                    }
                    long actual;
                    try {
                        actual = info.tcpInfoField(f.name());
                    } catch (IllegalArgumentException e) {
                        if (CodeBlocks.TCP_INFO_FIELDS.contains(f.name())) {
                            throw new UnsupportedFeature("TCP_INFO field " + f.name() + " (the stack does not report it)", true);
                        }
                        throw new ScriptFailure("unknown tcp_info field " + f.name());
                    }
                    long w = Syscalls.value(f.value());
                    if (w != actual) {
                        throw new ScriptFailure("Bad getsockopt TCP_INFO " + f.name() + ": expected: " + w + " actual: " + actual);
                    }
                }
            }
            return;
        }
        Object v = s.getOption(o);
        long actual;
        if (o == StandardSocketOptions.SO_LINGER) {
            int secs = (Integer) v;
            if (expected instanceof Expr.StructExpr want) {
                compare("SO_LINGER onoff", Syscalls.field(want, "onoff"), secs >= 0 ? 1 : 0);
                compare("SO_LINGER linger", Syscalls.field(want, "linger"), Math.max(secs, 0));
            }
            return;
        }
        if (v instanceof String algorithm) {
            if (expected instanceof Expr.StringExpr want && !want.ellipsis() && !want.value().equals(algorithm)) {
                throw new ScriptFailure("Bad getsockopt optval: expected: \"" + want.value() + "\" actual: \"" + algorithm + "\"");
            }
            return;
        }
        actual = switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Integer i -> i;
            case netstack4j.ip.PmtuMode m -> switch (m) { // IP_PMTUDISC_DONT, _WANT, _DO
                case DONT -> 0;
                case WANT -> 1;
                case DO -> 2;
            };
            case Errno e -> e.code();
            case null -> 0;
            default -> throw new UnsupportedFeature("getsockopt " + o.name() + " value " + v, true);
        };
        if (expected instanceof Expr.ArrayExpr arr && arr.elements().size() == 1) {
            compare("optval", arr.elements().getFirst(), actual);
        } else if (!(expected instanceof Expr.EllipsisExpr)) {
            compare("optval", expected, actual);
        }
    }

    private static void compare(String what, Expr want, long actual) {
        if (want == null || want instanceof Expr.EllipsisExpr) {
            return;
        }
        long w = Syscalls.value(want);
        // An int option is compared as the 32 bits the kernel wrote ([0xffffffff] matches -1).
        if (w != actual && (int) w != (int) actual) {
            throw new ScriptFailure("Bad getsockopt " + what + ": expected: " + w + " actual: " + actual);
        }
    }

    static void remember(SocketInfo info, Map<String, Long> tcpInfo) {
        for (String f : TCPI_FIELDS) {
            try {
                tcpInfo.put(f, info.tcpInfoField(f));
            } catch (IllegalArgumentException e) {
                tcpInfo.remove(f);
            }
        }
    }

    /**
     * {@code write(fd, NULL, n)}: Linux's tcp_sendmsg_locked checks the socket (errors, shutdown,
     * not yet connected) before it copies from the user's buffer, so those errors come first; on
     * a connection that can send, the copy from the bad pointer fails with EFAULT and nothing is
     * queued.
     */
    static long faultingWrite(TcpSocket s, int n) throws ErrnoException {
        netstack4j.tcp.TcpState st = s.state();
        if (st == netstack4j.tcp.TcpState.ESTABLISHED || st == netstack4j.tcp.TcpState.CLOSE_WAIT) {
            throw new ErrnoException(Errno.EFAULT, "write from a bad address");
        }
        return s.write(new byte[n], 0, n);
    }

    /** SIOCINQ / SIOCOUTQ / SIOCOUTQNSD: the queue size, compared with {@code [n]} when given. */
    static void ioctl(TcpSocket s, long request, Expr expected) throws ErrnoException {
        long actual;
        if (request == CConstants.SIOCINQ) {
            if (s.state() == netstack4j.tcp.TcpState.LISTEN) {
                throw new ErrnoException(Errno.EINVAL, "SIOCINQ on a listener");
            }
            actual = s.availableBytes();
        } else if (request == CConstants.SIOCOUTQ) {
            actual = s.sendQueueBytes();
        } else if (request == CConstants.SIOCOUTQNSD) {
            actual = s.unsentBytes();
        } else {
            throw new ErrnoException(Errno.ENOTTY, "ioctl " + request);
        }
        if (expected instanceof Expr.ArrayExpr arr && arr.elements().size() == 1
                && !(arr.elements().getFirst() instanceof Expr.EllipsisExpr)) {
            long w = Syscalls.value(arr.elements().getFirst());
            if (w != actual) {
                throw new ScriptFailure("Bad ioctl value: expected: " + w + " actual: " + actual);
            }
        }
    }
}
