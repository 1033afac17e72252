package netstack4j.packetdrill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import netstack4j.sim.ProcessContext;
import netstack4j.sim.SimProcess;
import netstack4j.sim.Simulator;
import netstack4j.stack.NetStack;
import netstack4j.stack.WaitQueue;

/**
 * One run of one script, following packetdrill's {@code run_script} (run.c). The stack under
 * test (the {@code --local_ip}, 192.168.0.1/16 by default, MTU {@code --mtu}) runs in a
 * {@link Simulator}; a simulated process plays the script's events in order at their times:
 * <ul>
 *   <li>{@code <} packets are injected at their time ({@code wait_for_event});</li>
 *   <li>{@code >} lines start sniffing at once, without waiting for their time, as
 *       {@code run_packet_event} does, so an early packet is a timing error; without
 *       {@code --strict_segments} consecutive segments are aggregated up to the payload the
 *       line expects ({@code do_outbound_script_packet}). Packets are read only there: one the
 *       stack sent that no line expected is what the next {@code >} line sees, and one sent
 *       after the last line is never read, as in packetdrill;</li>
 *   <li>each system call runs in a process of its own; a call written {@code t1...t2} may block
 *       while later events run and must return at {@code t2}; the next system call waits for
 *       it, as packetdrill's syscall thread does; any other call must return at once;</li>
 *   <li>shell lines run as real shell scripts at their time ({@link ShellCommands});
 *       {@code %{ }%} blocks snapshot the socket's tcp_info at their time and run as one Python
 *       program after the last event ({@link CodeBlocks}), as {@code code_execute} does;</li>
 *   <li>relative times count from when the previous event finished
 *       ({@code adjust_relative_event_times}).</li>
 * </ul>
 *
 * <p>Thread-compatible: {@link #execute()} is called once, by one thread.
 */
final class ScriptExecution {
    private static final long US = 1_000L;
    private static final long SECOND = 1_000_000_000L;
    /** How long past its expected time a missing outbound packet is waited for. */
    private static final long LATE_WAIT_NS = 10 * SECOND;

    private final String name;
    private final Script script;
    private final Path scriptDir;
    private final ScriptRunner.Options options;
    private final List<String> notes;
    private final RunConfig config;
    private final long toleranceNs;

    private Simulator sim;
    private NetStack stack;
    private ScriptDevice device;
    private WaitQueue captureWaiters;
    private final PacketPlayer player;
    private Syscalls syscalls;
    private final StackSettings settings;
    private final CodeBlocks code;
    private final OutboundSniffer sniffer;

    private int line;
    /** When the previous event finished, the base of relative times. */
    private long lastEventNs;
    /** The previous event's scripted time, for packetdrill's percentage tolerance. */
    private long lastScriptNs;
    private int shellEventsRun;
    private RuntimeException error;
    private PendingCall pending;

    /** A blocking call in progress. */
    private static final class PendingCall {
        SimProcess process;
        Event event;
        SyscallEvent call;
        long startNs;
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
        List<ScriptRunner.Flag> flags = new ArrayList<>();
        if (options.toleranceUsecs() != ScriptRunner.Options.DEFAULT_TOLERANCE_USECS) {
            flags.add(new ScriptRunner.Flag("tolerance_usecs", Long.toString(options.toleranceUsecs())));
        }
        flags.addAll(options.flags());
        this.config = RunConfig.of(Path.of(name).getFileName().toString(), script.options(), flags);
        this.toleranceNs = config.toleranceUsecs * US;
        this.player = new PacketPlayer(config.localIp, config.remoteIp, config.bindPort, config.connectPort);
        this.settings = new StackSettings(options.personality(), notes);
        this.code = new CodeBlocks(name, config.codeCommand);
        this.sniffer = new OutboundSniffer(player, config.strictSegments);
        player.checkTimestamps(config.tcpTsTickUsecs, config.toleranceUsecs, config.tcpTsEcrScaled);
    }

    /** TCP option kinds the stack sent during the run (names as scripts write them). */
    java.util.Set<String> sentTcpOptions() {
        return player.sentOptions();
    }

    /** Settings and commands of the script's shell lines that the stack could not take. */
    java.util.Set<String> unapplied() {
        return settings.unapplied();
    }

