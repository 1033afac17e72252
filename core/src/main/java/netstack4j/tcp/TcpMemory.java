package netstack4j.tcp;

import netstack4j.stack.Counter;
import netstack4j.stack.Counters;

/**
 * Stack-wide TCP memory as Linux accounts it ({@code tcp_memory_allocated} against
 * {@code net.ipv4.tcp_mem}), with the per-socket forward allocation ({@code sk_forward_alloc})
 * in {@link Socket}.
 *
 * <ul>
 *   <li><b>Units</b>: the stack-wide counter is in pages of {@link #PAGE_SIZE} bytes
 *       (SK_MEM_QUANTUM); a socket charges bytes against its forward allocation and raises the
 *       stack-wide counter only in whole pages ({@code __sk_mem_schedule}, {@code sk_mem_pages}).
 *       Freed bytes go back to the forward allocation and whole free pages are returned at once
 *       ({@code sk_mem_uncharge}, {@code sk_mem_reclaim}).</li>
 *   <li><b>Limits</b> ({@code tcp_mem} = min, pressure, max, in pages): defaults as
 *       {@code tcp_init_mem}: limit = free buffer pages / 16 (at least 128), min = limit / 4 × 3,
 *       pressure = limit, max = min × 2.</li>
 *   <li><b>Raising</b> ({@code __sk_mem_raise_allocated}): at or below min always granted and
 *       pressure left; above pressure, pressure is entered; above max refused; in between a
 *       socket still below tcp_rmem[0] / tcp_wmem[0] is granted, and under pressure a socket is
 *       granted while max exceeds sockets × its own pages (a fair share), else refused.</li>
 *   <li><b>Reducing</b> ({@code __sk_mem_reduce_allocated}): pressure is left once the counter is
 *       below min, so entering (above pressure) and leaving (below min) form a hysteresis.</li>
 *   <li><b>Counters</b>: entering pressure counts TcpExtTCPMemoryPressures
 *       ({@code tcp_enter_memory_pressure}); leaving adds the milliseconds spent to
 *       TcpExtTCPMemoryPressuresChrono ({@code tcp_leave_memory_pressure}).</li>
 * </ul>
 * Time is passed in (nanoseconds of the stack's clock). Thread-compatible: owned by the stack's
 * thread.
 */
public final class TcpMemory {
    /** PAGE_SIZE on x86-64, the quantum of socket memory (SK_MEM_QUANTUM). */
    public static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;

    /** What an allocation is for ({@code SK_MEM_SEND}, {@code SK_MEM_RECV}). */
    public enum Kind { SEND, RECV }

    private long minPages;
    private long pressurePages;
    private long maxPages;
    private int rmemMin;
    private int wmemMin;
    /** Where TcpExtTCPMemoryPressures and TcpExtTCPMemoryPressuresChrono are counted. */
    private final Counters counters;
    /** tcp_memory_allocated, in pages. */
    private long allocatedPages;
    /** tcp_sockets_allocated. */
    private int sockets;
    /** tcp_memory_pressure: when pressure was entered, or -1 when not under pressure. */
    private long pressureSinceNs = -1;
    private long pressures;
    private long pressuresChronoMs;
    private long refused;

    /**
     * @param tcpMem  {min, pressure, max} in pages (net.ipv4.tcp_mem)
     * @param rmemMin tcp_rmem[0], granted to every socket even under pressure
     * @param wmemMin tcp_wmem[0], granted to every socket even under pressure
     */
    public TcpMemory(long[] tcpMem, int rmemMin, int wmemMin) {
        this(tcpMem, rmemMin, wmemMin, new Counters());
    }

    /** As {@link #TcpMemory(long[], int, int)}, counting pressure episodes in the stack's {@code counters}. */
    public TcpMemory(long[] tcpMem, int rmemMin, int wmemMin, Counters counters) {
        setLimits(tcpMem);
        setMinimums(rmemMin, wmemMin);
        this.counters = java.util.Objects.requireNonNull(counters, "counters");
    }

    /** tcp_rmem[0] and tcp_wmem[0] changed (sk_get_rmem0 / sk_get_wmem0 read them at each use). */
    public void setMinimums(int rmemMin, int wmemMin) {
        this.rmemMin = rmemMin;
        this.wmemMin = wmemMin;
    }

    /** tcp_init_mem: the default tcp_mem for a host with {@code memoryBytes} of free buffer memory. */
    public static long[] initMem(long memoryBytes) {
        long limit = Math.max((memoryBytes >> PAGE_SHIFT) / 16, 128);
        long min = limit / 4 * 3;
        return new long[] {min, limit, min * 2};
    }

    /** sk_mem_pages: the pages that hold {@code bytes}. */
    public static long pages(long bytes) {
        return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
    }

    /** Sets net.ipv4.tcp_mem; rejects a triple that is not ordered min ≤ pressure ≤ max. */
    public void setLimits(long[] tcpMem) {
        if (tcpMem.length != 3 || tcpMem[0] < 0 || tcpMem[0] > tcpMem[1] || tcpMem[1] > tcpMem[2]) {
            throw new IllegalArgumentException("tcp_mem must be three ordered page counts");
        }
        minPages = tcpMem[0];
        pressurePages = tcpMem[1];
        maxPages = tcpMem[2];
    }

    public long[] limits() {
        return new long[] {minPages, pressurePages, maxPages};
    }

    /** /proc/net/sockstat's {@code mem}: pages allocated to TCP. */
    public long allocatedPages() {
        return allocatedPages;
    }

    public boolean underPressure() {
        return pressureSinceNs >= 0;
    }

    /** sk_memory_allocated(sk) >= sk_prot_mem_limits(sk, 0): at or above tcp_mem[0] (tcp_should_expand_sndbuf). */
    public boolean atOrAboveMin() {
        return allocatedPages >= minPages;
    }

