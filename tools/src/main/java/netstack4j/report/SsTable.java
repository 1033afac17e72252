package netstack4j.report;

import java.util.ArrayList;
import java.util.List;
import netstack4j.socket.SocketInfo;
import netstack4j.socket.SsFormat;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpConnection;
import netstack4j.tcp.TcpState;

/**
 * TCP sockets as iproute2's {@code ss -tan} prints them, with its options: {@code -o} adds the
 * timer as {@code timer:(timewait,59sec,0)} (print_ms_timer's units: {@code 202ms},
 * {@code 1.500ms}, {@code 59sec}, {@code 2min5sec}), {@code -m} the {@code skmem:(…)} memory and
 * {@code -i} the TCP information on a second line. Columns are as wide as their longest entry.
 * A TIME-WAIT row has no memory or TCP information, as the kernel reports none for it.
 */
public final class SsTable {
    /** Which of ss's options are on: {@code -o}, {@code -i}, {@code -m}. */
    public record Options(boolean timers, boolean info, boolean memory) {
        public static final Options ALL = new Options(true, true, true);

        /** The command line these options stand for, e.g. {@code ss -tanoim}. */
        public String command() {
            return "ss -tan" + (timers ? "o" : "") + (info ? "i" : "") + (memory ? "m" : "");
        }
    }

    private SsTable() {
    }

    /** Every TCP socket of {@code host} (listeners, connections, then TIME-WAIT entries), from the host's thread. */
    public static List<SocketInfo> sockets(NetStack host) {
        List<SocketInfo> out = new ArrayList<>();
        for (TcpConnection c : host.runtime().call(() -> host.tcp().connections())) {
            out.add(host.runtime().call(c::info));
        }
        out.addAll(host.runtime().call(() -> host.tcp().timeWaitSockets().stream().map(tw -> tw.info(host.nowNs())).toList()));
        return out;
    }

    /**
     * One row of the table: the {@code Netid} column (null in a TCP-only table), the socket line's
     * fields, and the second line (null for none).
     */
    public record Row(String netid, String state, long recvQ, long sendQ, String local, String peer, String timer, String detail) {
    }

    /** The row of a TCP socket under options {@code o}. */
    public static Row row(String netid, SocketInfo i, Options o) {
        String timer = o.timers() && i.timer() != null
                ? "timer:(" + i.timer() + "," + msTimer(i.timerExpiresNs() / 1_000_000) + "," + i.timerCount() + ")" : null;
        String detail = i.state() != TcpState.TIME_WAIT && (o.info() || o.memory()) ? detail(i, o) : null;
        return new Row(netid, i.state().ssName(), i.recvQ(), i.sendQ(), address(i.local()), address(i.remote()), timer, detail);
    }

    public static String format(List<SocketInfo> sockets, Options o) {
        List<Row> rows = new ArrayList<>();
        for (SocketInfo i : sockets) {
            rows.add(row(null, i, o));
        }
        return format(rows, false);
    }

    /** The rows with their header, each column as wide as its widest entry, with a {@code Netid} column when {@code netid}. */
    public static String format(List<Row> rows, boolean netid) {
        int state = "State".length();
        int local = "Local Address:Port".length();
        int peer = "Peer Address:Port".length();
        for (Row r : rows) {
            state = Math.max(state, r.state().length());
            local = Math.max(local, r.local().length());
            peer = Math.max(peer, r.peer().length());
        }
        String cols = (netid ? "%-5s " : "%s") + "%-" + state + "s %-6s %-6s %-" + local + "s %-" + peer + "s";
        StringBuilder b = new StringBuilder();
        b.append(String.format(cols, netid ? "Netid" : "", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port")
                .stripTrailing()).append('\n');
        for (Row r : rows) {
            String line = String.format(cols, netid ? r.netid() : "", r.state(), r.recvQ(), r.sendQ(), r.local(), r.peer());
            if (r.timer() != null) {
                line += " " + r.timer();
            }
            b.append(line.stripTrailing()).append('\n');
            if (r.detail() != null) {
                b.append(r.detail()).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * The second line: skmem (with -m) and the TCP information (with -i) as {@link SsFormat}
     * writes them; the option flags ({@code ts sack ecn}) only with -o, as ss shows them.
     */
    private static String detail(SocketInfo i, Options o) {
        StringBuilder b = new StringBuilder("\t");
        if (o.memory()) {
            b.append(' ').append(SsFormat.skmem(i));
        }
        if (o.info()) {
            b.append(SsFormat.tcpInfo(i, o.timers()));
        }
        return b.toString();
    }

    private static String address(netstack4j.socket.Ipv4SocketAddress a) {
        return a == null || a.port() == 0 && a.address().isAny() ? "0.0.0.0:*" : a.toString();
    }

    /** A time in milliseconds as iproute2's ss prints timers ({@link SsFormat#msTimer}). */
    public static String msTimer(long timeoutMs) {
        return SsFormat.msTimer(timeoutMs);
    }
}
