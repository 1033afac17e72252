package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import netstack4j.packetdrill.IcmpPacketEvent.Embedded;
import netstack4j.packetdrill.TcpOptionSpec.SackBlock;

/**
 * Parses packet lines (parser.y's {@code tcp_packet_spec}, {@code udp_packet_spec} and
 * {@code icmp_packet_spec}):
 * <pre>
 * packet   := ('&lt;' | '&gt;') [ipinfo] (tcp | 'udp' [ports] '(' INTEGER ')' | icmp)
 * ipinfo   := ('[' | '(') ipfield (',' ipfield)* (']' | ')')
 * tcp      := [ports] flags [seq] ['ack' N] ['win' N] ['urg' N] ['&lt;' ('...' | option (',' option)*) '&gt;']
 * icmp     := 'icmp' TYPE [CODE] ['mtu' N] ['id' N] ['[' (seq | 'udp' '(' N ')' | 'raw' '(' N ')') ']']
 * seq      := INTEGER ':' INTEGER '(' INTEGER ')'
 * </pre>
 */
final class PacketParser {
    private static final long U16 = 0xffffL;
    private static final long U32 = 0xffff_ffffL;
    private static final Set<String> ECN_NAMES = Set.of("noecn", "ect0", "ect1", "ce", "ect01");
    private static final Set<String> ENCAPSULATIONS = Set.of("ipv4", "ipv6", "gre", "GREv0", "mpls");
    private static final String FLAG_LETTERS = "FSRPUEWA";

    private final TokenCursor in;

    PacketParser(TokenCursor in) {
        this.in = in;
    }

    EventBody packet() {
        Token dir = in.next();
        Direction direction = dir.is('<') ? Direction.INBOUND : Direction.OUTBOUND;
        Map<String, String> ipFields = ipInfo();
        Token t = in.peek();
        if (t.kind() == TokenKind.WORD && ENCAPSULATIONS.contains(t.text())) {
            throw in.syntax(t, "encapsulation prefixes are not supported; expected TCP flags, 'udp' or 'icmp'");
        }
        if (in.acceptWord("udp")) {
            Optional<PortPair> ports = ports();
            in.expect('(', "before the UDP payload length");
            int length = (int) in.expectUnsigned("UDP payload length", U16);
            in.expect(')', "after the UDP payload length");
            return new UdpPacketEvent(direction, ipFields, ports, length);
        }
        if (in.acceptWord("icmp")) {
            return icmp(direction, ipFields);
        }
        return tcp(direction, ipFields);
    }

    private TcpPacketEvent tcp(Direction direction, Map<String, String> ipFields) {
        Optional<PortPair> ports = ports();
        String flags = flags();
        Optional<SeqRange> seq = in.peek().kind() == TokenKind.INTEGER && in.peek(1).is(':')
                ? Optional.of(seq()) : Optional.empty();
        OptionalLong ack = in.acceptWord("ack") ? OptionalLong.of(in.expectUnsigned("ack number after 'ack'", U32))
                : OptionalLong.empty();
        OptionalLong window = in.acceptWord("win") ? OptionalLong.of(in.expectUnsigned("window after 'win'", U16))
                : OptionalLong.empty();
        OptionalLong urg = in.acceptWord("urg") ? OptionalLong.of(in.expectUnsigned("urgent pointer after 'urg'", U16))
                : OptionalLong.empty();
        TcpOptions options = TcpOptions.NONE;
        Token open = in.peek();
        if (in.accept('<')) {
            options = options();
            if (options instanceof TcpOptions.Any && direction != Direction.OUTBOUND) {
                throw in.semantic(open, "<...> for TCP options can only be used with outbound packets");
            }
            if (options instanceof TcpOptions.Listed listed) {
                int bytes = 0;
                for (TcpOptionSpec o : listed.options()) {
                    bytes = o.wireLength() < 0 || bytes < 0 ? -1 : bytes + o.wireLength();
                }
                if (bytes > 0 && bytes % 4 != 0) {
                    // new_tcp_packet (tcp_packet.c) refuses the script at parse time.
                    throw in.semantic(open, "TCP options are not padded correctly to ensure TCP header is a multiple"
                            + " of 4 bytes: " + (bytes % 4) + " excess bytes");
                }
            }
        }
        return new TcpPacketEvent(direction, ipFields, ports, flags, seq, ack, window, urg, options);
    }

