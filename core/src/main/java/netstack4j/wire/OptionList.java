package netstack4j.wire;

/**
 * The option-list layout IPv4 (RFC 791 section 3.1) and TCP (RFC 9293 section 3.1) share: kind 0
 * ends the list (what follows is padding), kind 1 is a one-byte No-Operation, every other option
 * is kind, length (at least 2, counting both bytes) and data, inside the option space.
 */
final class OptionList {
    /** Extra rules for one protocol's known options: null when {@code length} is right for {@code kind}. */
    @FunctionalInterface
    interface KindRule {
        String check(int kind, int length);
    }

    private OptionList() {
    }

    /**
     * Null when {@code b[off, off+len)} is a well-formed option list under {@code rule}, else why
     * not: {@code truncated} or {@code lengthBelowTwo} (the protocol's own wording), or the rule's.
     */
    static String validate(byte[] b, int off, int len, String truncated, String lengthBelowTwo, KindRule rule) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == 0) {
                return null;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return truncated;
            }
            int optionLength = b[i + 1] & 0xff;
            if (optionLength < 2) {
                return lengthBelowTwo;
            }
            if (optionLength > end - i) {
                return truncated;
            }
            String reason = rule.check(kind, optionLength);
            if (reason != null) {
                return reason;
            }
            i += optionLength;
        }
        return null;
    }
}
