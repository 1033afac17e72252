package netstack4j.cli;

import java.security.SecureRandom;

/** Fresh seeds for runs that were not given one (printed, so any run can be repeated). */
final class Seeds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Seeds() {
    }

    static long fresh() {
        return RANDOM.nextInt(1, Integer.MAX_VALUE);
    }
}
