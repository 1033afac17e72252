package netstack4j.packetdrill;

import java.util.List;
import java.util.Map;
import netstack4j.tcp.FastOpen;

/**
 * The TCP Fast Open sysctls (RFC 7413, Linux's net.ipv4.tcp_fastopen*), which live in the stack's
 * {@link FastOpen} rather than in its TcpSettings: {@code tcp_fastopen} (the TFO_* bits),
 * {@code tcp_fastopen_key} (one or two keys a-b-c-d), {@code tcp_fastopen_cookies} (the
 * cache size of Google's kernels the corpus sets to 0 to empty the cache) and
 * {@code tcp_fastopen_blackhole_timeout_sec} (the stack never turns Fast Open off for a
 * black hole, which is what 0 asks for).
 *
 * <p>Stateless.
 */
final class FastOpenSysctls {
    private FastOpenSysctls() {
    }

    /** Whether {@code name} (dotted, with its net.ipv4. prefix) is one of these. */
    static boolean handles(String name) {
        return name.startsWith("net.ipv4.tcp_fastopen");
    }

    /** Applies every Fast Open setting of {@code sysctls} to {@code fo}, in order. */
    static void applyAll(FastOpen fo, Map<String, String> sysctls, List<String> notes) {
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            if (handles(e.getKey())) {
                apply(fo, e.getKey(), e.getValue(), notes);
            }
        }
    }

    /** Applies one setting; a value the stack cannot take is reported in {@code notes}. */
    static void apply(FastOpen fo, String name, String value, List<String> notes) {
        try {
            switch (name.substring("net.ipv4.".length())) {
                case "tcp_fastopen" -> fo.setMode(Integer.decode(value.strip()));
                case "tcp_fastopen_key" -> fo.setKeys(value);
                case "tcp_fastopen_cookies" -> {
                    if (Integer.parseInt(value.strip()) == 0) {
                        fo.flushCache();
                    }
                }
                case "tcp_fastopen_blackhole_timeout_sec" -> {
                    if (Integer.parseInt(value.strip()) != 0) {
                        notes.add("sysctl " + name + "=" + value + " not applied: the stack has no Fast Open black hole detection");
                    }
                }
                default -> notes.add("sysctl " + name + "=" + value + " not applied: no such TCP setting in the stack");
            }
        } catch (IllegalArgumentException ex) {
            notes.add("sysctl " + name + "=" + value + " not applied: " + ex.getMessage());
        }
    }
}
