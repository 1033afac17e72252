/**
 * The torture campaign: many small seeded scenarios (a workload on a faulty simulated network),
 * each checked against invariants a real stack must keep whatever the network does. One
 * scenario is {@link netstack4j.torture.Scenario} (derived from its run seed alone, so any run
 * can be repeated by itself), {@link netstack4j.torture.TortureRun} runs and judges it, and
 * {@link netstack4j.torture.Campaign} runs a range of them (sharded) and tallies the results.
 *
 * <p>The invariants: every byte delivered exactly once and in order; every connection completes
 * or fails with the errno Linux would give, when Linux would give it; nothing waits forever; no
 * exception escapes the stack; once every socket is closed and its timers have run, every pool
 * buffer and every charged byte is back; no connection stalls without giving up.
 *
 * <p>Threading: a run owns its simulator and runs on the calling thread; runs share nothing, so
 * a campaign may be spread over processes with {@code --shard}.
 */
package netstack4j.torture;
