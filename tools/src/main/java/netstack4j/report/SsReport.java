package netstack4j.report;

import java.util.List;
import netstack4j.socket.SocketInfo;
import netstack4j.stack.NetStack;
import netstack4j.tcp.TcpConnection;
import netstack4j.udp.UdpEndpoint;

/**
 * Every socket of a host as {@code ss -tuanmi} prints them: TCP connections and listeners with
 * their detail line, then UDP sockets with their memory.
 */
public final class SsReport {
    private SsReport() {
    }

    public static String format(NetStack host) {
        StringBuilder b = new StringBuilder();
        b.append("ss -tuanmi on ").append(host.name()).append(":\n");
        b.append(String.format("%-5s %-10s %-6s %-6s %-21s %-21s%n", "Netid", "State", "Recv-Q", "Send-Q",
                "Local Address:Port", "Peer Address:Port"));
        List<TcpConnection> tcp = host.runtime().call(() -> host.tcp().connections());
        for (TcpConnection c : tcp) {
            SocketInfo i = host.runtime().call(c::info);
            b.append("tcp   ").append(i.formatSs()).append('\n');
        }
        for (SocketInfo i : host.runtime().call(() -> host.tcp().timeWaitSockets().stream()
                .map(tw -> tw.info(host.nowNs())).toList())) {
            b.append("tcp   ").append(i.formatSs()).append('\n');
        }
        List<UdpEndpoint> udp = host.runtime().call(() -> host.udp().endpoints());
        for (UdpEndpoint e : udp) {
            String state = e.isConnected() ? "ESTAB" : "UNCONN";
            String local = (e.localAddress().isAny() ? "0.0.0.0" : e.localAddress().toString()) + ":" + e.localPort();
            String peer = e.isConnected() ? e.remoteAddress() + ":" + e.remotePort() : "0.0.0.0:*";
            b.append(String.format("udp   %-10s %-6d %-6d %-21s %-21s%n", state, e.receiveMemory(), 0, local, peer));
            b.append(String.format("\t skmem:(r%d,rb%d,t0,tb%d,f0,w0,o0,bl0,d%d)%n", e.receiveMemory(),
                    e.receiveBufferBytes(), e.sendBufferBytes(), e.drops()));
        }
        return b.toString();
    }
}
