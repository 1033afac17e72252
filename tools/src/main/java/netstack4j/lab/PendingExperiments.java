package netstack4j.lab;

import java.util.List;

/** Claims whose experiment waits on a feature the stack lacks; each says which, and what it will show. */
final class PendingExperiments {
    private PendingExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                Experiment.waiting("N4", "memory-pressure", "past a system limit of socket memory (about 85 %) allocations are refused and buffers shrink",
                        "TCP memory pressure (tcp_mem, sk_stream_memory_free)",
                        "many connections whose readers stop would push TcpExtTCPMemoryPressures up and the windows down."));
    }
}
