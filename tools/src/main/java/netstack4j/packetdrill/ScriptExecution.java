package netstack4j.packetdrill;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimProcess;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;

/**
 * One run of one script. The stack under test (192.168.0.1/16, gateway 192.168.0.2, MTU 1500)
 * runs in a {@link Simulator}; a simulated process plays the script's events in order at their
 * times:
 * <ul>
 *   <li>{@code <} packets are injected at their time;</li>
 *   <li>{@code >} lines take the next packet the stack sent (waiting for it) and compare it field
 *       by field, then its time within the tolerance; a packet the stack sent that no line
 *       expected fails the script at the next event that is not an outbound packet;</li>
 *   <li>each system call runs in a process of its own; a call written {@code t1...t2} may block
 *       while later events run and must return at {@code t2}; the next system call waits for
 *       it, as packetdrill's syscall thread does; any other call must return at once;</li>
 *   <li>relative times count from the previous event's scripted time ({@code *} and outbound
 *       packets matched with {@code *} count from when they happened), and the end of a
 *       relative blocking call from the same base, as packetdrill adjusts them.</li>
 * </ul>
 *
 * <p>Thread-compatible: {@link #execute()} is called once, by one thread.
 */
final class ScriptExecution {
    private static final long US = 1_000L;
    private static final long SECOND = 1_000_000_000L;
    /** How long past its expected time a missing outbound packet is waited for. */
    private static final long LATE_WAIT_NS = 10 * SECOND;
    /** Scheduling rounds at one instant after which a system call counts as blocked. */
    private static final int RETURN_AT_ONCE_ROUNDS = 64;

    private final String name;
    private final Script script;
    private final Path scriptDir;
    private final ScriptRunner.Options options;
    private final List<String> notes;
    private long toleranceNs;
    private int mtu = 1500;

    private Simulator sim;
    private NetStack stack;
    private ScriptDevice device;
    private WaitQueue captureWaiters;
    private final PacketPlayer player = new PacketPlayer();
    private Syscalls syscalls;

    private int line;
    private long lastEventNs;
    private RuntimeException error;
    private PendingCall pending;

    /** A blocking call in progress. */
    private static final class PendingCall {
        SimProcess process;
        Event event;
        SyscallEvent call;
        long endNs;
        Syscalls.Outcome outcome;
        RuntimeException error;
        long returnedNs;
    }

    ScriptExecution(String name, Script script, Path scriptDir, ScriptRunner.Options options, List<String> notes) {
        this.name = name;
        this.script = script;
        this.scriptDir = scriptDir;
        this.options = options;
        this.notes = notes;
        this.toleranceNs = options.toleranceUsecs() * US;
    }

