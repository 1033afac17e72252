package netstack4j.packetdrill;

/** What the runner's shell lines can reach of the host, for callers outside this package (tests, reports). */
public final class ShellAccess {
    private ShellAccess() {
    }

    /** True when shell lines run in their own mount namespace with the run's {@code /proc/sys}. */
    public static boolean isolated() {
        return ShellCommands.ISOLATE;
    }
}
