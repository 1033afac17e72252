package netstack4j.wire;

/** ARP operation codes (RFC 826, "ar$op"). */
public enum ArpOperation {
    REQUEST(1),
    REPLY(2);

    private final int code;

    ArpOperation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The operation for {@code code}, or null when RFC 826 does not define it. */
    public static ArpOperation fromCode(int code) {
        return switch (code) {
            case 1 -> REQUEST;
            case 2 -> REPLY;
            default -> null;
        };
    }
}
