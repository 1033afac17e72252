package netstack4j.socket;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import netstack4j.tcp.TcpState;

/**
 * A {@link SocketInfo} in the words of iproute2's {@code ss -tinm} (misc/ss.c, version 6.1):
 * {@code skmem:(…)} as print_skmeminfo writes it, then the TCP information as tcp_show_info
 * fills {@code struct tcpstat} from {@code tcp_info} and tcp_stats_print prints it, field by field
 * in its order, each left out when ss leaves it out (zero, unset, or a default such as the
 * initial 3 s RTO, reordering 3 or an infinite ssthresh). Numbers are printed as ss prints them:
 * times in milliseconds with C's {@code %g}, rates in bits per second as {@code ss -n} does
 * ({@code %.0f}). The option flags {@code ts sack ecn ecnseen} are printed only with
 * {@code -o}, as tcp_show_info reads them only under {@code show_options}.
 *
 * <p>What this stack does not measure is not printed (as ss prints nothing for a zero):
 * {@code delivery_rate}, {@code app_limited}, {@code rcv_rtt}, {@code rcv_ssthresh},
 * {@code notsent} and {@code rcv_ooopack}.
 *
 * <p>Thread-safe (stateless).
 */
public final class SsFormat {
    /** tcp_show_info: an RTO of exactly 3 s (TCP_TIMEOUT_INIT, tcpi_rto 3000000) is not shown. */
    private static final long INITIAL_RTO_US = 3_000_000;

    private SsFormat() {
    }

    /** {@code skmem:(r…,rb…,t…,tb…,f…,w…,o…,bl…,d…)} (print_skmeminfo), without a leading space. */
    public static String skmem(SocketInfo i) {
        SocketInfo.Skmem m = i.skmem();
        return "skmem:(r" + m.rmemAlloc() + ",rb" + m.rcvbuf() + ",t" + m.wmemAlloc() + ",tb" + m.sndbuf()
                + ",f" + m.forwardAlloc() + ",w" + m.wmemQueued() + ",o0,bl0,d" + m.drops() + ")";
    }

