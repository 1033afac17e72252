package netstack4j.packetdrill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import netstack4j.socket.SocketInfo;
import netstack4j.socket.TcpSocket;

/**
 * The {@code %{ … }%} blocks, run as packetdrill runs them (code.c): at a block's time the
 * socket under test's {@code tcp_info} is read ({@code get_data}) and kept with the block's
 * text; after the last event every block, each preceded by its snapshot as Python assignments
 * ({@code write_tcp_info}: the {@code TCP_*} state symbols, {@code tcpi_*} fields and
 * {@code SK_MEMINFO_*}), is written to one Python file and run with {@code python3}
 * ({@code code_execute}). A failed assertion, an unknown name or any other Python error makes
 * Python exit non-zero, which fails the script with Python's own message. A tcp_info field the
 * stack does not report is not bound, so a block that reads it fails with a NameError.
 *
 * <p>Thread-compatible: one per run.
 */
final class CodeBlocks {
    private static final long TIMEOUT_SECONDS = 60;

    /** packetdrill's {@code python_preamble}: errors name the script's file and line. */
    private static final String PREAMBLE = """
            import sys
            import traceback
            def excepthook(etype, value, tb):
              sys.stderr.write("%s:%d: error in Python code\\n" %
                               (_file, _line))
              traceback.print_exception(etype, value, tb)

            sys.excepthook = excepthook

            """;

    /** {@code write_symbols}: the names packetdrill binds before each snapshot. */
    private static final List<String> SYMBOLS = List.of("TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV",
            "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
            "TCP_LISTEN", "TCP_CLOSING", "TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery",
            "TCP_CA_Loss", "TCPI_OPT_TIMESTAMPS", "TCPI_OPT_WSCALE", "TCPI_OPT_ECN", "TCPI_OPT_SYN_DATA");

    /** {@code write_tcp_info}'s fields, in its order. */
    static final List<String> TCP_INFO_FIELDS = List.of("tcpi_state", "tcpi_ca_state", "tcpi_retransmits",
            "tcpi_probes", "tcpi_backoff", "tcpi_options", "tcpi_snd_wscale", "tcpi_rcv_wscale",
            "tcpi_delivery_rate_app_limited", "tcpi_rto", "tcpi_ato", "tcpi_snd_mss", "tcpi_rcv_mss",
            "tcpi_unacked", "tcpi_sacked", "tcpi_lost", "tcpi_retrans", "tcpi_fackets", "tcpi_last_data_sent",
            "tcpi_last_ack_sent", "tcpi_last_data_recv", "tcpi_last_ack_recv", "tcpi_pmtu", "tcpi_rcv_ssthresh",
            "tcpi_rtt", "tcpi_rttvar", "tcpi_snd_ssthresh", "tcpi_snd_cwnd", "tcpi_advmss", "tcpi_reordering",
            "tcpi_total_retrans", "tcpi_pacing_rate", "tcpi_max_pacing_rate", "tcpi_rcv_rtt", "tcpi_rcv_space",
            "tcpi_bytes_acked", "tcpi_bytes_received", "tcpi_segs_out", "tcpi_segs_in", "tcpi_notsent_bytes",
            "tcpi_min_rtt", "tcpi_data_segs_in", "tcpi_data_segs_out", "tcpi_delivery_rate", "tcpi_busy_time",
            "tcpi_rwnd_limited", "tcpi_sndbuf_limited", "tcpi_delivered", "tcpi_delivered_ce", "tcpi_bytes_sent",
            "tcpi_bytes_retrans", "tcpi_dsack_dups", "tcpi_reord_seen");

    private final String scriptPath;
    private final String command;
    private final StringBuilder program = new StringBuilder(PREAMBLE);
    private boolean any;

    /**
     * @param scriptPath the script as named in messages ({@code _file})
     * @param command    the interpreter, packetdrill's {@code --code_command} (default python3)
     */
    CodeBlocks(String scriptPath, String command) {
        this.scriptPath = scriptPath;
        this.command = command;
    }

    /**
     * run_code_event: reads the socket's tcp_info now and keeps it with the block. Returns null,
     * or packetdrill's reason when there is no socket to read.
     */
    String snapshot(int line, String text, TcpSocket socket) {
        if (socket == null) {
            return "no socket to use for code";
        }
        SocketInfo info;
        try {
            info = socket.info();
        } catch (RuntimeException e) {
            return "can't find getsockopt to get TCP info";
        }
        for (String s : SYMBOLS) {
            program.append(s).append(" = ").append(CConstants.value(s)).append('\n');
        }
        for (Map.Entry<String, Long> e : fields(info).entrySet()) {
            program.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        program.append('\n');
        program.append("_file = '").append(scriptPath.replace("\\", "\\\\").replace("'", "\\'")).append("'\n")
                .append("_line = ").append(line).append('\n').append(text).append("\n\n");
        any = true;
        return null;
    }

    /** The tcp_info and SK_MEMINFO values the stack reports, by packetdrill's variable names. */
    static Map<String, Long> fields(SocketInfo info) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (String f : TCP_INFO_FIELDS) {
            try {
                m.put(f, info.tcpInfoField(f));
            } catch (IllegalArgumentException absent) {
                // Not bound: a block that reads it fails with Python's NameError.
            }
        }
        SocketInfo.Skmem k = info.skmem();
        m.put("SK_MEMINFO_RMEM_ALLOC", k.rmemAlloc());
        m.put("SK_MEMINFO_RCVBUF", (long) k.rcvbuf());
        m.put("SK_MEMINFO_WMEM_ALLOC", k.wmemAlloc());
        m.put("SK_MEMINFO_SNDBUF", (long) k.sndbuf());
        m.put("SK_MEMINFO_WMEM_QUEUED", k.wmemQueued());
        m.put("SK_MEMINFO_DROPS", k.drops());
        return m;
    }

    /**
     * code_execute: runs every block kept; null when there were none or Python exited 0, else
     * the reason (Python's first error line and its exception).
     */
    String execute() {
        if (!any) {
            return null;
        }
        Path file = null;
        try {
            file = Files.createTempFile("code_", ".py");
            Files.writeString(file, program, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command, file.toString());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Path err = Files.createTempFile("code_", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Files.deleteIfExists(err);
                return scriptPath + ": error executing code: '" + command + "' still running after " + TIMEOUT_SECONDS + " s";
            }
            List<String> stderr = Files.readAllLines(err);
            Files.deleteIfExists(err);
            if (p.exitValue() == 0) {
                return null;
            }
            return reason(stderr) + scriptPath + ": error executing code: '" + command + "' returned non-zero status "
                    + p.exitValue();
        } catch (IOException e) {
            return scriptPath + ": error executing code: cannot run '" + command + "': " + netstack4j.lab.IoErrors.reason(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return scriptPath + ": error executing code: interrupted";
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** "t.pkt:12: error in Python code: AssertionError: 7; " from what the excepthook printed. */
    private static String reason(List<String> stderr) {
        List<String> lines = new ArrayList<>();
        for (String l : stderr) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        if (lines.isEmpty()) {
            return "";
        }
        String where = lines.stream().filter(l -> l.endsWith("error in Python code")).findFirst().orElse(null);
        String what = lines.getLast();
        return (where == null ? what : where + ": " + what) + "; ";
    }
}
