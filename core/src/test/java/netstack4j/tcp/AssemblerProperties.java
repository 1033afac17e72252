package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AssemblerProperties {

    /** Random additions agree with a bit-per-byte model; refused additions change nothing. */
    @Property(tries = 300)
    void intervalsAreTheUnionOfWhatWasAdded(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int max) {
        Random rnd = new Random(seed);
        Assembler a = new Assembler(max);
        BitSet model = new BitSet();
        for (int step = 0; step < 60; step++) {
            int start = rnd.nextInt(400);
            int end = start + rnd.nextInt(40);
            boolean expectAccept = a.canAdd(start, end);
            String before = a.toString();
            boolean accepted = a.add(start, end);
            assertEquals(expectAccept, accepted);
            if (accepted) {
                model.set(start, end);
            } else {
                assertEquals(before, a.toString());
                assertEquals(max, a.count());
            }
            checkMatches(a, model);
        }
    }

    private static void checkMatches(Assembler a, BitSet model) {
        assertTrue(a.count() <= a.maxIntervals());
        BitSet seen = new BitSet();
        for (int i = 0; i < a.count(); i++) {
            assertTrue(a.start(i) < a.end(i));
            if (i > 0) {
                assertTrue(a.end(i - 1) < a.start(i), "sorted, disjoint, not touching: " + a);
            }
            seen.set((int) a.start(i), (int) a.end(i));
        }
        assertEquals(model, seen);
        assertEquals(model.cardinality(), a.totalBytes());
    }

    @Property(tries = 200)
    void advanceConsumesEverythingReachable(@ForAll long seed) {
        Random rnd = new Random(seed);
        Assembler a = new Assembler(32);
        BitSet model = new BitSet();
        for (int i = 0; i < 20; i++) {
            int s = 1 + rnd.nextInt(300);
            int e = s + 1 + rnd.nextInt(20);
            a.add(s, e);
            model.set(s, e);
        }
        int from = rnd.nextInt(50);
        model.set(0, from);
        long end = a.advance(from);
        int expected = model.nextClearBit(0);
        assertEquals(Math.max(from, expected), end);
        if (a.count() > 0) {
            assertTrue(a.start(0) > end);
        }
    }

    @Example
    void mergesTouchingAndOverlappingRanges() {
        Assembler a = new Assembler(4);
        assertTrue(a.add(10, 20));
        assertTrue(a.add(30, 40));
        assertTrue(a.add(20, 30)); // touches both
        assertEquals("[10, 40)", a.toString());
        assertTrue(a.add(50, 60));
        assertTrue(a.add(70, 80));
        assertTrue(a.add(90, 100));
        assertFalse(a.add(110, 120)); // a fifth hole
        assertTrue(a.add(55, 75));    // bridges two: fewer intervals
        assertEquals("[10, 40) [50, 80) [90, 100)", a.toString());
        assertTrue(a.add(110, 120));
        assertEquals(40, a.advance(0 + 10));
        assertEquals(3, a.count());
        a.clear();
        assertTrue(a.isEmpty());
        assertEquals("(none)", a.toString());
    }
}
