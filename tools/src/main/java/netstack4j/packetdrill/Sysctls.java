package netstack4j.packetdrill;

import java.util.List;
import java.util.Map;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.tcp.TcpSettings;

/**
 * The {@code sysctl} settings a script's shell lines made (see {@link ShellCommands}), applied
 * to the stack's {@link StackConfig} and {@link TcpSettings}; the ones the stack does not have
 * are reported, never failed on.
 *
 * <p>Stateless parsing; instances are used by one thread.
 */
public final class Sysctls {

    private Sysctls() {
    }

    /**
     * Applies the settings the stack has to {@code config}; adds a note for each one it does not
     * apply. Names are accepted with or without their {@code net.ipv4.} / {@code net.core.} prefix.
     */
    static StackConfig apply(StackConfig config, Map<String, String> settings, List<String> notes) {
        StackConfig c = config;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name.startsWith("net.ipv4.tcp_")) {
                continue;
            }
            try {
                switch (name) {
                    case "net.ipv4.ip_default_ttl" -> c = c.toBuilder().ipDefaultTtl(Integer.parseInt(value)).build();
                    case "net.ipv4.ip_forward" -> c = c.withIpForward(!value.equals("0"));
                    case "net.ipv4.icmp_ratelimit" -> c = c.withIcmpRatelimitNs(Long.parseLong(value) * 1_000_000L);
                    case "net.ipv4.ipfrag_high_thresh" -> c = c.withIpfragHighThreshBytes(Integer.parseInt(value));
                    case "net.ipv4.ip_local_port_range" -> {
                        String[] p = value.split("\\s+");
                        c = c.withEphemeralPorts(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
                    }
                    case "net.core.rmem_max", "net.core.wmem_max", "net.core.rmem_default", "net.core.wmem_default" -> {
                        int v = Integer.parseInt(value);
                        StackConfig.Builder b = c.toBuilder();
                        switch (name) {
                            case "net.core.rmem_default" -> b.udpRmemDefault(v);
                            case "net.core.wmem_default" -> b.udpWmemDefault(v);
                            case "net.core.rmem_max" -> b.rmemMax(v);
                            default -> b.wmemMax(v);
                        }
                        c = b.build();
                    }
                    default -> notes.add("sysctl " + name + "=" + value + " not applied: no such setting in the stack");
                }
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException ex) {
                notes.add("sysctl " + name + "=" + value + " not applied: " + ex.getMessage());
            }
        }
        return c;
    }

    /**
     * The TCP settings for {@code personality} with the {@code net.ipv4.tcp_*} sysctls applied
     * that {@link TcpSettings} has; a note for each one it does not have.
     */
    public static TcpSettings applyTcp(Personality personality, Map<String, String> settings, List<String> notes) {
        return applyTcp(personality, settings, notes,
                personality == Personality.WINDOWS ? TcpSettings.windows() : TcpSettings.linux());
    }

    /** {@link #applyTcp(Personality, Map, List)} on top of {@code base} (a running stack's settings). */
    static TcpSettings applyTcp(Personality personality, Map<String, String> settings, List<String> notes, TcpSettings base) {
        Map<String, Object> changes = new java.util.HashMap<>();
        Map<String, Object> loss = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("net.ipv4.tcp_") || FastOpenSysctls.handles(name)) {
                continue; // Fast Open's settings go to the stack's FastOpen (FastOpenSysctls)
            }
            String[] v = e.getValue().trim().split("\\s+");
            try {
                switch (name.substring("net.ipv4.".length())) {
                    case "tcp_rmem" -> {
                        changes.put("rmemMin", Integer.parseInt(v[0]));
                        changes.put("rmemDefault", Integer.parseInt(v[1]));
                        changes.put("rmemMax", Integer.parseInt(v[2]));
                    }
                    case "tcp_wmem" -> {
                        changes.put("wmemMin", Integer.parseInt(v[0]));
                        changes.put("wmemDefault", Integer.parseInt(v[1]));
                        changes.put("wmemMax", Integer.parseInt(v[2]));
                    }
                    case "tcp_mem" -> changes.put("tcpMem",
                            new TcpSettings.MemLimits(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2])));
                    case "tcp_syn_retries" -> changes.put("synRetries", Integer.parseInt(v[0]));
                    case "tcp_synack_retries" -> changes.put("synackRetries", Integer.parseInt(v[0]));
                    case "tcp_retries2" -> changes.put("retries2", Integer.parseInt(v[0]));
                    case "tcp_fin_timeout" -> changes.put("finTimeoutNs", Long.parseLong(v[0]) * 1_000_000_000L);
                    case "tcp_keepalive_time" -> changes.put("keepaliveIdleNs", Long.parseLong(v[0]) * 1_000_000_000L);
                    case "tcp_keepalive_intvl" -> changes.put("keepaliveIntervalNs", Long.parseLong(v[0]) * 1_000_000_000L);
                    case "tcp_keepalive_probes" -> changes.put("keepaliveProbes", Integer.parseInt(v[0]));
                    case "tcp_challenge_ack_limit" -> changes.put("challengeAckLimit", Integer.parseInt(v[0]));
                    case "tcp_invalid_ratelimit" -> changes.put("invalidRatelimitNs", Long.parseLong(v[0]) * 1_000_000L);
                    case "tcp_syncookies" -> changes.put("syncookies", Integer.parseInt(v[0]));
                    case "tcp_congestion_control" -> {
                        if (netstack4j.tcp.CongestionControls.create(v[0], 1460, 1) == null) {
                            throw new IllegalArgumentException("no congestion control " + v[0]);
                        }
                        changes.put("congestionControl", v[0]);
                    }
                    case "tcp_window_scaling" -> changes.put("windowScaling", Integer.parseInt(v[0]) != 0);
                    case "tcp_timestamps" -> changes.put("timestamps", Integer.parseInt(v[0]) != 0);
                    case "tcp_sack" -> changes.put("sack", Integer.parseInt(v[0]) != 0);
                    case "tcp_dsack" -> changes.put("dsack", Integer.parseInt(v[0]) != 0);
                    case "tcp_orphan_retries" -> changes.put("orphanRetries", Integer.parseInt(v[0]));
                    case "tcp_max_tw_buckets" -> changes.put("maxTwBuckets", Integer.parseInt(v[0]));
                    case "tcp_recovery" -> loss.put("recovery", Integer.decode(v[0]));
                    case "tcp_early_retrans" -> loss.put("earlyRetrans", Integer.parseInt(v[0]));
                    case "tcp_reordering" -> loss.put("reordering", Integer.parseInt(v[0]));
                    case "tcp_min_tso_segs" -> loss.put("minTsoSegs", Integer.parseInt(v[0]));
                    case "tcp_pacing_ss_ratio" -> loss.put("pacingSsRatio", Integer.parseInt(v[0]));
                    case "tcp_pacing_ca_ratio" -> loss.put("pacingCaRatio", Integer.parseInt(v[0]));
                    case "tcp_slow_start_after_idle" -> loss.put("slowStartAfterIdle", Integer.parseInt(v[0]) != 0);
                    case "tcp_ecn" -> loss.put("ecn", Integer.parseInt(v[0]));
                    case "tcp_notsent_lowat" -> loss.put("notsentLowat", Long.parseLong(v[0]));
                    case "tcp_mtu_probing" -> loss.put("mtuProbing", Integer.parseInt(v[0]));
                    case "tcp_base_mss" -> loss.put("baseMss", Integer.parseInt(v[0]));
                    case "tcp_probe_threshold" -> loss.put("probeThreshold", Integer.parseInt(v[0]));
                    default -> notes.add("sysctl " + name + "=" + e.getValue() + " not applied: no such TCP setting in the stack");
                }
            } catch (RuntimeException ex) {
                notes.add("sysctl " + name + "=" + e.getValue() + " not applied: " + ex.getMessage());
            }
        }
        if (!loss.isEmpty()) {
            try {
                changes.put("loss", withChanges(base.loss(), loss));
            } catch (IllegalStateException ex) {
                Throwable root = ex;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                notes.add("sysctls " + loss.keySet() + " not applied: " + root.getMessage());
            }
        }
        return changes.isEmpty() ? base : withChanges(base, changes);
    }

    /** A copy of a record with some components replaced, through its canonical constructor. */
    private static <R extends Record> R withChanges(R record, Map<String, Object> changes) {
        try {
            java.lang.reflect.RecordComponent[] rc = record.getClass().getRecordComponents();
            Object[] args = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = changes.containsKey(rc[i].getName()) ? changes.get(rc[i].getName()) : rc[i].getAccessor().invoke(record);
            }
            @SuppressWarnings("unchecked")
            R copy = (R) record.getClass().getDeclaredConstructor(types).newInstance(args);
            return copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
    }
}