    void execute() {
        precheck();
        try (ShellCommands shell = new ShellCommands(scriptDir, settings)) {
            // The init command and the shell lines before the first other event configure the
            // stack before it exists, which is the same as at their time: nothing has happened yet.
            if (script.initCommand().isPresent()) {
                String failed = shell.run(script.initCommand().get().command());
                if (failed != null) {
                    throw new ScriptFailure(Path.of(name).getFileName() + ": error executing init command: " + failed);
                }
            }
            for (Event e : script.events()) {
                if (!(e.body() instanceof ShellEvent s) || e.time().startMicros() != 0) {
                    break;
                }
                line = e.line();
                shellEvent(shell, s);
                shellEventsRun++;
            }
            runSimulation(shell);
            if (script.cleanupCommand().isPresent() && script.initCommand().isPresent()) {
                // run_cleanup_command: only when an init command ran, whatever the outcome.
                String failed = shell.run(script.cleanupCommand().get().command());
                if (failed != null) {
                    throw new ScriptFailure(Path.of(name).getFileName() + ": error executing cleanup command: " + failed);
                }
            }
        }
        String failed = code.execute();
        if (failed != null) {
            throw new ScriptFailure(failed);
        }
    }

    private void runSimulation(ShellCommands shell) {
        try (Simulator simulator = new Simulator(1)) {
            sim = simulator;
            stack = sim.attach(sim.builderFor("local")
                    .config(settings.stackConfig())
                    .tcpSettings(settings.tcpSettings())
                    .build());
            device = new ScriptDevice(config.mtu, sim::nowNs, r -> sim.schedule(sim.nowNs(), r));
            stack.addInterface(device, config.localIp, config.prefixLength);
            stack.setDefaultGateway(config.nextHop());
            settings.attach(stack); // after tun0 and its routes exist: ethtool and ip route act on them
            captureWaiters = stack.runtime().newWaitQueue();
            device.setOnCapture(captureWaiters::wakeAll);
            syscalls = new Syscalls(stack, player);
            SimProcess main = sim.spawn(stack, "script", ctx -> {
                try {
                    play(ctx, shell);
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

    /** Skips up front what the stack lacks, rather than failing halfway. */
    private void precheck() {
        for (Event e : script.events()) {
            if (e.body() instanceof SyscallEvent s && Syscalls.packetdrillOnly(s.name())) {
                throw new UnsupportedFeature("line " + e.line() + ": system call " + s.name()
                        + " (the stack has sockets only)", true);
            }
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

    private void play(ProcessContext ctx, ShellCommands shell) throws InterruptedException {
        List<Event> events = script.events();
        for (int i = shellEventsRun; i < events.size(); i++) {
            Event e = events.get(i);
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
                    at(ctx, startNs, description(e.body()));
                    other(e, shell);
                    lastEventNs = ctx.nowNs();
                }
            }
            lastScriptNs = startNs;
        }
        finishPending(ctx);
        settle(ctx);
        if (!device.captured().isEmpty()) {
            // run_script reads no packet after the last event: what is left is not checked.
            notes.add(device.captured().size() + " outbound packet(s) after the last line not checked, first: "
                    + PacketSummary.describe(device.captured().peekFirst().ip()));
        }
        stack.runtime().call(() -> {
            syscalls.closeAll();
            return null;
        });
    }

    /**
     * wait_for_event and check_event_time (run.c): sleeps until the event's time; an event whose
     * time has already passed (a call without {@code ...} blocked past it) is a timing error.
     */
    private void at(ProcessContext ctx, long ns, String description) throws InterruptedException {
        if (ns - ctx.nowNs() > 0) {
            ctx.sleepUntil(ns);
            return;
        }
        long tolerance = tolerance(ns);
        if (ctx.nowNs() - (ns + tolerance) > 0) {
            throw fail("timing error: expected " + description + " at " + ScriptRunner.seconds(ns) + " sec but happened at "
                    + ScriptRunner.seconds(ctx.nowNs()) + " sec; tolerance " + ScriptRunner.seconds(tolerance) + " sec");
        }
    }

    /** event_description (run.c). */
    private static String description(EventBody body) {
        return switch (body) {
            case SyscallEvent s -> "system call start";
            case ShellEvent s -> "command";
            case CodeEvent c -> "data collection for code";
            default -> "inbound packet";
        };
    }

    /** Lets everything due at this instant run (other processes, deliveries). */
    private static void settle(ProcessContext ctx) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            ctx.sleep(0);
        }
    }

    private void other(Event e, ShellCommands shell) {
        switch (e.body()) {
            case TcpPacketEvent p -> inject(p);
            case UdpPacketEvent p -> inject(p);
            case IcmpPacketEvent p -> inject(p);
            case ShellEvent s -> stack.runtime().call(() -> {
                shellEvent(shell, s);
                return null;
            });
            case CodeEvent c -> {
                verbose(sim.nowNs(), "%{ " + c.code() + " }%");
                String failed = code.snapshot(e.line(), c.code(), syscalls.socketUnderTest());
                if (failed != null) {
                    throw fail("runtime error in code: " + failed);
                }
            }
            default -> throw new IllegalStateException("unexpected event " + e);
        }
    }

    /** run_command_event: the command runs as a shell script; a non-zero status fails the script. */
    private void shellEvent(ShellCommands shell, ShellEvent s) {
        verbose(sim == null ? 0 : sim.nowNs(), "`" + s.command() + "`");
        String failed = shell.run(s.command());
        if (failed != null) {
            throw fail("error executing `" + s.command().strip() + "` command: " + failed);
        }
    }

    private void inject(EventBody body) {
        byte[] ip;
        try {
            ip = player.inbound(body);
        } catch (ScriptFailure f) {
            throw fail("error handling packet: " + f.getMessage());
        }
        // With --mss packetdrill injects a packet larger than the MTU whole, marked GSO with that
        // MSS, and the kernel takes it as one GRO aggregate (map_inbound_packet, netdev.c).
        int gsoSize = config.mss > 0 && ip.length > config.mtu ? config.mss : 0;
        verbose(sim.nowNs(), ScriptPrinter.print(body));
        stack.runtime().call(() -> {
            device.inject(ip, gsoSize);
            return null;
        });
    }

    private void outbound(Event e, EventTime t, long startNs, long endNs) {
        long waitUntil = t.kind() == EventTime.Kind.ANY ? startNs + 3600 * SECOND : endNs + toleranceNs + LATE_WAIT_NS;
        OutboundSniffer.Sniffed got = sniffer.sniff(e.body(), () -> nextCaptured(waitUntil));
        if (got.error() != null) {
            throw fail("error handling packet: " + got.error());
        }
        ScriptDevice.Captured c = got.packet();
        verbose(c.timeNs(), PacketSummary.describe(c.ip()));
        String diff = player.match(e.body(), c.ip());
        if (diff != null) {
            throw fail("error handling packet: " + diff);
        }
        if (t.kind() != EventTime.Kind.ANY) {
            long actual = c.timeNs();
            long tolerance = tolerance(startNs);
            if (actual - (startNs - tolerance) < 0 || actual - (endNs + tolerance) > 0) {
                throw fail("error handling packet: " + timingError(t, startNs, endNs, actual, tolerance));
            }
        }
        // adjust_relative_event_times: what follows is timed from when the packet was read.
        lastEventNs = Math.max(c.timeNs(), sim.nowNs());
    }

    private ScriptDevice.Captured nextCaptured(long waitUntil) {
        return stack.runtime().call(() -> {
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
    }

    /** verify_time's tolerance: the larger of --tolerance_usecs and --tolerance_percent of the gap to the previous event. */
    private long tolerance(long scriptNs) {
        long dynamic = (long) (config.tolerancePercent / 100.0 * (scriptNs - lastScriptNs));
        return Math.max(toleranceNs, dynamic);
    }

    /** verify_time's messages (run.c). */
    private String timingError(EventTime t, long startNs, long endNs, long actualNs, long toleranceNs) {
        if (!t.isRange()) {
            return "timing error: expected outbound packet at " + ScriptRunner.seconds(startNs) + " sec but happened at "
                    + ScriptRunner.seconds(actualNs) + " sec; tolerance " + ScriptRunner.seconds(toleranceNs) + " sec";
        }
        if (t.kind() == EventTime.Kind.ABSOLUTE) {
            return "timing error: expected outbound packet in time range " + ScriptRunner.seconds(startNs) + "~"
                    + ScriptRunner.seconds(endNs) + " sec but happened at " + ScriptRunner.seconds(actualNs) + " sec";
        }
        long offset = startNs - t.startMicros() * US;
        return "timing error: expected outbound packet in relative time range +" + ScriptRunner.seconds(startNs - offset)
                + "~+" + ScriptRunner.seconds(endNs - offset) + " sec but happened at +"
                + ScriptRunner.seconds(actualNs - offset) + " sec";
    }

    private void syscall(ProcessContext ctx, Event e, SyscallEvent s, EventTime t, long startNs)
            throws InterruptedException {
        finishPending(ctx);
        at(ctx, startNs, "system call start");
        line = e.line();
        verbose(sim.nowNs(), ScriptPrinter.print(s));
        PendingCall call = new PendingCall();
        call.startNs = startNs;
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
        // run_system_call_event: a call without "..." runs on the main thread, so nothing else
        // happens until it returns, however long it blocks (timers still fire).
        if (!call.process.awaitDone(ctx.nowNs() + LATE_WAIT_NS)) {
            throw fail(s.name() + " still blocked at " + ScriptRunner.seconds(ctx.nowNs()) + " sec: a call written without"
                    + " t1...t2 runs to completion before the next event, as in packetdrill, and nothing else happened");
        }
        lastEventNs = ctx.nowNs();
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
        // system_call_thread: verify_time with the call's start as the previous event.
        long tolerance = Math.max(toleranceNs, (long) (config.tolerancePercent / 100.0 * (p.endNs - p.startNs)));
        if (Math.abs(p.returnedNs - p.endNs) > tolerance) {
            throw fail("timing error: expected system call return at " + ScriptRunner.seconds(p.endNs)
                    + " sec but happened at " + ScriptRunner.seconds(p.returnedNs) + " sec; tolerance "
                    + ScriptRunner.seconds(tolerance) + " sec");
        }
        line = savedLine;
    }

    /** end_syscall (run_system_call.c): the result, CHECK_FD for calls that make descriptors, then errno. */
    private void check(PendingCall c) {
        String prefix = "runtime error in " + c.call.name() + " call: ";
        if (c.error instanceof ScriptFailure f) {
            throw fail(prefix + f.getMessage());
        }
        if (c.error instanceof UnsupportedFeature u) {
            throw u;
        }
        if (c.error instanceof NegativeArraySizeException) {
            throw fail(prefix + "a negative byte count (packetdrill cannot allocate such a buffer)");
        }
        if (c.error != null) {
            throw fail(prefix + "the stack threw " + c.error);
        }
        SyscallEvent s = c.call;
        Syscalls.Outcome o = c.outcome;
        verbose(c.returnedNs, s.name() + " returned " + o.result() + (o.errno() == null ? "" : " " + o.errno()));
        if (s.result() instanceof Expr.EllipsisExpr) {
            return;
        }
        long expected;
        try {
            expected = Syscalls.value(s.result());
        } catch (ScriptFailure f) {
            throw fail(prefix + f.getMessage());
        }
        String errnoText = o.errno() == null ? "" : " with errno " + ScriptRunner.errnoText(o.errno());
        if (Syscalls.returnsFd(s.name()) && expected >= 0) {
            if (o.result() < 0) {
                throw fail(prefix + "Expected non-negative result but got " + o.result() + errnoText);
            }
            try {
                syscalls.mapFd((int) expected, (int) o.result(), s.name().equals("accept"));
            } catch (ScriptFailure f) {
                throw fail(prefix + f.getMessage());
            }
        } else if (o.result() != expected) {
            throw fail(prefix + "Expected result " + expected + " but got " + o.result() + errnoText);
        }
        if (s.errno() != null) {
            netstack4j.socket.Errno want = errno(s.errno(), prefix);
            if (o.errno() != want) {
                throw fail(prefix + "Expected errno " + ScriptRunner.errnoText(want) + " but got "
                        + (o.errno() == null ? "0 (Success)" : ScriptRunner.errnoText(o.errno())));
            }
        }
    }

    private netstack4j.socket.Errno errno(String name, String prefix) {
        for (netstack4j.socket.Errno e : netstack4j.socket.Errno.values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw fail(prefix + "unknown errno symbol " + name);
    }
}
