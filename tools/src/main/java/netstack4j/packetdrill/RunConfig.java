package netstack4j.packetdrill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.wire.Ipv4Address;

/**
 * The settings of one run, as packetdrill's {@code struct config}: filled from the script's
 * {@code --name=value} lines first and then from the command line's flags, which win, as
 * packetdrill's {@code parse_and_finalize_config} (config.c) does; addresses get packetdrill's
 * IPv4 defaults ({@code set_ipv4_defaults}).
 *
 * <p>Every flag of packetdrill's {@code options[]} table is known; one that the runner cannot
 * honour (IPv6, wire mode, a shared-object stack) is a SKIP naming it; a name not in the table
 * is an error, as {@code parse_script_options} and {@code getopt_long} make it.
 *
 * <p>Thread-compatible: one per run.
 */
final class RunConfig {
    /** packetdrill's {@code options[]} (config.c): name → whether it takes an argument. */
    static final Map<String, Boolean> OPTIONS = options();

    String ipVersion = "ipv4";
    Ipv4Address localIp = Ipv4Address.of(192, 168, 0, 1);
    Ipv4Address remoteIp = Ipv4Address.of(192, 0, 2, 1);
    Ipv4Address gatewayIp = Ipv4Address.of(192, 168, 0, 1);
    int prefixLength = 16;
    int bindPort = 8080;
    int connectPort = 8080;
    long toleranceUsecs = 4000;
    double tolerancePercent = 12.5;
    boolean strictSegments;
    /** {@code --mss}: the MSS option packetdrill writes into inbound SYNs that list {@code mss} without a value; 0 when unset. */
    int mss;
    /** {@code --mtu}: the device MTU (packetdrill's TUN default, 1500). */
    int mtu = 1500;
    /** {@code --tcp_ts_tick_usecs}: 0 disables checks of outbound TS val (packetdrill's default). */
    int tcpTsTickUsecs;
    boolean tcpTsEcrScaled;
    boolean sendOmitFree;
    /** {@code --code_command}: packetdrill's default is python3 from PATH; the system's own is used when there is one (a version manager's PATH shim costs 100 ms a start). */
    String codeCommand = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    final Map<String, String> defines = new LinkedHashMap<>();

