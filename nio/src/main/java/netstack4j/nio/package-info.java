/**
 * Unmodified Java networking code over netstack4j stacks: a
 * {@link java.nio.channels.spi.SelectorProvider} ({@link netstack4j.nio.NetSelectorProvider}:
 * {@code SocketChannel}, {@code ServerSocketChannel}, {@code DatagramChannel}, {@code Selector},
 * and the adaptor {@code Socket}/{@code ServerSocket} their {@code socket()} returns), name
 * resolution ({@link netstack4j.nio.NetResolverProvider}), and the scope that says which host of
 * a simulated network is "here" ({@link netstack4j.nio.NetScope}).
 *
 * <h2>Using it</h2>
 * Directly: {@code NetSelectorProvider.of(host).openSocketChannel()}, or Netty's
 * {@code NioIoHandler.newFactory(NetSelectorProvider.of(host))}. For code that calls
 * {@code SocketChannel.open()} itself ({@code HttpClient}, {@code HttpServer}), install the
 * provider JVM-wide ({@code -Djava.nio.channels.spi.SelectorProvider=netstack4j.nio.NetSelectorProvider
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED}) and run the code inside
 * {@code NetScope.enter(host)}. Threads inherit the scope from the thread that creates them,
 * unless the library creates them without inheritable thread-locals: {@code HttpClient}'s default
 * executor does, so give it {@code .executor(NetScope.executor(host))} (its {@code send} works
 * without, its concurrent {@code sendAsync} opens connections on executor threads).
 *
 * <h2>Blocking {@code java.net.Socket} code</h2>
 * {@code channel.socket()} gives a {@code java.net.Socket} whose streams, timeouts and options go
 * to the stack; a library that takes a {@code javax.net.SocketFactory} or a ready {@code Socket}
 * can use it. A library that calls {@code new Socket(host, port)} itself cannot be redirected
 * without a JVM-wide {@code Socket.setSocketImplFactory}, which JDK 25 still offers (deprecated)
 * but which replaces the JDK's own implementation for every socket of the JVM, with no public
 * way back to it; this module does not install one.
 *
 * <h2>Threads, time and determinism</h2>
 * The stacks are driven in one of four ways, and what repeats with the seed differs:
 * <ol>
 *   <li><b>Simulated processes</b> ({@code sim.spawn}): the simulator's own thread schedules the
 *       processes one at a time in virtual time; a {@code SimProcess} body may use these channels
 *       and selectors as it uses {@code TcpSocket}. Fully deterministic: the same seed gives the
 *       same packet trace, byte for byte, and the same trace hash ({@code SimulatedSelectorTest}
 *       runs a selector over TCP and UDP channels twice and compares the hashes). Unmodified JDK
 *       code that starts threads of its own ({@code HttpClient}, {@code HttpServer}, Netty) cannot
 *       run this way; it runs in the next mode.</li>
 *   <li><b>Deterministic threads</b> ({@code netstack4j.sim.DeterministicThreads}, under
 *       {@code -javaagent:netstack4j-nio.jar=deterministic}, {@link netstack4j.nio.agent}): every
 *       thread the program starts inside {@code DeterministicThreads.run}, platform or virtual,
 *       runs as a virtual thread on one scheduler the simulator drives, one at a time; virtual
 *       time advances only when all of them wait. Deterministic as listed below:
 *       {@code DeterministicAgentTest} runs {@code HttpClient} against {@code HttpServer} (1 MB
 *       each way, 5 % loss, 20 ms) and a Netty echo (loss, a partition that heals) in two JVMs with
 *       one seed and gets the same trace hash, and another with another seed.</li>
 *   <li><b>Real-time-paced simulation</b> ({@code netstack4j.sim.RealTimePacer}), for code that
 *       starts its own threads without the agent: the simulation advances with the wall clock on
 *       a pacer thread, application threads take turns with it through one lock, and timed waits
 *       on the stack end in virtual time. Partly deterministic, as listed below
 *       ({@code PacedDeterminismTest} runs it twice with one seed: same ephemeral ports, the
 *       same datagrams lost on lossy links, but other initial sequence numbers and other trace
 *       hashes).</li>
 *   <li><b>A real stack</b> ({@code EventLoop} on in-memory cables, {@code netstack4j.tun.DeviceLoop}
 *       on a TUN/TAP device): the wall clock, real threads and, on a device, the kernel as the
 *       peer. Nothing about the packets is deterministic; only the byte streams the applications
 *       exchange are what they wrote ({@code RealStacksHttpTest}, and tools' {@code TapJdkHttpTest}
 *       for {@code HttpClient} and {@code HttpServer} against the kernel's HTTP programs).</li>
 * </ol>
 *
 * <p>In the deterministic-threads mode:
 * <ul>
 *   <li>deterministic: the order threads run in (first runnable, first run; a thread becomes
 *       runnable when started, unparked (a stack's wake-up, {@code java.util.concurrent} locks,
 *       conditions, queues and futures), when its timeout's event fires, or when a monitor it
 *       waits to enter is released, right after the releasing thread's turn and not when the
 *       JDK's unblocker thread gets to it); the clocks: {@code System.nanoTime},
 *       {@code System.currentTimeMillis}, {@code Instant.now} and {@code Clock.systemUTC()} read
 *       virtual time, in application classes and in the JDK's {@code java.util.concurrent},
 *       {@code java.util.Timer}, {@code java.util.Random}, {@code java.time}, {@code Thread},
 *       {@code VirtualThread}, {@code java.net.http} and {@code sun.net.httpserver}; the
 *       timeouts: {@code Thread.sleep}, {@code LockSupport.parkNanos}/{@code parkUntil} and all
 *       timed waits built on them, {@code Object.wait(timeout)}, {@code Thread.join(timeout)},
 *       {@code ScheduledThreadPoolExecutor}, {@code Timer}, {@code Selector.select(timeout)}
 *       (the selector waits on the stack); {@code ThreadLocalRandom} (each simulated thread's seed
 *       comes from the simulation's seed, in start order); hence the packet trace and its hash,
 *       the virtual duration of a run, and every count the stacks keep;</li>
 *   <li>deterministic for one program on one JDK, but not derived from the seed:
 *       {@code new Random()} and {@code Math.random()} (seeded from a JVM-wide counter and the
 *       virtual clock), identity hash codes and so the iteration order of sets of objects hashed
 *       by identity (they come from the generator of the thread the code runs on, for simulated
 *       threads the one carrier thread: they repeated in every run tried, but the JVM does not
 *       promise it);</li>
 *   <li>not deterministic, or not covered: threads started outside {@code run} or by threads
 *       that are not the simulation's; {@code ForkJoinPool} workers (the common pool behind
 *       {@code CompletableFuture.supplyAsync} without an executor, parallel streams) stay platform
 *       threads, run concurrently with the simulation on the wall clock and must not touch its
 *       stacks (the agent prints a line when one starts); virtual threads the program builds on a
 *       scheduler of its own; {@code SecureRandom} and {@code UUID.randomUUID()}; clock reads in
 *       other JDK packages ({@code java.util.logging}, {@code javax.net.ssl}...); a thread that
 *       blocks while pinned to its carrier (inside a class initialiser, under a native frame)
 *       blocks the whole simulation, and a timed park while pinned times out on the wall clock;
 *       a thread that spins on the clock never sees it move (virtual time stands still while a
 *       thread runs); how long a run takes on the wall clock. A {@code Thread} object started in
 *       the simulation stands in for the virtual thread that runs its body:
 *       {@code Thread.currentThread()} returns it in application classes and the JDK's HTTP
 *       client and server, {@code isAlive}, {@code getState}, {@code join}, {@code interrupt},
 *       {@code isInterrupted} and {@code LockSupport.unpark} on it reach the virtual thread, but
 *       JDK code outside those packages sees the virtual thread, and thread dumps list only the
 *       virtual thread. Threads still alive when {@code run} returns stay parked.</li>
 * </ul>
 * The mode relies on JDK 25 internals ({@code java.lang.VirtualThread}'s scheduler and waiting
 * list, {@code ThreadBuilders.VirtualThreadBuilder(Executor)}, {@code Thread.start(ThreadContainer)},
 * {@code Clock.currentInstant}); another JDK may need the agent adapted.
 *
 * <p>In the real-time-paced mode:
 * <ul>
 *   <li>deterministic: each link's fault draws in the order frames arrive (with loss alone the
 *       n-th frame on a link is lost or not alike in every run with the seed, so traffic whose
 *       frames do not depend on timing, such as a burst of datagrams, loses the same ones), each
 *       stack's seeded choices in the order it makes them (ephemeral ports), and the byte streams
 *       the applications exchange;</li>
 *   <li>not deterministic: when application threads run relative to virtual time, hence which
 *       frames exist (TCP's ACKs, window updates and retransmissions follow timing) and their
 *       timing, and so which frame is the n-th on a link and which TCP segments are lost, everything derived
 *       from the clock (initial sequence numbers, which RFC 6528 ties to it; timestamps), the
 *       packet trace and its hash, and every figure that depends on timing (throughput,
 *       requests per second).</li>
 * </ul>
 *
 * <p>Application code under {@code -javaagent:netstack4j-nio.jar} (no argument) reads the clock
 * and sleeps in virtual time inside a scope ({@link netstack4j.nio.agent.VirtualTimeAgent}); the
 * JDK's classes and threads are not redirected, so that use with a pacer is not deterministic
 * either.
 *
 * <h2>Not supported</h2>
 * IPv6, multicast ({@code DatagramChannel.join}), the {@code DatagramSocket} adaptor, urgent data,
 * registering a JDK {@code Pipe} with a netstack4j selector.
 */
package netstack4j.nio;
