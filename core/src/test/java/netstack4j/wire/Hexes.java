package netstack4j.wire;

/** Test helper for other packages: bytes from hex text (see {@link Hex}). */
public final class Hexes {
    private Hexes() {
    }

    public static byte[] bytes(String hex) {
        return Hex.bytes(hex);
    }
}
