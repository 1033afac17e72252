package netstack4j.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.MalformedPacketException;

/**
 * A DNS message (RFC 1035 section 4.1): header, questions and answers. Parsing follows name
 * compression pointers (section 4.1.4) with loop protection; emitting writes names uncompressed.
 * Names are dotted ASCII text, so a label with a dot or a byte above 0x7f is refused: every
 * message that parses encodes back to one that parses equal.
 * Only what the resolver and the small authoritative server need: A records, and any other
 * record type kept as raw data.
 *
 * <pre>
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 * |                    QDCOUNT                    |
 * |                    ANCOUNT                    |
 * |                    NSCOUNT                    |
 * |                    ARCOUNT                    |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<Record> answers) {
    public static final int TYPE_A = 1;
    public static final int CLASS_IN = 1;
    public static final int FLAG_QR = 0x8000;
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;
    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_FORMERR = 1;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    public static final int RCODE_NOTIMP = 4;
    public static final int RCODE_REFUSED = 5;
    static final int HEADER_LENGTH = 12;
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_LABEL_LENGTH = 63;

    public DnsMessage {
        if (id < 0 || id > 0xffff || flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("id and flags are 16-bit");
        }
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
    }

    /** One question: a name, a type, a class. */
    public record Question(String name, int type, int qclass) {
        public Question {
            name = normalize(name);
        }
    }

    /** One resource record; {@code data} is the RDATA as received. */
    public record Record(String name, int type, int rclass, long ttl, byte[] data) {
        public Record {
            name = normalize(name);
            data = data.clone();
        }

        public static Record a(String name, Ipv4Address address, long ttl) {
            byte[] d = new byte[4];
            address.write(d, 0);
            return new Record(name, TYPE_A, CLASS_IN, ttl, d);
        }

        /** The address of an A record. */
        public Ipv4Address address() {
            if (type != TYPE_A || data.length != 4) {
                throw new IllegalStateException("not an A record");
            }
            return Ipv4Address.read(data, 0);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Record r && r.name.equals(name) && r.type == type && r.rclass == rclass
                    && r.ttl == ttl && java.util.Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return name + " " + ttl + " IN " + (type == TYPE_A && data.length == 4 ? "A " + address() : "TYPE" + type);
        }
    }

    /** A standard query for the A record of {@code name}, recursion desired. */
    public static DnsMessage query(int id, String name) {
        return new DnsMessage(id, FLAG_RD, List.of(new Question(name, TYPE_A, CLASS_IN)), List.of());
    }

    public boolean isResponse() {
        return (flags & FLAG_QR) != 0;
    }

    public int opcode() {
        return (flags >>> 11) & 0xf;
    }

    public int rcode() {
        return flags & 0xf;
    }

    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    // ---------------------------------------------------------------- emit

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        put16(out, id);
        put16(out, flags);
        put16(out, questions.size());
        put16(out, answers.size());
        put16(out, 0);
        put16(out, 0);
        for (Question q : questions) {
            putName(out, q.name());
            put16(out, q.type());
            put16(out, q.qclass());
        }
        for (Record r : answers) {
            putName(out, r.name());
            put16(out, r.type());
            put16(out, r.rclass());
            put16(out, (int) (r.ttl() >>> 16));
            put16(out, (int) r.ttl());
            put16(out, r.data.length);
            out.write(r.data, 0, r.data.length);
        }
        return out.toByteArray();
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static void putName(ByteArrayOutputStream out, String name) {
        if (!name.isEmpty() && !name.equals(".")) {
            for (String label : name.split("\\.", -1)) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                if (b.length == 0 || b.length > MAX_LABEL_LENGTH) {
                    throw new IllegalArgumentException("bad label in " + name);
                }
                out.write(b.length);
                out.write(b, 0, b.length);
            }
        }
        out.write(0);
    }

    // ---------------------------------------------------------------- parse

    /** Parses a message; any defect is a {@link MalformedPacketException} with the reason. */
    public static DnsMessage parse(byte[] b, int off, int len) throws MalformedPacketException {
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException("DNS message shorter than its 12-byte header");
        }
        Reader r = new Reader(b, off, len);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        int an = r.u16();
        r.u16();
        r.u16();
        List<Question> qs = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            qs.add(new Question(r.name(), r.u16(), r.u16()));
        }
        List<Record> as = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            String name = r.name();
            int type = r.u16();
            int cls = r.u16();
            long ttl = ((long) r.u16() << 16) | r.u16();
            int rdlen = r.u16();
            as.add(new Record(name, type, cls, ttl, r.bytes(rdlen)));
        }
        return new DnsMessage(id, flags, qs, as);
    }

    /** Reads the 16-bit id of a message too broken to parse (for a FORMERR answer), or -1. */
    public static int peekId(byte[] b, int off, int len) {
        return len >= 2 ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff) : -1;
    }

    private static final class Reader {
        final byte[] b;
        final int start;
        final int end;
        int pos;

        Reader(byte[] b, int off, int len) {
            this.b = b;
            this.start = off;
            this.end = off + len;
            this.pos = off;
        }

        int u8() throws MalformedPacketException {
            if (pos >= end) {
                throw new MalformedPacketException("DNS message truncated");
            }
            return b[pos++] & 0xff;
        }

        int u16() throws MalformedPacketException {
            return (u8() << 8) | u8();
        }

        byte[] bytes(int n) throws MalformedPacketException {
            if (n > end - pos) {
                throw new MalformedPacketException("DNS record data runs past the message");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        /** RFC 1035 4.1.4: labels, or a pointer to a name earlier in the message. */
        String name() throws MalformedPacketException {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            boolean jumped = false;
            int jumps = 0;
            while (true) {
                if (p >= end) {
                    throw new MalformedPacketException("DNS name runs past the message");
                }
                int len = b[p] & 0xff;
                if ((len & 0xc0) == 0xc0) {
                    if (p + 1 >= end) {
                        throw new MalformedPacketException("DNS compression pointer truncated");
                    }
                    int target = start + (((len & 0x3f) << 8) | (b[p + 1] & 0xff));
                    if (++jumps > 32 || target >= p) {
                        throw new MalformedPacketException("DNS compression pointer loops or points forward");
                    }
                    if (!jumped) {
                        pos = p + 2;
                        jumped = true;
                    }
                    p = target;
                    continue;
                }
                if ((len & 0xc0) != 0) {
                    throw new MalformedPacketException("DNS label type " + (len >>> 6) + " is not supported");
                }
                p++;
                if (len == 0) {
                    break;
                }
                if (p + len > end) {
                    throw new MalformedPacketException("DNS label runs past the message");
                }
                for (int i = p; i < p + len; i++) {
                    // RFC 2181 section 11 allows any octet in a label, but a name here is dotted
                    // ASCII text: a label holding a dot or a non-ASCII byte could not be written
                    // back as it came, so the message is refused rather than changed.
                    if (b[i] == '.' || b[i] < 0) {
                        throw new MalformedPacketException("DNS label byte 0x" + Integer.toHexString(b[i] & 0xff)
                                + " cannot be represented in a name");
                    }
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(new String(b, p, len, StandardCharsets.US_ASCII));
                if (sb.length() > MAX_NAME_LENGTH) {
                    throw new MalformedPacketException("DNS name longer than 255 bytes");
                }
                p += len;
            }
            if (!jumped) {
                pos = p;
            }
            return sb.toString();
        }
    }
}
