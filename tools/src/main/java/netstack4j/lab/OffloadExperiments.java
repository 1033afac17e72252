package netstack4j.lab;

import static netstack4j.lab.Bench.MS;
import static netstack4j.lab.Bench.S;

import java.util.List;
import netstack4j.link.Offloads;
import netstack4j.sim.LinkParams;
import netstack4j.stack.Counter;
import netstack4j.stack.Personality;

/** Experiments on the device offloads: N25 (TSO, GSO and GRO). */
final class OffloadExperiments {
    private OffloadExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                new Experiment("N25", "tso", "TSO: the NIC cuts large sends into MSS segments; the sender's capture shows segments larger than MSS",
                        "", OffloadExperiments::tso));
    }

    /** What one run's captures saw: the largest TCP payload each side logged, and how many data frames. */
    private record Seen(int senderLargest, int senderFrames, int receiverLargest, int receiverFrames, long outSegs) {
    }

    private static Verdict tso(Run run) {
        run.setup("a sends 2 MB to b over 1 Gbit/s with 1 ms one-way delay, three times: with a's card doing TSO (ethtool -K eth0 tso on gso on,"
                + " Linux's default on a veth), with GSO only (tso off: the stack cuts in software just before the card), and with both off."
                + " The capture on a is taken where tcpdump takes it, as frames are handed to the card; b's capture is what arrived."
                + " A fourth run turns GRO on at b on a link without bandwidth limit, where each burst arrives at once.");
        String[][] modes = {{"tso on  gso on ", "true", "true"}, {"tso off gso on ", "false", "true"}, {"tso off gso off", "false", "false"}};
        Seen[] seen = new Seen[modes.length];
        for (int m = 0; m < modes.length; m++) {
            Bench bench = run.bench(Personality.LINUX, LinkParams.of(1_000_000_000L, 1 * MS));
            Offloads f = bench.log().features("a");
            f.txChecksum(true).tso(Boolean.parseBoolean(modes[m][1])).gso(Boolean.parseBoolean(modes[m][2]));
            Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
            Apps.client(bench, 80, (ctx, s) -> {
                Apps.write(s, 2_000_000);
                s.close();
            });
            bench.runFor(2 * S);
            seen[m] = seen(bench);
            run.say(String.format("%s  a handed its card %5d data frames, the largest with %5d bytes of payload;"
                            + " b received %5d, the largest %4d; a's TcpOutSegs %d",
                    modes[m][0], seen[m].senderFrames, seen[m].senderLargest, seen[m].receiverFrames, seen[m].receiverLargest, seen[m].outSegs));
            if (m == 0) {
                run.say("The first super-segments in a's capture (one line each, as tcpdump prints them on the sender):");
                bench.show(s -> s.host().equals("a") && s.isTcp() && s.length() > 1448, 3);
            }
        }
        int[] gro = gro(run);
        int mss = 1448;
        run.say("The MSS is " + mss + " bytes (1500 - 20 IP - 20 TCP - 12 timestamps). TCP sizes each super-segment to about 1 ms of its"
                + " pacing rate, at most 64 KB (tcp_tso_autosize); TcpOutSegs counts the segments on the wire either way (tcp_skb_pcount).");
        boolean tsoShows = seen[0].senderLargest > mss && seen[0].receiverLargest <= mss;
        boolean gsoHides = seen[1].senderLargest <= mss && seen[1].receiverLargest <= mss;
        boolean offHides = seen[2].senderLargest <= mss;
        boolean sameWire = seen[0].receiverFrames > 0 && seen[0].outSegs >= seen[0].receiverFrames;
        boolean groMerges = gro[1] > 0 && 2 * gro[1] < gro[0];
        return Verdict.of(tsoShows && gsoHides && offHides && sameWire && groMerges,
                "a's capture showed " + seen[0].senderLargest + "-byte segments with TSO and " + seen[1].senderLargest
                        + " with GSO only; b's showed " + seen[0].receiverLargest + " (validate_xmit_skb, dev_queue_xmit_nit)");
    }

    /**
     * The receive side: on a link without bandwidth limit each TSO burst arrives at one instant,
     * one NAPI batch, and b's GRO merges it before TCP. Returns {frames b's card took, TCP segments b's stack took}.
     */
    private static int[] gro(Run run) {
        Bench bench = run.bench(Personality.LINUX, LinkParams.of(0, 1 * MS));
        bench.log().features("a").txChecksum(true).tso(true).gso(true);
        bench.log().features("b").gro(true);
        Apps.server(bench, 80, (ctx, s) -> Apps.drain(s, 65536));
        Apps.client(bench, 80, (ctx, s) -> {
            Apps.write(s, 2_000_000);
            s.close();
        });
        bench.runFor(2 * S);
        Seen s = seen(bench);
        int inSegs = (int) bench.grew(bench.b(), Counter.TcpInSegs);
        run.say(String.format("gro on at b, no bandwidth limit: b's card took %d data frames of at most %d bytes; GRO merged each burst,"
                + " and b's TCP took %d segments in all (TcpInSegs counts one per aggregate, tcpi_segs_in the segments merged)",
                s.receiverFrames, s.receiverLargest, inSegs));
        return new int[] {s.receiverFrames, inSegs};
    }

    private static Seen seen(Bench bench) {
        int senderLargest = 0;
        int senderFrames = 0;
        int receiverLargest = 0;
        int receiverFrames = 0;
        for (FrameLog.Frame fr : bench.log().frames()) {
            Segment s = Segment.of(fr);
            if (s == null || !s.isTcp() || s.length() == 0) {
                continue;
            }
            if (fr.out() && s.host().equals("a")) {
                senderLargest = Math.max(senderLargest, s.length());
                senderFrames++;
            } else if (!fr.out() && s.host().equals("b")) {
                receiverLargest = Math.max(receiverLargest, s.length());
                receiverFrames++;
            }
        }
        return new Seen(senderLargest, senderFrames, receiverLargest, receiverFrames, bench.grew(bench.a(), Counter.TcpOutSegs));
    }
}
