package netstack4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import netstack4j.stack.WaitQueue;
import netstack4j.time.TimerQueue;
import org.junit.jupiter.api.Test;

class SimProcessTest {

    @Test
    void sleepingProcessesInterleaveDeterministically() {
        try (Simulator sim = new Simulator(1)) {
            List<String> log = new ArrayList<>();
            sim.spawn("fast", ctx -> {
                for (int i = 0; i < 4; i++) {
                    log.add("fast" + i + "@" + ctx.nowNs());
                    ctx.sleep(10);
                }
            });
            sim.spawn("slow", ctx -> {
                for (int i = 0; i < 2; i++) {
                    log.add("slow" + i + "@" + ctx.nowNs());
                    ctx.sleep(Duration.ofNanos(20));
                }
            });
            sim.run();
            assertEquals(List.of("fast0@0", "slow0@0", "fast1@10", "slow1@20", "fast2@20", "fast3@30"), log);
            assertTrue(sim.processes().stream().allMatch(SimProcess::isDone));
        }
    }

    @Test
    void waitQueueWokenByAnEventResumesWaitersInFifoOrder() {
        try (Simulator sim = new Simulator(1)) {
            WaitQueue q = sim.runtime().newWaitQueue();
            boolean[] ready = {false};
            List<String> log = new ArrayList<>();
            for (String name : List.of("p1", "p2", "p3")) {
                sim.spawn(name, ctx -> sim.runtime().call(() -> {
                    while (!ready[0]) {
                        q.await(TimerQueue.NEVER);
                    }
                    log.add(name + "@" + ctx.nowNs());
                    return null;
                }));
            }
            sim.schedule(5_000, () -> {
                ready[0] = true;
                q.wakeAll();
            });
            sim.run();
            assertEquals(List.of("p1@5000", "p2@5000", "p3@5000"), log);
        }
    }

    @Test
    void awaitTimesOutAtItsDeadlineAndLeavesTheQueue() {
        try (Simulator sim = new Simulator(1)) {
            WaitQueue q = sim.runtime().newWaitQueue();
            long[] returnedAt = {-1};
            sim.spawn("waiter", ctx -> {
                q.await(3_000);
                returnedAt[0] = ctx.nowNs();
                q.await(ctx.nowNs()); // deadline already reached: returns at once
            });
            sim.run();
            assertEquals(3_000, returnedAt[0]);
            assertEquals(0, ((SimRuntime.SimWaitQueue) q).size());
            q.wakeAll(); // nobody left to wake
            assertEquals(0, sim.pendingEvents());
        }
    }

    @Test
    void aFailingProcessStopsTheRunAndIsReported() {
        try (Simulator sim = new Simulator(1)) {
            List<Long> later = new ArrayList<>();
            SimProcess p = sim.spawn("bad", ctx -> {
                ctx.sleep(100);
                throw new IllegalStateException("boom");
            });
            sim.schedule(200, () -> later.add(sim.nowNs()));
            SimulationException e = assertThrows(SimulationException.class, sim::run);
            assertSame(p, e.process());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals(100, sim.nowNs());
            assertEquals(100, p.failedAtNs());
            assertTrue(p.isDone());
            assertTrue(later.isEmpty(), "the run stops at the failure");
            assertThrows(SimulationException.class, sim::run, "the failure stays reported");
        }
    }

    @Test
    void sixtySimulatedSecondsOfMillisecondSleepsFinish() {
        try (Simulator sim = new Simulator(1)) {
            int[] ticks = {0};
            SimProcess p = sim.spawn("ticker", ctx -> {
                while (ctx.nowNs() < 60_000_000_000L) {
                    ctx.sleep(1_000_000);
                    ticks[0]++;
                }
            });
            sim.run();
            assertTrue(p.isDone());
            assertNull(p.failure());
            assertEquals(60_000, ticks[0]);
            assertEquals(60_000_000_000L, sim.nowNs());
        }
    }

    @Test
    void aProcessCanAwaitAnother() {
        try (Simulator sim = new Simulator(1)) {
            SimProcess worker = sim.spawn("worker", ctx -> ctx.sleep(500));
            long[] joinedAt = {-1};
            boolean[] timedOut = {true};
            sim.spawn("joiner", ctx -> {
                timedOut[0] = !worker.awaitDone(100);
                worker.awaitDone();
                joinedAt[0] = ctx.nowNs();
            });
            sim.run();
            assertTrue(timedOut[0]);
            assertEquals(500, joinedAt[0]);
        }
    }

    @Test
    void currentIsKnownInsideAProcessOnly() {
        try (Simulator sim = new Simulator(1)) {
            AtomicReference<ProcessContext> seen = new AtomicReference<>();
            SimProcess p = sim.spawn("p", ctx -> seen.set(ProcessContext.current()));
            sim.run();
            assertSame(p.context(), seen.get());
            assertNull(ProcessContext.current());
            assertNull(SimProcess.current());
        }
    }

    @Test
    void stackCallsAndWaitsFromTheWrongThreadAreRejected() throws Exception {
        try (Simulator sim = new Simulator(1)) {
            WaitQueue q = sim.runtime().newWaitQueue();
            assertEquals(7, sim.runtime().call(() -> 7), "the owner thread may call between runs");
            assertThrows(IllegalStateException.class, () -> sim.runtime().call(() -> {
                q.await(TimerQueue.NEVER);
                return null;
            }),
                    "the simulator thread cannot block");
            AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    sim.runtime().call(() -> 1);
                } catch (Throwable e) {
                    fromOtherThread.set(e);
                }
            });
            t.join();
            assertInstanceOf(IllegalStateException.class, fromOtherThread.get());
        }
    }

    @Test
    void closeEndsParkedProcesses() {
        Simulator sim = new Simulator(1);
        WaitQueue q = sim.runtime().newWaitQueue();
        List<String> log = new ArrayList<>();
        SimProcess forever = sim.spawn("forever", ctx -> {
            try {
                q.await(TimerQueue.NEVER);
            } catch (InterruptedException e) {
                log.add("interrupted");
                throw e;
            }
        });
        SimProcess sleeper = sim.spawn("sleeper", ctx -> ctx.sleep(1_000_000));
        sim.runFor(10);
        sim.spawn("never-started", ctx -> log.add("ran"));
        assertFalse(forever.isDone());
        sim.close();
        assertTrue(forever.isDone());
        assertTrue(sleeper.isDone());
        assertNull(forever.failure(), "being killed is not a failure");
        assertEquals(List.of("interrupted"), log);
        assertTrue(sim.processes().stream().allMatch(SimProcess::isDone));
        assertThrows(IllegalStateException.class, sim::run);
    }

    @Test
    void processesSpawnProcesses() {
        try (Simulator sim = new Simulator(1)) {
            List<String> log = new ArrayList<>();
            sim.spawn("parent", ctx -> {
                ctx.sleep(10);
                SimProcess child = ctx.spawn("child", c -> log.add("child@" + c.nowNs()));
                child.awaitDone();
                log.add("parent@" + ctx.nowNs());
            });
            sim.run();
            assertEquals(List.of("child@10", "parent@10"), log);
        }
    }
}