    void execute() {
        readOptions();
        precheck();
        Map<String, String> sysctls = new LinkedHashMap<>();
        script.initCommand().ifPresent(c -> shell(c.command(), sysctls));
        for (Event e : script.events()) {
            if (e.body() instanceof ShellEvent s) {
                shell(s.command(), sysctls);
            }
        }
        try (Simulator simulator = new Simulator(1)) {
            sim = simulator;
            stack = sim.attach(sim.builderFor("local")
                    .config(ScriptRunner.config(options, sysctls, notes))
                    .tcpSettings(Sysctls.applyTcp(options.personality(), sysctls, notes))
                    .build());
            device = new ScriptDevice(mtu, sim::nowNs, r -> sim.schedule(sim.nowNs(), r));
            stack.addInterface(device, PacketPlayer.LOCAL, 16);
            stack.setDefaultGateway(PacketPlayer.GATEWAY);
            captureWaiters = stack.runtime().newWaitQueue();
            device.setOnCapture(captureWaiters::wakeAll);
            syscalls = new Syscalls(stack, player);
            SimProcess main = sim.spawn(stack, "script", ctx -> {
                try {
                    play(ctx);
                } catch (RuntimeException e) {
                    error = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sim.runUntil(main::isDone, Long.MAX_VALUE / 4);
            if (error != null) {
                throw error;
            }
            if (!main.isDone()) {
                throw fail("error: the script is stuck: nothing more happens at " + ScriptRunner.seconds(sim.nowNs()) + " sec");
            }
        }
    }

    private void readOptions() {
        for (ScriptOption o : script.options()) {
            String v = o.value().map(x -> x.replace("\"", "")).orElse("");
            switch (o.name()) {
                case "tolerance_usecs" -> toleranceNs = Long.parseLong(v) * US;
                case "ip_version" -> {
                    if (!v.equals("ipv4")) {
                        throw new UnsupportedFeature("--ip_version=" + v + " (only ipv4)", true);
                    }
                }
                case "mtu" -> mtu = Integer.parseInt(v);
                case "local_ip" -> requireDefault(o, v, PacketPlayer.LOCAL.toString());
                case "remote_ip" -> requireDefault(o, v, PacketPlayer.REMOTE.toString());
                case "gateway_ip" -> requireDefault(o, v, PacketPlayer.GATEWAY.toString());
                case "bind_port", "connect_port" -> requireDefault(o, v, Integer.toString(PacketPlayer.DEFAULT_PORT));
                default -> notes.add("option --" + o.name() + " ignored");
            }
        }
    }

    private static void requireDefault(ScriptOption o, String v, String dflt) {
        if (!v.equals(dflt)) {
            throw new UnsupportedFeature("--" + o.name() + "=" + v + " (only the default " + dflt + ")", true);
        }
    }

    /** Skips up front what cannot run, rather than failing halfway. */
    private void precheck() {
        for (Event e : script.events()) {
            if (e.body() instanceof SyscallEvent s) {
                if (!Syscalls.supports(s.name())) {
                    throw new UnsupportedFeature("line " + e.line() + ": system call " + s.name() + " is not supported", true);
                }
            }
        }
    }

    private void shell(String command, Map<String, String> sysctls) {
        sysctls.putAll(Sysctls.parse(command, scriptDir, notes));
        for (String other : Sysctls.otherCommands(command)) {
            notes.add("shell command not run: " + other);
        }
    }

    private ScriptFailure fail(String message) {
        return new ScriptFailure(Path.of(name).getFileName() + ":" + line + ": " + message);
    }

    private void verbose(long atNs, String what) {
        if (options.verbose() != null) {
            options.verbose().accept(String.format(java.util.Locale.ROOT, "%10.6f %s", atNs / 1e9, what));
        }
    }

    // ------------------------------------------------------------------ playing

    private void play(ProcessContext ctx) throws InterruptedException {
        for (Event e : script.events()) {
            line = e.line();
            EventTime t = e.time();
            long startNs = switch (t.kind()) {
                case ABSOLUTE -> t.startMicros() * US;
                case RELATIVE -> lastEventNs + t.startMicros() * US;
                case ANY -> lastEventNs;
            };
            long endNs = t.rangeEndMicros().isPresent()
                    ? (t.kind() == EventTime.Kind.RELATIVE ? lastEventNs : 0) + t.rangeEndMicros().getAsLong() * US
                    : startNs;
            switch (e.body()) {
                case TcpPacketEvent p when p.direction() == Direction.OUTBOUND -> outbound(e, t, startNs, endNs);
                case UdpPacketEvent p when p.direction() == Direction.OUTBOUND -> outbound(e, t, startNs, endNs);
                case IcmpPacketEvent p when p.direction() == Direction.OUTBOUND -> outbound(e, t, startNs, endNs);
                case SyscallEvent s -> syscall(ctx, e, s, t, startNs);
                default -> {
                    at(ctx, startNs);
                    other(e);
                    lastEventNs = startNs;
                }
            }
        }
        finishPending(ctx);
        settle(ctx);
        checkNothingUnexpected(lastEventNs);
        stack.runtime().call(() -> {
            syscalls.closeAll();
            return null;
        });
    }

    /** Sleeps until {@code ns}, then fails on any packet sent before it that no line expected. */
    private void at(ProcessContext ctx, long ns) throws InterruptedException {
        if (ns - ctx.nowNs() > 0) {
            ctx.sleepUntil(ns);
        }
        checkNothingUnexpected(ns);
    }

    private void checkNothingUnexpected(long beforeNs) {
        ScriptDevice.Captured c = device.captured().peekFirst();
        if (c != null && c.timeNs() - beforeNs < 0) {
            throw fail("error handling packet: unexpected outbound packet at " + ScriptRunner.seconds(c.timeNs())
                    + " sec: " + PacketSummary.describe(c.ip()));
        }
    }

    /** Lets everything due at this instant run (other processes, deliveries). */
    private static void settle(ProcessContext ctx) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            ctx.sleep(0);
        }
    }

    private void other(Event e) {
        switch (e.body()) {
            case TcpPacketEvent p -> inject(e, p);
            case UdpPacketEvent p -> inject(e, p);
            case IcmpPacketEvent p -> inject(e, p);
            case ShellEvent s -> verbose(sim.nowNs(), "`" + s.command() + "` (sysctls applied at start)");
            case CodeEvent c -> {
                verbose(sim.nowNs(), "%{ " + c.code() + " }%");
                String failed = CodeBlocks.evaluate(c.code(), syscalls.tcpInfoNow(), notes);
                if (failed != null) {
                    throw fail(failed);
                }
            }
            default -> throw new IllegalStateException("unexpected event " + e);
        }
    }

    private void inject(Event e, EventBody body) {
        byte[] ip = player.inbound(body);
        verbose(sim.nowNs(), ScriptPrinter.print(body));
        stack.runtime().call(() -> {
            device.inject(ip);
            return null;
        });
    }

    private void outbound(Event e, EventTime t, long startNs, long endNs) {
        long waitUntil = t.kind() == EventTime.Kind.ANY ? startNs + 3600 * SECOND : endNs + toleranceNs + LATE_WAIT_NS;
        ScriptDevice.Captured c = stack.runtime().call(() -> {
            while (device.captured().isEmpty() && waitUntil - sim.nowNs() > 0) {
                try {
                    captureWaiters.await(waitUntil);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return device.captured().pollFirst();
        });
        if (c == null) {
            throw fail("error handling packet: Timed out waiting for packet: expected " + ScriptPrinter.print(e.body()));
        }
        verbose(c.timeNs(), PacketSummary.describe(c.ip()));
        String diff = player.match(e.body(), c.ip());
        if (diff != null) {
            throw fail("error handling packet: " + diff);
        }
        if (t.kind() != EventTime.Kind.ANY) {
            long actual = c.timeNs();
            if (actual - (startNs - toleranceNs) < 0 || actual - (endNs + toleranceNs) > 0) {
                String expected = startNs == endNs ? "at " + ScriptRunner.seconds(startNs)
                        : "in range " + ScriptRunner.seconds(startNs) + " ~ " + ScriptRunner.seconds(endNs);
                throw fail("timing error: expected outbound packet " + expected + " sec but happened at "
                        + ScriptRunner.seconds(actual) + " sec; tolerance " + ScriptRunner.seconds(toleranceNs) + " sec");
            }
        }
        // packetdrill's adjust_relative_event_times: what follows an outbound packet is timed from
        // when the packet was actually seen, whatever its line said (exact time, range or *).
        lastEventNs = c.timeNs();
    }

    private void syscall(ProcessContext ctx, Event e, SyscallEvent s, EventTime t, long startNs)
            throws InterruptedException {
        finishPending(ctx);
        at(ctx, startNs);
        line = e.line();
        verbose(sim.nowNs(), ScriptPrinter.print(s));
        PendingCall call = new PendingCall();
        call.event = e;
        call.call = s;
        call.process = ctx.spawn("syscall:" + s.name(), c -> {
            try {
                call.outcome = syscalls.invoke(s.name(), s.args());
            } catch (RuntimeException ex) {
                call.error = ex;
            }
            call.returnedNs = c.nowNs();
        });
        lastEventNs = startNs;
        if (s.blockingEndMicros().isPresent()) {
            long end = s.blockingEndMicros().getAsLong() * US;
            call.endNs = t.kind() == EventTime.Kind.RELATIVE ? startNs - t.startMicros() * US + end : end;
            pending = call;
            settle(ctx);
            return;
        }
        for (int i = 0; i < RETURN_AT_ONCE_ROUNDS && !call.process.isDone(); i++) {
            ctx.sleep(0);
        }
        if (!call.process.isDone()) {
            throw fail(s.name() + " blocked, but the script expects it to return at once (write it as t1...t2 "
                    + s.name() + "(...) if it should block)");
        }
        check(call);
    }

    private void finishPending(ProcessContext ctx) throws InterruptedException {
        PendingCall p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        int savedLine = line;
        line = p.event.line();
        if (!p.process.awaitDone(p.endNs + toleranceNs + LATE_WAIT_NS)) {
            throw fail("timing error: expected " + p.call.name() + " to return at " + ScriptRunner.seconds(p.endNs)
                    + " sec but it was still blocked at " + ScriptRunner.seconds(ctx.nowNs()) + " sec");
        }
        check(p);
        if (Math.abs(p.returnedNs - p.endNs) > toleranceNs) {
            throw fail("timing error: expected system call to return at " + ScriptRunner.seconds(p.endNs)
                    + " sec but happened at " + ScriptRunner.seconds(p.returnedNs) + " sec; tolerance "
                    + ScriptRunner.seconds(toleranceNs) + " sec");
        }
        line = savedLine;
    }

    private void check(PendingCall c) {
        if (c.error instanceof ScriptFailure f) {
            throw fail("runtime error in " + c.call.name() + " call: " + f.getMessage());
        }
        if (c.error instanceof UnsupportedFeature u) {
            throw u;
        }
        if (c.error != null) {
            throw fail("runtime error in " + c.call.name() + " call: the stack threw " + c.error);
        }
        SyscallEvent s = c.call;
        Syscalls.Outcome o = c.outcome;
        verbose(c.returnedNs, s.name() + " returned " + o.result() + (o.errno() == null ? "" : " " + o.errno()));
        if (s.result() instanceof Expr.EllipsisExpr) {
            return;
        }
        long expected = Syscalls.value(s.result());
        String prefix = "runtime error in " + s.name() + " call: ";
        if (o.result() != expected) {
            throw fail(prefix + "expected result " + expected + " but got " + o.result()
                    + (o.errno() != null ? " with errno " + ScriptRunner.errnoText(o.errno()) : ""));
        }
        if (s.errno() != null && (o.errno() == null || !o.errno().name().equals(s.errno()))) {
            throw fail(prefix + "expected errno " + s.errno() + " but got "
                    + (o.errno() == null ? "none" : o.errno().name() + " " + ScriptRunner.errnoText(o.errno())));
        }
    }
}
