/**
 * The deterministic simulated network: a virtual clock with one event queue ({@link
 * netstack4j.sim.Simulator}), links with a fault model ({@link netstack4j.sim.SimLink},
 * {@link netstack4j.sim.LinkParams}), learning switches ({@link netstack4j.sim.SimSwitch}),
 * topology shapes ({@link netstack4j.sim.Topologies}) and simulated processes
 * ({@link netstack4j.sim.SimProcess}): application code written as ordinary blocking code that
 * runs on virtual threads scheduled one at a time. {@link netstack4j.sim.DeterministicThreads}
 * schedules plain Java threads the same way (a program's own and its libraries', under the
 * {@code netstack4j-nio} agent's deterministic mode).
 *
 * <p>Threading: everything here is single-threaded. Events fire on the thread that called
 * {@code Simulator.run*} (the simulator thread); a simulated process runs only while the
 * simulator thread is parked in a strict hand-off, so at any moment exactly one of {simulator
 * thread, one process} touches the simulation, its links and its stacks.
 *
 * <p>Determinism: time is virtual, events with equal times fire in the order they were
 * scheduled, and every random choice comes from a generator derived from the master seed and the
 * name of the component that makes it ({@link netstack4j.sim.Simulator#random(String)}), so the
 * same seed gives the same run, byte for byte.
 */
package netstack4j.sim;
