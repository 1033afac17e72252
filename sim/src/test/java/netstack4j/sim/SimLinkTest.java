package netstack4j.sim;

import static netstack4j.sim.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import netstack4j.sim.Frames.Arrival;
import netstack4j.sim.Frames.Recorder;
import netstack4j.sim.SimLink.Direction;
import org.junit.jupiter.api.Test;

class SimLinkTest {

    /** Sends {@code n} frames of {@code len} bytes a→b, one every {@code gapNs}. */
    private static void sendEvery(Simulator sim, SimLink link, int n, int len, long gapNs) {
        for (int i = 0; i < n; i++) {
            int seq = i;
            sim.schedule(i * gapNs, () -> link.a().transmit(frame(link.a(), link.b(), seq, len)));
        }
    }

    @Test
    void serialisationAndPropagationAreExact() {
        try (Simulator sim = new Simulator(1)) {
            SimLink link = sim.newLink("x", "y", LinkParams.of(8_000_000, 5_000_000));
            Recorder rx = new Recorder(sim).attach(link.b());
            sim.schedule(0, () -> {
                link.a().transmit(frame(link.a(), link.b(), 1, 1000));
                link.a().transmit(frame(link.a(), link.b(), 2, 1000)); // queues behind the first
            });
            sim.run();
            assertEquals(List.of(6_000_000L, 7_000_000L), rx.arrivals.stream().map(Arrival::timeNs).toList());
            assertEquals(List.of(1, 2), rx.seqs());
            assertEquals("y", rx.arrivals.get(0).device());
        }
    }

