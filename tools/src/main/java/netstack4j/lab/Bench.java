package netstack4j.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import netstack4j.report.SsTable;
import netstack4j.sim.LinkParams;
import netstack4j.sim.ProcessBody;
import netstack4j.sim.SimLink;
import netstack4j.sim.SimSwitch;
import netstack4j.sim.SimProcess;
import netstack4j.sim.Simulator;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.stack.Counter;
import netstack4j.stack.Counters;
import netstack4j.stack.NetStack;
import netstack4j.stack.Personality;
import netstack4j.stack.StackConfig;
import netstack4j.trace.TraceEvent;
import netstack4j.trace.TraceSink;
import netstack4j.packetdrill.Sysctls;
import netstack4j.tcp.TcpSettings;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.TcpFlags;

/**
 * One experiment's network: hosts {@code a} (10.0.0.1) and {@code b} (10.0.0.2) on one cable,
 * under one personality, every frame kept in a {@link FrameLog} and every state change
 * recorded, with helpers to show what happened in the words of the tools users know.
 *
 * <p>Threading: one thread, the one that runs its simulator.
 */
public final class Bench implements AutoCloseable {
    public static final long MS = 1_000_000L;
    public static final long S = 1_000_000_000L;
    /** The default cable: 100 Mbit/s, 5 ms one way. */
    public static final LinkParams CABLE = LinkParams.of(100_000_000L, 5 * MS);
    public static final Ipv4SocketAddress B80 = Ipv4SocketAddress.of("10.0.0.2", 80);

    private final Run run;
    private final Simulator sim;
    private final FrameLog log;
    private final NetStack a;
    private final NetStack b;
    private final SimLink link;
    private final SimSwitch sw;
    private final NetStack c;
    private final Personality personality;
    private final LinkParams cable;
    private final List<TraceEvent> states = new ArrayList<>();
    private final Counters.Snapshot startA;
    private final Counters.Snapshot startB;
    private long ladderFromNs;
    private List<Segment> decoded;
    private int decodedFrames;

    Bench(Run run, long seed, Personality personality, LinkParams cable, java.util.Map<String, String> sysctls,
          java.util.function.UnaryOperator<StackConfig> configure) {
        this(run, seed, personality, cable, sysctls, configure, -1);
    }

