package netstack4j.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * An ICMPv4 message (RFC 792) as a value: echo request and reply, destination unreachable
 * (with the RFC 1191 next-hop MTU), time exceeded, and {@link Other} for everything else.
 *
 * <p>{@link #parse} returns the most specific record that reproduces the message byte for byte;
 * a message with fields outside what a specific record holds (an unknown code, non-zero "unused"
 * bytes) is an {@link Other}, so {@code parse(emit(m)).equals(m)} for every message. The checksum
 * is not held: {@link #emit} computes it and receivers verify it on the view first.
 */
public sealed interface IcmpMessage {
    int ECHO_REPLY = IcmpPacket.ECHO_REPLY;
    int DEST_UNREACHABLE = IcmpPacket.DEST_UNREACHABLE;
    int ECHO_REQUEST = IcmpPacket.ECHO_REQUEST;
    int TIME_EXCEEDED = IcmpPacket.TIME_EXCEEDED;

    /** Most data an ICMP message can carry in one IPv4 packet: 65535 − 20 − 8. */
    int MAX_DATA = Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - IcmpPacket.HEADER_LENGTH;

    /** The type byte (RFC 792). */
    int icmpType();

    /** The code byte (RFC 792). */
    int icmpCode();

    /** The four bytes after the checksum as written on the wire. */
    int restOfHeader();

    /** Header and data in bytes. */
    int length();

    /** Writes header and data at {@code b[off]}, with a correct checksum. */
    default void emit(byte[] b, int off) {
        b[off + IcmpPacket.TYPE] = (byte) icmpType();
        b[off + IcmpPacket.CODE] = (byte) icmpCode();
        b[off + IcmpPacket.CHECKSUM] = 0;
        b[off + IcmpPacket.CHECKSUM + 1] = 0;
        int rest = restOfHeader();
        b[off + 4] = (byte) (rest >>> 24);
        b[off + 5] = (byte) (rest >>> 16);
        b[off + 6] = (byte) (rest >>> 8);
        b[off + 7] = (byte) rest;
        writeData(b, off + IcmpPacket.HEADER_LENGTH);
        int checksum = Checksum.compute(b, off, length());
        b[off + IcmpPacket.CHECKSUM] = (byte) (checksum >>> 8);
        b[off + IcmpPacket.CHECKSUM + 1] = (byte) checksum;
    }

    /** Writes what follows the 8-byte header. */
    void writeData(byte[] b, int off);

    /** The message in {@code packet}; structure is checked, the checksum is not. */
    static IcmpMessage parse(IcmpPacket packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        int type = packet.type();
        int code = packet.code();
        int rest = packet.restOfHeader();
        byte[] data = Arrays.copyOfRange(packet.array(), packet.payloadOffset(),
                packet.payloadOffset() + packet.payloadLength());
        if (data.length > MAX_DATA) {
            throw new MalformedPacketException("ICMP message longer than an IPv4 payload");
        }
        if (Other.isSpecific(type, code, rest)) {
            return switch (type) {
                case ECHO_REQUEST -> new EchoRequest(rest >>> 16, rest & 0xffff, data);
                case ECHO_REPLY -> new EchoReply(rest >>> 16, rest & 0xffff, data);
                case DEST_UNREACHABLE -> new DestinationUnreachable(UnreachableCode.fromCode(code), rest & 0xffff, data);
                case TIME_EXCEEDED -> new TimeExceeded(TimeExceededCode.fromCode(code), data);
                default -> throw new AssertionError(type);
            };
        }
        return new Other(type, code, rest, data);
    }

    /** Echo request (RFC 792, type 8): the receiver answers with an {@link EchoReply} of the same data. */
    record EchoRequest(int identifier, int sequence, byte[] data) implements IcmpMessage {
        public EchoRequest {
            requireU16("identifier", identifier);
            requireU16("sequence", sequence);
            data = copyData(data);
        }

        /** The reply RFC 792 prescribes: same identifier, sequence number and data. */
        public EchoReply reply() {
            return new EchoReply(identifier, sequence, data);
        }

        @Override
        public int icmpType() {
            return ECHO_REQUEST;
        }

        @Override
        public int icmpCode() {
            return 0;
        }

        @Override
        public int restOfHeader() {
            return identifier << 16 | sequence;
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + data.length;
        }

        @Override
        public void writeData(byte[] b, int off) {
            System.arraycopy(data, 0, b, off, data.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoRequest e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identifier, sequence, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "ICMP echo request, id " + identifier + ", seq " + sequence + ", length " + length();
        }
    }

    /** Echo reply (RFC 792, type 0). */
    record EchoReply(int identifier, int sequence, byte[] data) implements IcmpMessage {
        public EchoReply {
            requireU16("identifier", identifier);
            requireU16("sequence", sequence);
            data = copyData(data);
        }

        @Override
        public int icmpType() {
            return ECHO_REPLY;
        }

        @Override
        public int icmpCode() {
            return 0;
        }

        @Override
        public int restOfHeader() {
            return identifier << 16 | sequence;
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + data.length;
        }

        @Override
        public void writeData(byte[] b, int off) {
            System.arraycopy(data, 0, b, off, data.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoReply e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identifier, sequence, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "ICMP echo reply, id " + identifier + ", seq " + sequence + ", length " + length();
        }
    }

    /**
     * Destination unreachable (RFC 792, type 3). {@code nextHopMtu} is the RFC 1191 section 4
     * field and is 0 unless the code is {@link UnreachableCode#FRAGMENTATION_NEEDED}.
     * {@code original} is the offending datagram's IP header and leading payload bytes.
     */
    record DestinationUnreachable(UnreachableCode code, int nextHopMtu, byte[] original) implements IcmpMessage {
        public DestinationUnreachable {
            Objects.requireNonNull(code, "code");
            requireU16("nextHopMtu", nextHopMtu);
            // RFC 792: the rest of the header is unused (zero) except for RFC 1191's next-hop MTU.
            if (nextHopMtu != 0 && code != UnreachableCode.FRAGMENTATION_NEEDED) {
                throw new IllegalArgumentException("next-hop MTU only with fragmentation needed");
            }
            original = copyData(original);
        }

        /** Fragmentation needed and DF set, with the MTU of the next hop (RFC 1191 section 4). */
        public static DestinationUnreachable fragmentationNeeded(int nextHopMtu, byte[] original) {
            return new DestinationUnreachable(UnreachableCode.FRAGMENTATION_NEEDED, nextHopMtu, original);
        }

        public static DestinationUnreachable of(UnreachableCode code, byte[] original) {
            return new DestinationUnreachable(code, 0, original);
        }

        @Override
        public int icmpType() {
            return DEST_UNREACHABLE;
        }

        @Override
        public int icmpCode() {
            return code.code();
        }

        @Override
        public int restOfHeader() {
            return nextHopMtu;
        }

        @Override
        public byte[] original() {
            return original.clone();
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + original.length;
        }

        @Override
        public void writeData(byte[] b, int off) {
            System.arraycopy(original, 0, b, off, original.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationUnreachable d && d.code == code && d.nextHopMtu == nextHopMtu
                    && Arrays.equals(d.original, original);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, nextHopMtu, Arrays.hashCode(original));
        }

        @Override
        public String toString() {
            return code == UnreachableCode.FRAGMENTATION_NEEDED
                    ? "ICMP unreachable - need to frag (mtu " + nextHopMtu + "), length " + length()
                    : "ICMP " + code.text() + " unreachable, length " + length();
        }
    }

    /** Time exceeded (RFC 792, type 11): TTL expired in transit, or reassembly timed out. */
    record TimeExceeded(TimeExceededCode code, byte[] original) implements IcmpMessage {
        public TimeExceeded {
            Objects.requireNonNull(code, "code");
            original = copyData(original);
        }

        @Override
        public int icmpType() {
            return TIME_EXCEEDED;
        }

        @Override
        public int icmpCode() {
            return code.code();
        }

        @Override
        public int restOfHeader() {
            return 0;
        }

        @Override
        public byte[] original() {
            return original.clone();
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + original.length;
        }

        @Override
        public void writeData(byte[] b, int off) {
            System.arraycopy(original, 0, b, off, original.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TimeExceeded t && t.code == code && Arrays.equals(t.original, original);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, Arrays.hashCode(original));
        }

        @Override
        public String toString() {
            return code == TimeExceededCode.TTL
                    ? "ICMP time exceeded in-transit, length " + length()
                    : "ICMP ip reassembly time exceeded, length " + length();
        }
    }

    /**
     * Any message no specific record represents: other types, unknown codes, or non-zero bytes
     * where RFC 792 says "unused". The constructor rejects messages a specific record represents,
     * so that each message has exactly one value.
     */
    record Other(int type, int code, int restOfHeader, byte[] data) implements IcmpMessage {
        public Other {
            if (type < 0 || type > 0xff || code < 0 || code > 0xff) {
                throw new IllegalArgumentException("ICMP type and code are bytes: " + type + "/" + code);
            }
            if (isSpecific(type, code, restOfHeader)) {
                throw new IllegalArgumentException("ICMP type " + type + " code " + code + " has its own record");
            }
            data = copyData(data);
        }

        @Override
        public int icmpType() {
            return type;
        }

        @Override
        public int icmpCode() {
            return code;
        }

        /** True when a specific record holds this type, code and rest of header exactly. */
        static boolean isSpecific(int type, int code, int rest) {
            return switch (type) {
                case ECHO_REQUEST, ECHO_REPLY -> code == 0;
                case DEST_UNREACHABLE -> UnreachableCode.fromCode(code) != null && (rest >>> 16) == 0
                        && ((rest & 0xffff) == 0 || code == UnreachableCode.FRAGMENTATION_NEEDED.code());
                case TIME_EXCEEDED -> TimeExceededCode.fromCode(code) != null && rest == 0;
                default -> false;
            };
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + data.length;
        }

        @Override
        public void writeData(byte[] b, int off) {
            System.arraycopy(data, 0, b, off, data.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other x && x.type == type && x.code == code && x.restOfHeader == restOfHeader
                    && Arrays.equals(x.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, code, restOfHeader, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "ICMP type " + type + ", code " + code + ", length " + length();
        }
    }

    /** Destination unreachable codes (RFC 792; RFC 1122 section 3.2.2.1; RFC 1812 section 5.2.7.1). */
    enum UnreachableCode {
        NET(0, "net"),
        HOST(1, "host"),
        PROTOCOL(2, "protocol"),
        PORT(3, "port"),
        FRAGMENTATION_NEEDED(4, "need to frag"),
        SOURCE_ROUTE_FAILED(5, "source route failed"),
        NET_UNKNOWN(6, "net unknown"),
        HOST_UNKNOWN(7, "host unknown"),
        SOURCE_HOST_ISOLATED(8, "source host isolated"),
        NET_PROHIBITED(9, "net prohibited"),
        HOST_PROHIBITED(10, "host prohibited"),
        NET_UNREACHABLE_FOR_TOS(11, "net for tos"),
        HOST_UNREACHABLE_FOR_TOS(12, "host for tos"),
        ADMIN_PROHIBITED(13, "admin prohibited filter"),
        HOST_PRECEDENCE_VIOLATION(14, "host precedence violation"),
        PRECEDENCE_CUTOFF(15, "precedence cutoff");

        private static final UnreachableCode[] BY_CODE = values();

        private final int code;
        private final String text;

        UnreachableCode(int code, String text) {
            this.code = code;
            this.text = text;
        }

        public int code() {
            return code;
        }

        /** Short text as tcpdump prints it ({@code port}, {@code host}, …). */
        public String text() {
            return text;
        }

        /** The code's constant, or null when no RFC defines it. */
        public static UnreachableCode fromCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /** Time exceeded codes (RFC 792). */
    enum TimeExceededCode {
        /** Time to live exceeded in transit. */
        TTL(0),
        /** Fragment reassembly time exceeded. */
        REASSEMBLY(1);

        private final int code;

        TimeExceededCode(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The code's constant, or null when RFC 792 does not define it. */
        public static TimeExceededCode fromCode(int code) {
            return switch (code) {
                case 0 -> TTL;
                case 1 -> REASSEMBLY;
                default -> null;
            };
        }
    }

    private static void requireU16(String name, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(name + " " + value + " not in 0..65535");
        }
    }

    private static byte[] copyData(byte[] data) {
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("ICMP data of " + data.length + " bytes exceeds " + MAX_DATA);
        }
        return data.clone();
    }
}
