package netstack4j.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.sim.LinkParams;
import netstack4j.stack.Personality;

/**
 * One experiment being run: the networks it built ({@link Bench}es, the first is the one drawn),
 * the story it tells (setup, then what happened), and the series it sampled for the queue plots.
 *
 * <p>Threading: one thread (the caller's; each bench's simulator runs on it).
 */
public final class Run implements AutoCloseable {
    /** A picture an experiment drew itself (for a network that is not a {@link Bench}), as SVG. */
    public record Figure(String title, String svg) {
    }

    /** The frames of a network that is not a {@link Bench}, saved as a pcap in the report. */
    public record Capture(String description, FrameLog log) {
    }

    /** A sampled quantity over simulated time, drawn as one line of a queue plot. */
    public record Series(String plot, String name, List<long[]> points) {
    }

    private final long seed;
    private final Personality personality;
    private final List<Bench> benches = new ArrayList<>();
    private final List<String> setup = new ArrayList<>();
    private final List<String> happened = new ArrayList<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Capture> captures = new ArrayList<>();

    private boolean absoluteSequenceNumbers;

    public Run(long seed, Personality personality) {
        this.seed = seed;
        this.personality = personality;
    }

    /** Whether trace lines show absolute sequence numbers (tcpdump -S) instead of relative ones. */
    public boolean absoluteSequenceNumbers() {
        return absoluteSequenceNumbers;
    }

    public void setAbsoluteSequenceNumbers(boolean on) {
        absoluteSequenceNumbers = on;
    }

    /** The personality of {@link #bench()}'s hosts. */
    public Personality personality() {
        return personality;
    }

    public long seed() {
        return seed;
    }

    /** A new simulated pair of hosts ({@code a} 10.0.0.1, {@code b} 10.0.0.2) on one cable. */
    public Bench bench(Personality personality, LinkParams cable) {
        return bench(personality, cable, java.util.Map.of());
    }

    /** As {@link #bench(Personality, LinkParams)}, both hosts with these {@code net.ipv4.tcp_*} sysctls. */
    public Bench bench(Personality personality, LinkParams cable, Map<String, String> sysctls) {
        return bench(personality, cable, sysctls, c -> c);
    }

    /** As {@link #bench(Personality, LinkParams, Map)}, the hosts' configuration changed by {@code configure}. */
    public Bench bench(Personality personality, LinkParams cable, Map<String, String> sysctls,
                       java.util.function.UnaryOperator<netstack4j.stack.StackConfig> configure) {
        Bench b = new Bench(this, seed + benches.size(), personality, cable, sysctls, configure);
        benches.add(b);
        return b;
    }

    /** A pair under the run's personality on a 100 Mbit/s cable with 5 ms delay. */
    public Bench bench() {
        return bench(personality, Bench.CABLE);
    }

    /** A pair under the run's personality on {@code cable}. */
    public Bench bench(LinkParams cable) {
        return bench(personality, cable);
    }

    /** Hosts a, b and c (10.0.0.3) on one switch whose ports queue {@code queueBytes}, under the run's personality. */
    public Bench benchOnSwitch(LinkParams cable, int queueBytes) {
        Bench b = new Bench(this, seed + benches.size(), personality, cable, Map.of(), c -> c, queueBytes);
        benches.add(b);
        return b;
    }

    public List<Bench> benches() {
        return List.copyOf(benches);
    }

    public void setup(String line) {
        setup.add(line);
    }

    public void say(String line) {
        happened.add(line);
    }

    /** Every line of a multi-line text (an ss view, a counter list), indented. */
    public void block(String text) {
        for (String l : text.split("\n")) {
            happened.add("  " + l);
        }
    }

    public List<String> setupLines() {
        return List.copyOf(setup);
    }

    public List<String> happenedLines() {
        return List.copyOf(happened);
    }

    /** Adds a point {@code (timeNs, value)} to series {@code name} of plot {@code plot}. */
    public void point(String plot, String name, long timeNs, long value) {
        series.computeIfAbsent(plot + "/" + name, k -> new Series(plot, name, new ArrayList<>()))
                .points().add(new long[] {timeNs, value});
    }

    /** Adds a picture to the experiment's page, after those of its benches. */
    public void figure(String title, String svg) {
        figures.add(new Figure(title, svg));
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** Adds a capture to the experiment's page, after those of its benches. */
    public void capture(String description, FrameLog log) {
        captures.add(new Capture(description, log));
    }

    public List<Capture> captures() {
        return List.copyOf(captures);
    }

    public List<Series> series() {
        return List.copyOf(series.values());
    }

    @Override
    public void close() {
        for (Bench b : benches) {
            b.close();
        }
    }
}
