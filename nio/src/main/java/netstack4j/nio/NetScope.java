package netstack4j.nio;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import netstack4j.stack.NetStack;

/**
 * Which host is "here": binds the current thread, and every thread it starts while bound, to one
 * stack, so that {@code SocketChannel.open()}, {@code new Socket()}, {@code HttpClient},
 * {@code InetAddress.getByName} and the like, called inside, use that host (when
 * {@link NetSelectorProvider} is the JVM's provider, and {@link NetResolverProvider} its
 * resolver). The common case is one line:
 *
 * <pre>{@code
 * try (var here = NetScope.enter(client)) {
 *     HttpClient.newHttpClient().send(request, BodyHandlers.ofString());
 * }
 * }</pre>
 *
 * <p>Threads inherit the binding when they are created (an {@link InheritableThreadLocal}: platform
 * and virtual threads alike), so a library's selector thread or executor started inside the scope
 * works on the same host, and keeps doing so after the scope is closed. Threads created
 * elsewhere (the common fork-join pool) are not bound, nor are threads a library creates with
 * {@code inheritThreadLocals} false: {@code HttpClient}'s default executor does (its
 * {@code DefaultThreadFactory}), so an {@code HttpClient} that opens connections from its
 * executor needs one that binds, {@code HttpClient.newBuilder().executor(NetScope.executor(host))}.
 *
 * <p>Thread-safe; each scope is closed by the thread that entered it.
 */
public final class NetScope implements AutoCloseable {
    private static final InheritableThreadLocal<NetStack> CURRENT = new InheritableThreadLocal<>();

    private final NetStack host;
    private final NetStack previous;
    private final Thread owner;
    private boolean closed;

    private NetScope(NetStack host, NetStack previous) {
        this.host = host;
        this.previous = previous;
        this.owner = Thread.currentThread();
    }

    /** Binds the current thread to {@code host} until {@link #close()}; scopes nest. */
    public static NetScope enter(NetStack host) {
        Objects.requireNonNull(host, "host");
        NetScope s = new NetScope(host, CURRENT.get());
        CURRENT.set(host);
        return s;
    }

    /** Runs {@code body} on {@code host}. */
    public static void run(NetStack host, Runnable body) {
        try (NetScope ignored = enter(host)) {
            body.run();
        }
    }

    /** Calls {@code body} on {@code host} and returns its result. */
    public static <T> T call(NetStack host, Callable<T> body) throws Exception {
        try (NetScope ignored = enter(host)) {
            return body.call();
        }
    }

    /**
     * An executor that runs each task on a new virtual thread bound to {@code host}: for
     * libraries that take an executor and would otherwise run tasks on unbound threads.
     */
    public static Executor executor(NetStack host) {
        ThreadFactory f = threadFactory(host);
        return task -> f.newThread(task).start();
    }

    /** A factory of virtual threads that run bound to {@code host}. */
    public static ThreadFactory threadFactory(NetStack host) {
        Objects.requireNonNull(host, "host");
        ThreadFactory virtual = Thread.ofVirtual().name("netstack-" + host.name() + "-", 0).factory();
        return task -> virtual.newThread(() -> run(host, task));
    }

    /** The host the current thread is bound to, or null. */
    public static NetStack current() {
        return CURRENT.get();
    }

    /** The host of this scope. */
    public NetStack host() {
        return host;
    }

    /** Restores the binding the thread had before {@link #enter}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a scope is closed by the thread that entered it");
        }
        closed = true;
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    @Override
    public String toString() {
        return "NetScope[" + host.name() + "]";
    }
}
