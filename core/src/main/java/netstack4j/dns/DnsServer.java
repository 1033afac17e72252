package netstack4j.dns;

import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MalformedPacketException;

/**
 * A small authoritative DNS server for simulated networks (RFC 1035): answers A queries for the
 * names in its zone, NXDOMAIN for others, NOTIMP for opcodes other than QUERY, FORMERR for
 * messages it cannot parse. Ordinary blocking socket code: run {@link #serve()} in a simulated
 * process (or a thread on a real stack); {@link #close()} ends it.
 */
public final class DnsServer implements Closeable {
    /** TTL of the answers, in seconds. */
    public static final int TTL_SECONDS = 300;

    private final NetStack stack;
    private final Map<String, Ipv4Address> zone = new TreeMap<>();
    private final UdpSocket socket;
    private long answered;

    /** Binds UDP port {@code port} (53 normally) on {@code stack}. */
    public DnsServer(NetStack stack, int port, Map<String, Ipv4Address> records) throws ErrnoException {
        this.stack = stack;
        records.forEach((k, v) -> zone.put(DnsMessage.normalize(k), v));
        this.socket = stack.sockets().udp();
        socket.bind(port);
    }

    public Ipv4SocketAddress address() {
        return socket.localAddress();
    }

    /** Queries answered so far. */
    public long answered() {
        return answered;
    }

    /** Answers queries until the socket is closed. */
    public void serve() throws ErrnoException {
        byte[] buf = new byte[1500];
        while (true) {
            ReceivedDatagram d;
            try {
                d = socket.receive(buf);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EBADF) {
                    return;
                }
                throw e;
            }
            byte[] reply = answer(buf, d.length());
            if (reply != null) {
                socket.sendTo(reply, d.source());
                answered++;
            }
        }
    }

    /** The reply to one query datagram, or null when it deserves none (a response, or too short). */
    byte[] answer(byte[] buf, int len) {
        DnsMessage q;
        try {
            q = DnsMessage.parse(buf, 0, len);
        } catch (MalformedPacketException e) {
            int id = DnsMessage.peekId(buf, 0, len);
            return id < 0 || len < DnsMessage.HEADER_LENGTH ? null
                    : new DnsMessage(id, DnsMessage.FLAG_QR | DnsMessage.RCODE_FORMERR, List.of(), List.of()).toBytes();
        }
        if (q.isResponse()) {
            return null;
        }
        int base = DnsMessage.FLAG_QR | DnsMessage.FLAG_AA | (q.flags() & DnsMessage.FLAG_RD) | (q.opcode() << 11);
        if (q.opcode() != 0) {
            return new DnsMessage(q.id(), base | DnsMessage.RCODE_NOTIMP, q.questions(), List.of()).toBytes();
        }
        if (q.questions().size() != 1) {
            return new DnsMessage(q.id(), base | DnsMessage.RCODE_FORMERR, q.questions(), List.of()).toBytes();
        }
        DnsMessage.Question question = q.questions().getFirst();
        Ipv4Address a = zone.get(question.name());
        if (a == null) {
            return new DnsMessage(q.id(), base | DnsMessage.RCODE_NXDOMAIN, q.questions(), List.of()).toBytes();
        }
        List<DnsMessage.Record> answers = question.type() == DnsMessage.TYPE_A
                ? List.of(DnsMessage.Record.a(question.name(), a, TTL_SECONDS)) : List.of();
        return new DnsMessage(q.id(), base, q.questions(), answers).toBytes();
    }

    @Override
    public void close() {
        socket.close();
    }
}