    /**
     * With {@code switchQueueBytes} at least 0, hosts a, b and c (10.0.0.3) hang on one switch
     * whose ports queue that many bytes; c's cable is ten times faster than the others and its
     * frames are not logged (it is the background).
     */
    Bench(Run run, long seed, Personality personality, LinkParams cable, java.util.Map<String, String> sysctls,
          java.util.function.UnaryOperator<StackConfig> configure, int switchQueueBytes) {
        this.run = run;
        this.personality = personality;
        this.cable = cable;
        this.sim = new Simulator(seed);
        this.log = new FrameLog(sim);
        sim.setTrace(new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(TraceEvent e) {
                if (e.kind() == TraceEvent.Kind.STATE) {
                    states.add(e);
                }
            }
        });
        List<String> notes = new ArrayList<>();
        TcpSettings tcp = Sysctls.applyTcp(personality, sysctls, notes);
        if (!notes.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", notes));
        }
        StackConfig config = configure.apply(StackConfig.defaults(personality));
        this.a = sim.attach(sim.builderFor("a").config(config).tcpSettings(tcp).build());
        this.b = sim.attach(sim.builderFor("b").config(config).tcpSettings(tcp).build());
        if (switchQueueBytes < 0) {
            this.sw = null;
            this.c = null;
            this.link = sim.connect(a, b, cable);
            a.addInterface(log.decorate(a, link.a()), Ipv4Address.of(10, 0, 0, 1), 24);
            b.addInterface(log.decorate(b, link.b()), Ipv4Address.of(10, 0, 0, 2), 24);
        } else {
            this.sw = sim.newSwitch("sw", switchQueueBytes);
            this.c = sim.attach(sim.builderFor("c").config(config).tcpSettings(tcp).build());
            this.link = sw.connect(a, cable);
            a.addInterface(log.decorate(a, link.a()), Ipv4Address.of(10, 0, 0, 1), 24);
            b.addInterface(log.decorate(b, sw.connect(b, cable).a()), Ipv4Address.of(10, 0, 0, 2), 24);
            // c's cable is ten times faster: it can send more than b's port carries.
            c.addInterface(sw.connect(c, cable.withBandwidth(cable.bandwidthBitsPerSec() * 10)).a(), Ipv4Address.of(10, 0, 0, 3), 24);
        }
        this.startA = a.counters().snapshot();
        this.startB = b.counters().snapshot();
    }

    public Simulator sim() {
        return sim;
    }

    /** The ladder diagram starts with the frames sent at or after {@code ns} (where the story is). */
    public void focusLadder(long ns) {
        ladderFromNs = ns;
    }

    long ladderFromNs() {
        return ladderFromNs;
    }

    public NetStack a() {
        return a;
    }

    public NetStack b() {
        return b;
    }

    /** The cable of a (to b, or to the switch). */
    public SimLink link() {
        return link;
    }

    /** The switch, or null for two hosts on one cable. */
    public SimSwitch sw() {
        return sw;
    }

    /** Host c (10.0.0.3) on the switch, or null. */
    public NetStack c() {
        return c;
    }

    public FrameLog log() {
        return log;
    }

    public Personality personality() {
        return personality;
    }

    /** {@code Linux, 100 Mbit/s, 5 ms one way, MTU 1500}. */
    public String describe() {
        String p = personality == Personality.LINUX ? "Linux" : "Windows";
        String rate = cable.bandwidthBitsPerSec() == 0 ? "unlimited" : cable.bandwidthBitsPerSec() / 1_000_000 + " Mbit/s";
        return p + ", " + rate + ", " + cable.delayNs() / MS + " ms one way, MTU " + cable.mtu()
                + (sw == null ? "" : ", a, b and c on a switch with " + sw.portQueueLimitBytes() + "-byte port queues (c at ten times the rate)");
    }

    public SimProcess spawn(NetStack host, String name, ProcessBody body) {
        return sim.spawn(host, name, body);
    }

    /** Runs the simulation for {@code ns} of simulated time. */
    public void runFor(long ns) {
        sim.runFor(ns);
    }

    /** Every logged frame, decoded, in the order they were seen. */
    public List<Segment> segments() {
        if (decoded == null || decodedFrames != log.size()) {
            List<Segment> out = new ArrayList<>();
            for (FrameLog.Frame f : log.frames()) {
                Segment s = Segment.of(f);
                if (s != null) {
                    out.add(s);
                }
            }
            decoded = List.copyOf(out);
            decodedFrames = log.size();
        }
        return decoded;
    }

    /** TCP segments {@code host} transmitted (including those a drop rule then lost). */
    public List<Segment> tcpSentBy(NetStack host) {
        return segments().stream().filter(s -> s.out() && s.isTcp() && s.host().equals(host.name())).toList();
    }

    /** Frames {@code host} transmitted, of any protocol. */
    public List<Segment> sentBy(NetStack host) {
        return segments().stream().filter(s -> s.out() && s.host().equals(host.name())).toList();
    }

    /** Data segments (length &gt; 0) {@code host} transmitted. */
    public List<Segment> dataSentBy(NetStack host) {
        return tcpSentBy(host).stream().filter(s -> s.length() > 0).toList();
    }

    /**
     * The window {@code s} advertises in bytes: the field shifted by the scale its sender
     * offered in its SYN, when both SYNs carried the option (RFC 7323 section 2.3); SYNs are
     * never scaled.
     */
    public long windowBytes(Segment s) {
        if (s.has(TcpFlags.SYN)) {
            return s.window();
        }
        int own = -1;
        int peer = -1;
        for (Segment x : segments()) {
            if (x.out() && x.isTcp() && x.has(TcpFlags.SYN)) {
                if (x.host().equals(s.host()) && x.srcPort() == s.srcPort()) {
                    own = x.wscale();
                } else if (x.srcPort() == s.dstPort() && x.dstPort() == s.srcPort()) {
                    peer = x.wscale();
                }
            }
        }
        return own >= 0 && peer >= 0 ? (long) s.window() << own : s.window();
    }

    /** State changes the stacks traced ({@code host STATE tcp: a-b: X -> Y}). */
    public List<TraceEvent> states() {
        return List.copyOf(states);
    }

    /** The states one host's connections went through, in order, as {@code X -> Y} texts. */
    public List<String> transitions(NetStack host) {
        return states.stream().filter(e -> e.host().equals(host.name()) && !e.detail().contains("0.0.0.0:0"))
                .map(e -> e.detail().substring(e.detail().lastIndexOf(": ") + 2)).toList();
    }

    /**
     * Tells, as tcpdump lines with times since the start, the frames {@code which} selects (at
     * most {@code max}); sequence numbers relative as tcpdump's, absolute with {@code lab -S}.
     */
    public void show(Predicate<Segment> which, int max) {
        int n = 0;
        RelativeNumbers relative = new RelativeNumbers();
        for (FrameLog.Frame f : log.frames()) {
            Segment s = f.out() ? Segment.of(f) : null;
            if (s == null) {
                continue;
            }
            String line = run.absoluteSequenceNumbers() ? s.line() : relative.line(s); // every segment counts for the numbering
            if (which.test(s)) {
                if (n++ == max) {
                    run.say("  …");
                    return;
                }
                run.say("  " + time(s.timeNs()) + " " + s.host() + " > " + line + (f.dropped() ? "  (lost)" : ""));
            }
        }
    }

    /** Tells {@code host}'s TCP sockets as {@code ss -tanoim} shows them. */
    public void ss(NetStack host) {
        run.block(ssText(host).stripTrailing());
    }

    /** {@code host}'s TCP sockets as {@code ss -tanoim} shows them, under a line naming the command and host. */
    public String ssText(NetStack host) {
        return SsTable.Options.ALL.command() + " on " + host.name() + ":\n" + SsTable.format(SsTable.sockets(host), SsTable.Options.ALL);
    }

    /** How much counter {@code c} of {@code host} grew since the bench was built. */
    public long grew(NetStack host, Counter c) {
        return host.counters().get(c) - (host == a ? startA : startB).get(c);
    }

    /** The counters of {@code host} that changed since the bench was built, as nstat lines. */
    public String changedCounters(NetStack host) {
        Counters.Snapshot start = host == a ? startA : startB;
        StringBuilder sb = new StringBuilder();
        for (Counter c : Counter.values()) {
            long d = host.counters().get(c) - start.get(c);
            if (d != 0) {
                sb.append(String.format(Locale.ROOT, "%-32s %d%n", c.name(), d));
            }
        }
        return sb.toString();
    }

    /** Calls {@code sample} every {@code everyNs} of simulated time, from now until {@code untilNs}. */
    public void every(long everyNs, long untilNs, Runnable sample) {
        long t = sim.nowNs();
        for (long at = t; at <= untilNs; at += everyNs) {
            sim.schedule(at, sample);
        }
    }

    /** Seconds since the start, as tcpdump's relative times ({@code 0.010123}). */
    public static String time(long ns) {
        long us = ns / 1_000;
        return String.format(Locale.ROOT, "%d.%06d", us / 1_000_000, us % 1_000_000);
    }

    /** Milliseconds with three decimals. */
    public static String ms(long ns) {
        return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }

    @Override
    public void close() {
        sim.close();
    }
}
