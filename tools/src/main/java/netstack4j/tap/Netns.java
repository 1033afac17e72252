package netstack4j.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace, made and configured with iproute2's {@code ip} as a person would,
 * and commands run inside it ({@code ip netns exec}). Traffic of the commands stays in it.
 *
 * <p>Thread-safe (immutable; each call starts its own process).
 */
public final class Netns {
    private final String name;
    private final boolean owned;

    private Netns(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
    }

    /** {@code ip netns add name}; fails with one line when the name exists or {@code ip} fails. */
    public static Netns create(String name) throws IOException {
        if (exists(name)) {
            throw new IOException("network namespace " + name + " exists already (use --netns " + name + " to run in it)");
        }
        run(List.of("ip", "netns", "add", name));
        Netns ns = new Netns(name, true);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** An existing namespace, which {@link #delete} leaves in place. */
    public static Netns existing(String name) throws IOException {
        if (!exists(name)) {
            throw new IOException("no network namespace " + name + " (ip netns add " + name + " makes one)");
        }
        return new Netns(name, false);
    }

    public static boolean exists(String name) {
        return Files.exists(Path.of("/run/netns", name));
    }

    public String name() {
        return name;
    }

    /** Whether this run made the namespace (and so removes it). */
    public boolean owned() {
        return owned;
    }

    /** {@code ip -n NAME args…}. */
    public void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** Moves interface {@code ifname} of this process's namespace into this one. */
    public void adopt(String ifname) throws IOException {
        run(List.of("ip", "link", "set", "dev", ifname, "netns", name));
    }

    /** Writes a sysctl of the namespace ({@code /proc/sys/…} as seen inside it). */
    public void sysctl(String key, String value) throws IOException {
        run(List.of("ip", "netns", "exec", name, "sh", "-c",
                "echo " + value + " > /proc/sys/" + key.replace('.', '/')));
    }

    /** The command line that runs {@code args} in the namespace. */
    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code args} in the namespace; returns exit code and output (stdout and stderr together). */
    public Result exec(long timeoutSeconds, String... args) throws IOException {
        return exec(timeoutSeconds, null, args);
    }

    /** As {@link #exec(long, String...)} with {@code input} given on stdin (then closed). */
    public Result exec(long timeoutSeconds, byte[] input, String... args) throws IOException {
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        // Output is read and input written by threads of their own: a command that echoes its
        // input (nc to an echo server) would otherwise fill one pipe while we fill the other.
        Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        Thread.ofPlatform().daemon(true).start(() -> {
            try (var stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            } catch (IOException e) {
                // the command ended without reading all of it; its exit code says what happened
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(5_000);
                return new Result(-1, out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8), true);
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", args));
        }
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8), false);
    }

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** {@code ip netns del}, if this run made it; kills what still runs inside first. Idempotent. */
    public void delete() {
        if (!owned || !exists(name)) {
            return;
        }
        try {
            Process pids = new ProcessBuilder("ip", "netns", "pids", name).redirectErrorStream(true).start();
            String out = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            pids.waitFor(10, TimeUnit.SECONDS);
            for (String pid : out.trim().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            run(List.of("ip", "netns", "del", name));
        } catch (IOException e) {
            System.err.println("netstack4j: could not remove network namespace " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.getFirst() + " (is iproute2 installed?)");
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + (out.isEmpty() ? "exit code " + p.exitValue() : out.lines().findFirst().orElse("")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
