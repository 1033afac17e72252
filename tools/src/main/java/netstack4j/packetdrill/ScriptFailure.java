package netstack4j.packetdrill;

/** The stack did not do what the script says: the message is packetdrill's wording. */
final class ScriptFailure extends RuntimeException {
    ScriptFailure(String message) {
        super(message);
    }
}
