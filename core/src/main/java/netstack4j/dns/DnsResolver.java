package netstack4j.dns;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netstack4j.socket.Errno;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.ReceivedDatagram;
import netstack4j.socket.UdpSocket;
import netstack4j.stack.NetStack;
import netstack4j.trace.TraceEvent;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MalformedPacketException;

/**
 * A stub resolver (RFC 1035 section 7, RFC 1123 section 6.1.3), configured like
 * {@code /etc/resolv.conf} and {@code /etc/hosts}: names in the hosts table answer at once;
 * others are asked of each nameserver in turn over UDP (N13), {@code attempts} rounds with
 * {@code timeout} per query (glibc defaults: 5 s, 2 attempts). A reply counts only when it comes
 * from the server asked, carries the query's id and echoes its question.
 *
 * <p>Thread-safe for configuration; {@link #resolve} blocks and must not run on the stack's thread.
 */
public final class DnsResolver {
    private final NetStack stack;
    private final Map<String, Ipv4Address> hosts = new TreeMap<>();
    private final List<Ipv4SocketAddress> nameservers = new ArrayList<>();
    private volatile Duration timeout = Duration.ofSeconds(5);
    private volatile int attempts = 2;

    public DnsResolver(NetStack stack) {
        this.stack = stack;
        hosts.put("localhost", Ipv4Address.LOOPBACK);
    }

    /** {@code nameserver ADDRESS} (port 53). */
    public synchronized void addNameserver(Ipv4Address address) {
        nameservers.add(new Ipv4SocketAddress(address, 53));
    }

    public synchronized void addNameserver(Ipv4SocketAddress address) {
        nameservers.add(address);
    }

    /** An {@code /etc/hosts} line. */
    public synchronized void addHost(String name, Ipv4Address address) {
        hosts.put(DnsMessage.normalize(name), address);
    }

    /** {@code options timeout:N attempts:N}. */
    public void setTimeout(Duration timeout, int attempts) {
        if (timeout.isNegative() || timeout.isZero() || attempts < 1) {
            throw new IllegalArgumentException("timeout must be positive and attempts >= 1");
        }
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /**
     * The IPv4 address of {@code name}: a dotted quad is returned as is; a hosts entry next;
     * else a DNS query. Throws {@link UnknownHostException} when the name does not exist or no
     * server answered.
     */
    public Ipv4Address resolve(String name) throws UnknownHostException {
        Ipv4Address literal = Ipv4Address.tryParse(name);
        if (literal != null) {
            return literal;
        }
        String n = DnsMessage.normalize(name);
        List<Ipv4SocketAddress> servers;
        synchronized (this) {
            Ipv4Address h = hosts.get(n);
            if (h != null) {
                return h;
            }
            servers = List.copyOf(nameservers);
        }
        if (servers.isEmpty()) {
            throw new UnknownHostException(name + ": no nameserver configured");
        }
        try (UdpSocket s = stack.sockets().udp()) {
            s.setReceiveTimeout(timeout);
            for (int round = 0; round < attempts; round++) {
                for (Ipv4SocketAddress server : servers) {
                    Ipv4Address a = ask(s, server, n);
                    if (a != null) {
                        return a;
                    }
                }
            }
        } catch (ErrnoException e) {
            throw new UnknownHostException(name + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // A name no query can carry (an empty label, a label over 63 bytes): glibc's
            // res_mkquery refuses it and getaddrinfo answers EAI_NONAME.
            throw new UnknownHostException(name + ": Name or service not known");
        }
        throw new UnknownHostException(name + ": Temporary failure in name resolution");
    }

    /** One query; null on timeout. */
    private Ipv4Address ask(UdpSocket s, Ipv4SocketAddress server, String name) throws ErrnoException, UnknownHostException {
        int id = stack.runtime().call(() -> stack.random().nextInt(65536));
        byte[] query = DnsMessage.query(id, name).toBytes();
        stack.trace(TraceEvent.Kind.APP, "resolver", "query A " + name + " id " + id + " to " + server);
        s.sendTo(query, server);
        byte[] buf = new byte[1500];
        while (true) {
            ReceivedDatagram d;
            try {
                d = s.receive(buf);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return null;
                }
                if (e.errno() == Errno.ECONNREFUSED) {
                    return null;
                }
                throw e;
            }
            if (!d.source().equals(server)) {
                continue;
            }
            DnsMessage reply;
            try {
                reply = DnsMessage.parse(buf, 0, d.length());
            } catch (MalformedPacketException e) {
                continue;
            }
            if (reply.id() != id || !reply.isResponse() || reply.questions().size() != 1
                    || !reply.questions().getFirst().name().equals(name)) {
                continue;
            }
            if (reply.rcode() == DnsMessage.RCODE_NXDOMAIN) {
                throw new UnknownHostException(name + ": Name or service not known");
            }
            for (DnsMessage.Record r : reply.answers()) {
                if (r.type() == DnsMessage.TYPE_A && r.data().length == 4) {
                    stack.trace(TraceEvent.Kind.APP, "resolver", name + " is " + r.address());
                    return r.address();
                }
            }
            throw new UnknownHostException(name + ": No address associated with hostname");
        }
    }
}