    /**
     * The TCP information as tcp_stats_print prints it: every field preceded by a space;
     * {@code showOptions} is ss's {@code -o} (which also turns on {@code ts sack ecn ecnseen}).
     */
    public static String tcpInfo(SocketInfo i, boolean showOptions) {
        StringBuilder b = new StringBuilder();
        SocketInfo.Extra x = i.extra();
        String wscale = null;
        for (String o : i.options().isEmpty() ? new String[0] : i.options().split(" ")) {
            if (o.startsWith("wscale:")) {
                wscale = o;
            }
        }
        if (showOptions) {
            for (String flag : new String[] {"ts", "sack", "ecn", "ecnseen"}) {
                if ((" " + i.options() + " ").contains(" " + flag + " ")) {
                    b.append(' ').append(flag);
                }
            }
        }
        if (!i.congestionControl().isEmpty()) {
            b.append(' ').append(i.congestionControl());
        }
        if (wscale != null) {
            b.append(' ').append(wscale);
        }
        long rtoUs = i.rtoNs() / 1000;
        if (rtoUs != 0 && rtoUs != INITIAL_RTO_US) {
            b.append(" rto:").append(g(rtoUs / 1000.0));
        }
        positive(b, " backoff:", i.retransmits());
        long rttUs = i.srttNs() / 1000;
        if (rttUs > 0) {
            b.append(" rtt:").append(g(rttUs / 1000.0)).append('/').append(g(i.rttvarNs() / 1000 / 1000.0));
        }
        if (i.atoNs() / 1000 > 0) {
            b.append(" ato:").append(g(i.atoNs() / 1000 / 1000.0));
        }
        positive(b, " mss:", i.mss());
        positive(b, " pmtu:", x.pmtu());
        positive(b, " rcvmss:", i.rcvMss());
        positive(b, " advmss:", x.advmss());
        positive(b, " cwnd:", i.cwnd());
        if (i.ssthresh() > 0 && i.ssthresh() < 0xFFFF) {
            b.append(" ssthresh:").append(i.ssthresh());
        }
        positive(b, " bytes_sent:", x.bytesSent());
        positive(b, " bytes_retrans:", x.bytesRetrans());
        positive(b, " bytes_acked:", i.bytesAcked());
        positive(b, " bytes_received:", i.bytesReceived());
        positive(b, " segs_out:", i.segsOut());
        positive(b, " segs_in:", i.segsIn());
        positive(b, " data_segs_out:", i.dataSegsOut());
        positive(b, " data_segs_in:", i.dataSegsIn());
        if (rttUs > 0 && i.mss() > 0 && i.cwnd() > 0) {
            b.append(" send ").append(bps((double) i.cwnd() * i.mss() * 8_000_000.0 / rttUs)).append("bps");
        }
        positive(b, " lastsnd:", x.sinceDataSentNs() / 1_000_000);
        positive(b, " lastrcv:", x.sinceDataRecvNs() / 1_000_000);
        positive(b, " lastack:", x.sinceAckRecvNs() / 1_000_000);
        if (x.pacingRate() > 0) { // ~0 (unlimited) is reported as -1 here and not shown, as ss does
            b.append(" pacing_rate ").append(bps(x.pacingRate() * 8.0)).append("bps");
        }
        positive(b, " delivered:", i.tcpInfoField("tcpi_delivered"));
        long busyUs = x.busyNs() / 1000;
        if (busyUs > 0) {
            b.append(" busy:").append(busyUs / 1000).append("ms");
            limited(b, " rwnd_limited:", x.rwndLimitedNs() / 1000, busyUs);
            limited(b, " sndbuf_limited:", x.sndbufLimitedNs() / 1000, busyUs);
        }
        positive(b, " unacked:", i.unacked());
        if (x.retransOut() > 0 || i.totalRetrans() > 0) {
            b.append(" retrans:").append(x.retransOut()).append('/').append(i.totalRetrans());
        }
        positive(b, " lost:", i.lost());
        if (i.state() != TcpState.LISTEN) {
            positive(b, " sacked:", i.sacked());
        }
        positive(b, " dsack_dups:", x.dsackDups());
        if (x.reordering() > 0 && x.reordering() != 3) {
            b.append(" reordering:").append(x.reordering());
        }
        positive(b, " reord_seen:", x.reordSeen());
        positive(b, " rcv_space:", i.rcvSpace());
        if (x.minRttNs() / 1000 > 0) {
            b.append(" minrtt:").append(g(x.minRttNs() / 1000 / 1000.0));
        }
        positive(b, " snd_wnd:", i.sndWnd());
        return b.toString();
    }

    private static void positive(StringBuilder b, String name, long value) {
        if (value != 0) {
            b.append(name).append(value);
        }
    }

    /** {@code rwnd_limited:24ms(2.4%)}: the time and its share of the busy time. */
    private static void limited(StringBuilder b, String name, long us, long busyUs) {
        if (us > 0) {
            b.append(name).append(us / 1000).append("ms(").append(String.format(Locale.ROOT, "%.1f", 100.0 * us / busyUs)).append("%)");
        }
    }

    /** sprint_bw under {@code -n}: {@code %.0f} bits per second. */
    static String bps(double bitsPerSecond) {
        return String.format(Locale.ROOT, "%.0f", bitsPerSecond);
    }

    /**
     * C's {@code printf("%g")}: six significant digits, trailing zeros removed, exponent form
     * when the exponent is below -4 or at least 6.
     */
    public static String g(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            return mantissa.toPlainString() + (exponent < 0 ? "e-" : "e+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String s = d.stripTrailingZeros().toPlainString();
        return s;
    }

    /**
     * A time in milliseconds as ss prints timers (print_ms_timer): minutes, then seconds, then
     * milliseconds, each part dropped when zero; milliseconds dropped above 9 s and seconds
     * above 9 min ({@code 202ms}, {@code 1.500ms}, {@code 59sec}, {@code 2min5sec}).
     */
    public static String msTimer(long timeoutMs) {
        long secs = timeoutMs / 1000;
        long minutes = secs / 60;
        secs %= 60;
        long msecs = timeoutMs % 1000;
        StringBuilder b = new StringBuilder();
        if (minutes > 0) {
            msecs = 0;
            b.append(minutes).append("min");
            if (minutes > 9) {
                secs = 0;
            }
        }
        if (secs > 0) {
            if (secs > 9) {
                msecs = 0;
            }
            b.append(secs).append(msecs != 0 ? "." : "sec");
        }
        if (msecs > 0) {
            b.append(String.format(Locale.ROOT, "%03dms", msecs));
        }
        return b.toString();
    }
}
