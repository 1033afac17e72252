package netstack4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import netstack4j.report.SsReport;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.tap.DiscardService;
import netstack4j.tap.EchoService;
import netstack4j.tap.HttpService;
import netstack4j.tap.InterfaceAddress;
import netstack4j.tap.Iperf3Service;
import netstack4j.tap.StackClients;
import netstack4j.tap.TapHost;
import netstack4j.tap.TcpService;
import netstack4j.trace.TraceEvent;
import netstack4j.trace.TraceSink;
import netstack4j.tun.TunMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netstack4j tap}: the stack on a real Linux TAP device whose other side is the kernel,
 * in a network namespace, with services the kernel's own ping, curl, nc and iperf3 can use.
 */
@Command(name = "tap", mixinStandardHelpOptions = true,
        description = {"Runs the stack on a Linux TAP device in a network namespace, with ICMP echo, TCP echo (7),",
                "discard (9), HTTP (80) and an iperf3 server (5201), until Ctrl-C. Needs root.",
                "With --connect, the stack is a client of a server on the kernel's side instead."})
public final class TapCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Use this existing network namespace (kept on exit) instead of making one.")
    String netns;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "ns4j",
            description = "Name of the namespace to make (default: ${DEFAULT-VALUE}); removed on exit.")
    String newNetns;

    @Option(names = "--dev", paramLabel = "IFNAME", description = "Interface name (default: ns4jtap0, or ns4jtun0 with --tun).")
    String device;

    @Option(names = "--tun", description = "A TUN device (IP packets, no Ethernet) instead of TAP.")
    boolean tun;

    @Option(names = "--kernel-address", paramLabel = "A.B.C.D/LEN", defaultValue = "10.200.0.1/24",
            description = "The kernel's address on the device (default: ${DEFAULT-VALUE}).")
    String kernelAddress;

    @Option(names = "--address", paramLabel = "A.B.C.D/LEN", defaultValue = "10.200.0.2/24",
            description = "The stack's address (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--mtu", defaultValue = "1500", description = "MTU of the link (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--offload", description = {"Open the device with IFF_VNET_HDR and TUNSETOFFLOAD (TSO, checksum): the kernel",
            "sends TCP super-segments of up to 64 KiB, which the device cuts for the stack."})
    boolean offload;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Capture the stack's side of the link into FILE.")
    Path pcap;

    @Option(names = "--trace", description = "Print the stack's trace events (packets, states, timers) on stderr.")
    boolean trace;

    @Option(names = "--ss", description = "On exit, print the stack's sockets (ss -tinm) and counters (netstat -s).")
    boolean ss;

    @Option(names = "--quiet", description = "Do not log connections.")
    boolean quiet;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (e.g. 30s, 5m) instead of at Ctrl-C.")
    String duration;

    @Option(names = "--connect", paramLabel = "TARGET",
            description = {"Be a client instead: http://A.B.C.D[:PORT]/PATH fetches and prints a page;",
                    "A.B.C.D:PORT copies stdin to the connection and the connection to stdout (as nc -N)."})
    String connect;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TapHost.Settings settings = settings();
        long runNs;
        try {
            runNs = duration == null ? 0 : Units.parseDurationNs(duration);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--for: " + e.getMessage());
        }
        TapHost host;
        try {
            host = TapHost.start(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        List<TcpService> services = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            stop(host, services, out);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (connect != null) {
                return client(host, out);
            }
            startServices(host, services, out);
            greet(host, out);
            if (runNs > 0) {
                stopped.await(runNs, TimeUnit.NANOSECONDS);
            } else {
                stopped.await();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            stop(host, services, out);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs (and finds everything stopped)
            }
        }
    }

    private TapHost.Settings settings() {
        InterfaceAddress kernel;
        InterfaceAddress stack;
        try {
            kernel = InterfaceAddress.parse(kernelAddress);
            stack = InterfaceAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (mtu < 576 || mtu > 65521) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mtu must be 576..65521");
        }
        TunMode mode = tun ? TunMode.TUN : TunMode.TAP;
        String dev = device != null ? device : tun ? "ns4jtun0" : "ns4jtap0";
        TraceSink sink = !trace ? TraceSink.NONE : new TraceSink() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(TraceEvent event) {
                System.err.println(event.format());
            }
        };
        return new TapHost.Settings(netns != null ? netns : newNetns, netns == null, dev, mode, kernel, stack, mtu, pcap, sink, offload);
    }

    private void startServices(TapHost host, List<TcpService> services, PrintWriter out) {
        java.util.function.Consumer<String> log = quiet ? line -> { } : line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
        var s = host.stack();
        try {
            services.add(new EchoService(s, EchoService.PORT, log).start());
            services.add(new DiscardService(s, DiscardService.PORT, log).start());
            services.add(new HttpService(s, HttpService.PORT, log).start());
            services.add(new Iperf3Service(s, Iperf3Service.PORT, log).start());
        } catch (ErrnoException e) {
            throw new UncheckedIOException("cannot listen: " + e.getMessage(), e);
        }
    }

    private void greet(TapHost host, PrintWriter out) {
        TapHost.Settings s = host.settings();
        String ns = host.netns().name();
        String a = host.stackAddress().toString();
        out.printf("netstack4j tap: the stack is %s on %s (%s, mtu %d, %s) in network namespace %s;%n",
                s.stackAddress(), s.device(), s.mode(), s.mtu(), TapHost.STACK_MAC, ns);
        out.printf("the kernel's side of %s is %s. Services: ICMP echo, TCP echo (7), discard (9), HTTP (80), iperf3 (5201).%n",
                s.device(), s.kernelAddress());
        out.println("Try, in another terminal:");
        out.printf("  ip netns exec %s ping -c 3 %s%n", ns, a);
        out.printf("  ip netns exec %s curl http://%s/%n", ns, a);
        out.printf("  ip netns exec %s sh -c 'echo hello | nc -N %s 7'%n", ns, a);
        out.printf("  ip netns exec %s iperf3 -c %s        (and -R: the stack sends)%n", ns, a);
        out.printf("Ctrl-C stops the stack and removes %s%s.%n", s.device(),
                host.netns().owned() ? " and the namespace " + ns : "");
        out.flush();
    }

    private int client(TapHost host, PrintWriter out) {
        try {
            if (connect.startsWith("http://")) {
                StackClients.HttpResponse r = StackClients.httpGet(host.stack(), connect, Duration.ofSeconds(30));
                out.print(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                spec.commandLine().getErr().println("netstack4j tap: HTTP " + r.status() + ", " + r.body().length + " bytes");
                return r.status() / 100 == 2 ? 0 : 1;
            }
            Ipv4SocketAddress to;
            try {
                to = Ipv4SocketAddress.parse(connect);
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--connect wants http://A.B.C.D[:PORT]/PATH or A.B.C.D:PORT, not " + connect);
            }
            StackClients.pipe(host.stack(), to, System.in, System.out, Duration.ofSeconds(30));
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("--connect " + connect + ": " + e.getMessage(), e);
        }
    }

    private synchronized void stop(TapHost host, List<TcpService> services, PrintWriter out) {
        if (ss && host.stack() != null && !services.isEmpty()) {
            out.println("ss -tinm:");
            out.print(SsReport.format(host.stack()));
            out.println("netstat -s:");
            out.print(host.stack().counters().snapshot().formatNetstat());
            out.flush();
        }
        for (TcpService s : services) {
            s.close();
        }
        services.clear();
        host.close();
    }
}
