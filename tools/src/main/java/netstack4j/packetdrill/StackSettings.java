package netstack4j.packetdrill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.tcp.TcpSettings;

/**
 * The simulated host's settings as the script's shell lines change them: {@code sysctl},
 * {@code /proc/sys} writes and {@code set_sysctls.py} (through {@link ShellCommands}' shims),
 * and the {@code ip} and {@code tc} commands. Settings made before the stack runs become its
 * {@link StackConfig} and {@link TcpSettings}; every one the stack does not have, or cannot
 * change while it runs, is reported in the run's notes and in {@link #unapplied()}, never
 * dropped silently.
 *
 * <p>Thread-compatible: used by the script's process only.
 */
final class StackSettings {
    private final Personality personality;
    private final List<String> notes;
    /** Every sysctl the script set, by its dotted name, with the value as written. */
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    /** What the shims read back ({@code sysctl -n name}): the values set so far. */
    private final Map<String, String> values = new LinkedHashMap<>();
    private final java.util.Set<String> unapplied = new java.util.TreeSet<>();
    private NetStack stack;
    /** The {@code ethtool -K} requests so far, applied to the device when the stack starts. */
    private final List<String> ethtoolFeatures = new java.util.ArrayList<>();
    /** The {@code ip route} changes so far, applied when the stack starts. */
    private final List<RouteRequest> routeChanges = new java.util.ArrayList<>();

    StackSettings(Personality personality, List<String> notes) {
        this.personality = personality;
        this.notes = notes;
    }

    /** The settings made so far, name → value, as the shims read them. */
    Map<String, String> values() {
        return values;
    }

