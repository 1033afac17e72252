package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsnGeneratorTest {
    private static final int A = 0x0A000001; // 10.0.0.1
    private static final int B = 0x0A000002; // 10.0.0.2

    @Test
    void sameKeySameIsn() {
        IsnGenerator g1 = new IsnGenerator(new SplittableRandom(42), IsnGenerator.RFC6528_TICK_NS);
        IsnGenerator g2 = new IsnGenerator(new SplittableRandom(42), IsnGenerator.RFC6528_TICK_NS);
        assertEquals(g1.isn(123_456_789L, A, 40000, B, 80), g2.isn(123_456_789L, A, 40000, B, 80));
        IsnGenerator other = new IsnGenerator(new SplittableRandom(43), IsnGenerator.RFC6528_TICK_NS);
        assertNotEquals(g1.isn(0, A, 40000, B, 80), other.isn(0, A, 40000, B, 80));
    }

    @Test
    void theClockPartAdvancesOncePerTick() {
        IsnGenerator g = new IsnGenerator(1, 2, IsnGenerator.RFC6528_TICK_NS);
        int at0 = g.isn(0, A, 40000, B, 80);
        assertEquals(at0, g.isn(3_999, A, 40000, B, 80));
        assertEquals(at0 + 1, g.isn(4_000, A, 40000, B, 80));
        assertEquals(at0 + 250_000, g.isn(1_000_000_000L, A, 40000, B, 80)); // 250 kHz
        IsnGenerator linux = new IsnGenerator(1, 2, IsnGenerator.LINUX_TICK_NS);
        assertEquals(linux.isn(0, A, 40000, B, 80) + 15_625_000, linux.isn(1_000_000_000L, A, 40000, B, 80));
    }

    @Test
    void theHashPartDependsOnEveryTupleField() {
        IsnGenerator g = new IsnGenerator(1, 2, IsnGenerator.RFC6528_TICK_NS);
        Set<Integer> seen = new HashSet<>();
        seen.add(g.isn(0, A, 40000, B, 80));
        seen.add(g.isn(0, B, 40000, B, 80));
        seen.add(g.isn(0, A, 40001, B, 80));
        seen.add(g.isn(0, A, 40000, A, 80));
        seen.add(g.isn(0, A, 40000, B, 81));
        seen.add(g.isn(0, B, 80, A, 40000));
        assertEquals(6, seen.size());
    }

    @Test
    void allocationFree() {
        IsnGenerator g = new IsnGenerator(1, 2, IsnGenerator.LINUX_TICK_NS);
        Runnable many = () -> {
            for (int i = 0; i < 10_000; i++) {
                g.isn(i * 1000L, A, 32768 + (i & 1023), B, 80);
            }
        };
        many.run();
        long allocated = Allocations.during(many);
        assertTrue(allocated < 1024, "allocated " + allocated);
        assertThrows(IllegalArgumentException.class, () -> new IsnGenerator(1, 2, 0));
    }
}
