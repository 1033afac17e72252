package netstack4j.report;

import java.util.ArrayList;
import java.util.List;
import netstack4j.socket.SocketInfo;
import netstack4j.stack.NetStack;
import netstack4j.udp.UdpEndpoint;

/**
 * Every socket of a host as {@code ss -tuanoim} prints them: TCP listeners, connections and
 * TIME-WAIT entries with their timers and detail line, then UDP sockets with their memory, in
 * aligned columns ({@link SsTable}).
 */
public final class SsReport {
    /** The command the report stands for. */
    public static final String COMMAND = "ss -tuanoim";

    private SsReport() {
    }

    public static String format(NetStack host) {
        List<SsTable.Row> rows = new ArrayList<>();
        for (SocketInfo i : SsTable.sockets(host)) {
            rows.add(SsTable.row("tcp", i, SsTable.Options.ALL));
        }
        List<UdpEndpoint> udp = host.runtime().call(() -> host.udp().endpoints());
        for (UdpEndpoint e : udp) {
            String state = e.isConnected() ? "ESTAB" : "UNCONN";
            String local = (e.localAddress().isAny() ? "0.0.0.0" : e.localAddress().toString()) + ":" + e.localPort();
            String peer = e.isConnected() ? e.remoteAddress() + ":" + e.remotePort() : "0.0.0.0:*";
            String skmem = String.format("\t skmem:(r%d,rb%d,t0,tb%d,f0,w0,o0,bl0,d%d)", e.receiveMemory(),
                    e.receiveBufferBytes(), e.sendBufferBytes(), e.drops());
            rows.add(new SsTable.Row("udp", state, e.receiveMemory(), 0, local, peer, null, skmem));
        }
        return COMMAND + " on " + host.name() + ":\n" + SsTable.format(rows, true);
    }
}
