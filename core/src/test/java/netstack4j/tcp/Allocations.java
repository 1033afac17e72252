package netstack4j.tcp;

import java.lang.management.ManagementFactory;

/** Measures bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean). */
final class Allocations {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Bytes allocated by the current thread while running {@code body}. */
    static long during(Runnable body) {
        long tid = Thread.currentThread().threadId();
        BEAN.getThreadAllocatedBytes(tid);
        long before = BEAN.getThreadAllocatedBytes(tid);
        body.run();
        return BEAN.getThreadAllocatedBytes(tid) - before;
    }
}
