package netstack4j.packetdrill;

import java.util.List;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.ExtendedError;
import netstack4j.socket.MessageFlags;
import netstack4j.socket.TcpSocket;

/**
 * {@code recvmsg(fd, msg, MSG_ERRQUEUE)} as packetdrill checks it (run_system_call.c's
 * syscall_recvmsg and check_cmsghdr): the call returns what Linux's ip_recv_error returns (the
 * record's data length, 0 for a zerocopy completion), then the {@code msg_flags} the script
 * wrote must equal the call's and each {@code msg_control} entry must match the control message
 * returned: {@code cmsg_level}, {@code cmsg_type} and every {@code sock_extended_err} field the
 * script names in {@code cmsg_data}.
 */
final class ErrorQueueCalls {
    /** SOL_IP and IP_RECVERR: the control message an IPv4 socket's error record comes in. */
    private static final long SOL_IP = 0;
    private static final long IP_RECVERR = 11;

    private ErrorQueueCalls() {
    }

    static long recvmsg(TcpSocket t, Expr.StructExpr msg) throws ErrnoException {
        ExtendedError e = t.receiveError(); // EAGAIN when empty, before anything is compared
        Expr flags = Syscalls.field(msg, "msg_flags");
        if (flags != null && !(flags instanceof Expr.EllipsisExpr)) {
            long expected = Syscalls.value(flags);
            if (expected != MessageFlags.MSG_ERRQUEUE) {
                throw new ScriptFailure(String.format("Expected msg_flags 0x%08X but got 0x%08X", expected, MessageFlags.MSG_ERRQUEUE));
            }
        }
        Expr control = Syscalls.field(msg, "msg_control");
        if (control instanceof Expr.ArrayExpr arr) {
            check(arr.elements(), e);
        }
        return 0;
    }

    private static void check(List<Expr> expected, ExtendedError e) {
        if (expected.size() != 1) {
            throw new ScriptFailure("Bad cmsg count: expected: " + expected.size() + " actual: 1 (IP_RECVERR)");
        }
        Expr.StructExpr cm = Syscalls.struct(expected.getFirst());
        compare(cm, "cmsg_level", SOL_IP);
        compare(cm, "cmsg_type", IP_RECVERR);
        Expr data = Syscalls.field(cm, "cmsg_data");
        if (data == null || data instanceof Expr.EllipsisExpr) {
            return;
        }
        Expr.StructExpr ee = Syscalls.struct(data);
        for (Expr.Field f : ee.fields()) {
            long actual = switch (f.name() == null ? "" : f.name()) {
                case "ee_errno" -> e.errno();
                case "ee_origin" -> e.origin();
                case "ee_type" -> e.type();
                case "ee_code" -> e.code();
                case "ee_info" -> Integer.toUnsignedLong(e.info());
                case "ee_data" -> Integer.toUnsignedLong(e.data());
                default -> throw new UnsupportedFeature("cmsg_data field " + f.name() + " of IP_RECVERR", true);
            };
            expect(f.name(), f.value(), actual);
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