    /** The stack's counters, for the {@code nstat} shim (empty before the stack runs). */
    Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        if (stack != null) {
            for (netstack4j.stack.Counter c : netstack4j.stack.Counter.values()) {
                m.put(c.name(), stack.counters().get(c));
            }
        }
        return m;
    }

    /** A {@code tc qdisc … fq} asked for pacing (applied when the stack starts, or at once). */
    private boolean fqPacing;

    /** Settings and commands the stack could not take, one line each ("sysctl net.ipv4.tcp_sack", "tc qdisc …"). */
    java.util.Set<String> unapplied() {
        return unapplied;
    }

    StackConfig stackConfig() {
        return Sysctls.apply(StackConfig.defaults(personality), sysctls, report());
    }

    TcpSettings tcpSettings() {
        return Sysctls.applyTcp(personality, sysctls, report());
    }

    /** From now on settings reach a running stack. */
    void attach(NetStack running) {
        this.stack = running;
        running.tcp().setFqPacing(fqPacing);
        FastOpenSysctls.applyAll(running.tcp().fastOpen(), sysctls, report());
        ethtoolFeatures.forEach(this::applyFeatures);
        routeChanges.forEach(this::applyRoute);
    }

    /** One request from a shim, as it wrote it: {@code sysctl NAME=VALUE}, {@code ip ARGS}, {@code tc ARGS}. */
    void request(String line) {
        String[] w = line.split(" ", 2);
        String args = w.length > 1 ? w[1].strip() : "";
        switch (w[0]) {
            case "sysctl" -> sysctl(args);
            case "ip" -> ip(args);
            case "tc" -> tc(args);
            case "ethtool" -> ethtool(args);
            case "module" -> unsupported(line, "the stack's CUBIC keeps Linux's default module parameters");
            default -> unsupported(line, "unknown request");
        }
    }

    private void sysctl(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = assignment.substring(0, eq).strip().replace('/', '.');
        String value = assignment.substring(eq + 1).strip().replaceAll("\\s+", " ");
        values.put(name, value);
        if (stack == null) {
            sysctls.put(name, value);
            return;
        }
        if (FastOpenSysctls.handles(name)) {
            sysctls.put(name, value);
            FastOpenSysctls.apply(stack.tcp().fastOpen(), name, value, report());
            return;
        }
        if (name.startsWith("net.ipv4.tcp_")) {
            // TCP tunables change for the sockets created from now on (TcpLayer.setSettings).
            sysctls.put(name, value);
            stack.tcp().setSettings(Sysctls.applyTcp(personality, Map.of(name, value), report(), stack.tcp().settings()));
            return;
        }
        // The stack's IP-level configuration is fixed once it runs: the change is reported, not applied.
        unsupported("sysctl " + name + "=" + value, "the stack's IP settings cannot change while it runs");
    }

    private void ip(String args) {
        if (args.matches("tcp_metrics flush( all)?.*")) {
            if (stack != null) {
                stack.tcp().fastOpen().flushCache(); // the Fast Open cookies are the only TCP metrics the stack keeps
            }
            return;
        }
        if (args.matches("route (change|replace|add) \\S+ .*")) {
            RouteRequest r;
            try {
                r = RouteRequest.parse(args);
            } catch (IllegalArgumentException e) {
                unsupported("ip " + args, e.getMessage());
                return;
            }
            routeChanges.add(r);
            if (stack != null) {
                applyRoute(r);
            }
            notes.add("ip " + args);
            return;
        }
        unsupported("ip " + args, "the stack has no such setting");
    }

    /**
     * {@code route change|replace|add DST [via GW] dev DEV [advmss N] [mtu [lock] N] [initcwnd N]}:
     * the route for DST (a host when no prefix length is given) with those metrics, replacing the
     * one for the same prefix.
     */
    record RouteRequest(String text, netstack4j.wire.Ipv4Prefix dst, netstack4j.wire.Ipv4Address via, String dev,
                        int mtu, boolean lock, int advmss, int initcwnd) {
        /** Parses the request; an option the stack's routes lack or a malformed value is an IllegalArgumentException saying so. */
        static RouteRequest parse(String args) {
            String[] w = args.trim().split("\\s+");
            netstack4j.wire.Ipv4Address via = null;
            String dev = null;
            int mtu = 0;
            boolean lock = false;
            int advmss = 0;
            int initcwnd = 0;
            try {
                netstack4j.wire.Ipv4Prefix dst = netstack4j.wire.Ipv4Prefix.parse(w[2]);
                for (int i = 3; i < w.length; i++) {
                    switch (w[i]) {
                        case "via" -> via = netstack4j.wire.Ipv4Address.parse(w[++i]);
                        case "dev" -> dev = w[++i];
                        case "advmss" -> advmss = Integer.parseInt(w[++i]);
                        case "initcwnd" -> initcwnd = Integer.parseInt(w[++i]);
                        case "mtu" -> {
                            lock = w[i + 1].equals("lock");
                            i += lock ? 2 : 1;
                            mtu = Integer.parseInt(w[i]);
                        }
                        default -> throw new IllegalArgumentException("the stack's routes have no " + w[i]);
                    }
                }
                if (dev == null) {
                    throw new IllegalArgumentException("a route needs its dev");
                }
                return new RouteRequest(args, dst, via, dev, mtu, lock, advmss, initcwnd);
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("an option without its value");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: " + e.getMessage());
            }
        }
    }

    /** A parsed {@code ip route} request on the running stack. */
    private void applyRoute(RouteRequest r) {
        netstack4j.ip.NetInterface dev = stack.interfaceByName(r.dev());
        if (dev == null) {
            notes.add("ip " + r.text() + " not applied: no such device");
            return;
        }
        try {
            stack.routes().replace(new netstack4j.ip.Route(r.dst(), r.via(), dev, r.mtu(), r.lock(), r.advmss(), r.initcwnd()));
        } catch (IllegalArgumentException e) {
            notes.add("ip " + r.text() + " not applied: " + e.getMessage());
        }
    }

    private void tc(String args) {
        if (args.matches("qdisc (add|replace) dev \\S+ root pfifo\\s*") || args.matches("qdisc del(ete)? dev \\S+ root.*")) {
            // The simulated device sends at once in order: a default pfifo (or none) is what it does.
            notes.add("tc " + args + ": the simulated device is already a plain FIFO");
            return;
        }
        if (args.matches("qdisc (add|replace) dev \\S+ root fq\\s*")) {
            // sch_fq with its defaults: TCP's transmissions leave at their paced departure times.
            fqPacing = true;
            if (stack != null) {
                stack.tcp().setFqPacing(true);
            }
            notes.add("tc " + args + ": TCP paced as sch_fq releases it");
            return;
        }
        unsupported("tc " + args, "the simulated device has no queueing discipline");
    }

    private void ethtool(String args) {
        if (args.matches("-K \\S+( (gso|tso|gro|lro) (on|off))+")) {
            // ethtool -K: the features of the script's device, now or when the stack starts.
            ethtoolFeatures.add(args);
            if (stack != null) {
                applyFeatures(args);
            }
            notes.add("ethtool " + args);
            return;
        }
        unsupported("ethtool " + args, "the simulated device has no such setting");
    }

    /** {@code -K DEV FEATURE on|off ...} on the running stack's device ({@code lro} it does not have). */
    private void applyFeatures(String args) {
        String[] w = args.split(" ");
        netstack4j.ip.NetInterface iface = stack.interfaceByName(w[1]);
        if (iface == null) {
            return;
        }
        for (int i = 2; i + 1 < w.length; i += 2) {
            iface.device().features().set(w[i], w[i + 1].equals("on"));
        }
    }

    private void unsupported(String what, String why) {
        notes.add(what + " not applied: " + why);
        unapplied.add(what.replaceAll("=.*", ""));
    }

    /** A notes list that also records which settings were not applied. */
    private List<String> report() {
        return new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return notes.get(i);
            }

            @Override
            public int size() {
                return notes.size();
            }

            @Override
            public boolean add(String s) {
                notes.add(s);
                if (s.startsWith("sysctl ") && s.contains(" not applied")) {
                    unapplied.add("sysctl " + s.substring(7).replaceAll("=.*", ""));
                }
                return true;
            }
        };
    }
}
