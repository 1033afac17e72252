package netstack4j.sim;

import static netstack4j.sim.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netstack4j.sim.Frames.Recorder;
import netstack4j.wire.MacAddress;
import org.junit.jupiter.api.Test;

class SimSwitchTest {

    @Test
    void floodsUnknownAndBroadcastThenForwardsWhatItLearned() {
        try (Simulator sim = new Simulator(1)) {
            SimSwitch sw = sim.newSwitch("sw");
            SimLink l1 = sw.connect("d1", LinkParams.DEFAULT);
            SimLink l2 = sw.connect("d2", LinkParams.DEFAULT);
            SimLink l3 = sw.connect("d3", LinkParams.DEFAULT);
            Recorder r1 = new Recorder(sim).attach(l1.a());
            Recorder r2 = new Recorder(sim).attach(l2.a());
            Recorder r3 = new Recorder(sim).attach(l3.a());
            SimPort d1 = l1.a();
            SimPort d2 = l2.a();

            sim.schedule(0, () -> d1.transmit(frame(MacAddress.BROADCAST, d1.macAddress(), 1, 60)));
            sim.schedule(10, () -> d2.transmit(frame(d1.macAddress(), d2.macAddress(), 2, 60)));
            sim.schedule(20, () -> d1.transmit(frame(d2.macAddress(), d1.macAddress(), 3, 60)));
            sim.schedule(30, () -> d1.transmit(frame(MacAddress.local(999), d1.macAddress(), 4, 60)));
            sim.run();

            assertEquals(List.of(2), r1.seqs(), "learned d1 from the broadcast");
            assertEquals(List.of(1, 3, 4), r2.seqs());
            assertEquals(List.of(1, 4), r3.seqs(), "broadcast and unknown flood; known unicast does not");
            assertEquals(2, sw.forwardedFrames());
            assertEquals(2, sw.floodedFrames());
            assertEquals(0, sw.lookup(d1.macAddress().value()));
            assertEquals(1, sw.lookup(d2.macAddress().value()));
            assertEquals(-1, sw.lookup(MacAddress.local(999).value()));
        }
    }

    @Test
    void learnedEntriesAgeOutAndMove() {
        try (Simulator sim = new Simulator(1)) {
            SimSwitch sw = sim.newSwitch("sw");
            SimLink l1 = sw.connect("d1", LinkParams.DEFAULT);
            SimLink l2 = sw.connect("d2", LinkParams.DEFAULT);
            sw.setMacAgeingNs(1_000);
            MacAddress roaming = MacAddress.local(500);
            sim.schedule(0, () -> l1.a().transmit(frame(MacAddress.BROADCAST, roaming, 1, 60)));
            sim.runUntil(10);
            assertEquals(0, sw.lookup(roaming.value()));
            sim.schedule(20, () -> l2.a().transmit(frame(MacAddress.BROADCAST, roaming, 2, 60)));
            sim.runUntil(30);
            assertEquals(1, sw.lookup(roaming.value()), "the address moved to port 1");
            sim.runUntil(2_000);
            assertEquals(-1, sw.lookup(roaming.value()), "aged out");
        }
    }

    @Test
    void framesToTheIngressPortAreFiltered() {
        try (Simulator sim = new Simulator(1)) {
            SimSwitch sw = sim.newSwitch("sw");
            SimLink l1 = sw.connect("d1", LinkParams.DEFAULT);
            SimLink l2 = sw.connect("d2", LinkParams.DEFAULT);
            Recorder r2 = new Recorder(sim).attach(l2.a());
            MacAddress other = MacAddress.local(77);
            sim.schedule(0, () -> l1.a().transmit(frame(MacAddress.BROADCAST, other, 1, 60)));
            sim.schedule(10, () -> l1.a().transmit(frame(other, l1.a().macAddress(), 2, 60)));
            sim.run();
            assertEquals(List.of(1), r2.seqs());
            assertEquals(1, sw.filteredFrames());
        }
    }

    @Test
    void eachOutputPortHasABoundedQueue() {
        try (Simulator sim = new Simulator(1)) {
            SimSwitch sw = sim.newSwitch("sw", 3_000);
            // Fast ingress cables, a slow cable to the receiver: the switch's port queue fills.
            SimLink in1 = sw.connect("in1", LinkParams.DEFAULT);
            SimLink in2 = sw.connect("in2", LinkParams.DEFAULT);
            SimLink out = sw.connect("out", LinkParams.of(8_000_000, 0));
            Recorder rx = new Recorder(sim).attach(out.a());
            SimPort dst = out.a();
            sim.schedule(0, () -> dst.transmit(frame(MacAddress.BROADCAST, dst.macAddress(), -1, 60)));
            sim.schedule(1_000, () -> {
                for (int i = 0; i < 5; i++) {
                    in1.a().transmit(frame(dst, in1.a(), i, 1000));
                    in2.a().transmit(frame(dst, in2.a(), 100 + i, 1000));
                }
            });
            sim.run();
            assertEquals(3, rx.size(), "3000 bytes of queue: three 1000-byte frames");
            assertEquals(7, sw.queueDrops(2));
            assertTrue(out.params(SimLink.Direction.B_TO_A).queueLimitBytes() == 3_000);
            assertEquals(List.of(0, 100, 1), rx.seqs());
        }
    }
}