    @Test
    void framesArriveIntactAndBothDirectionsAreIndependent() {
        try (Simulator sim = new Simulator(1)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT);
            link.setParams(Direction.B_TO_A, LinkParams.of(0, 100));
            Recorder atA = new Recorder(sim).attach(link.a());
            Recorder atB = new Recorder(sim).attach(link.b());
            byte[] sent = frame(link.a(), link.b(), 9, 200).toByteArray();
            sim.schedule(0, () -> {
                link.a().transmit(frame(link.a(), link.b(), 9, 200));
                link.b().transmit(frame(link.b(), link.a(), 10, 100));
            });
            sim.run();
            assertArrayEquals(sent, atB.arrivals.get(0).bytes());
            assertEquals(0, atB.arrivals.get(0).timeNs());
            assertEquals(100, atA.arrivals.get(0).timeNs());
            assertEquals(1, link.stats(Direction.A_TO_B).delivered());
            assertEquals(200, link.stats(Direction.A_TO_B).deliveredBytes());
            assertEquals(1, link.b().txStats().sent());
        }
    }

    @Test
    void randomLossMatchesItsRate() {
        try (Simulator sim = new Simulator(12345)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withLoss(0.1));
            Recorder rx = new Recorder(sim).attach(link.b());
            sendEvery(sim, link, 20_000, 64, 1_000);
            sim.run();
            LinkStats s = link.stats(Direction.A_TO_B);
            assertEquals(20_000, s.sent());
            assertEquals(s.sent(), s.delivered() + s.droppedLoss());
            assertEquals(rx.size(), s.delivered());
            double rate = s.droppedLoss() / 20_000.0;
            assertTrue(Math.abs(rate - 0.1) < 0.01, "loss rate " + rate);
        }
    }

    @Test
    void gilbertElliottLossComesInBursts() {
        // p = 0.01, r = 0.25, classic Gilbert (h = 0, k = 1): stationary loss p/(p+r) ≈ 3.8 %,
        // mean burst length 1/r = 4 frames.
        try (Simulator sim = new Simulator(99)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withGilbertElliott(0.01, 0.25, 0, 1));
            Recorder rx = new Recorder(sim).attach(link.b());
            int n = 50_000;
            sendEvery(sim, link, n, 64, 1_000);
            sim.run();
            boolean[] got = new boolean[n];
            rx.seqs().forEach(s -> got[s] = true);
            int lost = 0;
            int bursts = 0;
            for (int i = 0; i < n; i++) {
                if (!got[i]) {
                    lost++;
                    if (i == 0 || got[i - 1]) {
                        bursts++;
                    }
                }
            }
            double lossRate = lost / (double) n;
            double meanBurst = lost / (double) bursts;
            assertTrue(Math.abs(lossRate - 0.01 / 0.26) < 0.01, "loss rate " + lossRate);
            assertTrue(meanBurst > 3 && meanBurst < 5, "mean burst " + meanBurst);
            assertEquals(lost, link.stats(Direction.A_TO_B).droppedLoss());
        }
    }

    @Test
    void duplicatesArriveRightAfterTheOriginal() {
        try (Simulator sim = new Simulator(5)) {
            SimLink link = sim.newLink("x", "y", LinkParams.of(0, 1_000).withDuplicate(1.0));
            Recorder rx = new Recorder(sim).attach(link.b());
            sendEvery(sim, link, 3, 100, 10_000);
            sim.run();
            assertEquals(List.of(0, 0, 1, 1, 2, 2), rx.seqs());
            assertArrayEquals(rx.arrivals.get(0).bytes(), rx.arrivals.get(1).bytes());
            assertEquals(rx.arrivals.get(0).timeNs(), rx.arrivals.get(1).timeNs());
            assertEquals(3, link.stats(Direction.A_TO_B).duplicated());
            assertEquals(6, link.stats(Direction.A_TO_B).delivered());
        }
    }

    @Test
    void aFrameDamagedOnTheWireFailsItsFcsAndNeverReachesThePort() {
        try (Simulator sim = new Simulator(3)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withCorrupt(0.3).withDuplicate(0.1));
            Recorder rx = new Recorder(sim).attach(link.b());
            int n = 5_000;
            int len = 100;
            sendEvery(sim, link, n, len, 1_000);
            sim.run();
            LinkStats s = link.stats(Direction.A_TO_B);
            // Whatever reaches the port is intact: the damaged frames were discarded and counted.
            for (Frames.Arrival a : rx.arrivals) {
                assertArrayEquals(frame(link.a(), link.b(), a.seq(), len).toByteArray(), a.bytes());
            }
            assertEquals(rx.size(), s.delivered());
            assertEquals(s.corrupted(), s.rxCrcErrors());
            assertEquals(s.sent() + s.duplicated(), s.delivered() + s.rxCrcErrors());
            assertEquals(0, s.payloadCorrupted());
            assertEquals(0, link.b().unhandledFrames());
            double rate = s.rxCrcErrors() / (double) (n + s.duplicated());
            assertTrue(Math.abs(rate - 0.3) < 0.02, "rx_crc_errors rate " + rate);
            assertTrue(s.dropped() >= s.rxCrcErrors());
            assertTrue(s.toString().contains("rx_crc_errors " + s.rxCrcErrors()), s.toString());
        }
    }

    @Test
    void everyFrameDamagedOnTheWireIsDiscardedEvenWithNoHandler() {
        try (Simulator sim = new Simulator(3)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withCorrupt(1.0));
            sendEvery(sim, link, 50, 64, 1_000);
            sim.run();
            assertEquals(0, link.b().unhandledFrames(), "a discarded frame never reaches the port");
            assertEquals(50, link.stats(Direction.A_TO_B).rxCrcErrors());
            assertEquals(0, link.stats(Direction.A_TO_B).delivered());
        }
    }

    @Test
    void damagePastTheFcsFlipsOneBitOfTheIpPayloadAndNothingElse() {
        try (Simulator sim = new Simulator(11)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withPayloadCorrupt(1.0));
            Recorder rx = new Recorder(sim).attach(link.b());
            List<byte[]> sent = new java.util.ArrayList<>();
            List<int[]> payloadRange = new java.util.ArrayList<>(); // [from, to) of the IP payload, or null
            int n = 3_000;
            for (int i = 0; i < n; i++) {
                int seq = i;
                netstack4j.wire.PacketBuffer f;
                int[] range = null;
                switch (i % 4) {
                    case 0 -> f = Frames.arpReply(link.a(), link.b(), seq);
                    case 1 -> f = frame(link.a(), link.b(), seq, 100); // not IP
                    default -> {
                        int words = 5 + seq % 11; // IHL 5..15: options are header too
                        int payload = seq % 50 == 2 ? 0 : 1 + seq % 300;
                        int padding = seq % 3 == 0 ? 10 : 0; // Ethernet padding after Total Length
                        f = Frames.ipv4(link.a(), link.b(), seq, words, payload, padding);
                        range = payload == 0 ? null : new int[] {14 + 4 * words, 14 + 4 * words + payload};
                    }
                }
                sent.add(f.toByteArray());
                payloadRange.add(range);
                sim.schedule(i * 1_000L, () -> link.a().transmit(f));
            }
            sim.run();
            assertEquals(n, rx.size());
            int flippedFrames = 0;
            boolean hitFirstByte = false;
            boolean hitLastByte = false;
            for (int i = 0; i < n; i++) {
                byte[] original = sent.get(i);
                byte[] got = rx.arrivals.get(i).bytes();
                int[] range = payloadRange.get(i);
                int flipped = 0;
                for (int j = 0; j < original.length; j++) {
                    int diff = (original[j] ^ got[j]) & 0xff;
                    if (diff != 0) {
                        assertTrue(range != null && j >= range[0] && j < range[1],
                                "frame " + i + ": byte " + j + " changed outside the IP payload");
                        hitFirstByte |= j == range[0];
                        hitLastByte |= j == range[1] - 1;
                    }
                    flipped += Integer.bitCount(diff);
                }
                assertEquals(range == null ? 0 : 1, flipped, "frame " + i);
                flippedFrames += flipped;
            }
            assertTrue(hitFirstByte && hitLastByte, "the bit is drawn over the whole payload");
            LinkStats s = link.stats(Direction.A_TO_B);
            assertEquals(flippedFrames, s.payloadCorrupted());
            assertEquals(0, s.corrupted());
            assertEquals(0, s.rxCrcErrors());
            assertEquals(n, s.delivered());
        }
    }

    @Test
    void reorderedFrameArrivesRightAfterTheNextOne() {
        try (Simulator sim = new Simulator(8)) {
            SimLink link = sim.newLink("x", "y", LinkParams.of(0, 1_000));
            Recorder rx = new Recorder(sim).attach(link.b());
            sim.schedule(0, () -> {
                link.setParams(Direction.A_TO_B, LinkParams.of(0, 1_000).withReorder(1.0));
                link.a().transmit(frame(link.a(), link.b(), 0, 64));
                link.setParams(Direction.A_TO_B, LinkParams.of(0, 1_000));
            });
            sim.schedule(500, () -> link.a().transmit(frame(link.a(), link.b(), 1, 64)));
            sim.schedule(600, () -> link.a().transmit(frame(link.a(), link.b(), 2, 64)));
            sim.run();
            assertEquals(List.of(1, 0, 2), rx.seqs());
            assertEquals(List.of(1_500L, 1_500L, 1_600L), rx.arrivals.stream().map(Arrival::timeNs).toList());
        }
    }

    @Test
    void heldFrameWithoutFollowerArrivesAfterTheHoldTime() {
        try (Simulator sim = new Simulator(8)) {
            LinkParams p = LinkParams.of(0, 1_000).withReorder(1.0).toBuilder().reorderHoldNs(50_000).build();
            SimLink link = sim.newLink("x", "y", p);
            Recorder rx = new Recorder(sim).attach(link.b());
            sim.schedule(0, () -> link.a().transmit(frame(link.a(), link.b(), 0, 64)));
            sim.run();
            assertEquals(51_000, rx.arrivals.get(0).timeNs());
            assertEquals(1, link.stats(Direction.A_TO_B).reordered());
        }
    }

    @Test
    void jitterDoesNotReorder() {
        try (Simulator sim = new Simulator(4)) {
            SimLink link = sim.newLink("x", "y", LinkParams.of(0, 1_000).withJitter(50_000));
            Recorder rx = new Recorder(sim).attach(link.b());
            sendEvery(sim, link, 500, 64, 1_000);
            sim.run();
            assertEquals(IntStream.range(0, 500).boxed().toList(), rx.seqs());
            long distinctDelays = IntStream.range(0, 500).mapToLong(i -> rx.arrivals.get(i).timeNs() - i * 1_000L).distinct().count();
            assertTrue(distinctDelays > 100, "jitter varies the delay");
        }
    }

    @Test
    void framesAboveTheMtuAreDropped() {
        try (Simulator sim = new Simulator(1)) {
            SimLink link = sim.newLink("x", "y", LinkParams.DEFAULT.withMtu(576));
            Recorder rx = new Recorder(sim).attach(link.b());
            assertEquals(576, link.a().mtu());
            assertTrue(link.a().transmit(frame(link.a(), link.b(), 1, 576 + 14)));
            assertFalse(link.a().transmit(frame(link.a(), link.b(), 2, 576 + 15)));
            sim.run();
            assertEquals(List.of(1), rx.seqs());
            assertEquals(1, link.stats(Direction.A_TO_B).droppedMtu());
        }
    }

    @Test
    void aFullQueueTailDrops() {
        try (Simulator sim = new Simulator(1)) {
            // 1000-byte frames take 1 ms each at 8 Mbit/s; the queue holds 3000 bytes.
            SimLink link = sim.newLink("x", "y", LinkParams.of(8_000_000, 0).withQueueLimit(3_000));
            Recorder rx = new Recorder(sim).attach(link.b());
            boolean[] accepted = new boolean[5];
            sim.schedule(0, () -> {
                for (int i = 0; i < 5; i++) {
                    accepted[i] = link.a().transmit(frame(link.a(), link.b(), i, 1000));
                }
            });
            // At 1 ms the first frame has left: room for one more.
            sim.schedule(1_000_000, () -> link.a().transmit(frame(link.a(), link.b(), 5, 1000)));
            sim.run();
            assertArrayEquals(new boolean[] {true, true, true, false, false}, accepted);
            assertEquals(List.of(0, 1, 2, 5), rx.seqs());
            assertEquals(4_000_000, rx.arrivals.get(3).timeNs());
            assertEquals(2, link.stats(Direction.A_TO_B).droppedQueue());
        }
    }

    @Test
    void downLosesFramesInFlightAndRefusesNewOnesUntilUp() {
        try (Simulator sim = new Simulator(1)) {
            SimLink link = sim.newLink("x", "y", LinkParams.of(0, 10_000));
            Recorder rx = new Recorder(sim).attach(link.b());
            boolean[] whileDown = {true};
            sim.schedule(0, () -> link.a().transmit(frame(link.a(), link.b(), 0, 64)));
            sim.schedule(5_000, link::down);
            sim.schedule(6_000, () -> whileDown[0] = link.a().transmit(frame(link.a(), link.b(), 1, 64)));
            sim.schedule(7_000, link::up);
            sim.schedule(8_000, () -> link.a().transmit(frame(link.a(), link.b(), 2, 64)));
            sim.run();
            assertFalse(whileDown[0]);
            assertEquals(List.of(2), rx.seqs());
            assertEquals(18_000, rx.arrivals.get(0).timeNs());
            assertEquals(2, link.stats(Direction.A_TO_B).droppedDown());
        }
    }

    @Test
    void partitionCutsAndHealsItsLinks() {
        try (Simulator sim = new Simulator(1)) {
            SimLink l1 = sim.newLink("a", "b", LinkParams.DEFAULT);
            SimLink l2 = sim.newLink("c", "d", LinkParams.DEFAULT);
            SimLink l3 = sim.newLink("e", "f", LinkParams.DEFAULT);
            l3.down();
            Recorder r1 = new Recorder(sim).attach(l1.b());
            Partition p = Partition.of(sim, List.of(l1, l2, l3)).schedule(1_000, 2_000);
            for (long t : new long[] {500, 1_500, 2_500}) {
                int seq = (int) t;
                sim.schedule(t, () -> l1.a().transmit(frame(l1.a(), l1.b(), seq, 64)));
            }
            sim.runUntil(1_500);
            assertTrue(p.isActive());
            assertFalse(l1.isUp() || l2.isUp());
            sim.run();
            assertEquals(List.of(500, 2_500), r1.seqs());
            assertTrue(l1.isUp() && l2.isUp());
            assertFalse(l3.isUp(), "a link down before the partition stays down");

            Partition now = sim.partition(List.of(l2));
            assertFalse(l2.isUp());
            now.heal();
            assertTrue(l2.isUp());
        }
    }

    @Test
    void delaysAreBoundedSoArrivalTimesCannotOverflow() {
        LinkParams.DEFAULT.withDelay(LinkParams.MAX_DELAY_NS).withJitter(LinkParams.MAX_DELAY_NS);
        assertThrows(IllegalArgumentException.class, () -> LinkParams.DEFAULT.withDelay(LinkParams.MAX_DELAY_NS + 1));
        assertThrows(IllegalArgumentException.class, () -> LinkParams.DEFAULT.withJitter(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> LinkParams.DEFAULT.withPayloadCorrupt(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LinkParams.DEFAULT.withPayloadCorrupt(1.5));
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentRun() throws Exception {
        String first = faultyRunHash(2024);
        assertEquals(first, faultyRunHash(2024));
        assertNotEquals(first, faultyRunHash(2025));
    }

    /** SHA-256 over (time, device, bytes) of every delivery of a run full of random faults. */
    private static String faultyRunHash(long seed) throws Exception {
        try (Simulator sim = new Simulator(seed)) {
            LinkParams p = LinkParams.of(100_000_000, 2_000_000).withJitter(300_000).withLoss(0.05)
                    .withDuplicate(0.02).withReorder(0.05).withCorrupt(0.02).withPayloadCorrupt(0.02)
                    .withQueueLimit(20_000);
            SimLink link = sim.newLink("x", "y", p);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            link.b().setFrameHandler((d, f) -> {
                digest.update(ByteBuffer.allocate(8).putLong(sim.nowNs()).array());
                digest.update(f.toByteArray());
            });
            link.a().setFrameHandler((d, f) -> {
                digest.update(ByteBuffer.allocate(8).putLong(-sim.nowNs()).array());
                digest.update(f.toByteArray());
            });
            for (int i = 0; i < 2_000; i++) {
                int seq = i;
                sim.schedule(i * 50_000L, () -> link.a().transmit(seq % 2 == 0
                        ? frame(link.a(), link.b(), seq, 64 + seq % 1400)
                        : Frames.ipv4(link.a(), link.b(), seq, 5, 30 + seq % 1400, 0)));
                sim.schedule(i * 50_000L + 7, () -> link.b().transmit(frame(link.b(), link.a(), seq, 64)));
            }
            sim.run();
            assertTrue(link.stats(Direction.A_TO_B).dropped() > 0);
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
