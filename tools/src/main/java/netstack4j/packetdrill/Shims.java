package netstack4j.packetdrill;

import java.util.Map;

/**
 * The shell programs {@link ShellCommands} puts first on {@code PATH}: stand-ins for the host
 * tools packetdrill's scripts use to configure the kernel. Each writes what it was asked into
 * {@code $PDRILL_CTL/requests} for the runner to apply to the simulated stack and never touches
 * the host. POSIX sh, so they run wherever {@code /bin/sh} does.
 */
final class Shims {
    private Shims() {
    }

    /** {@code sysctl [-q] [-e] [-n] [-w] name=value … | name …}, as procps' sysctl reads its arguments. */
    private static final String SYSCTL = """
            #!/bin/sh
            # netstack4j pdrill shim: settings go to the simulated stack, never to the host.
            quiet=0; names=0
            for a in "$@"; do
              case "$a" in
                -*) case "$a" in *q*) quiet=1;; esac; case "$a" in *n*) names=1;; esac ;;
                *=*) n="${a%%=*}"; v="${a#*=}"
                     case "$n" in */*) n=$(printf '%s' "$n" | tr / .) ;; esac
                     printf 'sysctl %s=%s\\n' "$n" "$v" >> "$PDRILL_CTL/requests"
                     printf '%s=%s\\n' "$n" "$v" >> "$PDRILL_CTL/sysctl.values"
                     f="$PDRILL_CTL/proc/sys/$(printf '%s' "$n" | tr . /)"
                     mkdir -p "${f%/*}" && printf '%s\\n' "$v" > "$f"
                     [ "$quiet" = 1 ] || printf '%s = %s\\n' "$n" "$v" ;;
                *) n="$a"; case "$n" in */*) n=$(printf '%s' "$n" | tr / .) ;; esac
                   v=$(grep "^$n=" "$PDRILL_CTL/sysctl.values" | tail -n 1 | cut -d= -f2-)
                   if [ -z "$v" ]; then
                     echo "sysctl: cannot read $n: the simulated stack has no value for it" >&2; exit 255
                   fi
                   if [ "$names" = 1 ]; then echo "$v"; else echo "$n = $v"; fi ;;
              esac
            done
            exit 0
            """;

    /** packetdrill's {@code set_sysctls.py /proc/sys/a/b=v …}: sets each and writes the restore script. */
    private static final String SET_SYSCTLS = """
            #!/bin/sh
            # netstack4j pdrill shim for gtests/net/common/set_sysctls.py: the simulated stack, never the host.
            restore="$PDRILL_CTL/sysctl_restore_$PDRILL_RUNNER_PID.sh"
            [ -f "$restore" ] || printf '#!/bin/sh\\n' > "$restore"
            for a in "$@"; do
              case "$a" in
                *=*) p="${a%%=*}"; v="${a#*=}"; n=$(printf '%s' "${p#*/proc/sys/}" | tr / .)
                     old=$(grep "^$n=" "$PDRILL_CTL/sysctl.values" | tail -n 1 | cut -d= -f2-)
                     [ -n "$old" ] && printf "sysctl -q '%s=%s'\\n" "$n" "$old" >> "$restore"
                     printf 'sysctl %s=%s\\n' "$n" "$v" >> "$PDRILL_CTL/requests"
                     printf '%s=%s\\n' "$n" "$v" >> "$PDRILL_CTL/sysctl.values"
                     f="$PDRILL_CTL/proc/sys/$(printf '%s' "$n" | tr . /)"
                     mkdir -p "${f%/*}" && printf '%s\\n' "$v" > "$f" ;;
                *) echo "set_sysctls.py: expected /proc/sys/NAME=VALUE, not $a" >&2; exit 1 ;;
              esac
            done
            chmod +x "$restore"
            exit 0
            """;

    /** A shim that hands {@code command}'s arguments to the runner, which applies them to {@code what}. */
    private static String forwarding(String command, String what) {
        return """
                #!/bin/sh
                # netstack4j pdrill shim: %s go to the simulated %s, never to the host.
                printf '%s %%s\\n' "$*" >> "$PDRILL_CTL/requests"
                exit 0
                """.formatted(command.equals("ethtool") ? "device settings" : command + " commands", what, command);
    }

    private static final String IP = forwarding("ip", "stack");
    private static final String TC = forwarding("tc", "device");
    private static final String ETHTOOL = forwarding("ethtool", "device");

    /** {@code nstat}: the counters that changed since the last call, as nstat prints them. */
    private static final String NSTAT = """
            #!/bin/sh
            # netstack4j pdrill shim: the simulated stack's counters (nstat's deltas since its last run).
            h="$PDRILL_CTL/nstat.history"
            [ -s "$h" ] || echo "#start 0" > "$h"
            echo "#kernel"
            awk 'NR==FNR { old[$1] = $2; next } { d = $2 - old[$1]; if (d != 0) printf "%-32s %-15d %s\\n", $1, d, "0.0" }' \\
                "$h" "$PDRILL_CTL/nstat.current"
            cp "$PDRILL_CTL/nstat.current" "$h"
            exit 0
            """;

    static final Map<String, String> ALL = Map.of("sysctl", SYSCTL, "set_sysctls.py", SET_SYSCTLS, "ip", IP,
            "tc", TC, "nstat", NSTAT, "ethtool", ETHTOOL);
}
