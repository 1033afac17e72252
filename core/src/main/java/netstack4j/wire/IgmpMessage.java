package netstack4j.wire;

import java.util.Objects;

/**
 * An IGMPv2 message (RFC 2236 section 2) as a value, and its codec.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Type     | Max Resp Time |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Group Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Types: 0x11 membership query (general with group 0, else group-specific), 0x16 version 2
 * membership report, 0x17 leave group, 0x12 version 1 report (RFC 2236 section 2.1). The
 * maximum response time is in tenths of a second (section 2.2; 0 in a version 1 query means
 * 10 s, section 4). A version 3 query (RFC 3376 section 7.1: longer than 8 bytes) is parsed as a
 * query by its first 8 bytes, as version 2 hosts must (RFC 3376 section 7.2.1). The checksum is
 * not held: {@link #emit} computes it, {@link #parse} verifies it.
 */
public record IgmpMessage(int type, int maxResponseTenths, Ipv4Address group) {
    public static final int LENGTH = 8;
    public static final int MEMBERSHIP_QUERY = 0x11;
    public static final int V1_MEMBERSHIP_REPORT = 0x12;
    public static final int V2_MEMBERSHIP_REPORT = 0x16;
    public static final int LEAVE_GROUP = 0x17;
    /** RFC 3376 section 4.2: a version 3 report; it has no group field, so {@link #group()} is ANY. */
    public static final int V3_MEMBERSHIP_REPORT = 0x22;

    public IgmpMessage {
        Objects.requireNonNull(group, "group");
        if (type < 0 || type > 0xff || maxResponseTenths < 0 || maxResponseTenths > 0xff) {
            throw new IllegalArgumentException("type and max response time are bytes");
        }
    }

    public static IgmpMessage report(Ipv4Address group) {
        return new IgmpMessage(V2_MEMBERSHIP_REPORT, 0, group);
    }

    public static IgmpMessage leave(Ipv4Address group) {
        return new IgmpMessage(LEAVE_GROUP, 0, group);
    }

    /** A query: {@code group} {@link Ipv4Address#ANY} for a general one (RFC 2236 section 2.4). */
    public static IgmpMessage query(Ipv4Address group, int maxResponseTenths) {
        return new IgmpMessage(MEMBERSHIP_QUERY, maxResponseTenths, group);
    }

    public boolean isQuery() {
        return type == MEMBERSHIP_QUERY;
    }

    public boolean isReport() {
        return type == V2_MEMBERSHIP_REPORT || type == V1_MEMBERSHIP_REPORT;
    }

    /**
     * Parses {@code len} bytes at {@code b[off]}: at least 8, a correct checksum over all of them
     * (RFC 2236 section 2.3), and a group that is zero or multicast.
     */
    public static IgmpMessage parse(byte[] b, int off, int len) throws MalformedPacketException {
        if (len < LENGTH) {
            throw new MalformedPacketException("IGMP message of " + len + " bytes is shorter than 8");
        }
        if (Checksum.compute(b, off, len) != 0) {
            throw new MalformedPacketException("IGMP checksum error");
        }
        if ((b[off] & 0xff) == V3_MEMBERSHIP_REPORT) {
            // RFC 3376 section 4.2: reserved, number of group records, then the records; a
            // version 2 host ignores these reports (section 7.2.1), so only the type is kept.
            return new IgmpMessage(V3_MEMBERSHIP_REPORT, 0, Ipv4Address.ANY);
        }
        Ipv4Address group = Ipv4Address.read(b, off + 4);
        if (!group.isAny() && !group.isMulticast()) {
            throw new MalformedPacketException("IGMP group " + group + " is not a multicast address");
        }
        return new IgmpMessage(b[off] & 0xff, b[off + 1] & 0xff, group);
    }

    /** Writes the 8 bytes at {@code b[off]} with their checksum. */
    public void emit(byte[] b, int off) {
        b[off] = (byte) type;
        b[off + 1] = (byte) maxResponseTenths;
        b[off + 2] = 0;
        b[off + 3] = 0;
        group.write(b, off + 4);
        int c = Checksum.compute(b, off, LENGTH);
        b[off + 2] = (byte) (c >>> 8);
        b[off + 3] = (byte) c;
    }

    /** As tcpdump prints it: {@code igmp v2 report 239.1.2.3}, {@code igmp query v2}, {@code igmp leave 239.1.2.3}. */
    @Override
    public String toString() {
        return switch (type) {
            case MEMBERSHIP_QUERY -> "igmp query v2" + (group.isAny() ? "" : " [gaddr " + group + "]")
                    + (maxResponseTenths == 100 ? "" : " [max resp time " + maxResponseTenths / 10.0 + "s]");
            case V2_MEMBERSHIP_REPORT -> "igmp v2 report " + group;
            case V1_MEMBERSHIP_REPORT -> "igmp v1 report " + group;
            case LEAVE_GROUP -> "igmp leave " + group;
            case V3_MEMBERSHIP_REPORT -> "igmp v3 report";
            default -> "igmp type 0x" + Integer.toHexString(type);
        };
    }
}