    public long pressures() {
        return pressures;
    }

    /** Milliseconds spent under pressure in completed episodes, plus the current one up to {@code nowNs}. */
    public long pressuresChronoMs(long nowNs) {
        return pressuresChronoMs + (underPressure() ? (nowNs - pressureSinceNs) / 1_000_000 : 0);
    }

    /** Allocations refused (each one a skb not queued or a segment dropped by its caller). */
    public long refused() {
        return refused;
    }

    public int sockets() {
        return sockets;
    }

    /** A new socket's accounting (tcp_init_sock's sk_sockets_allocated_inc). */
    public Socket newSocket() {
        sockets++;
        return new Socket();
    }

    /** tcp_enter_memory_pressure: counted once per episode. */
    void enterPressure(long nowNs) {
        if (!underPressure()) {
            pressureSinceNs = nowNs;
            pressures++;
            counters.increment(Counter.TcpExtTCPMemoryPressures);
        }
    }

    /** tcp_leave_memory_pressure: the episode's length goes to the chrono counter. */
    void leavePressure(long nowNs) {
        if (underPressure()) {
            long ms = (nowNs - pressureSinceNs) / 1_000_000;
            pressuresChronoMs += ms;
            pressureSinceNs = -1;
            counters.add(Counter.TcpExtTCPMemoryPressuresChrono, ms);
        }
    }

    /** One socket's forward allocation and what it holds. Thread-compatible. */
    public final class Socket {
        /** sk_forward_alloc: bytes of pages raised but not yet charged. */
        private long forwardAlloc;
        private boolean closed;

        private Socket() {
        }

        public long forwardAlloc() {
            return forwardAlloc;
        }

        /**
         * sk_wmem_schedule / sk_rmem_schedule: makes room for {@code size} bytes, raising pages
         * when the forward allocation is short. {@code wmemQueued} and {@code rmemAlloc} are what
         * the socket holds now (sk_wmem_queued, sk_rmem_alloc).
         *
         * @return false when the allocation is refused (nothing changed)
         */
        public boolean schedule(int size, Kind kind, long wmemQueued, long rmemAlloc, long nowNs) {
            long delta = size - forwardAlloc;
            if (delta <= 0) {
                return true;
            }
            long amt = pages(delta); // __sk_mem_schedule
            if (!raise(amt, kind, wmemQueued, rmemAlloc, nowNs)) {
                refused++;
                return false;
            }
            forwardAlloc += amt << PAGE_SHIFT;
            return true;
        }

        /** __sk_mem_raise_allocated, with the pages already counted as the kernel does. */
        private boolean raise(long amt, Kind kind, long wmemQueued, long rmemAlloc, long nowNs) {
            allocatedPages += amt;
            if (allocatedPages <= minPages) {
                leavePressure(nowNs); // under limit: sk_leave_memory_pressure
                return true;
            }
            if (allocatedPages > pressurePages) {
                enterPressure(nowNs); // under pressure: sk_enter_memory_pressure
            }
            if (allocatedPages <= maxPages) {
                if (kind == Kind.RECV ? rmemAlloc < rmemMin : wmemQueued < wmemMin) {
                    return true; // sk_get_rmem0 / sk_get_wmem0: every socket gets its minimum
                }
                if (!underPressure()) {
                    return true;
                }
                long own = pages(wmemQueued + rmemAlloc + forwardAlloc + ((long) amt << PAGE_SHIFT));
                if (maxPages > Math.max(1, sockets) * own) {
                    return true; // a fair share of the hard limit
                }
            }
            allocatedPages -= amt; // suppress_allocation
            return false;
        }

        /**
         * sk_forced_mem_schedule then sk_mem_charge: {@code size} bytes are taken whatever the
         * limits say (the first skb of an empty queue, tcp_data_queue and tcp_stream_alloc_skb's
         * force_schedule); the pages still count (pressure is entered by the next allocation that
         * is scheduled, as sk_forced_mem_schedule itself checks no limit).
         */
        public void forceCharge(long size) {
            long delta = size - forwardAlloc;
            if (delta > 0) {
                long amt = pages(delta);
                forwardAlloc += amt << PAGE_SHIFT;
                allocatedPages += amt; // sk_memory_allocated_add
            }
            forwardAlloc -= size;
        }

        /** sk_mem_charge: {@code size} bytes taken from the forward allocation (after schedule). */
        public void charge(int size) {
            forwardAlloc -= size;
        }

        /** sk_mem_uncharge: {@code size} bytes freed; whole free pages go back at once (sk_mem_reclaim). */
        public void uncharge(int size, long nowNs) {
            forwardAlloc += size;
            reclaim(nowNs);
        }

        /** sk_mem_reclaim: returns the whole pages of the forward allocation (__sk_mem_reduce_allocated). */
        public void reclaim(long nowNs) {
            long pages = forwardAlloc >> PAGE_SHIFT;
            if (pages <= 0) {
                return;
            }
            forwardAlloc -= pages << PAGE_SHIFT;
            allocatedPages -= pages;
            if (underPressure() && allocatedPages < minPages) {
                leavePressure(nowNs);
            }
        }

        /** The socket is destroyed (tcp_v4_destroy_sock): everything it held was uncharged first. */
        public void close(long nowNs) {
            if (!closed) {
                closed = true;
                sockets--;
                reclaim(nowNs);
            }
        }
    }

    /** /proc/net/sockstat's TCP line, as sockstat_seq_show prints it. */
    public String sockstatLine(int inuse, int orphan, int tw) {
        return "TCP: inuse " + inuse + " orphan " + orphan + " tw " + tw + " alloc " + sockets + " mem "
                + allocatedPages;
    }
}
