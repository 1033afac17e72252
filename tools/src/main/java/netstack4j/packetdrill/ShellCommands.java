package netstack4j.packetdrill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a script's backquoted commands as packetdrill's {@code safe_system} does
 * (run_command.c, {@code /bin/sh -c}; bash here when installed, see {@link #SHELL}), with the script's folder as working directory, so
 * {@code ../common/defaults.sh} runs as the program it is and the shell evaluates
 * {@code $((…))} itself. The host is never changed: the commands that would configure it are
 * shims on {@code PATH}, generated into a temporary folder per run, that talk back to the runner
 * through files in that folder:
 * <ul>
 *   <li>{@code sysctl} appends each {@code name=value} to {@code requests} and reads values
 *       back from {@code sysctl.values};</li>
 *   <li>{@code set_sysctls.py /proc/sys/a/b=v …} does the same and writes the restore script
 *       the corpus's cleanup command runs ({@code /tmp/sysctl_restore_${PPID}.sh}, pointed into
 *       the folder);</li>
 *   <li>{@code ip} and {@code tc} append their arguments to {@code requests};</li>
 *   <li>{@code nstat} prints the stack's counters that changed since its last call.</li>
 * </ul>
 * Writes to {@code /proc/sys/…} land in a copy of that tree in the folder (the command text is
 * rewritten to point there); changed files become requests too. After each command the runner
 * applies the requests to {@link StackSettings}, which is at the time of the line.
 *
 * <p>Thread-compatible: one per run.
 */
final class ShellCommands implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    private final Path scriptDir;
    private final StackSettings settings;
    private Path dir;

    /**
     * Whether shell lines run in a mount namespace of their own with the run's {@code /proc/sys}
     * bound over the host's: as root (who could otherwise change the host's settings from a file
     * a line runs) when util-linux's {@code unshare} is there. A user other than root cannot
     * write the host's {@code /proc/sys}; inline paths are rewritten for them.
     */
    /**
     * The shell for the lines: bash where there is one, as the corpus's lines are written for it
     * ({@code cmd &> /dev/null || …} in fastopen/client/nonblocking-sendto.pkt; dash would run
     * {@code cmd} in the background and skip the {@code ||} branch), else /bin/sh.
     */
    static final String SHELL = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
    static final boolean ISOLATE = runningAsRoot() && Files.isExecutable(Path.of("/usr/bin/unshare"));

    private static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    ShellCommands(Path scriptDir, StackSettings settings) {
        this.scriptDir = scriptDir;
        this.settings = settings;
    }

    /**
     * Runs {@code command}; returns null when it exits 0, else packetdrill's reason
     * ({@code non-zero status N}, with the first line of what it printed on stderr).
     */
    String run(String command) {
        try {
            Path ctl = folder();
            Files.writeString(ctl.resolve("requests"), "");
            writeValues(ctl);
            Map<Path, String> procBefore = writeProc(ctl);
            Map<Path, String> modulesBefore = writeModules(ctl);
            Path cwd = scriptDir == null ? Path.of(".") : scriptDir;
            String script = followLinkFiles(rewrite(command), cwd);
            ProcessBuilder pb = ISOLATE
                    // As root the line, and every file it runs, sees the run's /proc/sys in its own
                    // mount namespace: nothing it writes there reaches the host's settings.
                    ? new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                            "mount --bind \"$PDRILL_CTL/proc/sys\" /proc/sys"
                                    + " && mount --bind \"$PDRILL_CTL/sys/module\" /sys/module"
                                    + " && exec " + SHELL + " -c \"$PDRILL_SCRIPT\"")
                    : new ProcessBuilder(SHELL, "-c", script);
            pb.directory(cwd.toFile());
            Map<String, String> env = pb.environment();
            env.put("PDRILL_SCRIPT", script);
            env.put("PATH", ctl.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("PDRILL_CTL", ctl.toString());
            env.put("PDRILL_RUNNER_PID", Long.toString(ProcessHandle.current().pid()));
            env.put("PACKETDRILL_PID", Long.toString(ProcessHandle.current().pid()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ctl.resolve("stdout").toFile());
            pb.redirectError(ctl.resolve("stderr").toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "still running after " + TIMEOUT_SECONDS + " s";
            }
            Map<String, String> bySysctl = new java.util.HashMap<>();
            for (String r : Files.readAllLines(ctl.resolve("requests"))) {
                if (!r.isBlank()) {
                    settings.request(r);
                    if (r.startsWith("sysctl ") && r.contains("=")) {
                        bySysctl.put(r.substring(7, r.indexOf('=')), r.substring(r.indexOf('=') + 1));
                    }
                }
            }
            for (Map.Entry<Path, String> e : readProc(ctl, procBefore).entrySet()) {
                String name = e.getKey().toString();
                if (!e.getValue().equals(bySysctl.get(name))) { // the sysctl shim wrote it: applied above
                    settings.request("sysctl " + name + "=" + e.getValue());
                }
            }
            for (Map.Entry<Path, String> e : readTree(ctl.resolve("sys/module"), modulesBefore).entrySet()) {
                // Module parameters (tcp_cubic's hystart_detect, …): the stack's CUBIC has fixed ones.
                String what = "/sys/module/" + e.getKey().toString().replace('.', '/') + "=" + e.getValue();
                String key = e.getKey().toString();
                if (!e.getValue().equals(CUBIC_PARAMETERS.get(key.substring(key.lastIndexOf('.') + 1)))) {
                    settings.request("module " + what);
                }
            }
            if (p.exitValue() != 0) {
                String err = Files.readAllLines(ctl.resolve("stderr")).stream().filter(l -> !l.isBlank())
                        .findFirst().map(l -> " (" + l.strip() + ")").orElse("");
                return "non-zero status " + p.exitValue() + err;
            }
            return null;
        } catch (IOException e) {
            return "cannot run /bin/sh: " + netstack4j.lab.IoErrors.reason(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * The command with host paths pointed into the run's folder: {@code /proc/sys/} and the
     * {@code /tmp/sysctl_restore_} script, and {@code …/set_sysctls.py} (which the corpus copy
     * does not ship) to the shim of that name.
     */
    static String rewrite(String command) {
        return command.replace("/proc/sys/", "$PDRILL_CTL/proc/sys/").replace("/sys/module/", "$PDRILL_CTL/sys/module/")
                .replace("/tmp/sysctl_restore_${PPID}", "$PDRILL_CTL/sysctl_restore_${PPID}")
                .replaceAll("(?<=^|[\\s;&|`(])[^\\s;&|`()]*set_sysctls\\.py", "set_sysctls.py");
    }

    private static final java.util.regex.Pattern PATH_WORD = java.util.regex.Pattern.compile("(?<=^|[\\s;&|`(])\\.{1,2}/[^\\s;&|`()]+");

    /**
     * A symbolic link that a copy of the corpus turned into a text file holding its target (git
     * does that where links are not kept: {@code tcp/common/defaults.sh} holds
     * {@code ../../common/defaults.sh}) is followed, so the command runs the target as the link would.
     */
    static String followLinkFiles(String command, Path cwd) {
        java.util.regex.Matcher m = PATH_WORD.matcher(command);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String word = m.group();
            Path f = cwd.resolve(word).normalize();
            String replacement = word;
            try {
                if (Files.isRegularFile(f) && !Files.isExecutable(f) && Files.size(f) < 256) {
                    String target = Files.readString(f).strip();
                    Path t = f.getParent().resolve(target).normalize();
                    if (!target.contains("\n") && !target.startsWith("#") && Files.isRegularFile(t)) {
                        replacement = cwd.toAbsolutePath().normalize().relativize(t.toAbsolutePath()).toString();
                        replacement = replacement.startsWith(".") ? replacement : "./" + replacement;
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // not a link file: left as written
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Path folder() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("pdrill-shell");
            Path bin = Files.createDirectories(dir.resolve("bin"));
            for (Map.Entry<String, String> shim : Shims.ALL.entrySet()) {
                Path f = bin.resolve(shim.getKey());
                Files.writeString(f, shim.getValue(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return dir;
    }

    private void writeValues(Path ctl) throws IOException {
        StringBuilder b = new StringBuilder();
        settings.values().forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Files.writeString(ctl.resolve("sysctl.values"), b.toString());
        StringBuilder n = new StringBuilder();
        settings.counters().forEach((k, v) -> n.append(k).append(' ').append(v).append('\n'));
        Files.writeString(ctl.resolve("nstat.current"), n.toString());
    }

    /**
     * Linux's tcp_cubic module parameters (net/ipv4/tcp_cubic.c), which the stack's CUBIC uses as
     * constants: a script may read them under {@code /sys/module/tcp_cubic/parameters}; a write of
     * another value is reported as not applied.
     */
    static final Map<String, String> CUBIC_PARAMETERS = Map.of("beta", "717", "bic_scale", "41",
            "fast_convergence", "1", "hystart", "1", "hystart_ack_delta_us", "2000", "hystart_detect", "3",
            "hystart_low_window", "16", "tcp_friendliness", "1");

    /** A {@code sys/module} tree with tcp_cubic's parameters; returns what it wrote. */
    private static Map<Path, String> writeModules(Path ctl) throws IOException {
        Path dir = ctl.resolve("sys/module/tcp_cubic/parameters");
        Files.createDirectories(dir);
        Map<Path, String> written = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : CUBIC_PARAMETERS.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue() + "\n");
            written.put(ctl.resolve("sys/module").relativize(dir.resolve(e.getKey())), e.getValue());
        }
        return written;
    }

    /** A {@code proc/sys} tree holding the values set so far, so reads see them; returns what it wrote. */
    private Map<Path, String> writeProc(Path ctl) throws IOException {
        Path sys = ctl.resolve("proc/sys");
        Files.createDirectories(sys.resolve("net/ipv4"));
        Files.createDirectories(sys.resolve("net/core"));
        Map<Path, String> written = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : settings.values().entrySet()) {
            Path f = sys.resolve(e.getKey().replace('.', '/'));
            if (f.startsWith(sys)) {
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue() + "\n");
                written.put(sys.relativize(f), e.getValue());
            }
        }
        return written;
    }

    /** Files under {@code proc/sys} that a command created or changed: dotted name → value. */
    private static Map<Path, String> readProc(Path ctl, Map<Path, String> before) throws IOException {
        return readTree(ctl.resolve("proc/sys"), before);
    }

    /** Files under {@code sys} that a command created or changed: dotted name → value. */
    private static Map<Path, String> readTree(Path sys, Map<Path, String> before) throws IOException {
        Map<Path, String> changed = new java.util.LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(sys)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = sys.relativize(f);
                String v = Files.readString(f).strip();
                if (!v.equals(before.get(rel))) {
                    changed.put(Path.of(rel.toString().replace('/', '.')), v);
                }
            }
        }
        return changed;
    }

    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