    private static Map<String, Boolean> options() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String a : List.of("ip_version", "bind_port", "code_command", "code_format", "code_sockopt",
                "connect_port", "remote_ip", "local_ip", "gateway_ip", "netmask_ip", "speed", "mss", "mtu",
                "init_scripts", "tolerance_usecs", "tolerance_percent", "wire_server_ip", "wire_server_at",
                "wire_server_port", "wire_client_dev", "wire_server_dev", "so_filename", "so_flags",
                "tcp_ts_tick_usecs", "non_fatal", "define")) {
            m.put(a, true);
        }
        for (String a : List.of("wire_client", "wire_server", "tcp_ts_ecr_scaled", "strict_segments", "dry_run",
                "is_anyip", "send_omit_free", "debug", "verbose")) {
            m.put(a, false);
        }
        return Map.copyOf(m);
    }

    /**
     * Applies the script's option lines, then {@code commandLine}; packetdrill's
     * {@code parse_script_options} followed by {@code parse_command_line_options}.
     *
     * @throws ScriptFailure for an unknown option or a bad value (packetdrill's wording)
     * @throws UnsupportedFeature for an option the runner knows but cannot honour
     */
    static RunConfig of(String scriptName, List<ScriptOption> scriptOptions, List<ScriptRunner.Flag> commandLine) {
        RunConfig c = new RunConfig();
        for (ScriptOption o : scriptOptions) {
            Boolean hasArg = OPTIONS.get(o.name());
            if (hasArg == null) {
                throw new ScriptFailure(scriptName + ": option '" + o.name() + "' unknown");
            }
            if (o.value().isPresent() && !hasArg) {
                throw new ScriptFailure(scriptName + ": option '" + o.name() + "' forbids an argument");
            }
            if (o.value().isEmpty() && hasArg) {
                throw new ScriptFailure(scriptName + ": option '" + o.name() + "' requires an argument");
            }
            c.process(o.name(), o.value().map(RunConfig::unquote).orElse(null), scriptName);
        }
        for (ScriptRunner.Flag f : commandLine) {
            c.process(f.name(), f.value(), "Command Line");
        }
        return c;
    }

    private static String unquote(String v) {
        String s = v.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** packetdrill's {@code process_option} (config.c) for one option. */
    void process(String name, String value, String where) {
        switch (name) {
            case "ip_version" -> {
                switch (value) {
                    case "ipv4" -> ipVersion = value;
                    case "ipv6", "ipv4-mapped-ipv6" -> throw new UnsupportedFeature(
                            "--ip_version=" + value + " (the stack has IPv4 only)", true);
                    default -> throw bad(where, name, value);
                }
            }
            case "bind_port" -> bindPort = port(where, name, value);
            case "connect_port" -> connectPort = port(where, name, value);
            case "remote_ip" -> remoteIp = address(where, name, value.replaceAll("/\\d+$", ""));
            case "local_ip" -> localIp = address(where, name, value);
            case "gateway_ip" -> gatewayIp = address(where, name, value);
            case "netmask_ip" -> prefixLength = prefix(where, name, value);
            case "mss" -> {
                mss = atoi(value);
                if (mss <= 0) {
                    throw bad(where, name, value);
                }
            }
            case "mtu" -> {
                mtu = atoi(value);
                if (mtu < 0) {
                    throw bad(where, name, value);
                }
            }
            case "tolerance_usecs" -> {
                toleranceUsecs = atoi(value);
                if (toleranceUsecs <= 0) {
                    throw bad(where, name, value);
                }
            }
            case "tolerance_percent" -> {
                try {
                    tolerancePercent = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    tolerancePercent = 0;
                }
                if (tolerancePercent < 0 || tolerancePercent > 100) {
                    throw bad(where, name, value);
                }
            }
            case "tcp_ts_tick_usecs" -> {
                tcpTsTickUsecs = atoi(value);
                if (tcpTsTickUsecs < 0 || tcpTsTickUsecs > 1_000_000) {
                    throw bad(where, name, value);
                }
            }
            case "tcp_ts_ecr_scaled" -> tcpTsEcrScaled = true;
            case "strict_segments" -> strictSegments = true;
            case "send_omit_free" -> sendOmitFree = true;
            case "code_command" -> codeCommand = value;
            case "code_format" -> {
                if (!value.equals("python")) {
                    throw new ScriptFailure("unsupported --code_format '" + value + "'");
                }
            }
            case "define" -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new ScriptFailure(where + ": bad definition: " + value);
                }
                defines.put(value.substring(0, eq), value.substring(eq + 1));
            }
            case "wire_client", "wire_server", "wire_server_ip", "wire_server_at", "wire_server_port",
                 "wire_client_dev", "wire_server_dev", "so_filename", "so_flags", "is_anyip" ->
                    throw new UnsupportedFeature("--" + name + " (the runner plays scripts locally only)", true);
            case "speed", "code_sockopt", "init_scripts", "non_fatal", "dry_run", "debug", "verbose" -> {
                // Accepted as packetdrill accepts them; they change nothing the simulated run shows.
            }
            default -> throw new ScriptFailure(where + ": option '" + name + "' unknown");
        }
    }

    /** The next hop for the remote side: the gateway, or another on-link address when it is the local address. */
    Ipv4Address nextHop() {
        if (!gatewayIp.equals(localIp)) {
            return gatewayIp;
        }
        // packetdrill's TUN device is point-to-point: the gateway (192.168.0.1 in run_all.py, the
        // same as the local address) never answers ARP. Any other on-link address does here.
        return new Ipv4Address(localIp.value() ^ 1);
    }

    private static ScriptFailure bad(String where, String name, String value) {
        return new ScriptFailure(where + ": bad --" + name + ": " + value);
    }

    /** C's atoi: leading digits, 0 when there are none. */
    private static int atoi(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([-+]?\\d+)").matcher(s == null ? "" : s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int port(String where, String name, String value) {
        int p = atoi(value);
        if (p <= 0 || p > 0xffff) {
            throw bad(where, name, value);
        }
        return p;
    }

    private static Ipv4Address address(String where, String name, String value) {
        try {
            return Ipv4Address.parse(value);
        } catch (IllegalArgumentException e) {
            if (value.contains(":")) {
                throw new UnsupportedFeature("--" + name + "=" + value + " (the stack has IPv4 only)", true);
            }
            throw bad(where, name, value);
        }
    }

    private static int prefix(String where, String name, String value) {
        int mask = address(where, name, value).value();
        int len = Integer.bitCount(mask);
        if (mask != (len == 0 ? 0 : -1 << (32 - len))) {
            throw bad(where, name, value);
        }
        return len;
    }
}
