package netstack4j.torture;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Stack bugs the campaign has found and that are not fixed yet. The campaign test tolerates a
 * violation only when one of these matches it (its kind and its text), and prints how many runs
 * each matched. Remove an entry when its fix lands: the test then holds the stack to it.
 */
final class KnownIssues {
    /** One known bug: which violations are it, and what it is. */
    record Issue(String name, Violation.Kind kind, Pattern detail, String description) {
        boolean matches(Violation v) {
            return v.kind() == kind && detail.matcher(v.detail()).find();
        }
    }

    static final List<Issue> ALL = List.of();

    private KnownIssues() {
    }

    /** The known issue {@code v} is, or null. */
    static Issue match(Violation v) {
        for (Issue i : ALL) {
            if (i.matches(v)) {
                return i;
            }
        }
        return null;
    }
}
