package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.ExtendedError;
import netstack4j.socket.MessageFlags;
import netstack4j.socket.NetSocketOptions;
import netstack4j.socket.TcpSocket;

/**
 * recvmsg's ancillary data as packetdrill checks it (run_system_call.c's syscall_recvmsg and
 * check_cmsghdr): after the call, the {@code msg_flags} the script wrote must equal the call's,
 * and the {@code msg_control} entries must match the control messages returned, in order:
 * {@code cmsg_level}, {@code cmsg_type}, and {@code cmsg_data} (a number, or a struct whose named
 * fields are compared).
 *
 * <p>The control messages the stack produces: IP_RECVERR with the {@code sock_extended_err} of
 * an error-queue record ({@code recvmsg(MSG_ERRQUEUE)}, Linux's ip_recv_error), and TCP_CM_INQ
 * with the bytes left to read when TCP_INQ is on (tcp_recvmsg's tcp_inq_hint).
 */
final class ControlMessages {
    private static final long SOL_IP = 0;
    private static final long IP_RECVERR = 11;
    private static final long SOL_TCP = 6;
    private static final long TCP_CM_INQ = 36;
    private static final long SOL_SOCKET = 1;
    private static final long SCM_TIMESTAMPING = 37;

    /** One control message: level, type, and its data as a number or as named fields. */
    private record Cmsg(long level, long type, long value, Map<String, Long> fields) {
        @Override
        public String toString() {
            return "{cmsg_level=" + level + ", cmsg_type=" + type + ", cmsg_data=" + (fields == null ? value : fields) + "}";
        }
    }

    private ControlMessages() {
    }

    /**
     * recvmsg(fd, msg, MSG_ERRQUEUE) into {@code len} bytes: what ip_recv_error returns (the
     * record's data, cut to {@code len} with MSG_TRUNC), with SCM_TIMESTAMPING before IP_RECVERR
     * when the record has a software time (sock_recv_timestamp). A script's scm_sec/scm_nsec are
     * script time, matched within the run's tolerance (scm_timestamping_expect_eq); 0 means any.
     */
    static long recvErrorQueue(TcpSocket t, Expr.StructExpr msg, int len, long toleranceUsecs) throws ErrnoException {
        ExtendedError e = t.receiveError(); // EAGAIN when empty, before anything is compared
        checkFlags(msg, MessageFlags.MSG_ERRQUEUE | (e.length() > len ? MessageFlags.MSG_TRUNC : 0));
        List<Cmsg> actual = new ArrayList<>();
        if (e.timestampNs() >= 0) {
            Map<String, Long> ts = new LinkedHashMap<>();
            ts.put("scm_sec", e.timestampNs() / 1_000_000_000L);
            ts.put("scm_nsec", e.timestampNs() % 1_000_000_000L);
            actual.add(new Cmsg(SOL_SOCKET, SCM_TIMESTAMPING, 0, ts));
        }
        Map<String, Long> ee = new LinkedHashMap<>();
        ee.put("ee_errno", (long) e.errno());
        ee.put("ee_origin", (long) e.origin());
        ee.put("ee_type", (long) e.type());
        ee.put("ee_code", (long) e.code());
        ee.put("ee_info", Integer.toUnsignedLong(e.info()));
        ee.put("ee_data", Integer.toUnsignedLong(e.data()));
        actual.add(new Cmsg(SOL_IP, IP_RECVERR, 0, ee));
        check(msg, actual, toleranceUsecs);
        return Math.min(len, e.length());
    }

    /** A TCP recvmsg of {@code len} bytes with {@code flags}, with TCP_CM_INQ when TCP_INQ is on. */
    static long recv(TcpSocket t, Expr.StructExpr msg, int len, int flags) throws ErrnoException {
        int n = t.recv(new byte[len], 0, len, flags);
        List<Cmsg> actual = new ArrayList<>();
        if (t.getOption(NetSocketOptions.TCP_INQ)) {
            actual.add(new Cmsg(SOL_TCP, TCP_CM_INQ, t.inqHint(), null));
        }
        checkFlags(msg, 0);
        check(msg, actual, 0);
        return n;
    }

    private static void checkFlags(Expr.StructExpr msg, long actual) {
        Expr flags = Syscalls.field(msg, "msg_flags");
        if (flags != null && !(flags instanceof Expr.EllipsisExpr)) {
            long expected = Syscalls.value(flags);
            if (expected != actual) {
                throw new ScriptFailure(String.format("Expected msg_flags 0x%08X but got 0x%08X", expected, actual));
            }
        }
    }

    private static void check(Expr.StructExpr msg, List<Cmsg> actual, long toleranceUsecs) {
        Expr control = Syscalls.field(msg, "msg_control");
        if (!(control instanceof Expr.ArrayExpr arr)) {
            return; // not written, or ...: nothing to compare
        }
        List<Expr> expected = arr.elements();
        if (expected.size() != actual.size()) {
            throw new ScriptFailure("Bad cmsg count: expected: " + expected.size() + " actual: " + actual.size() + " " + actual);
        }
        for (int i = 0; i < expected.size(); i++) {
            Expr.StructExpr cm = Syscalls.struct(expected.get(i));
            Cmsg a = actual.get(i);
            compare(cm, "cmsg_level", a.level());
            compare(cm, "cmsg_type", a.type());
            Expr data = Syscalls.field(cm, "cmsg_data");
            if (data == null || data instanceof Expr.EllipsisExpr) {
                continue;
            }
            if (a.fields() == null) {
                expect("cmsg_data", data, a.value());
                continue;
            }
            Expr.StructExpr fields = Syscalls.struct(data);
            if (a.type() == SCM_TIMESTAMPING && a.level() == SOL_SOCKET) {
                checkTimestamp(fields, a, toleranceUsecs);
                continue;
            }
            for (Expr.Field f : fields.fields()) {
                Long v = f.name() == null ? null : a.fields().get(f.name());
                if (v == null) {
                    throw new UnsupportedFeature("cmsg_data field " + f.name() + " of cmsg type " + a.type(), true);
                }
                expect(f.name(), f.value(), v);
            }
        }
    }

    /** scm_timestamping_expect_eq: the software time, unless the script wrote 0. */
    private static void checkTimestamp(Expr.StructExpr fields, Cmsg a, long toleranceUsecs) {
        Expr sec = Syscalls.field(fields, "scm_sec");
        Expr nsec = Syscalls.field(fields, "scm_nsec");
        long expectedUs = (sec == null ? 0 : Syscalls.value(sec)) * 1_000_000 + (nsec == null ? 0 : Syscalls.value(nsec)) / 1000;
        if (expectedUs == 0) {
            return;
        }
        long actualUs = a.fields().get("scm_sec") * 1_000_000 + a.fields().get("scm_nsec") / 1000;
        if (Math.abs(expectedUs - actualUs) > toleranceUsecs) {
            throw new ScriptFailure("Bad timestamp 0 in scm_timestamping: expected=" + expectedUs + " actual=" + actualUs
                    + " (usecs of script time)");
        }
    }

    private static void compare(Expr.StructExpr cm, String name, long actual) {
        Expr v = Syscalls.field(cm, name);
        if (v != null) {
            expect(name, v, actual);
        }
    }

    private static void expect(String name, Expr v, long actual) {
        if (v instanceof Expr.EllipsisExpr) {
            return;
        }
        long expected = Syscalls.value(v);
        if (expected != actual) {
            throw new ScriptFailure("Bad cmsg " + name + ": expected: " + expected + " actual: " + actual);
        }
    }
}
