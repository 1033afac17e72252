package netstack4j.lab;

import java.util.List;

/** Claims whose experiment waits on a feature the stack lacks; each says which, and what it will show. */
final class PendingExperiments {
    private PendingExperiments() {
    }

    static List<Experiment> all() {
        return List.of(
                Experiment.waiting("N25", "tso", "TSO: the NIC cuts large sends into MSS segments; the sender's capture shows segments larger than MSS",
                        "TSO/GSO offload on the simulated device",
                        "a capture on a would show 64 KB segments while b's shows 1448-byte ones."));
    }
}
