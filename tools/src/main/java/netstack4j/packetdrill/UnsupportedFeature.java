package netstack4j.packetdrill;

/** Something a script uses that the runner cannot do: the script is skipped with this reason. */
final class UnsupportedFeature extends RuntimeException {
    UnsupportedFeature(String what) {
        super(what + " is not supported");
    }

    UnsupportedFeature(String reason, boolean verbatim) {
        super(reason);
    }
}