    /** {@code S}, {@code S.}, {@code P.}, {@code .}, {@code -}, AccECN's {@code SEWA}, {@code P.6}, {@code .6}. */
    private String flags() {
        Token t = in.peek();
        String flags;
        if (t.is('-')) {
            in.next();
            return "";
        } else if (t.is('.')) {
            in.next();
            flags = ".";
        } else if (t.kind() == TokenKind.WORD) {
            in.next();
            flags = t.text();
            if (in.accept('.')) {
                flags += ".";
            } else if (isAceSuffix(in.peek())) {
                flags += in.next().text();
            }
        } else if (isAceSuffix(t)) {
            in.next();
            flags = t.text();
        } else {
            throw in.syntax(t, "expected TCP flags (such as 'S', 'S.', 'P.', '.', 'F.', 'R' or '-')");
        }
        int dot = flags.indexOf('.');
        String letters = dot < 0 ? flags : flags.substring(0, dot);
        for (char c : letters.toCharArray()) {
            if (FLAG_LETTERS.indexOf(c) < 0) {
                throw in.semantic(t, "unknown TCP flag '" + c + "' in '" + flags + "'");
            }
        }
        return flags;
    }

    private static boolean isAceSuffix(Token t) {
        return t.kind() == TokenKind.FLOAT && t.text().startsWith(".");
    }

    SeqRange seq() {
        Token first = in.peek();
        long start = in.expectUnsigned("start sequence number", U32);
        in.expect(':', "between start and end sequence numbers");
        long end = in.expectUnsigned("end sequence number", U32);
        in.expect('(', "before the payload length");
        long length = in.expectUnsigned("payload length", U16);
        in.expect(')', "after the payload length");
        if (end != start + length) {
            throw in.semantic(first, "inconsistent TCP sequence numbers and payload size: "
                    + start + ":" + end + "(" + length + ")");
        }
        return new SeqRange(start, end, length);
    }

    private TcpOptions options() {
        if (in.peek().kind() == TokenKind.ELLIPSIS) {
            in.next();
            in.expect('>', "after '<...'");
            return new TcpOptions.Any();
        }
        List<TcpOptionSpec> list = new ArrayList<>();
        list.add(option());
        while (in.accept(',')) {
            list.add(option());
        }
        in.expect('>', "or ',' in TCP options");
        return new TcpOptions.Listed(list);
    }

    private TcpOptionSpec option() {
        Token t = in.peek();
        if (t.kind() != TokenKind.WORD) {
            throw in.syntax(t, "expected a TCP option");
        }
        in.next();
        return switch (t.text()) {
            case "nop" -> new TcpOptionSpec.Nop();
            case "eol" -> new TcpOptionSpec.Eol();
            case "sackOK" -> new TcpOptionSpec.SackOk();
            case "mss" -> new TcpOptionSpec.Mss((int) in.expectUnsigned("MSS value after 'mss'", U16));
            case "wscale" -> new TcpOptionSpec.WScale((int) in.expectUnsigned("shift count after 'wscale'", 0xff));
            case "sack" -> sack();
            case "TS" -> {
                if (!in.acceptWord("val")) {
                    throw in.syntax(in.peek(), "expected 'val' after 'TS'");
                }
                long val = in.expectUnsigned("timestamp value after 'val'", U32);
                if (!in.acceptWord("ecr")) {
                    throw in.syntax(in.peek(), "expected 'ecr' after the timestamp value");
                }
                yield new TcpOptionSpec.Timestamp(val, in.expectUnsigned("echo reply after 'ecr'", U32));
            }
            case "FO", "FOEXP" -> fastOpen(t);
            case "md5" -> {
                String digest = optionalHexBlob();
                if (digest.isEmpty()) {
                    throw in.syntax(in.peek(), "expected an MD5 digest in hex after 'md5'");
                }
                yield new TcpOptionSpec.Md5(digest);
            }
            default -> raw(t);
        };
    }

    private TcpOptionSpec sack() {
        List<SackBlock> blocks = new ArrayList<>();
        do {
            long left = in.expectUnsigned("SACK block 'left:right'", U32);
            in.expect(':', "between SACK block edges");
            long right = in.expectUnsigned("right edge of SACK block", U32);
            blocks.add(new SackBlock(left, right));
        } while (in.peek().kind() == TokenKind.INTEGER);
        return new TcpOptionSpec.Sack(blocks);
    }

