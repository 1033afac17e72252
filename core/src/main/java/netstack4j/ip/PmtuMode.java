package netstack4j.ip;

/**
 * Path MTU discovery per socket, as Linux's {@code IP_MTU_DISCOVER} (RFC 1191).
 */
public enum PmtuMode {
    /** IP_PMTUDISC_WANT (Linux's default): set DF on packets that fit the path MTU, fragment larger ones locally. */
    WANT,
    /** IP_PMTUDISC_DO: always set DF; a send larger than the path MTU fails with EMSGSIZE. */
    DO,
    /** IP_PMTUDISC_DONT: never set DF; fragment as needed. */
    DONT
}