    /** packetdrill's new_tcp_fast_open_option: an even number of hex digits, at most 38 (or 36) bytes. */
    private TcpOptionSpec fastOpen(Token t) {
        boolean exp = t.text().equals("FOEXP");
        Token at = in.peek();
        String hex = optionalHexBlob();
        if ((hex.length() & 1) != 0) {
            throw in.syntax(at, "TCP fast open cookie has an odd number of digits");
        }
        if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw in.syntax(at, "TCP fast open cookie '" + hex + "' is not a valid hex string");
        }
        int max = exp ? 36 : 38;
        if (hex.length() / 2 > max) {
            throw in.syntax(at, "TCP fast open cookie of " + hex.length() / 2
                    + " bytes exceeds maximum cookie length of " + max + " bytes");
        }
        return new TcpOptionSpec.FastOpen(hex, exp);
    }

    private String optionalHexBlob() {
        Token t = in.peek();
        if (t.kind() == TokenKind.WORD || t.kind() == TokenKind.INTEGER) {
            in.next();
            return t.text();
        }
        return "";
    }

    /** An option without a type here: its text up to the next ',' or '>'. */
    private TcpOptionSpec raw(Token first) {
        Token last = first;
        while (!in.peek().is(',') && !in.peek().is('>')) {
            if (in.peek().kind() == TokenKind.EOF) {
                throw in.syntax(in.peek(), "expected '>' to close TCP options");
            }
            last = in.next();
        }
        return new TcpOptionSpec.Raw(in.text(first, last).replaceAll("\\s+", " "));
    }

    private IcmpPacketEvent icmp(Direction direction, Map<String, String> ipFields) {
        Token type = in.expect(TokenKind.WORD, "an ICMP type name (such as 'unreachable') after 'icmp'");
        Optional<String> code = Optional.empty();
        Token c = in.peek();
        if (c.kind() == TokenKind.WORD && !c.text().equals("mtu") && !c.text().equals("id")) {
            in.next();
            code = Optional.of(c.text());
        }
        OptionalLong mtu = in.acceptWord("mtu") ? OptionalLong.of(in.expectUnsigned("MTU after 'mtu'", U16))
                : OptionalLong.empty();
        OptionalLong id = in.acceptWord("id") ? OptionalLong.of(in.expectUnsigned("echo id after 'id'", U16))
                : OptionalLong.empty();
        Optional<Embedded> embedded = Optional.empty();
        if (in.accept('[')) {
            embedded = Optional.of(embedded());
            in.expect(']', "after the quoted packet");
        }
        return new IcmpPacketEvent(direction, ipFields, type.text(), code, mtu, id, embedded);
    }

    private Embedded embedded() {
        boolean udp = in.peek().isWord("udp");
        if (udp || in.peek().isWord("raw")) {
            String what = in.next().text();
            in.expect('(', "after '" + what + "'");
            int length = (int) in.expectUnsigned("payload length", U16);
            in.expect(')', "after the payload length");
            return udp ? new IcmpPacketEvent.EmbeddedUdp(length) : new IcmpPacketEvent.EmbeddedRaw(length);
        }
        if (in.peek().kind() != TokenKind.INTEGER) {
            throw in.syntax(in.peek(), "expected 'start:end(length)', 'udp (N)' or 'raw (N)' in the quoted packet");
        }
        return new IcmpPacketEvent.EmbeddedTcp(seq());
    }

    /** {@code [ce]}, {@code [tos 0x2]}, {@code (ttl 64)}, {@code [ect0, flowlabel 0x1]}; empty if absent. */
    private Map<String, String> ipInfo() {
        Token open = in.peek();
        if (!open.is('[') && !open.is('(')) {
            return Map.of();
        }
        in.next();
        char close = open.is('[') ? ']' : ')';
        Map<String, String> fields = new LinkedHashMap<>();
        do {
            Token name = in.expect(TokenKind.WORD, "an IP field (such as 'ce', 'ect0', 'tos 0x2' or 'ttl 64')");
            String key;
            String value;
            if (ECN_NAMES.contains(name.text())) {
                key = "ecn";
                value = name.text();
            } else if (name.text().equals("tos") || name.text().equals("flowlabel") || name.text().equals("ttl")) {
                Token v = in.peek();
                if (v.kind() != TokenKind.INTEGER && v.kind() != TokenKind.HEX_INTEGER) {
                    throw in.syntax(v, "expected a number after '" + name.text() + "'");
                }
                in.next();
                in.integerValue(v);
                key = name.text();
                value = v.text();
            } else {
                throw in.syntax(name, "expected an IP field (such as 'ce', 'ect0', 'tos 0x2' or 'ttl 64')");
            }
            if (fields.putIfAbsent(key, value) != null) {
                throw in.semantic(name, "IP field '" + key + "' given twice");
            }
        } while (in.accept(','));
        in.expect(close, "to close the IP fields");
        return fields;
    }

    /** {@code src>dst} ports before the flags (TCP) or payload length (UDP). */
    private Optional<PortPair> ports() {
        if (in.peek().kind() != TokenKind.INTEGER || !in.peek(1).is('>')) {
            return Optional.empty();
        }
        int src = (int) in.expectUnsigned("source port", U16);
        in.next();
        int dst = (int) in.expectUnsigned("destination port after '>'", U16);
        return Optional.of(new PortPair(src, dst));
    }
}
